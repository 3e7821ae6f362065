package analysis

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/i18n"
)

// Format is a file format datasets are imported from.
type Format string

// The formats.
const (
	CSVLong  Format = "csv"      // region_code,indicator,year,value[,unit]
	CSVWide  Format = "csv-wide" // region_code,year,<indicator>…
	Kolada   Format = "kolada"   // Kolada API v2 JSON
	PxWeb    Format = "pxweb"    // SCB PxWeb JSON-stat 2
	AutoFile Format = ""         // by content: JSON-stat, Kolada or CSV (long or wide by header)
)

// Formats lists the formats a form offers.
var Formats = []Format{AutoFile, CSVLong, CSVWide, Kolada, PxWeb}

// MaxProblems bounds the problems one refused file lists; the count says
// how many more there were.
const MaxProblems = 200

// Problem is one thing wrong in an imported file: the row (a CSV line, a
// Kolada value's position or a JSON-stat cell, 1-based; 0 for the file
// itself), the column, a catalogue key and the offending text.
type Problem struct {
	Row    int    `json:"row"`
	Column string `json:"column,omitempty"`
	Key    string `json:"-"`
	Value  string `json:"value,omitempty"`
}

// Text says the problem in one line: `Rad 3, kolumn "value": Inte ett tal: "abc".`
func (p Problem) Text(tr *i18n.Translator) string {
	where := tr.T("analysis.import.the_file")
	if p.Row > 0 {
		where = tr.T("analysis.import.row", p.Row)
	}
	if p.Column != "" {
		where += ", " + tr.T("analysis.import.column", p.Column)
	}
	msg := where + ": " + tr.T(p.Key)
	if p.Value != "" {
		msg += ": " + strconv.Quote(p.Value)
	}
	return msg
}

// ImportError lists every problem of a refused file. Nothing of the file
// is kept.
type ImportError struct {
	Problems []Problem
	More     int // problems beyond MaxProblems
}

func (e *ImportError) Error() string {
	return fmt.Sprintf("analysis: import: %d problems", len(e.Problems)+e.More)
}

// Parsed is what a file holds: its indicators (with units where the
// format gives them) and values.
type Parsed struct {
	Indicators []Indicator
	Values     []Value
}

type parser struct {
	problems []Problem
	more     int
	seen     map[[3]string]int // region, indicator, year -> row
	out      Parsed
	units    map[string]string
}

func newParser() *parser {
	return &parser{seen: map[[3]string]int{}, units: map[string]string{}}
}

func (p *parser) problem(row int, col, key, val string) {
	if len(p.problems) >= MaxProblems {
		p.more++
		return
	}
	if utf8.RuneCountInString(val) > 60 {
		val = string([]rune(val)[:60]) + "…"
	}
	p.problems = append(p.problems, Problem{Row: row, Column: col, Key: key, Value: val})
}

func (p *parser) indicator(row int, col, name, unit string) (string, bool) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		p.problem(row, col, "analysis.import.indicator_missing", "")
		return "", false
	case utf8.RuneCountInString(name) > MaxIndicatorLen || strings.ContainsRune(name, 0):
		p.problem(row, col, "analysis.import.indicator_bad", name)
		return "", false
	}
	if _, ok := p.units[name]; !ok {
		if len(p.units) >= MaxIndicators {
			p.problem(row, col, "analysis.import.too_many_indicators", name)
			return "", false
		}
		p.units[name] = ""
		p.out.Indicators = append(p.out.Indicators, Indicator{Name: name})
	}
	if unit = strings.TrimSpace(unit); unit != "" && p.units[name] == "" {
		if utf8.RuneCountInString(unit) > MaxUnitLen {
			unit = string([]rune(unit)[:MaxUnitLen])
		}
		p.units[name] = unit
		for i := range p.out.Indicators {
			if p.out.Indicators[i].Name == name {
				p.out.Indicators[i].Unit = unit
			}
		}
	}
	return name, true
}

func (p *parser) region(row int, col, code string) (string, bool) {
	code = strings.TrimSpace(code)
	if len(code) == 1 && code[0] >= '1' && code[0] <= '9' {
		code = "0" + code // 1 for 01, as spreadsheets drop the zero
	}
	if RegionByCode(code) == nil {
		p.problem(row, col, "analysis.import.region_unknown", code)
		return "", false
	}
	return code, true
}

func (p *parser) year(row int, col, s string) (int, bool) {
	s = strings.TrimSpace(s)
	y, err := strconv.Atoi(s)
	if err != nil || y < MinYear || y > MaxYear {
		p.problem(row, col, "analysis.import.year_unknown", s)
		return 0, false
	}
	return y, true
}

// number reads a figure: "12.5", "12,5", "1 234,5"; "" and the usual
// spreadsheet marks for a missing figure ("..", "-", "NA") are missing.
func number(s string) (v float64, missing, ok bool) {
	s = strings.TrimSpace(s)
	switch s {
	case "", "..", ".", "-", "–", "NA", "N/A", "na", "null":
		return 0, true, true
	}
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false, false
	}
	return v, false, true
}

func (p *parser) add(row int, region, indicator string, year int, v float64) {
	key := [3]string{region, indicator, strconv.Itoa(year)}
	if first, dup := p.seen[key]; dup {
		p.problem(row, "", "analysis.import.duplicate", fmt.Sprintf("%s, %s, %d (rad %d)", region, indicator, year, first))
		return
	}
	p.seen[key] = row
	if len(p.out.Values) >= MaxValues {
		p.problem(row, "", "analysis.import.too_many_values", "")
		return
	}
	p.out.Values = append(p.out.Values, Value{Region: region, Indicator: indicator, Year: year, Value: v})
}

func (p *parser) result() (*Parsed, error) {
	if len(p.problems) == 0 && len(p.out.Values) == 0 {
		p.problem(0, "", "analysis.import_empty", "")
	}
	if len(p.problems) > 0 {
		return nil, &errs.Error{Kind: errs.Invalid, Key: "analysis.import_invalid", Err: &ImportError{Problems: p.problems, More: p.more}}
	}
	return &p.out, nil
}

// fileProblem refuses a file as a whole.
func fileProblem(key string, cause error) error {
	ie := &ImportError{Problems: []Problem{{Key: key}}}
	var err error = ie
	if cause != nil {
		err = fmt.Errorf("%w: %w", ie, cause)
	}
	return &errs.Error{Kind: errs.Invalid, Key: "analysis.import_invalid", Err: err}
}

// Parse reads a file in format f (AutoFile: by its content). On any
// problem it returns an Invalid error whose cause is an *ImportError
// naming every bad row; nothing is returned half.
func Parse(f Format, data []byte) (*Parsed, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, fileProblem("analysis.import.not_utf8", nil)
	}
	if f == AutoFile {
		f = sniff(data)
	}
	switch f {
	case CSVLong, CSVWide:
		return parseCSV(data, f)
	case Kolada:
		return parseKolada(data)
	case PxWeb:
		return parseJSONStat(data)
	}
	return nil, fileProblem("analysis.import.format_unknown", nil)
}

func sniff(data []byte) Format {
	t := bytes.TrimSpace(data)
	if len(t) > 0 && t[0] == '{' {
		var probe struct {
			Values    json.RawMessage `json:"values"`
			Dimension json.RawMessage `json:"dimension"`
		}
		if json.Unmarshal(t, &probe) == nil && probe.Dimension == nil && probe.Values != nil {
			return Kolada
		}
		return PxWeb
	}
	header, _, _ := bytes.Cut(t, []byte("\n"))
	cols := splitHeader(string(header))
	if slices.Contains(cols, "indicator") && slices.Contains(cols, "value") {
		return CSVLong
	}
	return CSVWide
}

func delimiter(header string) rune {
	if strings.Count(header, ";") > strings.Count(header, ",") {
		return ';'
	}
	if strings.Contains(header, "\t") && !strings.Contains(header, ",") {
		return '\t'
	}
	return ','
}

func splitHeader(line string) []string {
	line = strings.TrimRight(line, "\r")
	parts := strings.Split(line, string(delimiter(line)))
	for i := range parts {
		parts[i] = strings.ToLower(strings.Trim(strings.TrimSpace(parts[i]), `"`))
	}
	return parts
}

func parseCSV(data []byte, f Format) (*Parsed, error) {
	header, _, _ := bytes.Cut(data, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = delimiter(string(header))
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	rows, err := r.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, &errs.Error{Kind: errs.Invalid, Key: "analysis.import_invalid",
				Err: &ImportError{Problems: []Problem{{Row: pe.Line, Key: "analysis.import.csv_malformed", Value: pe.Err.Error()}}}}
		}
		return nil, fileProblem("analysis.import.csv_malformed", err)
	}
	if len(rows) == 0 {
		return nil, fileProblem("analysis.import_empty", nil)
	}
	cols := map[string]int{}
	for i, c := range rows[0] {
		cols[strings.ToLower(strings.TrimSpace(c))] = i
	}
	p := newParser()
	need := []string{"region_code", "indicator", "year", "value"}
	if f == CSVWide {
		need = []string{"region_code", "year"}
	}
	for _, c := range need {
		if _, ok := cols[c]; !ok {
			p.problem(1, c, "analysis.import.column_missing", "")
		}
	}
	if len(p.problems) > 0 {
		return p.result()
	}
	cell := func(rec []string, col string) string {
		if i, ok := cols[col]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	var wide []int // columns that are indicators
	if f == CSVWide {
		skip := map[string]bool{"region_code": true, "year": true, "region_name": true, "region": true, "name": true}
		for i, c := range rows[0] {
			if !skip[strings.ToLower(strings.TrimSpace(c))] {
				wide = append(wide, i)
			}
		}
		if len(wide) == 0 {
			p.problem(1, "", "analysis.import.no_indicator_columns", "")
			return p.result()
		}
	}
	for n, rec := range rows[1:] {
		line := n + 2
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		region, okR := p.region(line, "region_code", cell(rec, "region_code"))
		year, okY := p.year(line, "year", cell(rec, "year"))
		if f == CSVLong {
			ind, okI := p.indicator(line, "indicator", cell(rec, "indicator"), cell(rec, "unit"))
			v, missing, okV := number(cell(rec, "value"))
			if !okV {
				p.problem(line, "value", "analysis.import.not_a_number", cell(rec, "value"))
			}
			if okR && okY && okI && okV && !missing {
				p.add(line, region, ind, year, v)
			}
			continue
		}
		for _, i := range wide {
			name := rows[0][i]
			ind, okI := p.indicator(1, name, name, "")
			s := ""
			if i < len(rec) {
				s = rec[i]
			}
			v, missing, okV := number(s)
			if !okV {
				p.problem(line, strings.TrimSpace(name), "analysis.import.not_a_number", s)
			}
			if okR && okY && okI && okV && !missing {
				p.add(line, region, ind, year, v)
			}
		}
	}
	return p.result()
}

// parseKolada reads Kolada API v2 data:
// {"values":[{"kpi","municipality","period","values":[{"gender","value"}]}]}.
// Only gender "T" (total) is read; a null value is missing. Municipality
// ids are Kolada's region ids ("0001" for Stockholms län) or län codes.
func parseKolada(data []byte) (*Parsed, error) {
	var doc struct {
		Values *[]json.RawMessage `json:"values"`
	}
	if err := json.Unmarshal(data, &doc); err != nil || doc.Values == nil {
		return nil, fileProblem("analysis.import.kolada_malformed", err)
	}
	p := newParser()
	for n, raw := range *doc.Values {
		row := n + 1
		var v struct {
			KPI          *string         `json:"kpi"`
			Municipality *string         `json:"municipality"`
			Period       json.RawMessage `json:"period"`
			Values       []struct {
				Gender string   `json:"gender"`
				Value  *float64 `json:"value"`
			} `json:"values"`
		}
		if err := json.Unmarshal(raw, &v); err != nil {
			p.problem(row, "", "analysis.import.kolada_malformed", "")
			continue
		}
		var kpi, muni string
		if v.KPI != nil {
			kpi = *v.KPI
		}
		if v.Municipality != nil {
			muni = strings.TrimSpace(*v.Municipality)
		}
		ind, okI := p.indicator(row, "kpi", kpi, "")
		region, okR := "", false
		if r := regionByKolada[muni]; r != nil {
			region, okR = r.Code, true
		} else {
			region, okR = p.region(row, "municipality", muni)
		}
		year, okY := p.year(row, "period", strings.Trim(string(v.Period), `"`))
		if !(okI && okR && okY) {
			continue
		}
		for _, g := range v.Values {
			if g.Gender == "T" && g.Value != nil {
				p.add(row, region, ind, year, *g.Value)
			}
		}
	}
	return p.result()
}

// parseJSONStat reads a JSON-stat 2.0 dataset as SCB's PxWeb answers it:
// one dimension of regions (role geo, or "Region"), one of time (role
// time, or "Tid"), one of contents (role metric, or "ContentsCode");
// any other dimension must have one category. Values are row-major over
// "id"; null is missing.
func parseJSONStat(data []byte) (*Parsed, error) {
	type category struct {
		Index json.RawMessage            `json:"index"`
		Label map[string]string          `json:"label"`
		Unit  map[string]json.RawMessage `json:"unit"`
	}
	var doc struct {
		Class     string                                 `json:"class"`
		ID        []string                               `json:"id"`
		Size      []int                                  `json:"size"`
		Role      map[string][]string                    `json:"role"`
		Dimension map[string]struct{ Category category } `json:"dimension"`
		Value     json.RawMessage                        `json:"value"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fileProblem("analysis.import.jsonstat_malformed", err)
	}
	if len(doc.ID) == 0 || len(doc.ID) != len(doc.Size) || doc.Dimension == nil {
		return nil, fileProblem("analysis.import.jsonstat_malformed", nil)
	}
	role := func(r, fallback string) int {
		for _, name := range doc.Role[r] {
			if i := slices.Index(doc.ID, name); i >= 0 {
				return i
			}
		}
		for i, id := range doc.ID {
			if strings.EqualFold(id, fallback) {
				return i
			}
		}
		return -1
	}
	geo, tid, metric := role("geo", "Region"), role("time", "Tid"), role("metric", "ContentsCode")
	if geo < 0 || tid < 0 || metric < 0 {
		return nil, fileProblem("analysis.import.jsonstat_dimensions", nil)
	}
	// Each dimension's categories in index order.
	cats := make([][]string, len(doc.ID))
	total := 1
	for d, id := range doc.ID {
		dim, ok := doc.Dimension[id]
		if !ok || doc.Size[d] < 1 {
			return nil, fileProblem("analysis.import.jsonstat_malformed", nil)
		}
		codes := make([]string, doc.Size[d])
		var list []string
		var obj map[string]int
		switch {
		case json.Unmarshal(dim.Category.Index, &list) == nil && len(list) == doc.Size[d]:
			copy(codes, list)
		case json.Unmarshal(dim.Category.Index, &obj) == nil && len(obj) == doc.Size[d]:
			for c, i := range obj {
				if i < 0 || i >= len(codes) || codes[i] != "" {
					return nil, fileProblem("analysis.import.jsonstat_malformed", nil)
				}
				codes[i] = c
			}
		case dim.Category.Index == nil && len(dim.Category.Label) == 1 && doc.Size[d] == 1:
			for c := range dim.Category.Label {
				codes[0] = c
			}
		default:
			return nil, fileProblem("analysis.import.jsonstat_malformed", nil)
		}
		if d != geo && d != tid && d != metric && doc.Size[d] != 1 {
			return nil, fileProblem("analysis.import.jsonstat_extra_dimension", nil)
		}
		cats[d] = codes
		total *= doc.Size[d]
		if total > MaxValues*4 {
			return nil, fileProblem("analysis.import.too_many_values", nil)
		}
	}
	var values []*float64
	var sparse map[string]*float64
	if err := json.Unmarshal(doc.Value, &values); err != nil {
		if err := json.Unmarshal(doc.Value, &sparse); err != nil {
			return nil, fileProblem("analysis.import.jsonstat_malformed", err)
		}
		values = make([]*float64, total)
		for k, v := range sparse {
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= total {
				return nil, fileProblem("analysis.import.jsonstat_malformed", nil)
			}
			values[i] = v
		}
	}
	if len(values) != total {
		return nil, fileProblem("analysis.import.jsonstat_size", nil)
	}
	p := newParser()
	mdim := doc.Dimension[doc.ID[metric]].Category
	names := make([]string, len(cats[metric]))
	for i, code := range cats[metric] {
		name := code
		if l := mdim.Label[code]; l != "" {
			name = l
		}
		unit := ""
		if u, ok := mdim.Unit[code]; ok {
			var unitObj struct {
				Base  string `json:"base"`
				Label string `json:"label"`
			}
			if json.Unmarshal(u, &unitObj) == nil {
				unit = unitObj.Base
				if unit == "" {
					unit = unitObj.Label
				}
			}
		}
		n, ok := p.indicator(0, doc.ID[metric], name, unit)
		if !ok {
			return p.result()
		}
		names[i] = n
	}
	// The region and year of each category, checked once.
	regions := make([]string, len(cats[geo]))
	regionOK := make([]bool, len(cats[geo]))
	for i, c := range cats[geo] {
		regions[i], regionOK[i] = c, RegionByCode(strings.TrimSpace(c)) != nil
	}
	years := make([]int, len(cats[tid]))
	yearOK := make([]bool, len(cats[tid]))
	for i, c := range cats[tid] {
		y, err := strconv.Atoi(strings.TrimSpace(c))
		years[i], yearOK[i] = y, err == nil && y >= MinYear && y <= MaxYear
	}
	pos := make([]int, len(doc.ID))
	for cell := range total {
		rem := cell
		for d := len(doc.ID) - 1; d >= 0; d-- {
			pos[d] = rem % doc.Size[d]
			rem /= doc.Size[d]
		}
		v := values[cell]
		if v == nil {
			continue
		}
		row := cell + 1
		g, t := pos[geo], pos[tid]
		if !regionOK[g] {
			p.problem(row, doc.ID[geo], "analysis.import.region_unknown", regions[g])
			continue
		}
		if !yearOK[t] {
			p.problem(row, doc.ID[tid], "analysis.import.year_unknown", cats[tid][t])
			continue
		}
		p.add(row, strings.TrimSpace(regions[g]), names[pos[metric]], years[t], *v)
	}
	return p.result()
}

// ReadAllLimited reads r up to max bytes, failing with TooLarge beyond.
func ReadAllLimited(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, errs.E(errs.TooLarge, "analysis.import_too_large")
	}
	return b, nil
}
