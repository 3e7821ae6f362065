package index

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
)

// chunk is the number of draws one random stream makes. Streams are
// numbered by chunk, not by worker, so a seed gives the same result on any
// number of cores.
const chunk = 256

// MaxDraws bounds an uncertainty analysis; MaxBase a Saltelli design.
const (
	MaxDraws = 100000
	MaxBase  = 10000
)

// UAOptions configures an uncertainty analysis: Draws Monte Carlo
// replications; every weight (indicators and blocks) drawn uniformly in
// nominal × [1 − Noise, 1 + Noise], as COINr's get_noisy_weights; and, when
// given, the normalisation and the aggregation of all blocks drawn
// uniformly from Norms and Aggs in each replication.
type UAOptions struct {
	Draws int
	Noise float64
	Seed  uint64
	Norms []Normalisation
	Aggs  []Aggregation
}

// RankInterval is one region's rank distribution over the draws: nominal
// rank, median and 5th and 95th percentiles (R's default quantile, type 7).
type RankInterval struct {
	Region           string
	Nominal          int
	Median, P05, P95 float64
}

func (p *Prepared) checkOptions(noise float64, norms []Normalisation, aggs []Aggregation) error {
	if !(noise >= 0 && noise <= 1) {
		return fail("index.bad_noise")
	}
	for _, n := range norms {
		if n < 0 || n >= numNormalisations {
			return fail("index.bad_choice")
		}
	}
	for _, a := range aggs {
		if !validAgg(a) {
			return fail("index.bad_choice")
		}
	}
	// Every combination must be computable with the nominal weights (noise
	// keeps zero weights zero and positive ones positive, unless it is 1).
	ws := p.NewWorkspace()
	for _, c := range choices(norms, aggs) {
		if err := p.Eval(ws, p.weights, p.bweights, c); err != nil {
			return err
		}
	}
	return nil
}

func choices(norms []Normalisation, aggs []Aggregation) []Choice {
	ns := []int{-1}
	if len(norms) > 0 {
		ns = ns[:0]
		for _, n := range norms {
			ns = append(ns, int(n))
		}
	}
	as := []int{-1}
	if len(aggs) > 0 {
		as = as[:0]
		for _, a := range aggs {
			as = append(as, int(a))
		}
	}
	var out []Choice
	for _, n := range ns {
		for _, a := range as {
			out = append(out, Choice{Norm: n, Agg: a})
		}
	}
	return out
}

// noisy writes nominal × U[1 − noise, 1 + noise] into w.
func noisy(rng *rand.Rand, nominal, w []float64, noise float64) {
	for i, x := range nominal {
		w[i] = x * (1 + noise*(2*rng.Float64()-1))
	}
}

// Uncertainty runs the Monte Carlo uncertainty analysis and returns each
// region's rank interval, in the order of p.Regions. The same seed and
// options give the same result.
func (p *Prepared) Uncertainty(o UAOptions) ([]RankInterval, error) {
	if o.Draws < 1 || o.Draws > MaxDraws {
		return nil, fail("index.bad_draws", MaxDraws)
	}
	if err := p.checkOptions(o.Noise, o.Norms, o.Aggs); err != nil {
		return nil, err
	}
	nominalWS := p.NewWorkspace()
	if err := p.Eval(nominalWS, p.weights, p.bweights, Nominal); err != nil {
		return nil, err
	}
	bins := p.nR + 1 // rank 0 (no value) … nR
	chunks := (o.Draws + chunk - 1) / chunk
	workers := min(runtime.GOMAXPROCS(0), chunks)
	hists := make([][]int32, workers)
	errsOut := make([]error, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for wk := range workers {
		hist := make([]int32, p.nR*bins)
		hists[wk] = hist
		wg.Go(func() {
			ws := p.NewWorkspace()
			w := make([]float64, p.nI)
			bw := make([]float64, p.nB)
			src := rand.NewPCG(0, 0)
			rng := rand.New(src)
			for {
				c := int(next.Add(1) - 1)
				if c >= chunks {
					return
				}
				src.Seed(o.Seed, uint64(c))
				n := min(chunk, o.Draws-c*chunk)
				for range n {
					noisy(rng, p.weights, w, o.Noise)
					noisy(rng, p.bweights, bw, o.Noise)
					ch := Nominal
					if len(o.Norms) > 0 {
						ch.Norm = int(o.Norms[rng.IntN(len(o.Norms))])
					}
					if len(o.Aggs) > 0 {
						ch.Agg = int(o.Aggs[rng.IntN(len(o.Aggs))])
					}
					if err := p.Eval(ws, w, bw, ch); err != nil {
						errsOut[wk] = err
						return
					}
					for r, rk := range ws.Rank {
						hist[r*bins+rk]++
					}
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errsOut {
		if err != nil {
			return nil, err
		}
	}
	total := hists[0]
	for _, h := range hists[1:] {
		for i, c := range h {
			total[i] += c
		}
	}
	out := make([]RankInterval, p.nR)
	for r := range p.nR {
		h := total[r*bins : (r+1)*bins]
		out[r] = RankInterval{
			Region:  p.Regions[r],
			Nominal: nominalWS.Rank[r],
			Median:  quantile(h, o.Draws, 0.5),
			P05:     quantile(h, o.Draws, 0.05),
			P95:     quantile(h, o.Draws, 0.95),
		}
	}
	return out, nil
}

// quantile is R's type-7 quantile of n values given as a histogram over
// 0, 1, … (h[v] counts v).
func quantile(h []int32, n int, prob float64) float64 {
	pos := float64(n-1) * prob
	lo := int(math.Floor(pos))
	frac := pos - float64(lo)
	a := orderStat(h, lo)
	if frac == 0 || lo+1 >= n {
		return float64(a)
	}
	b := orderStat(h, lo+1)
	return float64(a) + frac*float64(b-a)
}

// orderStat is the k-th smallest (0-based) value of the histogram.
func orderStat(h []int32, k int) int {
	cum := 0
	for v, c := range h {
		cum += int(c)
		if cum > k {
			return v
		}
	}
	return len(h) - 1
}

// SAOptions configures a variance-based sensitivity analysis (Saltelli
// design, N × (d + 2) evaluations for d factors, as COINr's
// get_sensitivity with SA_type "SA"). The factors are: the indicator
// weights of each block, the block weights (each a choice among
// Alternatives noisy weight sets drawn with Noise, as COINr samples noisy
// weights), and, when given, the normalisation (Norms) and the aggregation
// (Aggs).
type SAOptions struct {
	Base         int
	Noise        float64
	Seed         uint64
	Norms        []Normalisation
	Aggs         []Aggregation
	Alternatives int // noisy weight sets per weight factor; 100 when 0
}

// Factor is one uncertain choice with its first-order (Si) and total
// (STi) sensitivity indices. Kind is "block_weights", "indicator_weights"
// (Block names the block), "normalisation" or "aggregation".
type Factor struct {
	Kind         string
	Block        string
	First, Total float64
}

// SAResult is the output of a sensitivity analysis: the factors and the
// variance of the output, the mean absolute rank change of the regions
// against the nominal ranks (COINr's output for SA_type "SA").
type SAResult struct {
	Factors  []Factor
	Variance float64
	Runs     int
}

// Sensitivity runs the Saltelli design and estimates first-order indices
// with Saltelli (2010) and total effects with Jansen (1999):
// Si = mean(f(B)·(f(A_Bⁱ) − f(A))) / V, STi = mean((f(A) − f(A_Bⁱ))²) / 2V.
// A factor whose alternatives are identical gets exactly 0. The samples are
// pseudo-random (PCG), not Sobol' sequences.
func (p *Prepared) Sensitivity(o SAOptions) (*SAResult, error) {
	if o.Base < 2 || o.Base > MaxBase {
		return nil, fail("index.bad_base", MaxBase)
	}
	if err := p.checkOptions(o.Noise, o.Norms, o.Aggs); err != nil {
		return nil, err
	}
	k := o.Alternatives
	if k <= 0 {
		k = 100
	}
	nominalWS := p.NewWorkspace()
	if err := p.Eval(nominalWS, p.weights, p.bweights, Nominal); err != nil {
		return nil, err
	}
	nominalRank := nominalWS.Rank

	// The factors and their alternatives.
	var factors []Factor
	setup := rand.New(rand.NewPCG(o.Seed, math.MaxUint64))
	wsets := make([][]float64, p.nB) // block b: k sets of its indicator weights, flat
	for b := range p.nB {
		from, to := p.start[b], p.start[b+1]
		n := to - from
		wsets[b] = make([]float64, k*n)
		for s := range k {
			noisy(setup, p.weights[from:to], wsets[b][s*n:(s+1)*n], o.Noise)
		}
		factors = append(factors, Factor{Kind: "indicator_weights", Block: p.BlockNames[b]})
	}
	bsets := make([]float64, k*p.nB)
	for s := range k {
		noisy(setup, p.bweights, bsets[s*p.nB:(s+1)*p.nB], o.Noise)
	}
	factors = append(factors, Factor{Kind: "block_weights"})
	if len(o.Norms) > 0 {
		factors = append(factors, Factor{Kind: "normalisation"})
	}
	if len(o.Aggs) > 0 {
		factors = append(factors, Factor{Kind: "aggregation"})
	}
	d := len(factors)
	n := o.Base

	// A and B: n × d uniforms each.
	rng := rand.New(rand.NewPCG(o.Seed, 0))
	A := make([]float64, n*d)
	B := make([]float64, n*d)
	for i := range A {
		A[i] = rng.Float64()
	}
	for i := range B {
		B[i] = rng.Float64()
	}
	// y[0] = f(A), y[1] = f(B), y[2+i] = f(A_Bⁱ).
	y := make([][]float64, d+2)
	for i := range y {
		y[i] = make([]float64, n)
	}
	pick := func(u float64, m int) int { return min(int(u*float64(m)), m-1) }
	eval := func(ws *Workspace, w, bw []float64, x []float64) (float64, error) {
		for b := range p.nB {
			from, to := p.start[b], p.start[b+1]
			s := pick(x[b], k)
			copy(w[from:to], wsets[b][s*(to-from):(s+1)*(to-from)])
		}
		s := pick(x[p.nB], k)
		copy(bw, bsets[s*p.nB:(s+1)*p.nB])
		c := Nominal
		f := p.nB + 1
		if len(o.Norms) > 0 {
			c.Norm = int(o.Norms[pick(x[f], len(o.Norms))])
			f++
		}
		if len(o.Aggs) > 0 {
			c.Agg = int(o.Aggs[pick(x[f], len(o.Aggs))])
		}
		if err := p.Eval(ws, w, bw, c); err != nil {
			return 0, err
		}
		var sum float64
		for r, rk := range ws.Rank {
			sum += math.Abs(float64(rk - nominalRank[r]))
		}
		return sum / float64(p.nR), nil
	}
	chunks := (n + chunk - 1) / chunk
	workers := min(runtime.GOMAXPROCS(0), chunks)
	errsOut := make([]error, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for wk := range workers {
		wg.Go(func() {
			ws := p.NewWorkspace()
			w := make([]float64, p.nI)
			bw := make([]float64, p.nB)
			x := make([]float64, d)
			for {
				c := int(next.Add(1) - 1)
				if c >= chunks {
					return
				}
				for j := c * chunk; j < min(n, (c+1)*chunk); j++ {
					a, bb := A[j*d:(j+1)*d], B[j*d:(j+1)*d]
					var err error
					if y[0][j], err = eval(ws, w, bw, a); err != nil {
						errsOut[wk] = err
						return
					}
					if y[1][j], err = eval(ws, w, bw, bb); err != nil {
						errsOut[wk] = err
						return
					}
					for i := range d {
						copy(x, a)
						x[i] = bb[i]
						if y[2+i][j], err = eval(ws, w, bw, x); err != nil {
							errsOut[wk] = err
							return
						}
					}
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errsOut {
		if err != nil {
			return nil, err
		}
	}
	var mean float64
	for j := range n {
		mean += y[0][j] + y[1][j]
	}
	mean /= float64(2 * n)
	var v float64
	for j := range n {
		v += (y[0][j]-mean)*(y[0][j]-mean) + (y[1][j]-mean)*(y[1][j]-mean)
	}
	v /= float64(2 * n)
	for i := range factors {
		if v == 0 {
			continue
		}
		var s1, st float64
		for j := range n {
			diff := y[2+i][j] - y[0][j]
			s1 += y[1][j] * diff
			st += diff * diff
		}
		factors[i].First = s1 / float64(n) / v
		factors[i].Total = st / float64(2*n) / v
	}
	return &SAResult{Factors: factors, Variance: v, Runs: n * (d + 2)}, nil
}
