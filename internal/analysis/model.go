package analysis

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/index"
)

// Spec is an index model as the API and the forms write it: a tree
// index → blocks → indicators over one dataset and year.
type Spec struct {
	Name      string      `json:"name"`
	DatasetID int64       `json:"dataset_id"`
	Year      int         `json:"year"`
	Missing   string      `json:"missing"`
	Blocks    []BlockSpec `json:"blocks"`
}

// BlockSpec is a block of a Spec. Shift (optional, ≥ 0) is added to the
// normalised values before a geometric mean, the explicit way to allow
// zeros.
type BlockSpec struct {
	Name        string          `json:"name"`
	Weight      float64         `json:"weight"`
	Aggregation string          `json:"aggregation"`
	Shift       float64         `json:"shift,omitempty"`
	Indicators  []IndicatorSpec `json:"indicators"`
}

// IndicatorSpec is an indicator of a block. Transform is "none" (or
// absent), "log" or "percapita" with Population naming the population
// indicator.
type IndicatorSpec struct {
	Indicator     string  `json:"indicator"`
	Weight        float64 `json:"weight"`
	Direction     int     `json:"direction"`
	Normalisation string  `json:"normalisation"`
	Transform     string  `json:"transform,omitempty"`
	Population    string  `json:"population,omitempty"`
}

// Bounds of a spec.
const (
	MaxBlocks          = 20
	MaxBlockIndicators = 60
)

// Model is a saved index model. Every save makes a new version; results
// name the version and the dataset they were computed from.
type Model struct {
	ID             int64
	OrganisationID int64
	AuthorID       int64
	Visibility     Visibility
	Version        int
	Spec           Spec
	CreatedAt      time.Time
	UpdatedAt      time.Time

	OrgSlug, OrgName string
	OrgPublic        bool
	DatasetName      string
}

// Validate normalises s and reports its problems as field keys
// ("blocks[0].indicators[1].weight").
func (s *Spec) Validate() error {
	f := errs.Fields{}
	checkText(f, "name", &s.Name, MaxNameLen, true)
	if s.DatasetID <= 0 {
		f["dataset_id"] = "analysis.dataset_required"
	}
	if s.Year < MinYear || s.Year > MaxYear {
		f["year"] = "analysis.year_invalid"
	}
	if s.Missing == "" {
		s.Missing = "reweight"
	}
	if _, ok := index.ParseMissing(s.Missing); !ok {
		f["missing"] = "analysis.missing_invalid"
	}
	switch {
	case len(s.Blocks) == 0:
		f["blocks"] = "analysis.blocks_required"
	case len(s.Blocks) > MaxBlocks:
		f["blocks"] = "analysis.too_many"
	}
	var bsum float64
	for bi := range s.Blocks {
		b := &s.Blocks[bi]
		p := "blocks[" + itoa(bi) + "]."
		checkText(f, p+"name", &b.Name, MaxNameLen, true)
		if !(b.Weight >= 0) || math.IsInf(b.Weight, 0) {
			f[p+"weight"] = "analysis.weight_invalid"
		} else {
			bsum += b.Weight
		}
		if b.Aggregation == "" {
			b.Aggregation = "arithmetic"
		}
		if _, ok := index.ParseAggregation(b.Aggregation); !ok {
			f[p+"aggregation"] = "analysis.aggregation_invalid"
		}
		if !(b.Shift >= 0) || math.IsInf(b.Shift, 0) {
			f[p+"shift"] = "analysis.shift_invalid"
		}
		switch {
		case len(b.Indicators) == 0:
			f[p+"indicators"] = "analysis.indicators_required"
		case len(b.Indicators) > MaxBlockIndicators:
			f[p+"indicators"] = "analysis.too_many"
		}
		var isum float64
		for ii := range b.Indicators {
			ind := &b.Indicators[ii]
			q := p + "indicators[" + itoa(ii) + "]."
			ind.Indicator = strings.TrimSpace(ind.Indicator)
			if ind.Indicator == "" || utf8.RuneCountInString(ind.Indicator) > MaxIndicatorLen {
				f[q+"indicator"] = "analysis.indicator_required"
			}
			if !(ind.Weight >= 0) || math.IsInf(ind.Weight, 0) {
				f[q+"weight"] = "analysis.weight_invalid"
			} else {
				isum += ind.Weight
			}
			if ind.Direction == 0 {
				ind.Direction = 1
			}
			if ind.Direction != 1 && ind.Direction != -1 {
				f[q+"direction"] = "analysis.direction_invalid"
			}
			if ind.Normalisation == "" {
				ind.Normalisation = "minmax"
			}
			if _, ok := index.ParseNormalisation(ind.Normalisation); !ok {
				f[q+"normalisation"] = "analysis.normalisation_invalid"
			}
			if ind.Transform == "none" {
				ind.Transform = ""
			}
			if tr, ok := index.ParseTransform(ind.Transform); !ok {
				f[q+"transform"] = "analysis.transform_invalid"
			} else if tr == index.PerCapita && strings.TrimSpace(ind.Population) == "" {
				f[q+"population"] = "analysis.population_required"
			}
		}
		if len(b.Indicators) > 0 && isum == 0 && b.Weight > 0 {
			f[p+"weight"] = "analysis.weights_zero"
		}
	}
	if len(s.Blocks) > 0 && bsum == 0 {
		f["blocks"] = "analysis.weights_zero"
	}
	return f.Err()
}

func itoa(i int) string { return strconv.Itoa(i) }

// IndexModel turns a validated spec into internal/index's model.
func (s *Spec) IndexModel() index.Model {
	miss, _ := index.ParseMissing(s.Missing)
	m := index.Model{Missing: miss}
	for _, b := range s.Blocks {
		agg, _ := index.ParseAggregation(b.Aggregation)
		bl := index.Block{Name: b.Name, Weight: b.Weight, Aggregation: agg, Shift: b.Shift}
		for _, ind := range b.Indicators {
			n, _ := index.ParseNormalisation(ind.Normalisation)
			tr, _ := index.ParseTransform(ind.Transform)
			bl.Indicators = append(bl.Indicators, index.Indicator{Name: ind.Indicator, Weight: ind.Weight,
				Direction: ind.Direction, Normalisation: n, Transform: tr, Population: ind.Population})
		}
		m.Blocks = append(m.Blocks, bl)
	}
	return m
}

// Preset is a model structure analysts start from.
type Preset struct {
	Key    string
	Blocks []PresetBlock
}

// PresetBlock is a block of a preset with the indicators it suggests.
type PresetBlock struct {
	Name       string
	Indicators []string
}

// Presets: Reglab's Innovationsindex structure (its three blocks are
// public; its indicator list, normalisation and weights were not found in
// public sources, so the indicators are the demo's example indicators,
// said so on the page) and an Omställningsförmåga model.
var Presets = []Preset{
	{Key: "innovationsindex", Blocks: []PresetBlock{
		{Name: "Grundförutsättningar", Indicators: []string{"Eftergymnasial utbildning", "Befolkningstillväxt", "Tillgänglighet"}},
		{Name: "Förnyelseförmåga", Indicators: []string{"FoU-utgifter", "Patentansökningar", "Nyföretagande"}},
		{Name: "Marknadsförmåga", Indicators: []string{"Export", "Kunskapsintensiva tjänster", "Sysselsättningsgrad"}},
	}},
	{Key: "omstallning", Blocks: []PresetBlock{
		{Name: "Ekonomisk mångfald", Indicators: []string{"Branschbredd", "Största branschens andel"}},
		{Name: "Kompetens och utbildning", Indicators: []string{"Eftergymnasial utbildning", "Vuxenutbildning"}},
		{Name: "Förnyelse och innovation", Indicators: []string{"FoU-utgifter", "Nyföretagande"}},
		{Name: "Grön omställning", Indicators: []string{"Utsläpp per invånare", "Förnybar energi"}},
		{Name: "Institutionell kapacitet", Indicators: []string{"Samverkansprojekt", "Valdeltagande"}},
	}},
}

// LowerIsBetter are the preset indicators where a lower figure is better.
var LowerIsBetter = map[string]bool{"Största branschens andel": true, "Utsläpp per invånare": true}

// PresetSpec returns preset key as a spec over dataset and year: equal
// weights, min–max, arithmetic means, reweighting.
func PresetSpec(key, name string, datasetID int64, year int) (Spec, bool) {
	for _, p := range Presets {
		if p.Key != key {
			continue
		}
		s := Spec{Name: name, DatasetID: datasetID, Year: year, Missing: "reweight"}
		for _, b := range p.Blocks {
			bs := BlockSpec{Name: b.Name, Weight: 1, Aggregation: "arithmetic"}
			for _, ind := range b.Indicators {
				dir := 1
				if LowerIsBetter[ind] {
					dir = -1
				}
				bs.Indicators = append(bs.Indicators, IndicatorSpec{Indicator: ind, Weight: 1, Direction: dir, Normalisation: "minmax"})
			}
			s.Blocks = append(s.Blocks, bs)
		}
		return s, true
	}
	return Spec{}, false
}
