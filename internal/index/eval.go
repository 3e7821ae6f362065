package index

import (
	"math"
)

// Choice overrides the model's normalisation or aggregation for an
// evaluation: Norm −1 keeps each indicator's own, otherwise it is a
// Normalisation for all; Agg −1 keeps each block's own, otherwise it is an
// Aggregation for all blocks.
type Choice struct {
	Norm, Agg int
}

// Nominal is the model as it is.
var Nominal = Choice{Norm: -1, Agg: -1}

// Workspace holds one evaluation's results; reuse it to evaluate without
// allocating.
type Workspace struct {
	Index  []float64 // per region, NaN when the region has no value
	Blocks []float64 // [r*nB+b]
	Rank   []int     // per region, 1 = highest; 0 = no value
	order  []int
}

// NewWorkspace returns a workspace for p.
func (p *Prepared) NewWorkspace() *Workspace {
	return &Workspace{
		Index:  make([]float64, p.nR),
		Blocks: make([]float64, p.nR*p.nB),
		Rank:   make([]int, p.nR),
		order:  make([]int, p.nR),
	}
}

// Eval computes the index with indicator weights w and block weights bw
// (as Weights returns them, any non-negative scale: each level is
// normalised to sum 1 over the values present) under choice c, into ws.
// It does not allocate unless it fails: a geometric mean over a value
// that is not above zero.
func (p *Prepared) Eval(ws *Workspace, w, bw []float64, c Choice) error {
	alt := nominal
	if c.Norm >= 0 {
		alt = c.Norm
	}
	vals, logs := p.vals[alt], p.logs[alt]
	for b := range p.nB {
		agg := p.aggs[b]
		if c.Agg >= 0 {
			agg = Aggregation(c.Agg)
		}
		if agg == Geometric && p.geoErr[alt][b] != nil && bw[b] > 0 {
			// Only an error if an offending value carries weight now.
			if err := p.checkGeo(alt, b, w); err != nil {
				return err
			}
		}
	}
	nI, nB := p.nI, p.nB
	for r := range p.nR {
		row := r * nI
		var tacc, tsum float64
		for b := range nB {
			agg := p.aggs[b]
			if c.Agg >= 0 {
				agg = Aggregation(c.Agg)
			}
			src := vals
			if agg == Geometric {
				src = logs
			}
			var acc, sum float64
			for i := p.start[b]; i < p.start[b+1]; i++ {
				v := src[row+i]
				if v != v || w[i] == 0 {
					continue
				}
				acc += w[i] * v
				sum += w[i]
			}
			bv := math.NaN()
			if sum > 0 {
				bv = acc / sum
				if agg == Geometric {
					bv = math.Exp(bv) - p.model.Blocks[b].Shift
				}
			}
			ws.Blocks[r*nB+b] = bv
			if bv != bv || bw[b] == 0 {
				continue
			}
			if p.model.Aggregation == Geometric {
				x := bv + p.model.Shift
				if x <= 0 {
					return fail("index.geometric_index_nonpositive", p.BlockNames[b], p.Regions[r], x)
				}
				bv = math.Log(x)
			}
			tacc += bw[b] * bv
			tsum += bw[b]
		}
		iv := math.NaN()
		if tsum > 0 {
			iv = tacc / tsum
			if p.model.Aggregation == Geometric {
				iv = math.Exp(iv) - p.model.Shift
			}
		}
		ws.Index[r] = iv
	}
	ranks(ws.Index, ws.order, ws.Rank)
	return nil
}

// checkGeo reports the first positive-weight value of block b under alt
// that is not above zero.
func (p *Prepared) checkGeo(alt, b int, w []float64) error {
	for i := p.start[b]; i < p.start[b+1]; i++ {
		if w[i] == 0 {
			continue
		}
		for r := range p.nR {
			if math.IsInf(p.logs[alt][r*p.nI+i], -1) {
				return fail("index.geometric_nonpositive", p.BlockNames[b], p.Names[i], p.Regions[r], p.vals[alt][r*p.nI+i]+p.model.Blocks[b].Shift)
			}
		}
	}
	return nil
}

// ranks writes competition ranks (1 for the highest, ties share the best
// rank, "1224") of v into rank, 0 for NaN, using order as scratch. An
// insertion sort: the regions are few.
func ranks(v []float64, order, rank []int) {
	n := 0
	for i, x := range v {
		if x != x {
			rank[i] = 0
			continue
		}
		j := n
		for j > 0 && v[order[j-1]] < x {
			order[j] = order[j-1]
			j--
		}
		order[j] = i
		n++
	}
	for k := range n {
		i := order[k]
		if k > 0 && v[order[k-1]] == v[i] {
			rank[i] = rank[order[k-1]]
		} else {
			rank[i] = k + 1
		}
	}
}

// Result is one region's computed index.
type Result struct {
	Region string
	Value  float64   // NaN when the region has no value
	Rank   int       // 0 when it has none
	Blocks []float64 // per block, NaN when missing
}

// Compute evaluates the model as it is and returns the regions in rank
// order (those without a value last).
func (p *Prepared) Compute() ([]Result, error) {
	ws := p.NewWorkspace()
	if err := p.Eval(ws, p.weights, p.bweights, Nominal); err != nil {
		return nil, err
	}
	return p.results(ws), nil
}

// ComputeWith evaluates with other weights and choice (the sliders).
func (p *Prepared) ComputeWith(w, bw []float64, c Choice) ([]Result, error) {
	if len(w) != p.nI || len(bw) != p.nB {
		return nil, fail("index.weights_count")
	}
	var bsum float64
	for b := range p.nB {
		var s float64
		for i := p.start[b]; i < p.start[b+1]; i++ {
			if !(w[i] >= 0) || math.IsInf(w[i], 0) {
				return nil, fail("index.weight_negative", p.Names[i])
			}
			s += w[i]
		}
		if !(bw[b] >= 0) || math.IsInf(bw[b], 0) {
			return nil, fail("index.weight_negative", p.BlockNames[b])
		}
		if s == 0 && bw[b] > 0 {
			return nil, fail("index.weights_zero", p.BlockNames[b])
		}
		bsum += bw[b]
	}
	if bsum == 0 {
		return nil, fail("index.block_weights_zero")
	}
	if c.Norm >= int(numNormalisations) || c.Agg >= int(numAggregations) {
		return nil, fail("index.bad_choice")
	}
	ws := p.NewWorkspace()
	if err := p.Eval(ws, w, bw, c); err != nil {
		return nil, err
	}
	return p.results(ws), nil
}

func (p *Prepared) results(ws *Workspace) []Result {
	out := make([]Result, p.nR)
	for r := range p.nR {
		out[r] = Result{Region: p.Regions[r], Value: ws.Index[r], Rank: ws.Rank[r],
			Blocks: append([]float64(nil), ws.Blocks[r*p.nB:(r+1)*p.nB]...)}
	}
	// Rank order; regions without a value last, in their own order.
	sortResults(out)
	return out
}

func sortResults(out []Result) {
	key := func(r Result) int {
		if r.Rank == 0 {
			return math.MaxInt
		}
		return r.Rank
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && key(out[j-1]) > key(out[j]); j-- {
			out[j-1], out[j] = out[j], out[j-1]
		}
	}
}
