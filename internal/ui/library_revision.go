package ui

import (
	"net/http"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/paths"
)

type revisionsPage struct {
	base
	Work      *library.Work
	Revisions []revisionItem
}

// revisionItem is a revision with the name of who saved it.
type revisionItem struct {
	library.Revision
	Editor string
}

// editorNames names the users who may have saved a work's revisions: the
// members of its owning organisation, and for a platform admin the users
// ids names.
func (s *libraryPages) editorNames(r *http.Request, a *account.Actor, w *library.Work, ids ...int64) map[int64]string {
	names := map[int64]string{a.UserID(): a.User.Name}
	if ms, err := s.cfg.Accounts.Members(r.Context(), a, w.OrganisationID); err == nil {
		for _, m := range ms {
			names[m.UserID] = m.UserName
		}
	}
	if a.IsAdmin() {
		// Editors who are no members: read one by one, only those.
		for _, id := range ids {
			if _, ok := names[id]; !ok && id != 0 {
				if u, err := s.cfg.Accounts.User(r.Context(), a, id); err == nil {
					names[id] = u.Name
				}
			}
		}
	}
	return names
}

func (s *libraryPages) editorName(p *base, names map[int64]string, id int64) string {
	if n, ok := names[id]; ok && id != 0 {
		return n
	}
	return p.T("library.rev.someone")
}

func (s *libraryPages) showRevisions(w http.ResponseWriter, r *http.Request) error {
	wk, a, err := s.editableWork(r)
	if err != nil {
		return err
	}
	revs, err := s.cfg.Library.Revisions(r.Context(), a, wk.ID)
	if err != nil {
		return err
	}
	p := &revisionsPage{base: s.base(r, "library.rev.title"), Work: wk}
	var ids []int64
	for _, rv := range revs {
		ids = append(ids, rv.UserID)
	}
	names := s.editorNames(r, a, wk, ids...)
	for _, rv := range revs {
		p.Revisions = append(p.Revisions, revisionItem{Revision: rv, Editor: s.editorName(&p.base, names, rv.UserID)})
	}
	s.render(w, r, http.StatusOK, "library_revisions", p)
	return nil
}

// showRevision shows an old version as its work page would have.
func (s *libraryPages) showRevision(w http.ResponseWriter, r *http.Request) error {
	cur, a, err := s.editableWork(r)
	if err != nil {
		return err
	}
	n, err := httpx.Int(r, "n")
	if err != nil {
		return err
	}
	rev, err := s.cfg.Library.Revision(r.Context(), a, cur.ID, n)
	if err != nil {
		return err
	}
	old, err := rev.Work()
	if err != nil {
		return errs.Wrap(errs.Internal, "error.internal", err)
	}
	old.ID, old.Version, old.UpdatedAt = cur.ID, rev.Version, rev.CreatedAt
	old.Slug = cur.Slug // the attachments are served under the current address
	p, err := s.newWorkPage(r, a, old)
	if err != nil {
		return err
	}
	p.Revision, p.Current = rev, cur.Version
	p.Editor = s.editorName(&p.base, s.editorNames(r, a, cur, rev.UserID), rev.UserID)
	p.Title = p.T("library.rev.version_of", rev.Version, cur.Title)
	s.render(w, r, http.StatusOK, "library_work", p)
	return nil
}

func (s *libraryPages) restoreRevision(w http.ResponseWriter, r *http.Request) error {
	cur, a, err := s.editableWork(r)
	if err != nil {
		return err
	}
	n, err := httpx.Int(r, "n")
	if err != nil {
		return err
	}
	saved, err := s.cfg.Library.Restore(r.Context(), a, cur.ID, n)
	if err != nil {
		return err
	}
	s.redirect(w, r, paths.WorkRevisions(saved.Slug), "library.rev.restored")
	return nil
}
