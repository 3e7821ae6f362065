package api

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/markdown"
	"github.com/framsyn/framsyn/internal/route"
	"github.com/framsyn/framsyn/internal/searchkind"
)

// Register adds the library's API to t.
func (s *worksAPI) Register(t *route.Table) {
	P, U := route.Public, route.SignedIn
	t.Handle(P, "GET /api/v1/works", s.h(s.listWorks))
	t.Handle(U, "POST /api/v1/works", s.h(s.createWork))
	t.Handle(P, "GET /api/v1/works/export", s.h(s.exportWorks))
	t.Handle(U, "POST /api/v1/works/import", s.h(s.importWorks), httpx.ImportLimits(library.MaxImportJSONBytes, library.MaxArchiveBytes)...)
	t.Handle(P, "GET /api/v1/works/{id}", s.h(s.getWork))
	t.Handle(U, "PATCH /api/v1/works/{id}", s.h(s.patchWork))
	t.Handle(U, "DELETE /api/v1/works/{id}", s.h(s.deleteWork))
	t.Handle(U, "GET /api/v1/works/{id}/revisions", s.h(s.listWorkRevisions))
}

// Work is a library work as the API shows it.
type Work struct {
	ID                int64                     `json:"id"`
	Slug              string                    `json:"slug"`
	Type              library.Type              `json:"type"`
	Title             string                    `json:"title"`
	Summary           string                    `json:"summary"`
	Body              string                    `json:"body"`
	BodyHTML          string                    `json:"body_html"`
	OrganizationID    int64                     `json:"organization_id"`
	CoOrganizationIDs []int64                   `json:"co_organization_ids"`
	ContactIDs        []int64                   `json:"contact_ids"`
	HorizonYear       int                       `json:"horizon_year,omitempty"`
	Methods           []string                  `json:"methods"`
	Themes            []string                  `json:"themes"`
	Date              string                    `json:"date,omitempty"` // YYYY-MM-DD, YYYY-MM or YYYY, as precise as DatePrecision
	DatePrecision     library.DatePrecision     `json:"date_precision"`
	Language          string                    `json:"language"`
	Licence           string                    `json:"licence"`
	Links             []library.Link            `json:"links"`
	Visibility        library.Visibility        `json:"visibility"`
	Experience        *library.ExperienceReport `json:"experience"`
	Attachments       []library.Attachment      `json:"attachments"`
	CoverImage        string                    `json:"cover_image,omitempty"`
	Source            string                    `json:"source"`
	CrossID           int64                     `json:"cross_id,omitempty"` // only when the caller may see the cross
	Version           int                       `json:"version"`
	URL               string                    `json:"url"`
	CreatedAt         time.Time                 `json:"created_at"`
	UpdatedAt         time.Time                 `json:"updated_at"`
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (s *worksAPI) work(ctx context.Context, w *library.Work) Work {
	out := Work{
		ID: w.ID, Slug: w.Slug, Type: w.Type, Title: w.Title, Summary: w.Summary, Body: w.BodyMD,
		BodyHTML: string(markdown.HTML(w.BodyMD)), OrganizationID: w.OrganisationID,
		CoOrganizationIDs: orEmpty(w.CoOrganisationIDs), ContactIDs: orEmpty(w.ContactIDs), HorizonYear: w.HorizonYear,
		Methods: orEmpty(w.Methods), Themes: orEmpty(w.Themes), Language: w.Language, Licence: w.Licence,
		Links: orEmpty(w.Links), Visibility: w.Visibility, Experience: w.Experience, Attachments: orEmpty(w.Attachments),
		CoverImage: w.CoverImage, Source: w.Source, Version: w.Version, URL: s.baseURL + searchkind.WorkPath(w.Slug),
		CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt,
	}
	out.Date, out.DatePrecision = library.FormatDate(w.Date, w.DatePrecision), w.DatePrecision
	if out.DatePrecision == "" {
		out.DatePrecision = library.DateUnknown
	}
	if ok, err := s.svc.SeesCross(ctx, account.ActorFrom(ctx), w.CrossID); err == nil && ok {
		out.CrossID = w.CrossID
	}
	return out
}

// WorkInput is what a client sends to create a work, or the fields it
// changes with PATCH. Attachments and the cover image are uploaded on the
// pages and cannot be set here.
type WorkInput struct {
	Slug              string                    `json:"slug"`
	Type              library.Type              `json:"type"`
	Title             string                    `json:"title"`
	Summary           string                    `json:"summary"`
	Body              string                    `json:"body"`
	OrganizationID    int64                     `json:"organization_id"`
	CoOrganizationIDs []int64                   `json:"co_organization_ids"`
	ContactIDs        []int64                   `json:"contact_ids"`
	HorizonYear       int                       `json:"horizon_year"`
	Methods           []string                  `json:"methods"`
	Themes            []string                  `json:"themes"`
	Date              string                    `json:"date"` // YYYY-MM-DD, YYYY-MM or YYYY (its precision), "" for none
	Language          string                    `json:"language"`
	Licence           string                    `json:"licence"`
	Links             []library.Link            `json:"links"`
	Visibility        library.Visibility        `json:"visibility"`
	Experience        *library.ExperienceReport `json:"experience"`
	Source            string                    `json:"source"`
	CrossID           int64                     `json:"cross_id"` // a cross the caller may see, 0 for none
	Version           int                       `json:"version"`  // PATCH: the version the edit started from
}

func inputOf(w *library.Work) WorkInput {
	in := WorkInput{
		Slug: w.Slug, Type: w.Type, Title: w.Title, Summary: w.Summary, Body: w.BodyMD, OrganizationID: w.OrganisationID,
		CoOrganizationIDs: slices.Clone(w.CoOrganisationIDs), ContactIDs: slices.Clone(w.ContactIDs), HorizonYear: w.HorizonYear,
		Methods: slices.Clone(w.Methods), Themes: slices.Clone(w.Themes), Language: w.Language, Licence: w.Licence,
		Links: slices.Clone(w.Links), Visibility: w.Visibility, Source: w.Source, CrossID: w.CrossID, Version: w.Version,
	}
	// Decoding into the input must not change w: copy what it points to.
	if w.Experience != nil {
		c := *w.Experience
		c.Steps = slices.Clone(c.Steps)
		in.Experience = &c
	}
	in.Date = library.FormatDate(w.Date, w.DatePrecision)
	return in
}

// apply writes the input's fields into w; what cannot be read goes into f.
func (in *WorkInput) apply(w *library.Work, f errs.Fields) {
	w.Slug, w.Type, w.Title, w.Summary, w.BodyMD = in.Slug, in.Type, in.Title, in.Summary, in.Body
	w.OrganisationID, w.CoOrganisationIDs, w.ContactIDs = in.OrganizationID, in.CoOrganizationIDs, in.ContactIDs
	w.HorizonYear, w.Methods, w.Themes = in.HorizonYear, in.Methods, in.Themes
	w.Language, w.Licence, w.Links, w.Visibility, w.Experience = in.Language, in.Licence, in.Links, in.Visibility, in.Experience
	w.Source, w.CrossID, w.Version = in.Source, in.CrossID, in.Version
	// The date's form gives its precision: "2017-11" is November 2017.
	t, p, err := library.ParseDate(in.Date)
	if err != nil {
		f["date"] = "library.date_invalid"
	}
	w.Date, w.DatePrecision = t, p
}

// apiFields renames the library's field names to the API's.
var apiFields = []struct{ from, to string }{
	{"organisation", "organization_id"},
	{"co_organisations", "co_organization_ids"},
	{"contacts", "contact_ids"},
	{"cross", "cross_id"},
}

// workErr renames the fields of a validation error to the API's names.
func workErr(err error) error {
	e := errs.As(err)
	if e.Kind != errs.Invalid || len(e.Fields) == 0 {
		return err
	}
	fields := errs.Fields{}
	for k, v := range e.Fields {
		for _, r := range apiFields {
			if k == r.from || strings.HasPrefix(k, r.from+"[") {
				k = r.to + strings.TrimPrefix(k, r.from)
				break
			}
		}
		fields[k] = v
	}
	return &errs.Error{Kind: errs.Invalid, Key: e.Key, Fields: fields, Err: e.Err}
}

// workFilter reads the filters of the list and the export from the query.
func (s *worksAPI) workFilter(r *http.Request) (library.Filter, error) {
	q := r.URL.Query()
	f := library.Filter{Query: q.Get("q"), Type: library.Type(q.Get("type")), Level: account.Level(q.Get("level")),
		Method: q.Get("method"), Theme: q.Get("theme"), Sort: library.Sort(q.Get("sort"))}
	fields := errs.Fields{}
	if f.Type != "" && !slices.Contains(library.Types, f.Type) {
		fields["type"] = "error.choose"
	}
	if f.Level != "" && !validLevel(f.Level) {
		fields["level"] = "error.choose"
	}
	if f.Sort != "" && !slices.Contains([]library.Sort{library.SortNewest, library.SortTitle, library.SortRelevance}, f.Sort) {
		fields["sort"] = "error.choose"
	}
	for name, dst := range map[string]*int{"horizon_year": &f.HorizonYear, "year": &f.Year} {
		if v := q.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < library.MinYear || n > library.MaxYear {
				fields[name] = "api.year_invalid"
			}
			*dst = n
		}
	}
	if v := q.Get("organization"); v != "" {
		id, err := s.orgID(r, v)
		if err != nil {
			return f, err
		}
		if id == 0 {
			fields["organization"] = "api.organization_unknown"
		}
		f.OrganisationID = id
	}
	if err := fields.Err(); err != nil {
		return f, err
	}
	return f, nil
}

// orgID resolves an organisation given by id or slug, among those the
// caller may see; 0 when there is none.
func (s *Server) orgID(r *http.Request, v string) (int64, error) {
	if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
		return id, nil
	}
	o, err := s.accounts.Organisation(r.Context(), account.ActorFrom(r.Context()), v)
	if errs.Is(err, errs.NotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return o.ID, nil
}

func (s *worksAPI) listWorks(w http.ResponseWriter, r *http.Request) error {
	limit, err := pageLimit(r)
	if err != nil {
		return err
	}
	f, err := s.workFilter(r)
	if err != nil {
		return err
	}
	f.Limit = min(limit, library.MaxLimit)
	search := strings.TrimSpace(f.Query) != ""
	if c := r.URL.Query().Get("cursor"); c != "" {
		if search {
			// With a query, pages go by offset; the cursor is that offset.
			n, err := strconv.Atoi(c)
			if err != nil || n < 0 {
				return errs.Fields{"cursor": "library.cursor_invalid"}.Err()
			}
			f.Offset = n
		} else {
			f.Cursor = c
		}
	}
	p, err := s.svc.List(r.Context(), account.ActorFrom(r.Context()), f)
	if err != nil {
		if errs.Is(err, errs.Invalid) && errs.As(err).Key == "library.cursor_invalid" {
			return errs.Fields{"cursor": "library.cursor_invalid"}.Err()
		}
		return err
	}
	list := List[Work]{Items: []Work{}}
	for i := range p.Works {
		list.Items = append(list.Items, s.work(r.Context(), &p.Works[i]))
	}
	switch {
	case search && p.More:
		next := strconv.Itoa(f.Offset + f.Limit)
		list.Next = &next
	case !search && p.Next != "":
		list.Next = &p.Next
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}

func (s *worksAPI) getWork(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	work, err := s.svc.Get(r.Context(), account.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.work(r.Context(), work))
	return nil
}

func (s *worksAPI) createWork(w http.ResponseWriter, r *http.Request) error {
	var in WorkInput
	if err := httpx.DecodeJSON(r.Body, &in); err != nil {
		return err
	}
	f := errs.Fields{}
	work := &library.Work{}
	in.apply(work, f)
	if err := f.Err(); err != nil {
		return err
	}
	created, err := s.svc.Create(r.Context(), account.ActorFrom(r.Context()), work)
	if err != nil {
		return workErr(err)
	}
	w.Header().Set("Location", s.baseURL+"/api/v1/works/"+strconv.FormatInt(created.ID, 10))
	writeJSON(w, http.StatusCreated, s.work(r.Context(), created))
	return nil
}

// patchWork changes only the fields the body names. A "version" in the
// body is the version the client edited; a newer stored one is 409.
func (s *worksAPI) patchWork(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	a := account.ActorFrom(r.Context())
	if !a.SignedIn() {
		return errs.E(errs.Unauthorized, "error.sign_in")
	}
	cur, err := s.svc.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	if !library.CanEdit(a, cur) {
		return errs.E(errs.Forbidden, "library.forbidden")
	}
	in := inputOf(cur)
	if err := httpx.DecodeJSON(r.Body, &in); err != nil {
		return err
	}
	f := errs.Fields{}
	work := *cur
	in.apply(&work, f)
	if err := f.Err(); err != nil {
		return err
	}
	saved, err := s.svc.Update(r.Context(), a, &work)
	if err != nil {
		return workErr(err)
	}
	writeJSON(w, http.StatusOK, s.work(r.Context(), saved))
	return nil
}

func (s *worksAPI) deleteWork(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svc.Delete(r.Context(), account.ActorFrom(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// Revision is one saved version of a work.
type Revision struct {
	Version      int       `json:"version"`
	UserID       int64     `json:"user_id,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	Changed      []string  `json:"changed"`
	RestoredFrom int       `json:"restored_from,omitempty"`
}

func (s *worksAPI) listWorkRevisions(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	revs, err := s.svc.Revisions(r.Context(), account.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	list := List[Revision]{Items: []Revision{}}
	for _, rv := range revs {
		list.Items = append(list.Items, Revision{Version: rv.Version, UserID: rv.UserID, CreatedAt: rv.CreatedAt,
			Changed: orEmpty(rv.Changed), RestoredFrom: rv.RestoredFrom})
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}
