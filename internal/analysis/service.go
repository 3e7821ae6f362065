package analysis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/index"
)

// Service is the analysis area: permissions, validation, imports and
// computation over a Store.
type Service struct {
	store   Store
	fetcher *Fetcher
	now     func() time.Time

	mu           sync.Mutex
	prepared     map[[3]int64]*index.Prepared // (model, version, year) -> prepared; datasets never change
	datasets     map[int64]*Dataset           // by id, with values: they never change once imported
	cachedValues int                          // the values in datasets
}

// cacheBound bounds each cache by entries, maxCachedValues the datasets'
// cache by values (about 40 bytes each); past either it starts over.
const (
	cacheBound      = 256
	maxCachedValues = 1_000_000
)

// NewService returns a Service over store.
func NewService(store Store) *Service {
	return &Service{store: store, fetcher: NewFetcher(), now: time.Now, prepared: map[[3]int64]*index.Prepared{}, datasets: map[int64]*Dataset{}}
}

// SetFetcher replaces the URL fetcher, for tests that serve from loopback.
func (s *Service) SetFetcher(f *Fetcher) { s.fetcher = f }

// SetClock replaces the clock.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// List bounds.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

func clampLimit(n int) int {
	if n <= 0 {
		return DefaultLimit
	}
	return min(n, MaxLimit)
}

// resolveOrg is the organisation something new goes to: the one given,
// or the only one the actor publishes for.
func resolveOrg(a *account.Actor, org *int64) error {
	if !a.SignedIn() {
		return errs.E(errs.Unauthorized, "error.sign_in")
	}
	if *org > 0 {
		return nil
	}
	switch orgs := EditorOrgs(a); {
	case len(orgs) == 1:
		*org = orgs[0]
	case len(orgs) == 0 && !a.IsAdmin():
		return errs.E(errs.Forbidden, "analysis.forbidden")
	default:
		return errs.Fields{"organisation": "analysis.organisation_required"}.Err()
	}
	return nil
}

func canWrite(a *account.Actor, org int64) error {
	if !a.SignedIn() {
		return errs.E(errs.Unauthorized, "error.sign_in")
	}
	if org <= 0 {
		return errs.Fields{"organisation": "analysis.organisation_required"}.Err()
	}
	if !CanPublish(a, org) {
		return errs.E(errs.Forbidden, "analysis.forbidden")
	}
	return nil
}

// Import parses data in format f and saves it as a new dataset described
// by meta. All or nothing: on any problem nothing is saved and the error
// names every bad row.
func (s *Service) Import(ctx context.Context, a *account.Actor, meta Dataset, f Format, data []byte) (*Dataset, error) {
	if err := resolveOrg(a, &meta.OrganisationID); err != nil {
		return nil, err
	}
	if err := canWrite(a, meta.OrganisationID); err != nil {
		return nil, err
	}
	meta.Values = []Value{{}} // checked below, after the description
	if err := meta.Validate(); err != nil {
		return nil, err
	}
	p, err := Parse(f, data)
	if err != nil {
		return nil, err
	}
	meta.Indicators, meta.Values = p.Indicators, p.Values
	now := s.now().UTC()
	meta.ID, meta.AuthorID, meta.CreatedAt, meta.Count = 0, a.UserID(), now, len(p.Values)
	if meta.FetchedAt.IsZero() {
		meta.FetchedAt = now
	}
	if err := s.store.CreateDataset(ctx, &meta); err != nil {
		return nil, err
	}
	return &meta, nil
}

// ImportURL fetches rawURL on the server (http(s), public addresses only,
// with a timeout and a size limit) and imports it as Import does.
func (s *Service) ImportURL(ctx context.Context, a *account.Actor, meta Dataset, f Format, rawURL string) (*Dataset, error) {
	if err := resolveOrg(a, &meta.OrganisationID); err != nil {
		return nil, err
	}
	if err := canWrite(a, meta.OrganisationID); err != nil {
		return nil, err
	}
	data, err := s.fetcher.Fetch(ctx, rawURL)
	if err != nil {
		return nil, err
	}
	meta.SourceURL = rawURL
	meta.FetchedAt = s.now().UTC()
	return s.Import(ctx, a, meta, f, data)
}

// Dataset returns a dataset a may see, with its values. The caller must
// not change it: datasets are immutable and shared from a cache.
func (s *Service) Dataset(ctx context.Context, a *account.Actor, id int64) (*Dataset, error) {
	s.mu.Lock()
	d := s.datasets[id]
	s.mu.Unlock()
	if d == nil {
		var err error
		if d, err = s.store.Dataset(ctx, id); err != nil {
			return nil, err
		}
		s.mu.Lock()
		if len(s.datasets) >= cacheBound || s.cachedValues+len(d.Values) > maxCachedValues {
			clear(s.datasets)
			s.cachedValues = 0
		}
		s.datasets[id] = d
		s.cachedValues += len(d.Values)
		s.mu.Unlock()
	}
	if !CanSee(a, d.Visibility, d.OrganisationID) {
		return nil, errs.E(errs.NotFound, "error.not_found")
	}
	return d, nil
}

// Datasets lists the datasets a may see.
func (s *Service) Datasets(ctx context.Context, a *account.Actor, beforeID int64, limit int) ([]Dataset, error) {
	return s.store.ListDatasets(ctx, ListQuery{Viewer: account.ViewerOf(a), BeforeID: beforeID, Limit: clampLimit(limit)})
}

// CreateModel validates spec, checks that it computes on its dataset and
// saves it as version 1 for org.
func (s *Service) CreateModel(ctx context.Context, a *account.Actor, org int64, vis Visibility, spec Spec) (*Model, error) {
	if err := resolveOrg(a, &org); err != nil {
		return nil, err
	}
	if err := canWrite(a, org); err != nil {
		return nil, err
	}
	f := errs.Fields{}
	checkVisibility(f, &vis)
	if err := f.Err(); err != nil {
		return nil, err
	}
	if _, _, err := s.check(ctx, a, &spec); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	m := &Model{OrganisationID: org, AuthorID: a.UserID(), Visibility: vis, Version: 1, Spec: spec, CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateModel(ctx, m); err != nil {
		return nil, err
	}
	return m, nil
}

// SaveModel stores spec as the model's next version; the versions before
// stay, so results computed from them can be recomputed.
func (s *Service) SaveModel(ctx context.Context, a *account.Actor, id int64, spec Spec) (*Model, error) {
	m, err := s.Model(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if err := canWrite(a, m.OrganisationID); err != nil {
		return nil, err
	}
	if _, _, err := s.check(ctx, a, &spec); err != nil {
		return nil, err
	}
	m.Spec, m.Version, m.UpdatedAt = spec, m.Version+1, s.now().UTC()
	if err := s.store.SaveModelVersion(ctx, m); err != nil {
		return nil, err
	}
	return m, nil
}

// check validates spec and prepares it on its dataset (which a must see).
func (s *Service) check(ctx context.Context, a *account.Actor, spec *Spec) (*Dataset, *index.Prepared, error) {
	if err := spec.Validate(); err != nil {
		return nil, nil, err
	}
	d, err := s.Dataset(ctx, a, spec.DatasetID)
	if errs.Is(err, errs.NotFound) {
		return nil, nil, errs.Fields{"dataset_id": "analysis.dataset_unknown"}.Err()
	}
	if err != nil {
		return nil, nil, err
	}
	p, err := index.Prepare(spec.IndexModel(), d.Table(spec.Year))
	if err != nil {
		return nil, nil, computeErr(err)
	}
	if _, err := p.Compute(); err != nil {
		return nil, nil, computeErr(err)
	}
	return d, p, nil
}

// computeErr makes internal/index's refusal an Invalid error; Message
// says it with its names.
func computeErr(err error) error {
	var ie *index.Error
	if errors.As(err, &ie) {
		return &errs.Error{Kind: errs.Invalid, Key: ie.Key, Err: ie}
	}
	return err
}

// Model returns a model a may see at its newest version.
func (s *Service) Model(ctx context.Context, a *account.Actor, id int64) (*Model, error) {
	m, err := s.store.Model(ctx, id)
	if err != nil {
		return nil, err
	}
	if !CanSee(a, m.Visibility, m.OrganisationID) {
		return nil, errs.E(errs.NotFound, "error.not_found")
	}
	return m, nil
}

// ModelAt returns a model a may see at version v.
func (s *Service) ModelAt(ctx context.Context, a *account.Actor, id int64, v int) (*Model, error) {
	if _, err := s.Model(ctx, a, id); err != nil {
		return nil, err
	}
	return s.store.ModelAt(ctx, id, v)
}

// Models lists the models a may see.
func (s *Service) Models(ctx context.Context, a *account.Actor, beforeID int64, limit int) ([]Model, error) {
	return s.store.ListModels(ctx, ListQuery{Viewer: account.ViewerOf(a), BeforeID: beforeID, Limit: clampLimit(limit)})
}

// Computed is a model's result: the exact model version and data it was
// computed from, and each region's value, rank and block values.
type Computed struct {
	Model          *Model
	Dataset        *Dataset
	Prepared       *index.Prepared
	Results        []index.Result
	Warnings       []index.Warning
	Example        bool // computed from exempeldata
	Computed       time.Time
	NationalMedian []float64 // per block, the median over the regions
}

// prepare returns the model's prepared form, cached by model and version.
func (s *Service) prepare(ctx context.Context, a *account.Actor, m *Model) (*index.Prepared, *Dataset, error) {
	return s.prepareYear(ctx, a, m, m.Spec.Year)
}

// PrepareYear is model m prepared on another year of its dataset (for
// the change over the years), cached.
func (s *Service) PrepareYear(ctx context.Context, a *account.Actor, m *Model, year int) (*index.Prepared, error) {
	p, _, err := s.prepareYear(ctx, a, m, year)
	return p, err
}

func (s *Service) prepareYear(ctx context.Context, a *account.Actor, m *Model, year int) (*index.Prepared, *Dataset, error) {
	d, err := s.Dataset(ctx, a, m.Spec.DatasetID)
	if err != nil {
		return nil, nil, err
	}
	key := [3]int64{m.ID, int64(m.Version), int64(year)}
	s.mu.Lock()
	p := s.prepared[key]
	s.mu.Unlock()
	if p != nil {
		return p, d, nil
	}
	p, err = index.Prepare(m.Spec.IndexModel(), d.Table(year))
	if err != nil {
		return nil, nil, computeErr(err)
	}
	s.mu.Lock()
	if len(s.prepared) >= cacheBound {
		clear(s.prepared)
	}
	s.prepared[key] = p
	s.mu.Unlock()
	return p, d, nil
}

// Results computes model id (version 0: the newest) as it is.
func (s *Service) Results(ctx context.Context, a *account.Actor, id int64, version int) (*Computed, error) {
	return s.Recompute(ctx, a, id, version, nil, nil, index.Nominal)
}

// Recompute computes model id with other weights (nil: the model's) and
// choice: what the sliders and selectors ask.
func (s *Service) Recompute(ctx context.Context, a *account.Actor, id int64, version int, w, bw []float64, c index.Choice) (*Computed, error) {
	var m *Model
	var err error
	if version > 0 {
		m, err = s.ModelAt(ctx, a, id, version)
	} else {
		m, err = s.Model(ctx, a, id)
	}
	if err != nil {
		return nil, err
	}
	p, d, err := s.prepare(ctx, a, m)
	if err != nil {
		return nil, err
	}
	nw, nbw := p.Weights()
	if w == nil {
		w = nw
	}
	if bw == nil {
		bw = nbw
	}
	res, err := p.ComputeWith(w, bw, c)
	if err != nil {
		return nil, computeErr(err)
	}
	out := &Computed{Model: m, Dataset: d, Prepared: p, Results: res, Warnings: p.Warnings, Example: d.Example, Computed: s.now().UTC()}
	out.NationalMedian = make([]float64, p.NumBlocks())
	for b := range p.NumBlocks() {
		var xs []float64
		for _, r := range res {
			if v := r.Blocks[b]; !math.IsNaN(v) {
				xs = append(xs, v)
			}
		}
		out.NationalMedian[b] = median(xs)
	}
	return out, nil
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j-1] > s[j]; j-- {
			s[j-1], s[j] = s[j], s[j-1]
		}
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Uncertainty runs the Monte Carlo uncertainty analysis of model id.
func (s *Service) Uncertainty(ctx context.Context, a *account.Actor, id int64, o index.UAOptions) ([]index.RankInterval, *Model, error) {
	m, err := s.Model(ctx, a, id)
	if err != nil {
		return nil, nil, err
	}
	p, _, err := s.prepare(ctx, a, m)
	if err != nil {
		return nil, nil, err
	}
	out, err := p.Uncertainty(o)
	if err != nil {
		return nil, nil, computeErr(err)
	}
	return out, m, nil
}

// Sensitivity runs the Saltelli variance-based analysis of model id.
func (s *Service) Sensitivity(ctx context.Context, a *account.Actor, id int64, o index.SAOptions) (*index.SAResult, error) {
	m, err := s.Model(ctx, a, id)
	if err != nil {
		return nil, err
	}
	p, _, err := s.prepare(ctx, a, m)
	if err != nil {
		return nil, err
	}
	out, err := p.Sensitivity(o)
	if err != nil {
		return nil, computeErr(err)
	}
	return out, nil
}

// Publish saves an analysis for its organisation. An attached dataset or
// model must be one a may see; a model is attached at its current version.
func (s *Service) Publish(ctx context.Context, a *account.Actor, an *Analysis) (*Analysis, error) {
	if err := resolveOrg(a, &an.OrganisationID); err != nil {
		return nil, err
	}
	if err := canWrite(a, an.OrganisationID); err != nil {
		return nil, err
	}
	if err := an.Validate(); err != nil {
		return nil, err
	}
	if an.DatasetID > 0 {
		if _, err := s.Dataset(ctx, a, an.DatasetID); err != nil {
			return nil, errs.Fields{"dataset_id": "analysis.dataset_unknown"}.Err()
		}
	}
	if an.ModelID > 0 {
		m, err := s.Model(ctx, a, an.ModelID)
		if err != nil {
			return nil, errs.Fields{"model_id": "analysis.model_unknown"}.Err()
		}
		an.ModelVersion = m.Version
	}
	now := s.now().UTC()
	an.ID, an.AuthorID, an.CreatedAt, an.UpdatedAt = 0, a.UserID(), now, now
	if err := s.store.CreateAnalysis(ctx, an); err != nil {
		return nil, err
	}
	return an, nil
}

// Analysis returns an analysis a may see.
func (s *Service) Analysis(ctx context.Context, a *account.Actor, id int64) (*Analysis, error) {
	an, err := s.store.Analysis(ctx, id)
	if err != nil {
		return nil, err
	}
	if !CanSee(a, an.Visibility, an.OrganisationID) {
		return nil, errs.E(errs.NotFound, "error.not_found")
	}
	return an, nil
}

// Analyses lists the analyses a may see (of org, when org > 0).
func (s *Service) Analyses(ctx context.Context, a *account.Actor, org, beforeID int64, limit int) ([]Analysis, error) {
	return s.store.ListAnalyses(ctx, ListQuery{Viewer: account.ViewerOf(a), OrganisationID: org, BeforeID: beforeID, Limit: clampLimit(limit)})
}

// AnalysesByID returns the analyses among ids a may see, for search hits.
func (s *Service) AnalysesByID(ctx context.Context, a *account.Actor, ids []int64) ([]Analysis, error) {
	var out []Analysis
	for _, id := range ids {
		an, err := s.Analysis(ctx, a, id)
		if errs.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, *an)
	}
	return out, nil
}

// Message says an error of the area with its names: an import's bad rows
// (fields "rows[3]" -> text) or a computation's refusal ("Blocket
// Marknadsförmåga: …"). ok is false for other errors.
func Message(tr *i18n.Translator, err error) (msg string, fields map[string]string, ok bool) {
	var imp *ImportError
	if errors.As(err, &imp) {
		fields = map[string]string{}
		for i, p := range imp.Problems {
			fields[fmt.Sprintf("rows[%d]", i)] = p.Text(tr)
		}
		msg = tr.T("analysis.import_invalid")
		if imp.More > 0 {
			msg += " " + tr.T("analysis.import.more", imp.More)
		}
		return msg, fields, true
	}
	var ie *index.Error
	if errors.As(err, &ie) {
		return tr.T(ie.Key, ie.Args...), nil, true
	}
	return "", nil, false
}

// Problems returns an import error's problems in order, for a page.
func Problems(err error) []Problem {
	var imp *ImportError
	if errors.As(err, &imp) {
		return imp.Problems
	}
	return nil
}
