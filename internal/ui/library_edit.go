package ui

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/media"
	"github.com/framsyn/framsyn/internal/paths"
)

// linkRows is how many link rows the form has beyond the work's links,
// so links can be added without JavaScript.
const linkRows = 3

type workFormPage struct {
	base
	Work       *library.Work
	New        bool
	Slug       string                 // the stored slug, where the form is sent
	Orgs       []account.Organisation // where the user may publish
	AllOrgs    []account.Organisation // co-organisations and their contacts
	Types      []library.Type
	Visibility []library.Visibility
	LinkKinds  []library.LinkKind
	Links      []library.Link // the rows of the form
	Images     []library.Attachment
	Conflict   bool
	Crosses    []cross.Cross // the crosses the editor may see, to choose the one the work shows
	CrossKept  bool          // the work shows a cross the editor may not see: "keep" keeps it
}

// workCrossFromForm reads the form's cross into w: "" none, "keep" old's
// (one the editor may not see, never named on the form), or an id.
func workCrossFromForm(r *http.Request, w, old *library.Work, bad map[string]string) {
	switch v := r.PostFormValue("cross"); v {
	case "":
		w.CrossID = 0
	case "keep":
		if old != nil {
			w.CrossID = old.CrossID
		}
	default:
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			bad["cross"] = "library.cross_unknown"
		}
		w.CrossID = id
	}
}

// setCrosses lists the crosses the editor may choose, the work's own
// first when the list would leave it out.
func (s *libraryPages) setCrosses(r *http.Request, p *workFormPage) error {
	if s.cfg.Crosses == nil {
		return nil
	}
	cs, err := s.cfg.Crosses.List(r.Context(), p.Actor, cross.ListQuery{Limit: cross.MaxLimit, Summary: true})
	if err != nil {
		return err
	}
	p.Crosses = cs
	if id := p.Work.CrossID; id != 0 && !slices.ContainsFunc(cs, func(c cross.Cross) bool { return c.ID == id }) {
		c, err := s.cfg.Crosses.Get(r.Context(), p.Actor, id)
		switch {
		case err == nil:
			p.Crosses = append([]cross.Cross{*c}, cs...)
		case errs.Is(err, errs.NotFound):
			p.CrossKept = true
		default:
			return err
		}
	}
	return nil
}

func (s *libraryPages) newWorkForm(r *http.Request, a *account.Actor, w *library.Work, isNew bool) (*workFormPage, error) {
	titleKey := "library.edit.title"
	if isNew {
		titleKey = "library.new.title"
	}
	p := &workFormPage{base: s.base(r, titleKey), Work: w, New: isNew, Types: library.Types,
		Visibility: library.Visibilities, LinkKinds: library.LinkKinds}
	orgs, err := s.orgIndex(r, a)
	if err != nil {
		return nil, err
	}
	p.Orgs, p.AllOrgs = orgs.publishable(a), orgs.sorted()
	if !isNew && !slices.ContainsFunc(p.Orgs, func(o account.Organisation) bool { return o.ID == w.OrganisationID }) {
		if o := orgs.byID[w.OrganisationID]; o != nil { // a platform admin's view of another owner
			p.Orgs = append([]account.Organisation{*o}, p.Orgs...)
		}
	}
	if !isNew {
		p.Slug = w.Slug
	}
	p.setLinks(w.Links)
	if err := s.setCrosses(r, p); err != nil {
		return nil, err
	}
	for _, at := range w.Attachments {
		if media.IsImage(at.MediaType) {
			p.Images = append(p.Images, at)
		}
	}
	return p, nil
}

func (p *workFormPage) setLinks(links []library.Link) {
	p.Links = append(slices.Clone(links), make([]library.Link, linkRows)...)
}

// HasOrg reports whether id is among ids (for selected options).
func (p *workFormPage) HasOrg(ids []int64, id int64) bool { return slices.Contains(ids, id) }

// Joined joins tags for a one-line field.
func (p *workFormPage) Joined(tags []string) string { return strings.Join(tags, ", ") }

// Lines joins the steps of an experience report, one a line.
func (p *workFormPage) Lines(steps []string) string { return strings.Join(steps, "\n") }

// Exp returns the experience report to fill the form from, never nil.
func (p *workFormPage) Exp() *library.ExperienceReport {
	if p.Work.Experience == nil {
		return &library.ExperienceReport{}
	}
	return p.Work.Experience
}

// Inc returns i+1, to number rows from 1.
func (p *workFormPage) Inc(i int) int { return i + 1 }

// List returns its arguments, to range over field names.
func (p *workFormPage) List(s ...string) []string { return s }

// ExpText returns a text field of the experience report by form name.
func (p *workFormPage) ExpText(field string) string {
	e := p.Exp()
	switch field {
	case "purpose":
		return e.Purpose
	case "participants":
		return e.Participants
	case "worked":
		return e.Worked
	case "change":
		return e.Change
	case "ask_whom":
		return e.AskWhom
	}
	return ""
}

// Num formats a number for a form field; zero is empty.
func (p *workFormPage) Num(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func (s *libraryPages) showNewWork(w http.ResponseWriter, r *http.Request) error {
	a := account.ActorFrom(r.Context())
	wk := &library.Work{Language: "sv", Licence: library.DefaultLicence, Visibility: library.Draft, Type: library.TypeScenario}
	p, err := s.newWorkForm(r, a, wk, true)
	if err != nil {
		return err
	}
	if len(p.Orgs) == 0 {
		return errs.E(errs.Forbidden, "library.forbidden")
	}
	if len(p.Orgs) == 1 {
		wk.OrganisationID = p.Orgs[0].ID
	}
	s.render(w, r, http.StatusOK, "library_form", p)
	return nil
}

func (s *libraryPages) createWork(w http.ResponseWriter, r *http.Request) error {
	a := account.ActorFrom(r.Context())
	wk := &library.Work{}
	rows, bad := workFromForm(r, wk)
	workCrossFromForm(r, wk, nil, bad)
	p, err := s.newWorkForm(r, a, wk, true)
	if err != nil {
		return err
	}
	if err := checkParsed(wk, bad); err != nil {
		return s.workFormError(w, r, p, rows, err)
	}
	saved, err := s.cfg.Library.Create(r.Context(), a, wk)
	if err != nil {
		return s.workFormError(w, r, p, rows, err)
	}
	s.redirect(w, r, paths.Work(saved.Slug), "library.created")
	return nil
}

// editableWork loads the work in the path for its editors: hidden works
// are NotFound, visible ones Forbidden to others.
func (s *libraryPages) editableWork(r *http.Request) (*library.Work, *account.Actor, error) {
	wk, a, err := s.loadWork(r)
	if err != nil {
		return nil, nil, err
	}
	if !library.CanEdit(a, wk) {
		return nil, nil, errs.E(errs.Forbidden, "library.forbidden")
	}
	return wk, a, nil
}

func (s *libraryPages) showEditWork(w http.ResponseWriter, r *http.Request) error {
	wk, a, err := s.editableWork(r)
	if err != nil {
		return err
	}
	p, err := s.newWorkForm(r, a, wk, false)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "library_form", p)
	return nil
}

func (s *libraryPages) updateWork(w http.ResponseWriter, r *http.Request) error {
	old, a, err := s.editableWork(r)
	if err != nil {
		return err
	}
	wk := &library.Work{ID: old.ID, Attachments: old.Attachments, Source: old.Source} // the form edits neither
	rows, bad := workFromForm(r, wk)
	workCrossFromForm(r, wk, old, bad)
	if wk.CoverImage != "" && !slices.ContainsFunc(old.Attachments, func(at library.Attachment) bool {
		return at.Hash == wk.CoverImage && media.IsImage(at.MediaType)
	}) {
		bad["cover_image"] = "library.cover_invalid"
	}
	p, err := s.newWorkForm(r, a, wk, false)
	if err != nil {
		return err
	}
	p.Slug = old.Slug
	if wk.Version == 0 {
		bad["version"] = "error.invalid"
	}
	if err := checkParsed(wk, bad); err != nil {
		return s.workFormError(w, r, p, rows, err)
	}
	saved, err := s.cfg.Library.Update(r.Context(), a, wk)
	if err != nil {
		return s.workFormError(w, r, p, rows, err)
	}
	s.redirect(w, r, paths.Work(saved.Slug), "library.saved")
	return nil
}

func (s *libraryPages) deleteWork(w http.ResponseWriter, r *http.Request) error {
	wk, a, err := s.editableWork(r)
	if err != nil {
		return err
	}
	if r.PostFormValue("confirm") != "yes" {
		return errs.E(errs.Invalid, "library.delete_confirm")
	}
	if err := s.cfg.Library.Delete(r.Context(), a, wk.ID); err != nil {
		return err
	}
	s.redirect(w, r, "/bibliotek", "library.deleted")
	return nil
}

// workFormError shows the form again with the input kept: the messages of
// an Invalid error by field, or a Conflict's message with the stored
// version's number, so the next save knowingly overwrites it.
func (s *libraryPages) workFormError(w http.ResponseWriter, r *http.Request, p *workFormPage, rows []int, err error) error {
	e := errs.As(err)
	status := http.StatusUnprocessableEntity
	switch e.Kind {
	case errs.Invalid:
		p.Errors = formFields(e.Fields, rows)
		if len(p.Errors) == 0 {
			p.Error = e.Key
		}
	case errs.Conflict:
		status = http.StatusConflict
		if e.Key == "library.edited_meanwhile" {
			p.Conflict = true
			if cur, err := s.cfg.Library.Get(r.Context(), p.Actor, p.Work.ID); err == nil {
				p.Work.Version = cur.Version
			}
		} else {
			p.Errors = formFields(errs.Fields{"slug": e.Key}, rows)
		}
	default:
		return err
	}
	p.Form = r.PostForm
	p.setLinks(p.Work.Links)
	s.render(w, r, status, "library_form", p)
	return nil
}

var indexRE = regexp.MustCompile(`\[(\d+)\]`)

// formFields turns the domain's field names into the form's ids:
// "links[2].url" is "links_2_url" (row 2 as the form numbered it),
// "experience.purpose" is "experience_purpose", and an entry of a
// multiple choice ("contacts[1]") is the choice ("contacts").
func formFields(f errs.Fields, rows []int) errs.Fields {
	out := errs.Fields{}
	for k, v := range f {
		switch {
		case strings.HasPrefix(k, "links["):
			m := indexRE.FindStringSubmatch(k)
			i, _ := strconv.Atoi(m[1])
			if i < len(rows) {
				i = rows[i]
			}
			k = "links_" + strconv.Itoa(i) + k[strings.Index(k, "]")+1:]
		case strings.HasPrefix(k, "co_organisations"), strings.HasPrefix(k, "contacts"), strings.HasPrefix(k, "experience.steps"),
			strings.HasPrefix(k, "attachments"):
			k = indexRE.ReplaceAllString(k, "")
		}
		k = strings.ReplaceAll(k, ".", "_")
		if _, ok := out[k]; !ok {
			out[k] = v
		}
	}
	return out
}

// workFromForm reads the form into w. It returns the form row of each
// kept link (empty rows are dropped) and the fields that did not parse.
func workFromForm(r *http.Request, w *library.Work) ([]int, errs.Fields) {
	bad := errs.Fields{}
	v := r.PostForm
	w.Title, w.Slug, w.Type = v.Get("title"), v.Get("slug"), library.Type(v.Get("type"))
	w.Summary, w.BodyMD = v.Get("summary"), strings.ReplaceAll(v.Get("body"), "\r\n", "\n")
	w.OrganisationID = formID(v.Get("organisation"))
	w.CoOrganisationIDs, w.ContactIDs = nil, nil
	for _, s := range v["co_organisations"] {
		w.CoOrganisationIDs = append(w.CoOrganisationIDs, formID(s))
	}
	for _, s := range v["contacts"] {
		w.ContactIDs = append(w.ContactIDs, formID(s))
	}
	w.HorizonYear = formInt(bad, "horizon_year", "library.horizon_year_invalid", v.Get("horizon_year"))
	w.Methods, w.Themes = splitTags(v.Get("methods")), splitTags(v.Get("themes"))
	dateFromForm(r, &w.Date, &w.DatePrecision, bad)
	w.Language, w.Licence = v.Get("language"), v.Get("licence")
	w.Visibility = library.Visibility(v.Get("visibility"))
	w.CoverImage = strings.TrimSpace(v.Get("cover_image"))
	w.Version = formInt(bad, "version", "error.invalid", v.Get("version"))
	var rows []int
	w.Links = nil
	for i := 0; i < library.MaxLinks+linkRows; i++ {
		n := "links_" + strconv.Itoa(i) + "_"
		if _, ok := v[n+"url"]; !ok {
			break
		}
		l := library.Link{Kind: library.LinkKind(v.Get(n + "kind")), URL: v.Get(n + "url"), Title: v.Get(n + "title")}
		if strings.TrimSpace(l.URL) == "" && strings.TrimSpace(l.Title) == "" {
			continue
		}
		w.Links, rows = append(w.Links, l), append(rows, i)
	}
	e := &library.ExperienceReport{
		Purpose: v.Get("experience_purpose"), Participants: v.Get("experience_participants"),
		TimeUsed: v.Get("experience_time_used"), Worked: v.Get("experience_worked"),
		Change: v.Get("experience_change"), AskWhom: v.Get("experience_ask_whom"),
		Steps: strings.Split(strings.ReplaceAll(v.Get("experience_steps"), "\r\n", "\n"), "\n"),
	}
	e.Count = formInt(bad, "experience_participant_count", "library.participant_count_invalid", v.Get("experience_participant_count"))
	w.Experience = e // Validate drops an empty report
	return rows, bad
}

// checkParsed returns the fields that did not parse together with what
// Validate finds in the rest, so one round shows every error; nil when
// everything parsed (the Service validates then).
func checkParsed(w *library.Work, bad errs.Fields) error {
	if len(bad) == 0 {
		return nil
	}
	c := *w
	if w.Experience != nil {
		e := *w.Experience
		c.Experience = &e
	}
	f := errs.Fields{}
	if err := c.Validate(); err != nil {
		f = errs.As(err).Fields
	}
	for k, v := range bad {
		f[strings.Replace(k, "experience_", "experience.", 1)] = v
	}
	return f.Err()
}

func formID(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func formInt(bad errs.Fields, field, key, s string) int {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		bad[field] = key
	}
	return n
}

// splitTags reads a comma-separated list of methods or themes.
func splitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}
