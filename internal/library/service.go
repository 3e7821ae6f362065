package library

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/media"
)

// Service is the library: validation, permissions, revisions, listing,
// search, export and import of works over a Store. The HTML pages and the
// JSON API call the same methods.
type Service struct {
	store Store
	files *media.Store // attachments' content; nil: archives and file links are unavailable
	now   func() time.Time
	// seesCross reports whether a may see the scenario cross id; nil:
	// no cross may be named (the crosses import the library, so the
	// check comes in from outside).
	seesCross func(ctx context.Context, a *account.Actor, id int64) (bool, error)
	// suggest caches Suggestions.
	suggest suggestCache
}

// NewService returns a Service over store.
func NewService(store Store) *Service {
	return &Service{store: store, now: time.Now}
}

// SetFiles gives the Service the store of attachments' content, which
// archives export and import (the checks of an upload apply to both).
func (s *Service) SetFiles(m *media.Store) { s.files = m }

// SetCrosses sets how the service learns whether a viewer may see a
// scenario cross: a work names one only if its editor may see it, and
// shows or exports it only to those who may.
func (s *Service) SetCrosses(sees func(ctx context.Context, a *account.Actor, id int64) (bool, error)) {
	s.seesCross = sees
}

// SeesCross reports whether a may see the cross id (false for 0).
func (s *Service) SeesCross(ctx context.Context, a *account.Actor, id int64) (bool, error) {
	if id == 0 || s.seesCross == nil {
		return false, nil
	}
	return s.seesCross(ctx, a, id)
}

// checkCross adds to f a cross w names that a may not see, unless old
// named the same one already (an editor who cannot see a colleague's
// cross keeps it by leaving it as it is).
func (s *Service) checkCross(ctx context.Context, f errs.Fields, a *account.Actor, w, old *Work) error {
	if w.CrossID == 0 || (old != nil && old.CrossID == w.CrossID) {
		return nil
	}
	ok, err := s.SeesCross(ctx, a, w.CrossID)
	if err != nil {
		return err
	}
	if !ok {
		f["cross"] = "library.cross_unknown"
	}
	return nil
}

// SetClock replaces the clock, for tests.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Create publishes a new work (or saves a draft: Visibility Draft) owned
// by w.OrganisationID, authored by a, and records version 1. It returns
// Unauthorized for the public, Forbidden unless a edits for the owning
// organisation, Invalid with field keys for bad input, and Conflict when
// the slug is taken.
func (s *Service) Create(ctx context.Context, a *account.Actor, w *Work) (*Work, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	autoSlug := strings.TrimSpace(w.Slug) == ""
	// Rights first: an organisation a may not publish for answers the
	// same whether it exists, is hidden or is unknown.
	if w.OrganisationID > 0 && !CanPublish(a, w.OrganisationID) {
		return nil, errs.E(errs.Forbidden, "library.forbidden")
	}
	if err := s.check(ctx, a, w, nil); err != nil {
		return nil, err
	}
	if !CanPublish(a, w.OrganisationID) {
		return nil, errs.E(errs.Forbidden, "library.forbidden")
	}
	now := s.now().UTC()
	w.ID, w.Version, w.AuthorID, w.CreatedAt, w.UpdatedAt = 0, 1, a.UserID(), now, now
	base := w.Slug
	for n := 2; ; n++ {
		rev := &Revision{Version: 1, UserID: a.UserID(), CreatedAt: now, Changed: Changed(nil, w), Snapshot: snapshot(w)}
		err := s.store.CreateWork(ctx, w, rev)
		// A slug made from the title gets a number when it is taken.
		if autoSlug && errs.Is(err, errs.Conflict) && n < 100 {
			w.Slug = numbered(base, n)
			continue
		}
		if err != nil {
			return nil, err
		}
		return w, nil
	}
}

// numbered returns slug with "-n" appended, within MaxSlugLen.
func numbered(slug string, n int) string {
	suffix := "-" + strconv.Itoa(n)
	if len(slug)+len(suffix) > MaxSlugLen {
		slug = strings.TrimSuffix(slug[:MaxSlugLen-len(suffix)], "-")
	}
	return slug + suffix
}

// Get returns a work a may see; a hidden work is NotFound, as if it did
// not exist.
func (s *Service) Get(ctx context.Context, a *account.Actor, id int64) (*Work, error) {
	w, err := s.store.Work(ctx, id)
	if err != nil {
		return nil, err
	}
	if !CanSee(a, w) {
		return nil, errs.E(errs.NotFound, "error.not_found")
	}
	return w, nil
}

// Visible returns the works among ids that a may see, in the order of
// ids, in one query: a page of search hits loads its works at once.
func (s *Service) Visible(ctx context.Context, a *account.Actor, ids []int64) ([]Work, error) {
	works, err := s.store.WorksByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(works, func(w Work) bool { return !CanSee(a, &w) }), nil
}

// GetBySlug returns a work by its slug, like Get.
func (s *Service) GetBySlug(ctx context.Context, a *account.Actor, slug string) (*Work, error) {
	w, err := s.store.WorkBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	if !CanSee(a, w) {
		return nil, errs.E(errs.NotFound, "error.not_found")
	}
	return w, nil
}

// Update saves an edited work and records a revision naming the changed
// fields, in one transaction. w.Version must be the version the edit
// started from (0 skips the check); another save in between is a
// Conflict. Moving a work to another organisation needs edit rights in
// both. Nothing changed: nothing is written and the stored work returns.
func (s *Service) Update(ctx context.Context, a *account.Actor, w *Work) (*Work, error) {
	return s.update(ctx, a, w, 0)
}

func (s *Service) update(ctx context.Context, a *account.Actor, w *Work, restoredFrom int) (*Work, error) {
	ctx = account.WithActor(ctx, a) // the audit log records who
	old, err := s.editable(ctx, a, w.ID)
	if err != nil {
		return nil, err
	}
	if w.Version != 0 && w.Version != old.Version {
		return nil, errs.E(errs.Conflict, "library.edited_meanwhile")
	}
	if w.OrganisationID != old.OrganisationID && !CanPublish(a, w.OrganisationID) {
		return nil, errs.E(errs.Forbidden, "library.forbidden")
	}
	if err := s.check(ctx, a, w, old); err != nil {
		return nil, err
	}
	changed := Changed(old, w)
	if len(changed) == 0 {
		return old, nil
	}
	now := s.now().UTC()
	w.Version, w.AuthorID, w.CreatedAt, w.UpdatedAt = old.Version+1, old.AuthorID, old.CreatedAt, now
	rev := &Revision{WorkID: w.ID, Version: w.Version, UserID: a.UserID(), CreatedAt: now,
		Changed: changed, RestoredFrom: restoredFrom, Snapshot: snapshot(w)}
	if err := s.store.UpdateWork(ctx, w, rev); err != nil {
		return nil, err
	}
	return w, nil
}

// editable loads a work a may edit: NotFound if a may not see it,
// Forbidden if a may see but not edit it.
func (s *Service) editable(ctx context.Context, a *account.Actor, id int64) (*Work, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	w, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !CanEdit(a, w) {
		return nil, errs.E(errs.Forbidden, "library.forbidden")
	}
	return w, nil
}

// Delete removes a work with its revisions.
func (s *Service) Delete(ctx context.Context, a *account.Actor, id int64) error {
	if _, err := s.editable(ctx, a, id); err != nil {
		return err
	}
	return s.store.DeleteWork(ctx, id)
}

// Revisions lists a work's revisions, newest first, for those who may
// edit it: old versions may hold what a narrower visibility once hid.
func (s *Service) Revisions(ctx context.Context, a *account.Actor, id int64) ([]Revision, error) {
	if _, err := s.editable(ctx, a, id); err != nil {
		return nil, err
	}
	return s.store.Revisions(ctx, id)
}

// Revision returns one revision with its snapshot, for those who may edit.
func (s *Service) Revision(ctx context.Context, a *account.Actor, id int64, version int) (*Revision, error) {
	if _, err := s.editable(ctx, a, id); err != nil {
		return nil, err
	}
	return s.store.Revision(ctx, id, version)
}

// Restore makes an old version current again, as a new revision that
// records which version it restored; history is never rewritten.
// Co-organisations and contacts that no longer exist are left out.
func (s *Service) Restore(ctx context.Context, a *account.Actor, id int64, version int) (*Work, error) {
	cur, err := s.editable(ctx, a, id)
	if err != nil {
		return nil, err
	}
	rev, err := s.store.Revision(ctx, id, version)
	if err != nil {
		return nil, err
	}
	w, err := rev.Work()
	if err != nil {
		return nil, errs.Wrap(errs.Internal, "error.internal", err)
	}
	refs, err := s.store.Refs(ctx)
	if err != nil {
		return nil, err
	}
	w.CoOrganisationIDs = slices.DeleteFunc(w.CoOrganisationIDs, func(id int64) bool { return refs.Org(id) == nil })
	w.ContactIDs = slices.DeleteFunc(w.ContactIDs, func(id int64) bool { return refs.Contact(id) == nil })
	if w.CrossID != cur.CrossID {
		// A cross deleted since, or one the restorer may not see, is left out.
		if ok, err := s.SeesCross(ctx, a, w.CrossID); err != nil {
			return nil, err
		} else if !ok {
			w.CrossID = cur.CrossID
		}
	}
	w.ID, w.Version = id, cur.Version
	return s.update(ctx, a, w, version)
}

// check validates w and that the organisations and contacts it names
// exist; a contact must belong to one of the work's organisations.
func (s *Service) check(ctx context.Context, a *account.Actor, w, old *Work) error {
	f := errs.Fields{}
	if err := w.Validate(); err != nil {
		f = errs.As(err).Fields
	}
	refs, err := s.store.Refs(ctx)
	if err != nil {
		return err
	}
	checkRefs(f, "", a, w, old, refs)
	if err := s.checkCross(ctx, f, a, w, old); err != nil {
		return err
	}
	return f.Err()
}

// checkRefs adds to f the references of w that do not resolve, with
// field names under prefix. A co-organisation that old (nil for a new
// work) did not name must be one a belongs to: naming it puts the work on
// that organisation's page and feed, which it has not agreed to
// otherwise. An unknown id gets the same answer, so hidden organisations
// stay unknown.
func checkRefs(f errs.Fields, prefix string, a *account.Actor, w, old *Work, refs *Refs) {
	if w.OrganisationID > 0 && refs.Org(w.OrganisationID) == nil {
		f[prefix+"organisation"] = "library.organisation_unknown"
	}
	for i, id := range w.CoOrganisationIDs {
		field := prefix + "co_organisations[" + strconv.Itoa(i) + "]"
		switch {
		case !a.HasRole(id, account.RoleMember) && (old == nil || !slices.Contains(old.CoOrganisationIDs, id)):
			f[field] = "library.co_organisation_not_member"
		case refs.Org(id) == nil:
			f[field] = "library.organisation_unknown"
		}
	}
	orgs := w.OrgIDs()
	for i, id := range w.ContactIDs {
		if c := refs.Contact(id); c == nil || !slices.Contains(orgs, c.OrganisationID) {
			f[prefix+"contacts["+strconv.Itoa(i)+"]"] = "library.contact_unknown"
		}
	}
}
