package index

import (
	"math"
	"slices"
	"sort"
)

// nominal is the alternative that uses each indicator's own normalisation;
// alternatives 0..numNormalisations-1 use one normalisation for all.
const nominal = int(numNormalisations)

// Prepared is a model applied to data with everything that does not
// depend on the weights computed once. It is read-only after Prepare and
// safe for concurrent evaluations, each with its own Workspace.
type Prepared struct {
	model      Model
	Regions    []string // the regions in the index (after Exclude)
	Names      []string // the indicators, block by block
	BlockNames []string
	nR, nI, nB int
	start      []int // block b's indicators are [start[b], start[b+1])
	weights    []float64
	bweights   []float64
	aggs       []Aggregation
	// vals[alt] and logs[alt] are region-major: [r*nI+i]; NaN is missing.
	vals   [nominal + 1][]float64
	logs   [nominal + 1][]float64
	geoErr [nominal + 1][]error // per block: why a geometric mean is impossible, or nil
	// Warnings are things like a constant indicator.
	Warnings []Warning
}

// Prepare checks m against d and precomputes every normalisation. It
// fails (with an *Error) for an unknown or entirely missing indicator,
// weights that are all zero or negative, a logarithm or per-capita
// division that is impossible, and, for the model's own choices, a
// geometric mean over values that are not above zero.
func Prepare(m Model, d Data) (*Prepared, error) {
	if len(m.Blocks) == 0 {
		return nil, fail("index.no_blocks")
	}
	if !validAgg(m.Aggregation) {
		return nil, fail("index.bad_aggregation", "")
	}
	if m.Missing != Reweight && m.Missing != Exclude {
		return nil, fail("index.bad_missing")
	}
	rows := map[string]int{}
	for i, name := range d.Indicators {
		rows[name] = i
	}
	p := &Prepared{model: m, nB: len(m.Blocks)}
	var bsum float64
	var src []int // data row of each model indicator
	for _, b := range m.Blocks {
		if !(b.Weight >= 0) || math.IsInf(b.Weight, 0) {
			return nil, fail("index.weight_negative", b.Name)
		}
		if !validAgg(b.Aggregation) {
			return nil, fail("index.bad_aggregation", b.Name)
		}
		if !(b.Shift >= 0) || math.IsInf(b.Shift, 0) {
			return nil, fail("index.bad_shift", b.Name)
		}
		if len(b.Indicators) == 0 {
			return nil, fail("index.block_empty", b.Name)
		}
		bsum += b.Weight
		p.start = append(p.start, len(p.Names))
		p.BlockNames = append(p.BlockNames, b.Name)
		p.bweights = append(p.bweights, b.Weight)
		p.aggs = append(p.aggs, b.Aggregation)
		var isum float64
		for _, ind := range b.Indicators {
			if !(ind.Weight >= 0) || math.IsInf(ind.Weight, 0) {
				return nil, fail("index.weight_negative", ind.Name)
			}
			if ind.Direction != 1 && ind.Direction != -1 {
				return nil, fail("index.bad_direction", ind.Name)
			}
			if ind.Normalisation < 0 || ind.Normalisation >= numNormalisations {
				return nil, fail("index.bad_normalisation", ind.Name)
			}
			row, ok := rows[ind.Name]
			if !ok {
				return nil, fail("index.indicator_unknown", ind.Name)
			}
			if ind.Transform == PerCapita {
				if _, ok := rows[ind.Population]; !ok {
					return nil, fail("index.population_unknown", ind.Name, ind.Population)
				}
			} else if ind.Transform != None && ind.Transform != Log {
				return nil, fail("index.bad_transform", ind.Name)
			}
			isum += ind.Weight
			p.Names = append(p.Names, ind.Name)
			p.weights = append(p.weights, ind.Weight)
			src = append(src, row)
		}
		if isum == 0 && b.Weight > 0 {
			return nil, fail("index.weights_zero", b.Name)
		}
	}
	if bsum == 0 {
		return nil, fail("index.block_weights_zero")
	}
	p.start = append(p.start, len(p.Names))
	p.nI = len(p.Names)

	// Transformed, directed raw values per model indicator over all regions.
	raw := make([][]float64, p.nI)
	k := 0
	for _, b := range m.Blocks {
		for _, ind := range b.Indicators {
			vals := d.Values[src[k]]
			out := make([]float64, len(d.Regions))
			for r := range d.Regions {
				x := NA
				if r < len(vals) {
					x = vals[r]
				}
				if math.IsInf(x, 0) {
					x = NA
				}
				if !math.IsNaN(x) {
					switch ind.Transform {
					case Log:
						if x <= 0 {
							return nil, fail("index.log_nonpositive", ind.Name, d.Regions[r])
						}
						x = math.Log(x)
					case PerCapita:
						pop := d.Values[rows[ind.Population]]
						if r >= len(pop) || math.IsNaN(pop[r]) {
							x = NA
						} else if pop[r] <= 0 {
							return nil, fail("index.population_nonpositive", ind.Population, d.Regions[r])
						} else {
							x /= pop[r]
						}
					}
					x *= float64(ind.Direction)
				}
				out[r] = x
			}
			raw[k] = out
			k++
		}
	}

	// Which regions are in: all, or (Exclude) those with every value that
	// counts (positive weight in a block of positive weight) present.
	var in []int
	for r := range d.Regions {
		ok := true
		if m.Missing == Exclude {
			for b := 0; b < p.nB && ok; b++ {
				if p.bweights[b] == 0 {
					continue
				}
				for i := p.start[b]; i < p.start[b+1]; i++ {
					if p.weights[i] > 0 && math.IsNaN(raw[i][r]) {
						ok = false
						break
					}
				}
			}
		}
		if ok {
			in = append(in, r)
		}
	}
	p.nR = len(in)
	for _, r := range in {
		p.Regions = append(p.Regions, d.Regions[r])
	}
	for i := range p.nI {
		present := 0
		for _, r := range in {
			if !math.IsNaN(raw[i][r]) {
				present++
			}
		}
		if present == 0 {
			return nil, fail("index.indicator_empty", p.Names[i])
		}
	}

	// Every normalisation of every indicator, region-major.
	col := make([]float64, p.nR)
	normed := make([]float64, p.nR)
	for alt := range nominal {
		p.vals[alt] = make([]float64, p.nR*p.nI)
	}
	constant := make([]bool, p.nI)
	for i := range p.nI {
		for j, r := range in {
			col[j] = raw[i][r]
		}
		for alt := range nominal {
			if normalise(Normalisation(alt), col, normed) {
				constant[i] = true
			}
			for r := range p.nR {
				p.vals[alt][r*p.nI+i] = normed[r]
			}
		}
	}
	for i, c := range constant {
		if c {
			p.Warnings = append(p.Warnings, Warning{Key: "index.constant", Args: []any{p.Names[i]}})
		}
	}
	p.vals[nominal] = make([]float64, p.nR*p.nI)
	k = 0
	for _, b := range m.Blocks {
		for _, ind := range b.Indicators {
			for r := range p.nR {
				p.vals[nominal][r*p.nI+k] = p.vals[ind.Normalisation][r*p.nI+k]
			}
			k++
		}
	}

	// Logarithms for geometric means, and where they are impossible.
	for alt := range nominal + 1 {
		p.logs[alt] = make([]float64, p.nR*p.nI)
		p.geoErr[alt] = make([]error, p.nB)
		for b := range p.nB {
			shift := m.Blocks[b].Shift
			for i := p.start[b]; i < p.start[b+1]; i++ {
				for r := range p.nR {
					v := p.vals[alt][r*p.nI+i]
					if math.IsNaN(v) {
						p.logs[alt][r*p.nI+i] = NA
						continue
					}
					v += shift
					if v <= 0 {
						if p.geoErr[alt][b] == nil {
							p.geoErr[alt][b] = fail("index.geometric_nonpositive", p.BlockNames[b], p.Names[i], p.Regions[r], v)
						}
						p.logs[alt][r*p.nI+i] = math.Inf(-1)
						continue
					}
					p.logs[alt][r*p.nI+i] = math.Log(v)
				}
			}
		}
	}
	for b := range p.nB {
		if p.aggs[b] == Geometric && p.geoErr[nominal][b] != nil && p.bweights[b] > 0 {
			if err := p.checkGeo(nominal, b, p.weights); err != nil {
				return nil, err
			}
		}
	}
	return p, nil
}

func validAgg(a Aggregation) bool { return a == Arithmetic || a == Geometric }

// normalise writes the normalisation of x (NaN missing) into out and
// reports whether x is constant (a single value, max = min or sd = 0):
// then min–max gives 50, z-scores 0 and ranks the middle rank, never a
// division by zero.
func normalise(n Normalisation, x, out []float64) (constant bool) {
	count := 0
	lo, hi, sum := math.Inf(1), math.Inf(-1), 0.0
	for _, v := range x {
		if math.IsNaN(v) {
			continue
		}
		count++
		lo, hi, sum = min(lo, v), max(hi, v), sum+v
	}
	constant = count < 2 || lo == hi
	switch n {
	case MinMax:
		for j, v := range x {
			switch {
			case math.IsNaN(v):
				out[j] = NA
			case constant:
				out[j] = 50
			default:
				out[j] = (v - lo) / (hi - lo) * 100
			}
		}
	case ZScore:
		mean := sum / float64(count)
		var ss float64
		for _, v := range x {
			if !math.IsNaN(v) {
				ss += (v - mean) * (v - mean)
			}
		}
		sd := 0.0
		if count > 1 {
			sd = math.Sqrt(ss / float64(count-1))
		}
		if sd == 0 {
			constant = true
		}
		for j, v := range x {
			switch {
			case math.IsNaN(v):
				out[j] = NA
			case constant:
				out[j] = 0
			default:
				out[j] = (v - mean) / sd
			}
		}
	case Rank:
		idx := make([]int, 0, count)
		for j, v := range x {
			out[j] = NA
			if !math.IsNaN(v) {
				idx = append(idx, j)
			}
		}
		sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
		for a := 0; a < len(idx); {
			b := a
			for b+1 < len(idx) && x[idx[b+1]] == x[idx[a]] {
				b++
			}
			avg := float64(a+b)/2 + 1
			for c := a; c <= b; c++ {
				out[idx[c]] = avg
			}
			a = b + 1
		}
	}
	return constant
}

// Weights returns a copy of the nominal indicator weights (block by block)
// and block weights, for callers that vary them.
func (p *Prepared) Weights() (indicators, blocks []float64) {
	return slices.Clone(p.weights), slices.Clone(p.bweights)
}

// NumIndicators is the number of indicators of the model; NumBlocks the
// number of blocks; NumRegions the regions in the index.
func (p *Prepared) NumIndicators() int { return p.nI }
func (p *Prepared) NumBlocks() int     { return p.nB }
func (p *Prepared) NumRegions() int    { return p.nR }

// BlockRange is block b's indicators as [from, to) in the weight slice.
func (p *Prepared) BlockRange(b int) (from, to int) { return p.start[b], p.start[b+1] }

// Normalised is indicator i's normalised value in region r under the
// model's own normalisation (NaN if missing).
func (p *Prepared) Normalised(r, i int) float64 { return p.vals[nominal][r*p.nI+i] }
