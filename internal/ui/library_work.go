package ui

import (
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/media"
)

// orgIndex holds organisations a viewer may see, to name and link the
// organisations and contacts of works.
type orgIndex struct {
	list []account.Organisation
	byID map[int64]*account.Organisation
}

func newOrgIndex(orgs []account.Organisation) *orgIndex {
	x := &orgIndex{list: orgs, byID: make(map[int64]*account.Organisation, len(orgs))}
	for i := range orgs {
		x.byID[orgs[i].ID] = &orgs[i]
	}
	return x
}

// orgIndex holds every organisation a may see: for the work form's
// choice of co-organisations only, never for a list.
func (s *libraryPages) orgIndex(r *http.Request, a *account.Actor) (*orgIndex, error) {
	orgs, err := s.cfg.Accounts.Organisations(r.Context(), a, account.OrgFilter{})
	if err != nil {
		return nil, err
	}
	return newOrgIndex(orgs), nil
}

// orgsOf holds the organisations of the works shown that a may see, read
// by id: a page of works costs the same however large the network.
func (s *libraryPages) orgsOf(r *http.Request, a *account.Actor, works []library.Work) (*orgIndex, error) {
	ids := []int64{}
	seen := map[int64]bool{}
	for i := range works {
		for _, id := range works[i].OrgIDs() {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		return newOrgIndex(nil), nil
	}
	orgs, err := s.cfg.Accounts.Organisations(r.Context(), a, account.OrgFilter{IDs: ids})
	if err != nil {
		return nil, err
	}
	return newOrgIndex(orgs), nil
}

// canPublishSomewhere reports whether a may publish a work at all: as a
// platform admin, or as an editor of an organisation.
func canPublishSomewhere(a *account.Actor) bool {
	if a.IsAdmin() {
		return true
	}
	for _, id := range a.OrgIDs() {
		if library.CanPublish(a, id) {
			return true
		}
	}
	return false
}

// sorted returns the organisations by name in Swedish order.
func (x *orgIndex) sorted() []account.Organisation {
	out := slices.Clone(x.list)
	sortByName(out)
	return out
}

// of returns a work's organisations the viewer may see, the owner first.
func (x *orgIndex) of(w *library.Work) []account.Organisation {
	var out []account.Organisation
	for _, id := range w.OrgIDs() {
		if o := x.byID[id]; o != nil {
			out = append(out, *o)
		}
	}
	return out
}

// contacts returns a work's contact persons, in the work's order.
func (x *orgIndex) contacts(w *library.Work) []account.Contact {
	var out []account.Contact
	for _, id := range w.ContactIDs {
		for _, oid := range w.OrgIDs() {
			if o := x.byID[oid]; o != nil {
				if i := slices.IndexFunc(o.Contacts, func(c account.Contact) bool { return c.ID == id }); i >= 0 {
					out = append(out, o.Contacts[i])
				}
			}
		}
	}
	return out
}

// publishable returns the organisations where a may publish, by name.
func (x *orgIndex) publishable(a *account.Actor) []account.Organisation {
	var out []account.Organisation
	for _, o := range x.list {
		if library.CanPublish(a, o.ID) {
			out = append(out, o)
		}
	}
	sortByName(out)
	return out
}

// workPage shows a work: the current version, or an old one (Revision set).
type workPage struct {
	base
	Work     *library.Work
	Orgs     []account.Organisation
	Contacts []account.Contact
	Images   []library.Attachment // image attachments, for the cover choice
	CanEdit  bool
	Revision *library.Revision // set when an old version is shown
	Current  int               // the current version, when an old one is shown
	Editor   string            // who saved the version shown
	Comments *commentsView     // the thread, on the current version's page
	Cross    *cross.Cross      // the cross the work shows, when the viewer may see it
}

// CrossSVG draws the work's cross.
func (p *workPage) CrossSVG() template.HTML {
	return drawCross(crossDrawingOf(p.Cross, "work-cross", p.T))
}

// CrossAlt is the cross's text alternative, shown beside the drawing.
func (p *workPage) CrossAlt() string { return crossDrawingOf(p.Cross, "work-cross", p.T).Desc }

// visibleCross returns the cross id when a may see it, else nil: a
// hidden or deleted cross leaves no trace on the page.
func (s *libraryPages) visibleCross(r *http.Request, a *account.Actor, id int64) (*cross.Cross, error) {
	if id == 0 || s.cfg.Crosses == nil {
		return nil, nil
	}
	c, err := s.cfg.Crosses.Get(r.Context(), a, id)
	if errs.Is(err, errs.NotFound) {
		return nil, nil
	}
	return c, err
}

// loadWork returns the work named in the path, as the viewer may see it.
func (s *libraryPages) loadWork(r *http.Request) (*library.Work, *account.Actor, error) {
	a := account.ActorFrom(r.Context())
	w, err := s.cfg.Library.GetBySlug(r.Context(), a, httpx.Path(r, "slug"))
	return w, a, err
}

func (s *libraryPages) newWorkPage(r *http.Request, a *account.Actor, w *library.Work) (*workPage, error) {
	p := &workPage{base: s.base(r, ""), Work: w, CanEdit: library.CanEdit(a, w)}
	p.Title = w.Title
	orgs, err := s.orgsOf(r, a, []library.Work{*w})
	if err != nil {
		return nil, err
	}
	p.Orgs, p.Contacts = orgs.of(w), orgs.contacts(w)
	if p.Cross, err = s.visibleCross(r, a, w.CrossID); err != nil {
		return nil, err
	}
	return p, nil
}

func (s *libraryPages) showWork(w http.ResponseWriter, r *http.Request) error {
	wk, a, err := s.loadWork(r)
	if err != nil {
		return err
	}
	p, err := s.newWorkPage(r, a, wk)
	if err != nil {
		return err
	}
	if p.Comments, err = loadComments(r, s.cfg.Comments, &p.base, library.Kind, wk.ID); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "library_work", p)
	return nil
}

// IsImage reports whether an attachment is a picture, shown as one.
func (p *workPage) IsImage(at library.Attachment) bool { return media.IsImage(at.MediaType) }

// IsAudio reports whether an attachment is sound, given a player.
func (p *workPage) IsAudio(at library.Attachment) bool {
	_, ok := media.Attachments[at.MediaType]
	return ok && strings.HasPrefix(at.MediaType, "audio/")
}

// Cover returns the work's cover image attachment, or nil.
func (p *workPage) Cover() *library.Attachment { return coverOf(p.Work) }

// FileKind returns the catalogue key naming an attachment's kind.
func (p *workPage) FileKind(at library.Attachment) string {
	switch {
	case at.MediaType == "application/pdf":
		return "library.filekind.pdf"
	case media.IsImage(at.MediaType):
		return "library.filekind.image"
	case strings.HasPrefix(at.MediaType, "audio/"):
		return "library.filekind.audio"
	}
	return "library.filekind.other"
}

// Size formats a file size in kB or MB, Swedish style.
func (p *workPage) Size(n int64) string {
	if n < 1000*1000 {
		return strconv.FormatInt(max((n+999)/1000, 1), 10) + " kB"
	}
	mb := strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64)
	if p.Lang == "sv" {
		mb = strings.Replace(mb, ".", ",", 1)
	}
	return mb + " MB"
}

// LangName names a language code, or shows the code when it has no name.
func (p *workPage) LangName(code string) string {
	if p.Has("library.lang." + code) {
		return p.T("library.lang." + code)
	}
	return code
}

// ContactOrg is the name of the organisation a contact person of the work
// speaks for, "" when it is not one of the work's.
func (p *workPage) ContactOrg(c account.Contact) string {
	for _, o := range p.Orgs {
		if o.ID == c.OrganisationID {
			return o.Name
		}
	}
	return ""
}
