package api

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/analysis"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/index"
	"github.com/framsyn/framsyn/internal/route"
)

// analysisAPI serves datasets and index models over the analysis service,
// with the same authorization as the pages.
type analysisAPI struct {
	*Server
	svc *analysis.Service
}

// Analysis returns the analysis API over svc.
func (s *Server) Analysis(svc *analysis.Service) route.Area { return &analysisAPI{Server: s, svc: svc} }

// maxDatasetBody bounds an uploaded dataset.
const maxDatasetBody = 16 << 20

// Register adds the datasets and index models to t.
func (s *analysisAPI) Register(t *route.Table) {
	P, U := route.Public, route.SignedIn
	t.Handle(P, "GET /api/v1/datasets", s.h(s.listDatasets))
	t.Handle(U, "POST /api/v1/datasets", s.h(s.createDataset), route.MaxBody(maxDatasetBody, "text/csv", "application/json"))
	t.Handle(P, "GET /api/v1/datasets/{id}", s.h(s.getDataset))
	t.Handle(P, "GET /api/v1/index-models", s.h(s.listModels))
	t.Handle(U, "POST /api/v1/index-models", s.h(s.createModel))
	t.Handle(P, "GET /api/v1/index-models/{id}", s.h(s.getModel))
	t.Handle(P, "GET /api/v1/index-models/{id}/results", s.h(s.modelResults))
	t.Handle(P, "POST /api/v1/index-models/{id}/sensitivity", s.h(s.modelSensitivity))
}

// writeAnalysisError answers the area's refusals with their names: each
// bad row of an import under "rows[i]", a computation's message in full.
func (s *analysisAPI) writeAnalysisError(w http.ResponseWriter, r *http.Request, err error) error {
	tr := s.cat.For(i18n.Negotiate(r))
	msg, fields, ok := analysis.Message(tr, err)
	if !ok {
		return err
	}
	body := httpx.Body(tr, err)
	body.Error.Message = msg
	if fields != nil {
		body.Error.Fields = fields
	}
	writeJSON(w, httpx.Status(errs.KindOf(err)), body)
	return nil
}

// Dataset is a dataset as the API shows it.
type Dataset struct {
	ID             int64                `json:"id"`
	Name           string               `json:"name"`
	Description    string               `json:"description"`
	Source         string               `json:"source"`
	Licence        string               `json:"licence"`
	SourceURL      string               `json:"source_url,omitempty"`
	FetchedAt      time.Time            `json:"fetched_at"`
	Example        bool                 `json:"example"`
	ExampleNote    string               `json:"example_note,omitempty"`
	Visibility     analysis.Visibility  `json:"visibility"`
	OrganizationID int64                `json:"organization_id"`
	CreatedAt      time.Time            `json:"created_at"`
	Count          int                  `json:"value_count"`
	Indicators     []analysis.Indicator `json:"indicators"`
	Years          []int                `json:"years,omitempty"`
	Values         []analysis.Value     `json:"values,omitempty"`
}

func (s *analysisAPI) dataset(tr *i18n.Translator, d *analysis.Dataset) Dataset {
	out := Dataset{ID: d.ID, Name: d.Name, Description: d.Description, Source: d.Source, Licence: d.Licence, SourceURL: d.SourceURL,
		FetchedAt: d.FetchedAt, Example: d.Example, Visibility: d.Visibility, OrganizationID: d.OrganisationID, CreatedAt: d.CreatedAt,
		Count: d.Count, Indicators: d.Indicators, Values: d.Values}
	if out.Indicators == nil {
		out.Indicators = []analysis.Indicator{}
	}
	if d.Example {
		out.ExampleNote = tr.T("analysis.example_note")
	}
	if d.Values != nil {
		out.Years = d.Years()
	}
	return out
}

// cursor reads the list cursor: the last id of the page before.
func cursor(r *http.Request) (int64, error) {
	c := r.URL.Query().Get("cursor")
	if c == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(c, 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.Fields{"cursor": "analysis.cursor_invalid"}.Err()
	}
	return id, nil
}

// limitOrDefault reads ?limit= as pageLimit does (1..maxLimit, else 422
// api.limit_invalid), but without one it is 0: the service's own default
// (analysis 20, audit 100), and the services bound it to their maximum.
func limitOrDefault(r *http.Request) (int, error) {
	if r.URL.Query().Get("limit") == "" {
		return 0, nil
	}
	return pageLimit(r)
}

// next is the cursor of the page after one that ended at lastID, when
// the page was full.
func next(n, limitAsked int, lastID int64) *string {
	if n == 0 || n < min(max(limitAsked, 0), analysis.MaxLimit) || (limitAsked <= 0 && n < analysis.DefaultLimit) {
		return nil
	}
	c := strconv.FormatInt(lastID, 10)
	return &c
}

func (s *analysisAPI) listDatasets(w http.ResponseWriter, r *http.Request) error {
	before, err := cursor(r)
	if err != nil {
		return err
	}
	limit, err := limitOrDefault(r)
	if err != nil {
		return err
	}
	list, err := s.svc.Datasets(r.Context(), account.ActorFrom(r.Context()), before, limit)
	if err != nil {
		return err
	}
	tr := s.cat.For(i18n.Negotiate(r))
	out := List[Dataset]{Items: []Dataset{}}
	for i := range list {
		out.Items = append(out.Items, s.dataset(tr, &list[i]))
	}
	if len(list) > 0 {
		out.Next = next(len(list), limit, list[len(list)-1].ID)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// createDataset imports a body: CSV in the long format
// (region_code,indicator,year,value[,unit]) as text/csv, or Kolada or
// PxWeb JSON-stat as application/json. The description comes in the
// query: organization_id, name, source, licence, visibility.
func (s *analysisAPI) createDataset(w http.ResponseWriter, r *http.Request) error {
	a := account.ActorFrom(r.Context())
	q := r.URL.Query()
	org, _ := strconv.ParseInt(q.Get("organization_id"), 10, 64)
	if org == 0 {
		if orgs := analysis.EditorOrgs(a); len(orgs) == 1 {
			org = orgs[0]
		}
	}
	format := analysis.CSVLong
	if ct := r.Header.Get("Content-Type"); ct != "" && ct[:min(len(ct), 16)] == "application/json" {
		format = analysis.AutoFile
	}
	if f := q.Get("format"); f != "" {
		format = analysis.Format(f)
	}
	body, err := analysis.ReadAllLimited(r.Body, maxDatasetBody)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) || errs.Is(err, errs.TooLarge) {
		return errs.Wrap(errs.TooLarge, "analysis.import_too_large", err)
	}
	if err != nil {
		return errs.Wrap(errs.Malformed, "error.invalid", err)
	}
	name := q.Get("name")
	if name == "" {
		name = "Dataset " + time.Now().UTC().Format("2006-01-02 15:04")
	}
	meta := analysis.Dataset{OrganisationID: org, Name: name, Source: q.Get("source"), Licence: q.Get("licence"),
		Description: q.Get("description"), Visibility: analysis.Visibility(q.Get("visibility"))}
	d, err := s.svc.Import(r.Context(), a, meta, format, body)
	if err != nil {
		return s.writeAnalysisError(w, r, err)
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": d.ID, "value_count": d.Count})
	return nil
}

func (s *analysisAPI) getDataset(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.svc.Dataset(r.Context(), account.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.dataset(s.cat.For(i18n.Negotiate(r)), d))
	return nil
}

// IndexModelInput is a new index model: the spec, and whose it is.
type IndexModelInput struct {
	analysis.Spec
	OrganizationID int64               `json:"organization_id,omitempty"`
	Visibility     analysis.Visibility `json:"visibility,omitempty"`
}

// IndexModel is a model as the API shows it.
type IndexModel struct {
	ID             int64               `json:"id"`
	Version        int                 `json:"version"`
	OrganizationID int64               `json:"organization_id"`
	Visibility     analysis.Visibility `json:"visibility"`
	UpdatedAt      time.Time           `json:"updated_at"`
	Spec           analysis.Spec       `json:"spec"`
}

func model(m *analysis.Model) IndexModel {
	return IndexModel{ID: m.ID, Version: m.Version, OrganizationID: m.OrganisationID, Visibility: m.Visibility, UpdatedAt: m.UpdatedAt, Spec: m.Spec}
}

func (s *analysisAPI) createModel(w http.ResponseWriter, r *http.Request) error {
	var in IndexModelInput
	if err := httpx.DecodeJSON(r.Body, &in); err != nil {
		return err
	}
	a := account.ActorFrom(r.Context())
	if in.OrganizationID == 0 {
		if orgs := analysis.EditorOrgs(a); len(orgs) == 1 {
			in.OrganizationID = orgs[0]
		}
	}
	m, err := s.svc.CreateModel(r.Context(), a, in.OrganizationID, in.Visibility, in.Spec)
	if err != nil {
		return s.writeAnalysisError(w, r, err)
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": m.ID, "version": m.Version})
	return nil
}

func (s *analysisAPI) listModels(w http.ResponseWriter, r *http.Request) error {
	before, err := cursor(r)
	if err != nil {
		return err
	}
	limit, err := limitOrDefault(r)
	if err != nil {
		return err
	}
	list, err := s.svc.Models(r.Context(), account.ActorFrom(r.Context()), before, limit)
	if err != nil {
		return err
	}
	out := List[IndexModel]{Items: []IndexModel{}}
	for i := range list {
		out.Items = append(out.Items, model(&list[i]))
	}
	if len(list) > 0 {
		out.Next = next(len(list), limit, list[len(list)-1].ID)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *analysisAPI) getModel(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	m, err := s.svc.Model(r.Context(), account.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, model(m))
	return nil
}

// num is a float that is null when it is not a number (a missing value).
type num float64

func (n num) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(n)) || math.IsInf(float64(n), 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, float64(n), 'g', -1, 64), nil
}

// RegionResult is one region's index.
type RegionResult struct {
	RegionCode string         `json:"region_code"`
	RegionName string         `json:"region_name"`
	Value      num            `json:"value"`
	Rank       int            `json:"rank"`
	Blocks     map[string]num `json:"blocks"`
}

// Results is a model's computed index, naming what it was computed from.
type Results struct {
	Items        []RegionResult `json:"items"`
	Next         *string        `json:"next"`
	ModelID      int64          `json:"model_id"`
	ModelVersion int            `json:"model_version"`
	DatasetID    int64          `json:"dataset_id"`
	Year         int            `json:"year"`
	Example      bool           `json:"example"`
	ExampleNote  string         `json:"example_note,omitempty"`
	Warnings     []string       `json:"warnings"`
	ComputedAt   time.Time      `json:"computed_at"`
}

func (s *analysisAPI) modelResults(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	version := 0
	if v := r.URL.Query().Get("version"); v != "" {
		if version, err = strconv.Atoi(v); err != nil || version < 1 {
			return errs.Fields{"version": "analysis.version_invalid"}.Err()
		}
	}
	c, err := s.svc.Results(r.Context(), account.ActorFrom(r.Context()), id, version)
	if err != nil {
		return s.writeAnalysisError(w, r, err)
	}
	tr := s.cat.For(i18n.Negotiate(r))
	out := Results{Items: []RegionResult{}, ModelID: c.Model.ID, ModelVersion: c.Model.Version, DatasetID: c.Dataset.ID,
		Year: c.Model.Spec.Year, Example: c.Example, Warnings: []string{}, ComputedAt: c.Computed}
	if c.Example {
		out.ExampleNote = tr.T("analysis.example_note")
	}
	for _, wn := range c.Warnings {
		out.Warnings = append(out.Warnings, tr.T(wn.Key, wn.Args...))
	}
	for _, res := range c.Results {
		rr := RegionResult{RegionCode: res.Region, Value: num(res.Value), Rank: res.Rank, Blocks: map[string]num{}}
		if reg := analysis.RegionByCode(res.Region); reg != nil {
			rr.RegionName = reg.Name
		}
		for b, name := range c.Prepared.BlockNames {
			rr.Blocks[name] = num(res.Blocks[b])
		}
		out.Items = append(out.Items, rr)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// SensitivityInput asks for an uncertainty analysis (and, with
// saltelli_base, a variance-based sensitivity analysis).
type SensitivityInput struct {
	Draws          int      `json:"draws"`
	Noise          float64  `json:"noise"`
	Seed           uint64   `json:"seed"`
	Normalisations []string `json:"normalisations,omitempty"`
	Aggregations   []string `json:"aggregations,omitempty"`
	SaltelliBase   int      `json:"saltelli_base,omitempty"`
}

// RankInterval is a region's rank distribution.
type RankInterval struct {
	RegionCode  string  `json:"region_code"`
	RankNominal int     `json:"rank_nominal"`
	RankMedian  float64 `json:"rank_median"`
	RankP05     float64 `json:"rank_p05"`
	RankP95     float64 `json:"rank_p95"`
}

// SensitivityFactor is an uncertain choice with its indices.
type SensitivityFactor struct {
	Factor string  `json:"factor"`
	Block  string  `json:"block,omitempty"`
	First  float64 `json:"first_order"`
	Total  float64 `json:"total_effect"`
}

// Sensitivity is the answer.
type Sensitivity struct {
	Items        []RankInterval      `json:"items"`
	Next         *string             `json:"next"`
	ModelVersion int                 `json:"model_version"`
	Draws        int                 `json:"draws"`
	Seed         uint64              `json:"seed"`
	Factors      []SensitivityFactor `json:"factors,omitempty"`
}

// MaxAPIDraws bounds one request's Monte Carlo draws.
const MaxAPIDraws = 20000

func choices(in SensitivityInput) ([]index.Normalisation, []index.Aggregation, error) {
	var ns []index.Normalisation
	for _, n := range in.Normalisations {
		v, ok := index.ParseNormalisation(n)
		if !ok {
			return nil, nil, errs.Fields{"normalisations": "analysis.normalisation_invalid"}.Err()
		}
		ns = append(ns, v)
	}
	var as []index.Aggregation
	for _, a := range in.Aggregations {
		v, ok := index.ParseAggregation(a)
		if !ok {
			return nil, nil, errs.Fields{"aggregations": "analysis.aggregation_invalid"}.Err()
		}
		as = append(as, v)
	}
	return ns, as, nil
}

func (s *analysisAPI) modelSensitivity(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	var in SensitivityInput
	if err := httpx.DecodeJSON(r.Body, &in); err != nil {
		return err
	}
	f := errs.Fields{}
	if in.Draws == 0 {
		in.Draws = 1000
	}
	if in.Draws < 1 || in.Draws > MaxAPIDraws {
		f["draws"] = "analysis.draws_invalid"
	}
	if !(in.Noise >= 0 && in.Noise <= 1) {
		f["noise"] = "index.bad_noise"
	}
	if in.SaltelliBase != 0 && (in.SaltelliBase < 2 || in.SaltelliBase > 2000) {
		f["saltelli_base"] = "analysis.base_invalid"
	}
	if err := f.Err(); err != nil {
		return err
	}
	ns, as, err := choices(in)
	if err != nil {
		return err
	}
	a := account.ActorFrom(r.Context())
	ui, m, err := s.svc.Uncertainty(r.Context(), a, id, index.UAOptions{Draws: in.Draws, Noise: in.Noise, Seed: in.Seed, Norms: ns, Aggs: as})
	if err != nil {
		return s.writeAnalysisError(w, r, err)
	}
	out := Sensitivity{Items: []RankInterval{}, ModelVersion: m.Version, Draws: in.Draws, Seed: in.Seed}
	for _, x := range ui {
		out.Items = append(out.Items, RankInterval{RegionCode: x.Region, RankNominal: x.Nominal, RankMedian: x.Median, RankP05: x.P05, RankP95: x.P95})
	}
	if in.SaltelliBase > 0 {
		sa, err := s.svc.Sensitivity(r.Context(), a, id, index.SAOptions{Base: in.SaltelliBase, Noise: in.Noise, Seed: in.Seed, Norms: ns, Aggs: as})
		if err != nil {
			return s.writeAnalysisError(w, r, err)
		}
		for _, fc := range sa.Factors {
			out.Factors = append(out.Factors, SensitivityFactor{Factor: fc.Kind, Block: fc.Block, First: fc.First, Total: fc.Total})
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
