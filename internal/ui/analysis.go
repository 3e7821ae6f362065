package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/analysis"
	"github.com/framsyn/framsyn/internal/comment"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/index"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/route"
)

// analysisPages serve the analysis area: /analys (published analyses),
// /analys/data (datasets: import, view, export) and /analys/index (index
// models: the views, the sliders, the uncertainty analysis).
type analysisPages struct {
	*Server
	svc      *analysis.Service
	comments *comment.Service // nil: no comments
}

// Analysis returns the analysis area's pages over svc, with comments from comments.
func (s *Server) Analysis(svc *analysis.Service, comments *comment.Service) route.Area {
	s.analysis = svc
	return &analysisPages{Server: s, svc: svc, comments: comments}
}

// maxImportBody bounds an uploaded dataset with its form.
const maxImportBody = 17 << 20

// Register adds the area's pages to t.
func (ap *analysisPages) Register(t *route.Table) {
	s, P, U := ap.Server, route.Public, route.SignedIn
	t.Handle(P, "GET /analys", s.h(ap.showHome))
	t.Handle(U, "POST /analys", s.h(ap.publish))
	t.Handle(P, "GET /analys/{id}", s.h(ap.showAnalysis))
	t.Handle(P, "GET /analys/data", s.h(ap.showDatasets))
	t.Handle(U, "POST /analys/data", s.h(ap.importDataset), route.MaxBody(maxImportBody, "multipart/form-data"))
	t.Handle(P, "GET /analys/data/{id}", s.h(ap.showDataset))
	t.Handle(P, "GET /analys/data/{id}/data.csv", s.h(ap.exportCSV))
	t.Handle(P, "GET /analys/data/{id}/data.xlsx", s.h(ap.exportXLSX))
	t.Handle(P, "GET /analys/data/{id}/karta.svg", s.h(ap.datasetMapSVG))
	t.Handle(P, "GET /analys/index", s.h(ap.showModels))
	t.Handle(U, "POST /analys/index", s.h(ap.createModel))
	t.Handle(P, "GET /analys/index/{id}", s.h(ap.showModel))
	t.Handle(U, "POST /analys/index/{id}", s.h(ap.saveModel))
	t.Handle(P, "GET /analys/index/{id}/resultat.html", s.h(ap.resultsFragment))
	t.Handle(P, "GET /analys/index/{id}/resultat.csv", s.h(ap.resultsCSV))
	t.Handle(P, "GET /analys/index/{id}/karta.svg", s.h(ap.chartSVG("map")))
	t.Handle(P, "GET /analys/index/{id}/staplar.svg", s.h(ap.chartSVG("bars")))
	t.Handle(P, "GET /analys/index/{id}/spindel.svg", s.h(ap.chartSVG("spider")))
	t.Handle(P, "GET /analys/index/{id}/rangintervall.svg", s.h(ap.chartSVG("intervals")))
}

// cursorOf reads ?fore= (the last id of the page before).
func cursorOf(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.URL.Query().Get("fore"), 10, 64)
	return max(id, 0)
}

// editorOrgs are the organisations the actor may publish for.
func editorOrgs(a *account.Actor) []account.Membership {
	var out []account.Membership
	if !a.SignedIn() {
		return nil
	}
	for _, m := range a.Memberships {
		if m.Role.AtLeast(account.RoleEditor) {
			out = append(out, m)
		}
	}
	return out
}

// ---- /analys: published analyses ----

type analysisHomePage struct {
	base
	Analyses     []analysis.Analysis
	Next         int64
	Orgs         []account.Membership
	Datasets     []analysis.Dataset
	Models       []analysis.Model
	Works        []library.Work // the works an analysis may relate to
	Crosses      []cross.Cross  // the crosses an analysis may relate to
	Visibilities []analysis.Visibility
}

// SelectedWork reports whether the form chose work id.
func (p *analysisHomePage) SelectedWork(id int64) bool {
	return slices.Contains(p.Form["works"], strconv.FormatInt(id, 10))
}

// SelectedCross reports whether the form chose cross id.
func (p *analysisHomePage) SelectedCross(id int64) bool {
	return slices.Contains(p.Form["crosses"], strconv.FormatInt(id, 10))
}

func (ap *analysisPages) homePage(r *http.Request) (*analysisHomePage, error) {
	p := &analysisHomePage{base: ap.base(r, "area.analysis.title"), Orgs: editorOrgs(account.ActorFrom(r.Context())), Visibilities: analysis.Visibilities}
	var err error
	if p.Analyses, err = ap.svc.Analyses(r.Context(), p.Actor, 0, cursorOf(r), analysis.DefaultLimit); err != nil {
		return nil, err
	}
	if len(p.Analyses) == analysis.DefaultLimit {
		p.Next = p.Analyses[len(p.Analyses)-1].ID
	}
	if len(p.Orgs) > 0 {
		if p.Datasets, err = ap.svc.Datasets(r.Context(), p.Actor, 0, analysis.MaxLimit); err != nil {
			return nil, err
		}
		if p.Models, err = ap.svc.Models(r.Context(), p.Actor, 0, analysis.MaxLimit); err != nil {
			return nil, err
		}
		works, err := ap.cfg.Library.List(r.Context(), p.Actor, library.Filter{Sort: library.SortNewest, Limit: library.MaxLimit})
		if err != nil {
			return nil, err
		}
		p.Works = works.Works
		if ap.cfg.Crosses != nil {
			if p.Crosses, err = ap.cfg.Crosses.List(r.Context(), p.Actor, cross.ListQuery{Limit: cross.MaxLimit, Summary: true}); err != nil {
				return nil, err
			}
		}
	}
	return p, nil
}

func (ap *analysisPages) showHome(w http.ResponseWriter, r *http.Request) error {
	p, err := ap.homePage(r)
	if err != nil {
		return err
	}
	ap.render(w, r, http.StatusOK, "analysis", p)
	return nil
}

func postedID(r *http.Request, name string) int64 {
	id, _ := strconv.ParseInt(r.PostFormValue(name), 10, 64)
	return max(id, 0)
}

func (ap *analysisPages) publish(w http.ResponseWriter, r *http.Request) error {
	a := account.ActorFrom(r.Context())
	an := &analysis.Analysis{OrganisationID: postedID(r, "organisation"), Title: r.PostFormValue("title"), Body: r.PostFormValue("body"),
		Visibility: analysis.Visibility(r.PostFormValue("visibility")), DatasetID: postedID(r, "dataset"), ModelID: postedID(r, "model")}
	for _, v := range r.PostForm["works"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			an.WorkIDs = append(an.WorkIDs, id)
		}
	}
	var err error
	if len(an.WorkIDs) > 0 && a.SignedIn() {
		// Related works must be works the author may see.
		seen, verr := ap.cfg.Library.Visible(r.Context(), a, an.WorkIDs)
		if verr != nil {
			return verr
		}
		if len(seen) != len(an.WorkIDs) {
			err = errs.Fields{"works": "analysis.work_unknown"}.Err()
		}
	}
	for _, v := range r.PostForm["crosses"] {
		if id, perr := strconv.ParseInt(v, 10, 64); perr == nil && id > 0 && !slices.Contains(an.CrossIDs, id) {
			an.CrossIDs = append(an.CrossIDs, id)
		}
	}
	if err == nil && len(an.CrossIDs) > 0 && a.SignedIn() {
		// Related crosses must be crosses the author may see.
		seen, verr := ap.visibleCrosses(r.Context(), a, an.CrossIDs)
		if verr != nil {
			return verr
		}
		if len(seen) != len(an.CrossIDs) {
			err = errs.Fields{"crosses": "analysis.cross_unknown"}.Err()
		}
	}
	if err == nil {
		an, err = ap.svc.Publish(r.Context(), a, an)
	}
	if errs.Is(err, errs.Invalid) {
		p, perr := ap.homePage(r)
		if perr != nil {
			return perr
		}
		p.Form, p.Errors = r.PostForm, errs.As(err).Fields
		ap.render(w, r, http.StatusUnprocessableEntity, "analysis", p)
		return nil
	}
	if err != nil {
		return err
	}
	ap.redirect(w, r, "/analys/"+strconv.FormatInt(an.ID, 10), "analysis.published")
	return nil
}

type analysisShowPage struct {
	base
	Analysis *analysis.Analysis
	Dataset  *analysis.Dataset
	Model    *analysis.Model
	Works    []library.Work // the related works the visitor may see
	Crosses  []cross.Cross  // the related crosses the visitor may see
	// CommentKind and CommentID are what the network area's comments
	// attach to (issue 23): the seam, until that area renders them here.
	CommentKind string
	CommentID   int64
	Comments    *commentsView
}

func (ap *analysisPages) showAnalysis(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	a := account.ActorFrom(r.Context())
	an, err := ap.svc.Analysis(r.Context(), a, id)
	if err != nil {
		return err
	}
	p := &analysisShowPage{base: ap.base(r, ""), Analysis: an, CommentKind: analysis.KindAnalysis, CommentID: an.ID}
	p.Title = an.Title
	if an.DatasetID > 0 {
		if d, err := ap.svc.Dataset(r.Context(), a, an.DatasetID); err == nil {
			p.Dataset = d
		} else if !errs.Is(err, errs.NotFound) {
			return err
		}
	}
	if an.ModelID > 0 {
		if m, err := ap.svc.ModelAt(r.Context(), a, an.ModelID, an.ModelVersion); err == nil {
			p.Model = m
		} else if !errs.Is(err, errs.NotFound) {
			return err
		}
	}
	if len(an.WorkIDs) > 0 {
		if p.Works, err = ap.cfg.Library.Visible(r.Context(), a, an.WorkIDs); err != nil {
			return err
		}
	}
	if p.Crosses, err = ap.visibleCrosses(r.Context(), a, an.CrossIDs); err != nil {
		return err
	}
	if p.Comments, err = loadComments(r, ap.comments, &p.base, analysis.KindAnalysis, an.ID); err != nil {
		return err
	}
	ap.render(w, r, http.StatusOK, "analysis_show", p)
	return nil
}

// visibleCrosses returns the crosses among ids that a may see, in order;
// a hidden one is left out, never named.
func (ap *analysisPages) visibleCrosses(ctx context.Context, a *account.Actor, ids []int64) ([]cross.Cross, error) {
	if len(ids) == 0 || ap.cfg.Crosses == nil {
		return nil, nil
	}
	return ap.cfg.Crosses.ByID(ctx, a, ids)
}

// ---- /analys/data: datasets ----

type datasetsPage struct {
	base
	Datasets     []analysis.Dataset
	Next         int64
	Orgs         []account.Membership
	Formats      []analysis.Format
	Visibilities []analysis.Visibility
	Problems     []string
	More         int
}

func (ap *analysisPages) datasetsPage(r *http.Request) (*datasetsPage, error) {
	p := &datasetsPage{base: ap.base(r, "analysis.data.title"), Orgs: editorOrgs(account.ActorFrom(r.Context())),
		Formats: analysis.Formats, Visibilities: analysis.Visibilities}
	var err error
	if p.Datasets, err = ap.svc.Datasets(r.Context(), p.Actor, cursorOf(r), analysis.DefaultLimit); err != nil {
		return nil, err
	}
	if len(p.Datasets) == analysis.DefaultLimit {
		p.Next = p.Datasets[len(p.Datasets)-1].ID
	}
	return p, nil
}

func (ap *analysisPages) showDatasets(w http.ResponseWriter, r *http.Request) error {
	p, err := ap.datasetsPage(r)
	if err != nil {
		return err
	}
	ap.render(w, r, http.StatusOK, "analysis_data", p)
	return nil
}

// importDataset imports an uploaded file or a URL the server fetches.
// A refused file changes nothing; the page names each bad row.
func (ap *analysisPages) importDataset(w http.ResponseWriter, r *http.Request) error {
	a := account.ActorFrom(r.Context())
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			w.Header().Set("Connection", "close")
			return ap.importFailed(w, r, errs.Fields{"file": "analysis.import_too_large"}.Err())
		}
		return errs.Wrap(errs.Invalid, "error.invalid", err)
	}
	defer r.MultipartForm.RemoveAll()
	meta := analysis.Dataset{OrganisationID: postedID(r, "organisation"), Name: r.PostFormValue("name"), Description: r.PostFormValue("description"),
		Source: r.PostFormValue("source"), Licence: r.PostFormValue("licence"), Visibility: analysis.Visibility(r.PostFormValue("visibility"))}
	format := analysis.Format(r.PostFormValue("format"))
	if strings.TrimSpace(meta.Name) == "" {
		meta.Name = strings.TrimSpace(r.PostFormValue("url"))
		if _, fh, err := r.FormFile("file"); err == nil && meta.Name == "" {
			meta.Name = fh.Filename
		}
	}
	var d *analysis.Dataset
	var err error
	if u := strings.TrimSpace(r.PostFormValue("url")); u != "" {
		d, err = ap.svc.ImportURL(r.Context(), a, meta, format, u)
	} else {
		f, _, ferr := r.FormFile("file")
		if ferr != nil {
			return ap.importFailed(w, r, errs.Fields{"file": "analysis.file_required"}.Err())
		}
		defer f.Close()
		data, rerr := io.ReadAll(io.LimitReader(f, analysis.MaxFetchSize+1))
		if rerr != nil {
			return rerr
		}
		if len(data) > analysis.MaxFetchSize {
			return ap.importFailed(w, r, errs.Fields{"file": "analysis.import_too_large"}.Err())
		}
		d, err = ap.svc.Import(r.Context(), a, meta, format, data)
	}
	if errs.Is(err, errs.Invalid) {
		return ap.importFailed(w, r, err)
	}
	if err != nil {
		return err
	}
	ap.redirect(w, r, "/analys/data/"+strconv.FormatInt(d.ID, 10), "analysis.imported")
	return nil
}

func (ap *analysisPages) importFailed(w http.ResponseWriter, r *http.Request, err error) error {
	p, perr := ap.datasetsPage(r)
	if perr != nil {
		return perr
	}
	p.Form = r.PostForm
	e := errs.As(err)
	if _, fields, ok := analysis.Message(p.Translator, err); ok && fields != nil {
		for i := range len(fields) {
			p.Problems = append(p.Problems, fields[fmt.Sprintf("rows[%d]", i)])
		}
		var imp *analysis.ImportError
		if errors.As(err, &imp) {
			p.More = imp.More
		}
		p.Error = "analysis.import_invalid"
	} else if len(e.Fields) > 0 {
		p.Errors = e.Fields
	} else {
		p.Errors = errs.Fields{"url": e.Key}
		if r.PostFormValue("url") == "" {
			p.Errors = errs.Fields{"file": e.Key}
		}
	}
	status := http.StatusUnprocessableEntity
	if p.Errors["file"] == "analysis.import_too_large" {
		status = http.StatusRequestEntityTooLarge
	}
	ap.render(w, r, status, "analysis_data", p)
	return nil
}

type datasetPage struct {
	base
	Dataset      *analysis.Dataset
	Indicator    string
	Unit         string
	Year         int
	Years        []int
	Lan          string
	Regions      []analysis.Region
	Map          template.HTML
	Lines        template.HTML
	Rows         []datasetRow
	Query        string
	Models       []analysis.Model
	Presets      []analysis.Preset
	Orgs         []account.Membership
	Visibilities []analysis.Visibility
}

// datasetRow is a region's values of the indicator over the years.
type datasetRow struct {
	Code, Name string
	Values     []string
}

func (ap *analysisPages) datasetView(r *http.Request) (*datasetPage, error) {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return nil, err
	}
	a := account.ActorFrom(r.Context())
	d, err := ap.svc.Dataset(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	p := &datasetPage{base: ap.base(r, ""), Dataset: d, Years: d.Years(), Regions: analysis.Regions, Presets: analysis.Presets,
		Orgs: editorOrgs(a), Visibilities: analysis.Visibilities}
	p.Title = d.Name
	q := r.URL.Query()
	p.Indicator = q.Get("indikator")
	if !slices.ContainsFunc(d.Indicators, func(i analysis.Indicator) bool { return i.Name == p.Indicator }) && len(d.Indicators) > 0 {
		p.Indicator = d.Indicators[0].Name
	}
	for _, i := range d.Indicators {
		if i.Name == p.Indicator {
			p.Unit = i.Unit
		}
	}
	p.Year, _ = strconv.Atoi(q.Get("ar"))
	if !slices.Contains(p.Years, p.Year) && len(p.Years) > 0 {
		p.Year = p.Years[len(p.Years)-1]
	}
	p.Lan = q.Get("lan")
	if analysis.RegionByCode(p.Lan) == nil {
		p.Lan = "01"
	}
	vals := map[string]float64{}
	series := map[string][]float64{}
	for _, reg := range analysis.Regions {
		s := make([]float64, len(p.Years))
		for i := range s {
			s[i] = math.NaN()
		}
		series[reg.Code] = s
	}
	yi := map[int]int{}
	for i, y := range p.Years {
		yi[y] = i
	}
	for _, v := range d.Values {
		if v.Indicator != p.Indicator {
			continue
		}
		series[v.Region][yi[v.Year]] = v.Value
		if v.Year == p.Year {
			vals[v.Region] = v.Value
		}
	}
	tr := p.Translator
	p.Map = mapSVG("dataset-map", tr.T("analysis.map_title", p.Indicator, p.Year), tr.T("analysis.map_desc"), tr.Lang, tr.T("analysis.missing"), vals)
	median := make([]float64, len(p.Years))
	for i := range p.Years {
		var xs []float64
		for _, reg := range analysis.Regions {
			if v := series[reg.Code][i]; !math.IsNaN(v) {
				xs = append(xs, v)
			}
		}
		median[i] = medianOf(xs)
	}
	p.Lines = linesSVG("dataset-lines", tr.T("analysis.years_title", p.Indicator, analysis.RegionByCode(p.Lan).Name), tr.T("analysis.years_desc"), tr.Lang,
		p.Years, [][]float64{series[p.Lan], median}, []string{analysis.RegionByCode(p.Lan).Name, tr.T("analysis.national_median")})
	for _, reg := range analysis.Regions {
		row := datasetRow{Code: reg.Code, Name: reg.Name}
		for _, v := range series[reg.Code] {
			row.Values = append(row.Values, numText(tr.Lang, v))
		}
		p.Rows = append(p.Rows, row)
	}
	p.Query = url.Values{"indikator": {p.Indicator}, "ar": {strconv.Itoa(p.Year)}}.Encode()
	return p, nil
}

func medianOf(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func (ap *analysisPages) showDataset(w http.ResponseWriter, r *http.Request) error {
	p, err := ap.datasetView(r)
	if err != nil {
		return err
	}
	ap.render(w, r, http.StatusOK, "analysis_dataset", p)
	return nil
}

func (ap *analysisPages) datasetMapSVG(w http.ResponseWriter, r *http.Request) error {
	p, err := ap.datasetView(r)
	if err != nil {
		return err
	}
	writeSVG(w, "karta.svg", p.Map)
	return nil
}

func writeSVG(w http.ResponseWriter, name string, svg template.HTML) {
	w.Header().Set("Content-Type", "image/svg+xml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+string(svg))
}

func (ap *analysisPages) exportDataset(r *http.Request) (*analysis.Dataset, error) {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return nil, err
	}
	return ap.svc.Dataset(r.Context(), account.ActorFrom(r.Context()), id)
}

func (ap *analysisPages) exportCSV(w http.ResponseWriter, r *http.Request) error {
	d, err := ap.exportDataset(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := analysis.WriteCSV(&buf, d); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="dataset-%d.csv"`, d.ID))
	_, _ = w.Write(buf.Bytes())
	return nil
}

func (ap *analysisPages) exportXLSX(w http.ResponseWriter, r *http.Request) error {
	d, err := ap.exportDataset(r)
	if err != nil {
		return err
	}
	tr := ap.base(r, "").Translator
	about := [][2]string{{tr.T("analysis.name"), d.Name}, {tr.T("analysis.source"), d.Source}, {tr.T("analysis.licence"), d.Licence},
		{tr.T("analysis.fetched"), d.FetchedAt.Format(time.DateOnly)}, {tr.T("analysis.source_url"), d.SourceURL}, {tr.T("analysis.description"), d.Description}}
	if d.Example {
		about = append(about, [2]string{tr.T("analysis.example"), tr.T("analysis.example_note")})
	}
	var buf bytes.Buffer
	if err := analysis.WriteXLSX(&buf, d, about); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="dataset-%d.xlsx"`, d.ID))
	_, _ = w.Write(buf.Bytes())
	return nil
}

// ---- /analys/index: index models ----

type modelsPage struct {
	base
	Models       []analysis.Model
	Next         int64
	Datasets     []analysis.Dataset
	Presets      []analysis.Preset
	Orgs         []account.Membership
	Visibilities []analysis.Visibility
	Message      string
}

// BlockName names block i of a preset in the page's language: the
// catalogue's analysis.preset.<key>.block<i> when there is one (Reglab's
// blocks have none: they are Reglab's names), else the preset's name.
func (p *modelsPage) BlockName(preset string, i int, name string) string {
	if k := fmt.Sprintf("analysis.preset.%s.block%d", preset, i); p.Has(k) {
		return p.T(k)
	}
	return name
}

func (ap *analysisPages) modelsPage(r *http.Request) (*modelsPage, error) {
	p := &modelsPage{base: ap.base(r, "analysis.index.title"), Presets: analysis.Presets, Orgs: editorOrgs(account.ActorFrom(r.Context())),
		Visibilities: analysis.Visibilities}
	var err error
	if p.Models, err = ap.svc.Models(r.Context(), p.Actor, cursorOf(r), analysis.DefaultLimit); err != nil {
		return nil, err
	}
	if len(p.Models) == analysis.DefaultLimit {
		p.Next = p.Models[len(p.Models)-1].ID
	}
	if len(p.Orgs) > 0 {
		if p.Datasets, err = ap.svc.Datasets(r.Context(), p.Actor, 0, analysis.MaxLimit); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (ap *analysisPages) showModels(w http.ResponseWriter, r *http.Request) error {
	p, err := ap.modelsPage(r)
	if err != nil {
		return err
	}
	ap.render(w, r, http.StatusOK, "analysis_models", p)
	return nil
}

// createModel makes a model from a preset over a dataset and year: the
// analyst then turns the knobs on its page and saves new versions.
func (ap *analysisPages) createModel(w http.ResponseWriter, r *http.Request) error {
	a := account.ActorFrom(r.Context())
	year, _ := strconv.Atoi(r.PostFormValue("year"))
	ds := postedID(r, "dataset")
	spec, ok := analysis.PresetSpec(r.PostFormValue("preset"), r.PostFormValue("name"), ds, year)
	var m *analysis.Model
	err := errs.Fields{"preset": "analysis.preset_invalid"}.Err()
	if ok {
		m, err = ap.svc.CreateModel(r.Context(), a, postedID(r, "organisation"), analysis.Visibility(r.PostFormValue("visibility")), spec)
	}
	if errs.Is(err, errs.Invalid) {
		p, perr := ap.modelsPage(r)
		if perr != nil {
			return perr
		}
		p.Form, p.Errors = r.PostForm, errs.As(err).Fields
		if msg, _, ok := analysis.Message(p.Translator, err); ok {
			p.Message = msg
		}
		ap.render(w, r, http.StatusUnprocessableEntity, "analysis_models", p)
		return nil
	}
	if err != nil {
		return err
	}
	ap.redirect(w, r, "/analys/index/"+strconv.FormatInt(m.ID, 10), "analysis.model_created")
	return nil
}

// controls are the knobs of a model page: weights per indicator and
// block, and the normalisation and aggregation for all (or the model's).
type controls struct {
	W, BW     []float64
	Norm, Agg string // "" keeps the model's
	Lan       string
	Choice    index.Choice
	Query     string // the knobs as a query string, for exports
}

// weightMax is the top of a weight slider; weights are relative.
const weightMax = 10

func readControls(r *http.Request, p *index.Prepared) (controls, error) {
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		q = r.PostForm
	}
	w, bw := p.Weights()
	c := controls{W: w, BW: bw, Choice: index.Nominal}
	f := errs.Fields{}
	read := func(name string, dst *float64) {
		s := q.Get(name)
		if s == "" {
			return
		}
		v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
		if err != nil || v < 0 || v > 1000 || math.IsNaN(v) {
			f[name] = "analysis.weight_invalid"
			return
		}
		*dst = v
	}
	for i := range c.W {
		read("w"+strconv.Itoa(i), &c.W[i])
	}
	for b := range c.BW {
		read("bw"+strconv.Itoa(b), &c.BW[b])
	}
	if n := q.Get("norm"); n != "" {
		v, ok := index.ParseNormalisation(n)
		if !ok {
			f["norm"] = "analysis.normalisation_invalid"
		}
		c.Norm, c.Choice.Norm = n, int(v)
	}
	if a := q.Get("agg"); a != "" {
		v, ok := index.ParseAggregation(a)
		if !ok {
			f["agg"] = "analysis.aggregation_invalid"
		}
		c.Agg, c.Choice.Agg = a, int(v)
	}
	c.Lan = q.Get("lan")
	vals := url.Values{}
	for i, x := range c.W {
		vals.Set("w"+strconv.Itoa(i), strconv.FormatFloat(x, 'g', -1, 64))
	}
	for b, x := range c.BW {
		vals.Set("bw"+strconv.Itoa(b), strconv.FormatFloat(x, 'g', -1, 64))
	}
	if c.Norm != "" {
		vals.Set("norm", c.Norm)
	}
	if c.Agg != "" {
		vals.Set("agg", c.Agg)
	}
	if c.Lan != "" {
		vals.Set("lan", c.Lan)
	}
	c.Query = vals.Encode()
	return c, f.Err()
}

// modelPage is a model with its views.
type modelPage struct {
	base
	Model    *analysis.Model
	Dataset  *analysis.Dataset
	Blocks   []blockControl
	Controls controls
	Results  *indexResults
	Message  string // why the knobs give no index, said with names
	Editable bool
	Norms    []string
	Aggs     []string

	Lan        string
	Regions    []analysis.Region
	Spider     template.HTML
	SpiderRows []spiderRow
	Years      []int
	YearRows   []datasetRow
	YearsSVG   template.HTML

	Intervals          template.HTML
	IntervalRows       []intervalRow
	Factors            []factorRow
	Noise, Draws       int
	Seed               uint64
	UncertaintyMessage string
}

type blockControl struct {
	Index       int
	Name        string
	Weight      float64
	Aggregation string
	Indicators  []indicatorControl
}

type indicatorControl struct {
	Index         int
	Name          string
	Weight        float64
	Direction     int
	Normalisation string
}

type spiderRow struct {
	Block          string
	Region, Median string
}

type factorRow struct {
	Name         string
	First, Total string
}

// indexResults is what the sliders redraw: the ranking table, the bars
// per block and the map.
type indexResults struct {
	*base
	ID       int64
	Version  int
	Query    string
	Rows     []resultRow
	Blocks   []string
	Bars     []template.HTML
	Map      template.HTML
	Warnings []string
	Example  bool
	Took     string
}

type resultRow struct {
	Rank       int
	Code, Name string
	Value      string
	Blocks     []string
}

func (ap *analysisPages) loadModel(r *http.Request) (*analysis.Model, *analysis.Computed, error) {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	c, err := ap.svc.Results(r.Context(), account.ActorFrom(r.Context()), id, 0)
	if err != nil {
		if errs.Is(err, errs.Invalid) {
			// The model computed when saved; its data cannot change, so
			// this is a bug rather than the caller's input.
			return nil, nil, errs.Wrap(errs.Internal, "error.internal", err)
		}
		return nil, nil, err
	}
	return c.Model, c, nil
}

func (ap *analysisPages) results(b *base, c *analysis.Computed, ctl controls, took time.Duration) *indexResults {
	tr := b.Translator
	res := &indexResults{base: b, ID: c.Model.ID, Version: c.Model.Version, Query: ctl.Query, Blocks: c.Prepared.BlockNames, Example: c.Example,
		Took: strconv.FormatFloat(float64(took.Microseconds())/1000, 'f', 2, 64)}
	for _, wn := range c.Warnings {
		res.Warnings = append(res.Warnings, tr.T(wn.Key, wn.Args...))
	}
	vals := map[string]float64{}
	perBlock := make([][]chartValue, len(c.Prepared.BlockNames))
	for _, x := range c.Results {
		reg := analysis.RegionByCode(x.Region)
		row := resultRow{Rank: x.Rank, Code: x.Region, Name: reg.Name, Value: numText(tr.Lang, x.Value)}
		for bi, v := range x.Blocks {
			row.Blocks = append(row.Blocks, numText(tr.Lang, v))
			perBlock[bi] = append(perBlock[bi], chartValue{Code: x.Region, Label: reg.ShortName, Value: v})
		}
		res.Rows = append(res.Rows, row)
		vals[x.Region] = x.Value
	}
	for bi, name := range c.Prepared.BlockNames {
		res.Bars = append(res.Bars, barsSVG("bars-"+strconv.Itoa(bi), tr.T("analysis.bars_title", name), tr.T("analysis.bars_desc"), tr.Lang, perBlock[bi]))
	}
	res.Map = mapSVG("index-map", tr.T("analysis.index_map_title", c.Model.Spec.Name), tr.T("analysis.map_desc"), tr.Lang, tr.T("analysis.missing"), vals)
	return res
}

// compute runs the model with the knobs; an impossible choice (all
// weights zero, a geometric mean over zeros) is said, not an error page.
func (ap *analysisPages) compute(r *http.Request, m *analysis.Model, p *index.Prepared) (*analysis.Computed, controls, time.Duration, error) {
	ctl, err := readControls(r, p)
	if err != nil {
		return nil, ctl, 0, err
	}
	start := time.Now()
	c, err := ap.svc.Recompute(r.Context(), account.ActorFrom(r.Context()), m.ID, m.Version, ctl.W, ctl.BW, ctl.Choice)
	return c, ctl, time.Since(start), err
}

func (ap *analysisPages) modelView(r *http.Request) (*modelPage, error) {
	m, nominal, err := ap.loadModel(r)
	if err != nil {
		return nil, err
	}
	a := account.ActorFrom(r.Context())
	p := &modelPage{base: ap.base(r, ""), Model: m, Dataset: nominal.Dataset, Editable: analysis.CanPublish(a, m.OrganisationID),
		Norms: []string{"minmax", "zscore", "rank"}, Aggs: []string{"arithmetic", "geometric"}, Regions: analysis.Regions,
		Noise: 20, Draws: 1000, Seed: 1}
	p.Title = m.Spec.Name
	c, ctl, took, err := ap.compute(r, m, nominal.Prepared)
	p.Controls = ctl
	if errs.Is(err, errs.Invalid) {
		if msg, _, ok := analysis.Message(p.Translator, err); ok {
			p.Message = msg
		} else {
			p.Message = p.T(errs.As(err).Key)
		}
		c, took = nominal, 0
		if p.Controls.W == nil {
			p.Controls.W, p.Controls.BW = nominal.Prepared.Weights()
		}
	} else if err != nil {
		return nil, err
	}
	k := 0
	for bi, b := range m.Spec.Blocks {
		bc := blockControl{Index: bi, Name: b.Name, Weight: p.Controls.BW[bi], Aggregation: b.Aggregation}
		for _, ind := range b.Indicators {
			bc.Indicators = append(bc.Indicators, indicatorControl{Index: k, Name: ind.Indicator, Weight: p.Controls.W[k], Direction: ind.Direction, Normalisation: ind.Normalisation})
			k++
		}
		p.Blocks = append(p.Blocks, bc)
	}
	p.Results = ap.results(&p.base, c, p.Controls, took)
	tr := p.Translator

	// Spider: a region against the national median.
	p.Lan = p.Controls.Lan
	if analysis.RegionByCode(p.Lan) == nil && len(c.Results) > 0 {
		p.Lan = c.Results[0].Region
	}
	names := c.Prepared.BlockNames
	lo, hi := math.Inf(1), math.Inf(-1)
	var region []float64
	for _, x := range c.Results {
		for _, v := range x.Blocks {
			if !math.IsNaN(v) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
		if x.Region == p.Lan {
			region = x.Blocks
		}
	}
	if region != nil {
		rn := analysis.RegionByCode(p.Lan).Name
		p.Spider = spiderSVG("spider", tr.T("analysis.spider_title", rn), tr.T("analysis.spider_desc"), tr.Lang, names, region, c.NationalMedian, min(lo, 0), hi, rn, tr.T("analysis.national_median"))
		for bi, n := range names {
			p.SpiderRows = append(p.SpiderRows, spiderRow{Block: n, Region: numText(tr.Lang, region[bi]), Median: numText(tr.Lang, c.NationalMedian[bi])})
		}
	}

	// Change over years: the same knobs on every year of the dataset.
	p.Years = nominal.Dataset.Years()
	series := map[string][]float64{}
	for _, reg := range analysis.Regions {
		series[reg.Code] = make([]float64, len(p.Years))
	}
	medians := make([]float64, len(p.Years))
	for yi, y := range p.Years {
		for _, reg := range analysis.Regions {
			series[reg.Code][yi] = math.NaN()
		}
		medians[yi] = math.NaN()
		py, err := ap.svc.PrepareYear(r.Context(), a, m, y)
		if err != nil {
			continue
		}
		rs, err := py.ComputeWith(p.Controls.W, p.Controls.BW, p.Controls.Choice)
		if err != nil {
			continue
		}
		var xs []float64
		for _, x := range rs {
			series[x.Region][yi] = x.Value
			if !math.IsNaN(x.Value) {
				xs = append(xs, x.Value)
			}
		}
		medians[yi] = medianOf(xs)
	}
	for _, reg := range analysis.Regions {
		row := datasetRow{Code: reg.Code, Name: reg.Name}
		for _, v := range series[reg.Code] {
			row.Values = append(row.Values, numText(tr.Lang, v))
		}
		p.YearRows = append(p.YearRows, row)
	}
	if reg := analysis.RegionByCode(p.Lan); reg != nil && len(p.Years) > 1 {
		p.YearsSVG = linesSVG("years", tr.T("analysis.years_title", m.Spec.Name, reg.Name), tr.T("analysis.years_index_desc"), tr.Lang,
			p.Years, [][]float64{series[p.Lan], medians}, []string{reg.Name, tr.T("analysis.national_median")})
	}
	return p, nil
}

// uncertainty adds the Monte Carlo rank intervals and the sensitivity
// indices, with the page's knobs of noise, draws and seed.
func (ap *analysisPages) uncertainty(r *http.Request, p *modelPage) error {
	q := r.URL.Query()
	if v, err := strconv.Atoi(q.Get("brus")); err == nil && v >= 0 && v <= 100 {
		p.Noise = v
	}
	if v, err := strconv.Atoi(q.Get("dragningar")); err == nil && v >= 100 && v <= 20000 {
		p.Draws = v
	}
	if v, err := strconv.ParseUint(q.Get("fro"), 10, 64); err == nil {
		p.Seed = v
	}
	norms := []index.Normalisation(nil)
	if q.Get("varieranorm") != "" {
		norms = []index.Normalisation{index.MinMax, index.ZScore, index.Rank}
	}
	a := account.ActorFrom(r.Context())
	ui, _, err := ap.svc.Uncertainty(r.Context(), a, p.Model.ID, index.UAOptions{Draws: p.Draws, Noise: float64(p.Noise) / 100, Seed: p.Seed, Norms: norms})
	if errs.Is(err, errs.Invalid) {
		msg, _, _ := analysis.Message(p.Translator, err)
		p.UncertaintyMessage = msg
		return nil
	}
	if err != nil {
		return err
	}
	tr := p.Translator
	slices.SortFunc(ui, func(x, y index.RankInterval) int { return x.Nominal - y.Nominal })
	for _, x := range ui {
		reg := analysis.RegionByCode(x.Region)
		p.IntervalRows = append(p.IntervalRows, intervalRow{Label: reg.ShortName, Nominal: x.Nominal, P05: x.P05, Median: x.Median, P95: x.P95,
			P05T: numText(tr.Lang, x.P05), MedianT: numText(tr.Lang, x.Median), P95T: numText(tr.Lang, x.P95)})
	}
	p.Intervals = intervalsSVG("intervals", tr.T("analysis.intervals_title"), tr.T("analysis.intervals_desc", p.Draws, p.Noise), p.IntervalRows, len(ui),
		[3]string{tr.T("analysis.interval_legend"), tr.T("analysis.median_legend"), tr.T("analysis.nominal_legend")})
	sa, err := ap.svc.Sensitivity(r.Context(), a, p.Model.ID, index.SAOptions{Base: 256, Noise: float64(p.Noise) / 100, Seed: p.Seed, Norms: norms})
	if err != nil {
		return nil // the rank intervals stand; the indices are an extra
	}
	for _, f := range sa.Factors {
		name := tr.T("analysis.factor." + f.Kind)
		if f.Block != "" {
			name = tr.T("analysis.factor.indicator_weights_in", f.Block)
		}
		p.Factors = append(p.Factors, factorRow{Name: name, First: numText2(tr.Lang, f.First), Total: numText2(tr.Lang, f.Total)})
	}
	return nil
}

func numText2(lang string, v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	if lang == "sv" {
		s = strings.Replace(strings.Replace(s, ".", ",", 1), "-", "−", 1)
	}
	return s
}

func (ap *analysisPages) showModel(w http.ResponseWriter, r *http.Request) error {
	p, err := ap.modelView(r)
	if err != nil {
		return err
	}
	if err := ap.uncertainty(r, p); err != nil {
		return err
	}
	ap.render(w, r, http.StatusOK, "analysis_model", p)
	return nil
}

// resultsFragment is the part of the model page the sliders redraw.
func (ap *analysisPages) resultsFragment(w http.ResponseWriter, r *http.Request) error {
	p, err := ap.modelView(r)
	if err != nil {
		return err
	}
	t, err := ap.tmpl.page("analysis_model")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "index_results", p); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
	return nil
}

func (ap *analysisPages) chartSVG(kind string) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := ap.modelView(r)
		if err != nil {
			return err
		}
		var svg template.HTML
		switch kind {
		case "map":
			svg = p.Results.Map
		case "bars":
			b, _ := strconv.Atoi(r.URL.Query().Get("block"))
			if b < 0 || b >= len(p.Results.Bars) {
				return errs.E(errs.NotFound, "error.not_found")
			}
			svg = p.Results.Bars[b]
		case "spider":
			svg = p.Spider
		case "intervals":
			if err := ap.uncertainty(r, p); err != nil {
				return err
			}
			svg = p.Intervals
		}
		if svg == "" {
			return errs.E(errs.NotFound, "error.not_found")
		}
		writeSVG(w, kind+".svg", svg)
		return nil
	}
}

func (ap *analysisPages) resultsCSV(w http.ResponseWriter, r *http.Request) error {
	p, err := ap.modelView(r)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("rank,region_code,region_name,value")
	for _, n := range p.Results.Blocks {
		b.WriteString("," + csvField(n))
	}
	fmt.Fprintf(&b, ",model_id,model_version,dataset_id,year,example\n")
	for _, row := range p.Results.Rows {
		fmt.Fprintf(&b, "%d,%s,%s,%s", row.Rank, row.Code, csvField(row.Name), strings.Replace(strings.Replace(row.Value, ",", ".", 1), "−", "-", 1))
		for _, v := range row.Blocks {
			b.WriteString("," + strings.Replace(strings.Replace(v, ",", ".", 1), "−", "-", 1))
		}
		fmt.Fprintf(&b, ",%d,%d,%d,%d,%t\n", p.Model.ID, p.Model.Version, p.Dataset.ID, p.Model.Spec.Year, p.Dataset.Example)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="index-%d-v%d.csv"`, p.Model.ID, p.Model.Version))
	_, _ = io.WriteString(w, b.String())
	return nil
}

func csvField(s string) string {
	if strings.ContainsAny(s, ",\"\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// saveModel stores the page's knobs as the model's next version.
func (ap *analysisPages) saveModel(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	a := account.ActorFrom(r.Context())
	c, err := ap.svc.Results(r.Context(), a, id, 0)
	if err != nil {
		return err
	}
	if !analysis.CanPublish(a, c.Model.OrganisationID) {
		return errs.E(errs.Forbidden, "analysis.forbidden")
	}
	if err := r.ParseForm(); err != nil {
		return errs.Wrap(errs.Invalid, "error.invalid", err)
	}
	ctl, err := readControls(r, c.Prepared)
	if err != nil {
		return err
	}
	spec := c.Model.Spec
	spec.Blocks = slices.Clone(spec.Blocks)
	k := 0
	for bi := range spec.Blocks {
		b := &spec.Blocks[bi]
		b.Weight = ctl.BW[bi]
		if ctl.Agg != "" {
			b.Aggregation = ctl.Agg
		}
		b.Indicators = slices.Clone(b.Indicators)
		for ii := range b.Indicators {
			b.Indicators[ii].Weight = ctl.W[k]
			if ctl.Norm != "" {
				b.Indicators[ii].Normalisation = ctl.Norm
			}
			k++
		}
	}
	m, err := ap.svc.SaveModel(r.Context(), a, id, spec)
	if errs.Is(err, errs.Invalid) {
		// Knobs that compute nothing (all weights zero, a geometric mean
		// over zeros): the page again, saying why, nothing saved.
		p, perr := ap.modelView(r)
		if perr != nil {
			return perr
		}
		if msg, _, ok := analysis.Message(p.Translator, err); ok {
			p.Message = msg
		} else {
			p.Message = p.T(errs.As(err).Key)
		}
		ap.render(w, r, http.StatusUnprocessableEntity, "analysis_model", p)
		return nil
	}
	if err != nil {
		return err
	}
	ap.redirect(w, r, "/analys/index/"+strconv.FormatInt(m.ID, 10), "analysis.model_saved")
	return nil
}
