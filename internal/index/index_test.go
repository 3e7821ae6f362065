package index

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func oneBlock(norm Normalisation, agg Aggregation, inds ...Indicator) Model {
	for i := range inds {
		inds[i].Normalisation = norm
		if inds[i].Direction == 0 {
			inds[i].Direction = 1
		}
		if inds[i].Weight == 0 {
			inds[i].Weight = 1
		}
	}
	return Model{Blocks: []Block{{Name: "B", Weight: 1, Aggregation: agg, Indicators: inds}}}
}

func data(regions []string, rows map[string][]float64) Data {
	d := Data{Regions: regions}
	names := make([]string, 0, len(rows))
	for n := range rows {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		d.Indicators = append(d.Indicators, n)
		d.Values = append(d.Values, rows[n])
	}
	return d
}

func valueOf(t *testing.T, res []Result, region string) Result {
	t.Helper()
	for _, r := range res {
		if r.Region == region {
			return r
		}
	}
	t.Fatalf("no result for %s", region)
	return Result{}
}

func errKey(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

func TestNormalisations_HandComputed(t *testing.T) {
	out := make([]float64, 4)
	normalise(MinMax, []float64{1, 2, 3, NA}, out)
	if !slices.Equal(out[:3], []float64{0, 50, 100}) || !math.IsNaN(out[3]) {
		t.Errorf("min–max = %v", out)
	}
	normalise(ZScore, []float64{1, 2, 3, NA}, out)
	if !slices.Equal(out[:3], []float64{-1, 0, 1}) || !math.IsNaN(out[3]) {
		t.Errorf("z-score = %v", out)
	}
	// Sample SD: 2,4,4,4,5,5,7,9 has mean 5 and Σ(x−5)² = 32, sd = √(32/7).
	x := []float64{2, 4, 4, 4, 5, 5, 7, 9}
	z := make([]float64, len(x))
	normalise(ZScore, x, z)
	if sd := math.Sqrt(32.0 / 7); !near(z[7], 4/sd) || !near(z[0], -3/sd) {
		t.Errorf("z-score with n−1: %v, want 9 → %v", z, 4/sd)
	}
	normalise(Rank, []float64{10, 30, 20, 20}, out)
	if !slices.Equal(out, []float64{1, 4, 2.5, 2.5}) {
		t.Errorf("rank = %v", out)
	}
	if c := normalise(MinMax, []float64{7, 7, NA, 7}, out); !c || out[0] != 50 {
		t.Errorf("constant min–max = %v, constant %v", out, c)
	}
	if c := normalise(ZScore, []float64{7, 7, 7, 7}, out); !c || out[0] != 0 {
		t.Errorf("constant z-score = %v, constant %v", out, c)
	}
}

func TestCompute_DirectionAndWeights(t *testing.T) {
	regions := []string{"01", "03", "04"}
	d := data(regions, map[string][]float64{"a": {1, 2, 3}, "b": {30, 10, 20}})
	// a min–max: 0,50,100; b lower is better: 0,100,50. Weights 1 and 3.
	m := oneBlock(MinMax, Arithmetic, Indicator{Name: "a", Weight: 1}, Indicator{Name: "b", Weight: 3, Direction: -1})
	p, err := Prepare(m, d)
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Compute()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"01": 0, "03": (50 + 300) / 4.0, "04": (100 + 150) / 4.0}
	for r, v := range want {
		if got := valueOf(t, res, r).Value; !near(got, v) {
			t.Errorf("%s = %v, want %v", r, got, v)
		}
	}
	if res[0].Region != "03" || res[0].Rank != 1 || res[2].Region != "01" || res[2].Rank != 3 {
		t.Errorf("order %+v", res)
	}
	// Weights on any scale give the same index (normalised per level).
	w, bw := p.Weights()
	for i := range w {
		w[i] *= 7
	}
	bw[0] = 0.3
	res2, err := p.ComputeWith(w, bw, Nominal)
	if err != nil {
		t.Fatal(err)
	}
	for i := range res {
		if !near(res[i].Value, res2[i].Value) {
			t.Errorf("scaled weights changed %s: %v vs %v", res[i].Region, res[i].Value, res2[i].Value)
		}
	}
}

func TestCompute_ZScoreAndRank(t *testing.T) {
	regions := []string{"01", "03", "04"}
	d := data(regions, map[string][]float64{"a": {1, 2, 3}, "b": {10, 30, 20}})
	p, err := Prepare(Model{Blocks: []Block{{Name: "B", Weight: 1, Indicators: []Indicator{
		{Name: "a", Weight: 1, Direction: 1, Normalisation: ZScore},
		{Name: "b", Weight: 1, Direction: 1, Normalisation: Rank},
	}}}}, d)
	if err != nil {
		t.Fatal(err)
	}
	res, _ := p.Compute()
	// z(a) = −1,0,1; rank(b) = 1,3,2.
	for r, v := range map[string]float64{"01": 0, "03": 1.5, "04": 1.5} {
		if got := valueOf(t, res, r).Value; !near(got, v) {
			t.Errorf("%s = %v, want %v", r, got, v)
		}
	}
	// 03 and 04 tie: both rank 1, 01 rank 3.
	if valueOf(t, res, "03").Rank != 1 || valueOf(t, res, "04").Rank != 1 || valueOf(t, res, "01").Rank != 3 {
		t.Errorf("tied ranks %+v", res)
	}
}

func TestGeometric_RefusesZeroUnlessShifted(t *testing.T) {
	regions := []string{"01", "03", "04"}
	d := data(regions, map[string][]float64{"a": {0, 1, 4}, "b": {0, 4, 2}})
	m := oneBlock(MinMax, Geometric, Indicator{Name: "a", Weight: 1}, Indicator{Name: "b", Weight: 3})
	_, err := Prepare(m, d)
	if errKey(err) != "index.geometric_nonpositive" {
		t.Fatalf("geometric over a zero: %v", err)
	}
	m.Blocks[0].Shift = 1
	p, err := Prepare(m, d)
	if err != nil {
		t.Fatal(err)
	}
	res, _ := p.Compute()
	// min–max a: 0,25,100; b: 0,100,50. Weights ¼ and ¾, shift 1.
	want := map[string]float64{
		"01": 0,
		"03": math.Pow(26, 0.25)*math.Pow(101, 0.75) - 1,
		"04": math.Pow(101, 0.25)*math.Pow(51, 0.75) - 1,
	}
	for r, v := range want {
		if got := valueOf(t, res, r).Value; !near(got, v) {
			t.Errorf("%s = %v, want %v", r, got, v)
		}
	}
	// Ranks are positive: a geometric mean of ranks needs no shift.
	m = oneBlock(Rank, Geometric, Indicator{Name: "a", Weight: 1}, Indicator{Name: "b", Weight: 1})
	p, err = Prepare(m, d)
	if err != nil {
		t.Fatal(err)
	}
	res, _ = p.Compute()
	if got := valueOf(t, res, "04").Value; !near(got, math.Sqrt(3*2)) {
		t.Errorf("geometric of ranks 3 and 2 = %v", got)
	}
	// A z-score under a geometric index is refused too.
	m = oneBlock(ZScore, Arithmetic, Indicator{Name: "a"})
	m.Aggregation = Geometric
	p, err = Prepare(m, d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Compute(); errKey(err) != "index.geometric_index_nonpositive" {
		t.Errorf("geometric index over negative blocks: %v", err)
	}
}

func TestMissing_ReweightAndExclude(t *testing.T) {
	regions := []string{"01", "03", "04", "05"}
	d := data(regions, map[string][]float64{"a": {1, 2, 3, 4}, "b": {40, NA, 20, 10}})
	m := oneBlock(MinMax, Arithmetic, Indicator{Name: "a", Weight: 1}, Indicator{Name: "b", Weight: 1})
	p, err := Prepare(m, d)
	if err != nil {
		t.Fatal(err)
	}
	res, _ := p.Compute()
	// a: 0, 33.3, 66.7, 100; b over present 40,20,10: 100, –, 33.3, 0.
	// 03 has only a: its block is a alone (the weight of b goes to a).
	want := map[string]float64{"01": 50, "03": 100.0 / 3, "04": (200.0/3 + 100.0/3) / 2, "05": 50}
	for r, v := range want {
		if got := valueOf(t, res, r).Value; !near(got, v) {
			t.Errorf("reweight %s = %v, want %v", r, got, v)
		}
	}
	m.Missing = Exclude
	p, err = Prepare(m, d)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Regions, []string{"01", "04", "05"}) {
		t.Fatalf("exclude left %v", p.Regions)
	}
	res, _ = p.Compute()
	// Normalised over the three left: a 1,3,4 → 0, 66.7, 100.
	if got := valueOf(t, res, "04").Value; !near(got, (200.0/3+100.0/3)/2) {
		t.Errorf("exclude 04 = %v", got)
	}
}

func TestBadModels(t *testing.T) {
	regions := []string{"01", "03"}
	d := data(regions, map[string][]float64{"a": {1, 2}, "none": {NA, NA}, "c": {5, 5}, "neg": {-1, 2}})
	cases := map[string]struct {
		m   Model
		key string
	}{
		"all missing":   {oneBlock(MinMax, Arithmetic, Indicator{Name: "none"}), "index.indicator_empty"},
		"unknown":       {oneBlock(MinMax, Arithmetic, Indicator{Name: "x"}), "index.indicator_unknown"},
		"log of -1":     {oneBlock(MinMax, Arithmetic, Indicator{Name: "neg", Transform: Log}), "index.log_nonpositive"},
		"no population": {oneBlock(MinMax, Arithmetic, Indicator{Name: "a", Transform: PerCapita, Population: "pop"}), "index.population_unknown"},
		"weights zero": {Model{Blocks: []Block{{Name: "B", Weight: 1, Indicators: []Indicator{
			{Name: "a", Weight: 0, Direction: 1}}}}}, "index.weights_zero"},
		"block weights zero": {Model{Blocks: []Block{{Name: "B", Weight: 0, Indicators: []Indicator{
			{Name: "a", Weight: 1, Direction: 1}}}}}, "index.block_weights_zero"},
		"negative weight": {oneBlock(MinMax, Arithmetic, Indicator{Name: "a", Weight: -1}), "index.weight_negative"},
		"no blocks":       {Model{}, "index.no_blocks"},
	}
	for name, c := range cases {
		if _, err := Prepare(c.m, d); errKey(err) != c.key {
			t.Errorf("%s: %v, want %s", name, err, c.key)
		}
	}
	p, err := Prepare(oneBlock(MinMax, Arithmetic, Indicator{Name: "c"}, Indicator{Name: "a"}), d)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Warnings) != 1 || p.Warnings[0].Key != "index.constant" || p.Warnings[0].Args[0] != "c" {
		t.Errorf("constant indicator warnings %+v", p.Warnings)
	}
	res, _ := p.Compute()
	for _, r := range res {
		if math.IsNaN(r.Value) || math.IsInf(r.Value, 0) {
			t.Errorf("constant indicator gave %v", r.Value)
		}
	}
	if _, err := p.ComputeWith([]float64{0, 0}, []float64{1}, Nominal); errKey(err) != "index.weights_zero" {
		t.Errorf("slider weights all zero: %v", err)
	}
}

func TestPerCapita(t *testing.T) {
	d := data([]string{"01", "03", "04"}, map[string][]float64{"jobs": {10, 30, 20}, "pop": {10, 10, 40}})
	p, err := Prepare(oneBlock(MinMax, Arithmetic, Indicator{Name: "jobs", Transform: PerCapita, Population: "pop"}), d)
	if err != nil {
		t.Fatal(err)
	}
	res, _ := p.Compute()
	// per capita 1, 3, 0.5 → min–max 20, 100, 0.
	for r, v := range map[string]float64{"01": 20, "03": 100, "04": 0} {
		if got := valueOf(t, res, r).Value; !near(got, v) {
			t.Errorf("%s = %v, want %v", r, got, v)
		}
	}
}

// randomData is 21 regions × n indicators of positive values, a few missing.
func randomData(seed uint64, n int, missing bool) Data {
	rng := rand.New(rand.NewPCG(seed, 1))
	d := Data{}
	for r := range 21 {
		d.Regions = append(d.Regions, strconv.Itoa(r+1))
	}
	for i := range n {
		d.Indicators = append(d.Indicators, "i"+strconv.Itoa(i))
		row := make([]float64, 21)
		for r := range row {
			row[r] = 1 + 99*rng.Float64()
			if missing && rng.IntN(20) == 0 {
				row[r] = NA
			}
		}
		d.Values = append(d.Values, row)
	}
	return d
}

// model is blocks × per indicators over randomData's names.
func model(blocks, per int, norm Normalisation, agg Aggregation) Model {
	m := Model{}
	k := 0
	for b := range blocks {
		bl := Block{Name: "b" + strconv.Itoa(b), Weight: float64(b + 1), Aggregation: agg}
		for i := range per {
			dir := 1
			if k%4 == 3 {
				dir = -1
			}
			bl.Indicators = append(bl.Indicators, Indicator{Name: "i" + strconv.Itoa(k), Weight: float64(i%3 + 1), Direction: dir, Normalisation: norm})
			k++
		}
		m.Blocks = append(m.Blocks, bl)
	}
	return m
}

func TestProperty_ZeroWeightIsRemoval(t *testing.T) {
	for _, miss := range []Missing{Reweight, Exclude} {
		for _, norm := range []Normalisation{MinMax, ZScore, Rank} {
			d := randomData(3, 12, true)
			m := model(3, 4, norm, Arithmetic)
			m.Missing = miss
			m.Blocks[1].Indicators[2].Weight = 0
			with, err := Prepare(m, d)
			if err != nil {
				t.Fatal(err)
			}
			m.Blocks[1].Indicators = slices.Delete(slices.Clone(m.Blocks[1].Indicators), 2, 3)
			without, err := Prepare(m, d)
			if err != nil {
				t.Fatal(err)
			}
			a, _ := with.Compute()
			b, _ := without.Compute()
			if len(a) != len(b) {
				t.Fatalf("%v %v: %d vs %d regions", miss, norm, len(a), len(b))
			}
			for i := range a {
				if a[i].Region != b[i].Region || a[i].Rank != b[i].Rank || a[i].Value != b[i].Value {
					t.Errorf("%v %v: zero weight %+v, removed %+v", miss, norm, a[i], b[i])
				}
			}
		}
	}
}

func TestProperty_RanksInvariantUnderAffineRescale(t *testing.T) {
	for _, norm := range []Normalisation{MinMax, ZScore} {
		d := randomData(5, 12, true)
		m := model(3, 4, norm, Arithmetic)
		p, _ := Prepare(m, d)
		before, _ := p.Compute()
		for _, ind := range []int{0, 5, 11} {
			row := d.Values[ind]
			scaled := make([]float64, len(row))
			for r, x := range row {
				scaled[r] = 3.7*x + 1234
			}
			d2 := d
			d2.Values = slices.Clone(d.Values)
			d2.Values[ind] = scaled
			p2, _ := Prepare(m, d2)
			after, _ := p2.Compute()
			for i := range before {
				if before[i].Region != after[i].Region || before[i].Rank != after[i].Rank || !near(before[i].Value, after[i].Value) {
					t.Errorf("%v, indicator %d rescaled: %+v became %+v", norm, ind, before[i], after[i])
				}
			}
		}
	}
}

func TestUncertainty_SeededAndNominalWithoutNoise(t *testing.T) {
	d := randomData(7, 30, true)
	p, err := Prepare(model(6, 5, MinMax, Arithmetic), d)
	if err != nil {
		t.Fatal(err)
	}
	nom, _ := p.Compute()
	ui, err := p.Uncertainty(UAOptions{Draws: 500, Noise: 0, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range ui {
		n := valueOf(t, nom, r.Region).Rank
		if r.Nominal != n || r.Median != float64(n) || r.P05 != float64(n) || r.P95 != float64(n) {
			t.Errorf("no noise: %+v, nominal %d", r, n)
		}
	}
	opts := UAOptions{Draws: 3000, Noise: 0.25, Seed: 42, Norms: []Normalisation{MinMax, ZScore}}
	a, _ := p.Uncertainty(opts)
	b, _ := p.Uncertainty(opts)
	if !slices.Equal(a, b) {
		t.Error("same seed, different result")
	}
	opts.Seed = 43
	c, _ := p.Uncertainty(opts)
	wide := false
	for i := range a {
		if math.Abs(a[i].P05-c[i].P05) > 1 || math.Abs(a[i].P95-c[i].P95) > 1 {
			t.Errorf("two seeds differ by more than a rank: %+v vs %+v", a[i], c[i])
		}
		if a[i].P05 > a[i].Median || a[i].Median > a[i].P95 {
			t.Errorf("interval out of order %+v", a[i])
		}
		if a[i].P95 > a[i].P05 {
			wide = true
		}
	}
	if !wide {
		t.Error("25 % noise moved no region's rank")
	}
}

func TestQuantileType7(t *testing.T) {
	// Values 1,2,3,4 (one each): R quantile(c(1,2,3,4), .05) = 1.15, .5 = 2.5, .95 = 3.85.
	h := []int32{0, 1, 1, 1, 1}
	for p, want := range map[float64]float64{0.05: 1.15, 0.5: 2.5, 0.95: 3.85} {
		if got := quantile(h, 4, p); !near(got, want) {
			t.Errorf("q(%v) = %v, want %v", p, got, want)
		}
	}
}

func TestSensitivity_IdenticalAlternativesAreZero(t *testing.T) {
	d := randomData(9, 30, false)
	p, err := Prepare(model(6, 5, MinMax, Arithmetic), d)
	if err != nil {
		t.Fatal(err)
	}
	// No weight noise and two identical normalisations: nothing varies.
	res, err := p.Sensitivity(SAOptions{Base: 200, Noise: 0, Seed: 1, Norms: []Normalisation{MinMax, MinMax}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Factors {
		if f.First != 0 || f.Total != 0 {
			t.Errorf("identical alternatives: %+v", f)
		}
	}
	// Only the normalisation varies: it carries the variance, the weights none.
	res, err = p.Sensitivity(SAOptions{Base: 500, Noise: 0, Seed: 1, Norms: []Normalisation{MinMax, Rank}, Aggs: []Aggregation{Arithmetic, Arithmetic}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Runs != 500*(len(res.Factors)+2) {
		t.Errorf("runs %d", res.Runs)
	}
	for _, f := range res.Factors {
		switch f.Kind {
		case "normalisation":
			if f.Total < 0.9 || f.First < 0.7 {
				t.Errorf("the only varying choice: %+v", f)
			}
		default:
			if f.First != 0 || f.Total != 0 {
				t.Errorf("a fixed choice moved: %+v", f)
			}
		}
	}
	// With noise on weights, the weights get a positive total effect.
	res, _ = p.Sensitivity(SAOptions{Base: 500, Noise: 0.5, Seed: 2, Norms: []Normalisation{MinMax, MinMax}})
	var some bool
	for _, f := range res.Factors {
		if f.Kind == "normalisation" && (f.First != 0 || f.Total != 0) {
			t.Errorf("identical normalisations beside noisy weights: %+v", f)
		}
		if f.Kind != "normalisation" && f.Total > 0 {
			some = true
		}
	}
	if !some {
		t.Error("noisy weights had no effect")
	}
}

func BenchmarkEval21x30(b *testing.B) {
	p, err := Prepare(model(6, 5, MinMax, Arithmetic), randomData(11, 30, true))
	if err != nil {
		b.Fatal(err)
	}
	ws := p.NewWorkspace()
	w, bw := p.Weights()
	b.ReportAllocs()
	for b.Loop() {
		if err := p.Eval(ws, w, bw, Nominal); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEval21x30Geometric(b *testing.B) {
	p, err := Prepare(model(6, 5, Rank, Geometric), randomData(11, 30, true))
	if err != nil {
		b.Fatal(err)
	}
	ws := p.NewWorkspace()
	w, bw := p.Weights()
	b.ReportAllocs()
	for b.Loop() {
		if err := p.Eval(ws, w, bw, Nominal); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUncertainty10000x21x30(b *testing.B) {
	p, err := Prepare(model(6, 5, MinMax, Arithmetic), randomData(11, 30, true))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Uncertainty(UAOptions{Draws: 10000, Noise: 0.25, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSaltelli1000x8(b *testing.B) {
	p, err := Prepare(model(6, 5, MinMax, Arithmetic), randomData(11, 30, true))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		res, err := p.Sensitivity(SAOptions{Base: 1000, Noise: 0.25, Seed: 1, Norms: []Normalisation{MinMax, ZScore}})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Factors) != 8 {
			b.Fatalf("%d factors", len(res.Factors))
		}
	}
}

func TestEval_DoesNotAllocate(t *testing.T) {
	p, err := Prepare(model(6, 5, MinMax, Geometric), randomData(11, 30, true))
	if err == nil {
		t.Fatal("geometric over min–max zeros was accepted")
	}
	p, err = Prepare(model(6, 5, Rank, Geometric), randomData(11, 30, true))
	if err != nil {
		t.Fatal(err)
	}
	ws := p.NewWorkspace()
	w, bw := p.Weights()
	if n := testing.AllocsPerRun(100, func() { _ = p.Eval(ws, w, bw, Choice{Norm: int(ZScore), Agg: int(Arithmetic)}) }); n != 0 {
		t.Errorf("Eval allocates %v times", n)
	}
	// Draws scale without allocating more: 1,000 and 5,000 draws allocate alike.
	a := testing.AllocsPerRun(3, func() { _, _ = p.Uncertainty(UAOptions{Draws: 1000, Noise: 0.2, Seed: 1}) })
	b := testing.AllocsPerRun(3, func() { _, _ = p.Uncertainty(UAOptions{Draws: 5000, Noise: 0.2, Seed: 1}) })
	if b > a+4 {
		t.Errorf("allocations grow with draws: %v for 1,000, %v for 5,000", a, b)
	}
}
