// Package index is the arithmetic of a composite index: transformation,
// direction, normalisation, weighting and aggregation of indicator values
// per region, and the uncertainty and sensitivity analyses over them (see
// sensitivity.go). It is pure Go without storage, so the server, the
// tests and the benchmarks use one implementation.
//
// The method follows the OECD/JRC Handbook on Constructing Composite
// Indicators (2008) and JRC's COINr: min–max to 0–100, z-scores with the
// sample standard deviation (n − 1), ranks; weighted arithmetic or
// geometric means; weights normalised to sum to 1 within a level.
//
// Prepare does everything that does not depend on the weights once
// (transformations, normalisation of every alternative, logarithms for
// geometric means), so that one evaluation of 21 regions × 30 indicators
// is a few hundred multiply-adds and a sort of 21, without allocation.
package index

import (
	"fmt"
	"math"
)

// Normalisation is how an indicator's values are put on one scale.
type Normalisation int

// The normalisations.
const (
	MinMax Normalisation = iota // (x − min) / (max − min) × 100
	ZScore                      // (x − mean) / sd, sd with n − 1
	Rank                        // 1 for the lowest … n for the highest, ties averaged
	numNormalisations
)

// Aggregation is how the values of a level are combined.
type Aggregation int

// The aggregations.
const (
	Arithmetic Aggregation = iota // Σ wᵢxᵢ / Σ wᵢ
	Geometric                     // Π xᵢ^(wᵢ/Σw); every xᵢ must be > 0
	numAggregations
)

// Transform is applied to raw values before direction and normalisation.
type Transform int

// The transformations.
const (
	None      Transform = iota
	Log                 // natural logarithm; every value must be > 0
	PerCapita           // divided by the population indicator's value
)

// Missing is what a missing value does.
type Missing int

// The missing-data rules.
const (
	Reweight Missing = iota // skip the value, the other weights of its level are renormalised
	Exclude                 // leave the region out of the index
)

// Strings, as the API and the forms name them.
var (
	normNames = [...]string{"minmax", "zscore", "rank"}
	aggNames  = [...]string{"arithmetic", "geometric"}
	trNames   = [...]string{"none", "log", "percapita"}
	missNames = [...]string{"reweight", "exclude"}
)

func (n Normalisation) String() string { return nameOf(normNames[:], int(n)) }
func (a Aggregation) String() string   { return nameOf(aggNames[:], int(a)) }
func (t Transform) String() string     { return nameOf(trNames[:], int(t)) }
func (m Missing) String() string       { return nameOf(missNames[:], int(m)) }

func nameOf(names []string, i int) string {
	if i < 0 || i >= len(names) {
		return fmt.Sprintf("?%d", i)
	}
	return names[i]
}

func parse(names []string, s string) (int, bool) {
	for i, n := range names {
		if n == s {
			return i, true
		}
	}
	return 0, false
}

// ParseNormalisation reads "minmax", "zscore" or "rank".
func ParseNormalisation(s string) (Normalisation, bool) {
	i, ok := parse(normNames[:], s)
	return Normalisation(i), ok
}

// ParseAggregation reads "arithmetic" or "geometric".
func ParseAggregation(s string) (Aggregation, bool) {
	i, ok := parse(aggNames[:], s)
	return Aggregation(i), ok
}

// ParseTransform reads "none" (or ""), "log" or "percapita".
func ParseTransform(s string) (Transform, bool) {
	if s == "" {
		return None, true
	}
	i, ok := parse(trNames[:], s)
	return Transform(i), ok
}

// ParseMissing reads "reweight" (or "") or "exclude".
func ParseMissing(s string) (Missing, bool) {
	if s == "" {
		return Reweight, true
	}
	i, ok := parse(missNames[:], s)
	return Missing(i), ok
}

// Data is a table of values: Values[i][r] is indicator i in region r, NaN
// where it is missing. Missing is never zero.
type Data struct {
	Regions    []string
	Indicators []string
	Values     [][]float64
}

// Missing value.
var NA = math.NaN()

// Indicator is one indicator of a block.
type Indicator struct {
	Name          string
	Weight        float64
	Direction     int // 1 higher is better, −1 lower is better
	Normalisation Normalisation
	Transform     Transform
	Population    string // the population indicator for PerCapita
}

// Block is a group of indicators with its weight and aggregation. Shift,
// when positive, is added to the normalised values before a geometric mean
// (the explicit way to allow zeros); zero means no shift.
type Block struct {
	Name        string
	Weight      float64
	Aggregation Aggregation
	Shift       float64
	Indicators  []Indicator
}

// Model is an index: blocks of indicators, how blocks are combined and the
// missing-data rule.
type Model struct {
	Blocks      []Block
	Aggregation Aggregation // of the blocks into the index; Arithmetic by default
	Shift       float64     // added to block values before a geometric index mean
	Missing     Missing
}

// Error is a model the data cannot be computed with. Key is a catalogue
// key whose arguments are Args (names of blocks, indicators, regions);
// the front ends translate it.
type Error struct {
	Key  string
	Args []any
}

func (e *Error) Error() string { return fmt.Sprintf("index: %s %v", e.Key, e.Args) }

func fail(key string, args ...any) error { return &Error{Key: key, Args: args} }

// Warning is something the analyst should know that does not stop the
// computation, such as a constant indicator.
type Warning struct {
	Key  string
	Args []any
}
