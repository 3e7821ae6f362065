package analysis

import (
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/index"
	"github.com/framsyn/framsyn/internal/search"
)

// Search document kinds of the area.
const (
	KindAnalysis = "analysis"
)

// Visibility is who may see a dataset, a model or an analysis: the same
// scopes as works.
type Visibility string

// The visibilities, from widest to narrowest.
const (
	Public       Visibility = "public"
	Network      Visibility = "network"
	Organisation Visibility = "organisation"
	Draft        Visibility = "draft"
)

// Visibilities lists them from widest to narrowest.
var Visibilities = []Visibility{Public, Network, Organisation, Draft}

// Bounds.
const (
	MaxNameLen      = 200
	MaxTextLen      = 2000
	MaxValues       = 100000
	MaxIndicators   = 500
	MinYear         = 1900
	MaxYear         = 2100
	MaxIndicatorLen = 120
	MaxUnitLen      = 60
)

// Value is one figure: an indicator in a region in a year. A missing
// figure is not a Value (never zero).
type Value struct {
	Region    string  `json:"region_code"`
	Indicator string  `json:"indicator"`
	Year      int     `json:"year"`
	Value     float64 `json:"value"`
}

// Indicator is an indicator of a dataset with its unit.
type Indicator struct {
	Name string `json:"name"`
	Unit string `json:"unit"`
}

// Dataset is a table of values with where they come from. Datasets do
// not change once imported, so a result names its data by the dataset.
type Dataset struct {
	ID             int64
	OrganisationID int64
	AuthorID       int64
	Name           string
	Description    string
	Source         string // "Källa"
	Licence        string
	SourceURL      string    // where it was fetched from, if it was
	FetchedAt      time.Time // when the figures were taken from the source
	Example        bool      // exempeldata: not public figures
	Visibility     Visibility
	CreatedAt      time.Time
	Indicators     []Indicator
	Values         []Value // filled by Dataset, not by lists
	Count          int     // number of values

	OrgSlug, OrgName string
	OrgPublic        bool
}

// Years are the years with any value, ascending.
func (d *Dataset) Years() []int {
	var ys []int
	for _, v := range d.Values {
		if !slices.Contains(ys, v.Year) {
			ys = append(ys, v.Year)
		}
	}
	slices.Sort(ys)
	return ys
}

// Table is the dataset's values for a year as internal/index reads them:
// every län, every indicator, NaN where missing.
func (d *Dataset) Table(year int) index.Data {
	t := index.Data{Regions: RegionCodes()}
	row := map[string]int{}
	for _, ind := range d.Indicators {
		row[ind.Name] = len(t.Indicators)
		t.Indicators = append(t.Indicators, ind.Name)
		vals := make([]float64, len(t.Regions))
		for i := range vals {
			vals[i] = math.NaN()
		}
		t.Values = append(t.Values, vals)
	}
	col := map[string]int{}
	for i, c := range t.Regions {
		col[c] = i
	}
	for _, v := range d.Values {
		if v.Year != year {
			continue
		}
		if i, ok := row[v.Indicator]; ok {
			if c, ok := col[v.Region]; ok {
				t.Values[i][c] = v.Value
			}
		}
	}
	return t
}

// Scope is the dataset's visibility as a search scope.
func (d *Dataset) Scope() search.Scope { return search.Scope(d.Visibility) }

func checkText(f errs.Fields, field string, s *string, max int, required bool) {
	*s = strings.TrimSpace(*s)
	switch {
	case *s == "" && required:
		f[field] = "error.required"
	case utf8.RuneCountInString(*s) > max:
		f[field] = "error.too_long"
	case strings.ContainsRune(*s, 0):
		f[field] = "error.invalid_chars"
	}
}

func checkVisibility(f errs.Fields, v *Visibility) {
	if *v == "" {
		*v = Network
	}
	if !slices.Contains(Visibilities, *v) {
		f["visibility"] = "analysis.visibility_invalid"
	}
}

// Validate normalises d's description fields.
func (d *Dataset) Validate() error {
	f := errs.Fields{}
	checkText(f, "name", &d.Name, MaxNameLen, true)
	checkText(f, "description", &d.Description, MaxTextLen, false)
	checkText(f, "source", &d.Source, MaxTextLen, false)
	checkText(f, "licence", &d.Licence, MaxNameLen, false)
	checkVisibility(f, &d.Visibility)
	if d.OrganisationID <= 0 {
		f["organisation"] = "analysis.organisation_required"
	}
	if len(d.Values) == 0 && f["file"] == "" {
		f["file"] = "analysis.import_empty"
	}
	return f.Err()
}
