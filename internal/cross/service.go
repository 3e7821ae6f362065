package cross

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
)

// Service is the scenario crosses: validation, permissions, lineage and
// comparison over a Store. The pages and the API call it alike.
type Service struct {
	store     Store
	stress    StressStore
	workshops Workshops // nil: axes link to no drivers
	now       func() time.Time
}

// NewService returns a Service over store; a store that keeps stress
// tests too (StressStore) serves them.
func NewService(store Store) *Service {
	s := &Service{store: store, now: time.Now}
	s.stress, _ = store.(StressStore)
	return s
}

// SetClock replaces the clock, for tests and the demo.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Limits on lists.
const (
	DefaultLimit = 20
	MaxLimit     = 100
	MaxTree      = 2000 // nodes of one lineage drawn
	MaxCompare   = 4
)

var errNotFound = errs.E(errs.NotFound, "error.not_found")

// Create saves a new root cross for c.OrganisationID as a. Unauthorized
// for the public, Forbidden unless a publishes for the organisation,
// Invalid with field keys for bad input.
func (s *Service) Create(ctx context.Context, a *account.Actor, c *Cross) (*Cross, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	c.ParentID, c.DerivedFrom, c.RootID, c.AxisChanges = 0, 0, 0, nil
	return s.create(ctx, a, c, nil)
}

// create saves c; its driver links must be a's to make, or trusted's.
func (s *Service) create(ctx context.Context, a *account.Actor, c *Cross, trusted *Cross) (*Cross, error) {
	if c.OrganisationID > 0 && !CanPublish(a, c.OrganisationID) {
		return nil, errs.E(errs.Forbidden, "cross.forbidden")
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if err := s.checkDrivers(ctx, a, c, plainField, trusted); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	c.ID, c.Version, c.CreatedBy, c.CreatedAt, c.UpdatedAt = 0, 1, a.UserID(), now, now
	if err := s.store.CreateCross(ctx, c, s.revision(a, nil, c)); err != nil {
		return nil, err
	}
	return c, nil
}

// revision records c as saved by a, naming the fields changed from old.
func (s *Service) revision(a *account.Actor, old, c *Cross) *Revision {
	snap := *c
	snap.ID, snap.Version, snap.CreatedAt, snap.UpdatedAt = 0, 0, time.Time{}, time.Time{}
	b, err := json.Marshal(&snap)
	if err != nil {
		panic(err) // a Cross always encodes
	}
	return &Revision{Version: c.Version, UserID: a.UserID(), CreatedAt: c.UpdatedAt, Changed: Changed(old, c), Snapshot: b}
}

// revisedFields name the fields a person edits, with how to read each.
var revisedFields = []struct {
	name string
	get  func(c *Cross) any
}{
	{"title", func(c *Cross) any { return c.Title }},
	{"question", func(c *Cross) any { return c.Question }},
	{"horizon", func(c *Cross) any { return c.Horizon }},
	{"geography", func(c *Cross) any { return c.Geography }},
	{"level", func(c *Cross) any { return c.Level }},
	{"domain", func(c *Cross) any { return c.Domain }},
	{"x", func(c *Cross) any { return c.X }},
	{"y", func(c *Cross) any { return c.Y }},
	{"scenarios", func(c *Cross) any { return c.Scenarios }},
	{"authors", func(c *Cross) any { return c.Authors }},
	{"organisation", func(c *Cross) any { return c.OrganisationID }},
	{"co_organisations", func(c *Cross) any { return c.CoOrganisationIDs }},
	{"status", func(c *Cross) any { return c.Status }},
	{"visibility", func(c *Cross) any { return c.Visibility }},
	{"axis_changes", func(c *Cross) any { return c.AxisChanges }},
	{"source", func(c *Cross) any { return c.Source }},
	{"drivers_workshop", func(c *Cross) any { return c.DriverWorkshopID }},
}

// Changed names the fields that differ between old and c; with old nil,
// the fields c sets.
func Changed(old, c *Cross) []string {
	var out []string
	for _, f := range revisedFields {
		v := f.get(c)
		if old == nil {
			if !reflect.ValueOf(v).IsZero() {
				out = append(out, f.name)
			}
		} else if !reflect.DeepEqual(f.get(old), v) {
			out = append(out, f.name)
		}
	}
	return out
}

// Get returns a cross a may see; a hidden one is NotFound.
func (s *Service) Get(ctx context.Context, a *account.Actor, id int64) (*Cross, error) {
	c, err := s.store.Cross(ctx, id)
	if err != nil {
		return nil, err
	}
	if !CanSee(a, c) {
		return nil, errNotFound
	}
	return c, nil
}

// Sees reports whether a may see the cross id: false for one hidden or
// gone, an error only when the store fails.
func (s *Service) Sees(ctx context.Context, a *account.Actor, id int64) (bool, error) {
	_, err := s.Get(ctx, a, id)
	if errs.Is(err, errs.NotFound) {
		return false, nil
	}
	return err == nil, err
}

// Editable returns a cross a may edit: NotFound when a may not see it,
// Forbidden when a may see but not edit it.
func (s *Service) Editable(ctx context.Context, a *account.Actor, id int64) (*Cross, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	c, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !CanEdit(a, c) {
		return nil, errs.E(errs.Forbidden, "cross.forbidden")
	}
	return c, nil
}

// Update saves c over the cross c.ID. Its lineage (parent, root, axis
// changes of a derived cross are edited through c too) and its workshop
// stay as they were; version must be the version edited (0: the current).
func (s *Service) Update(ctx context.Context, a *account.Actor, c *Cross, version int) (*Cross, error) {
	return s.update(ctx, a, c, version, 0, nil)
}

// Restore makes version n of the cross id current again, as a new
// revision that records n: history is never rewritten. expected is the
// version the restorer saw (0: the current); a cross saved since is a
// Conflict. The content comes back (texts, axes, scenarios, authors,
// status, visibility, a derived cross's axis changes); owner,
// co-organisations, lineage and workshop stay as they are now, so a
// restore moves the cross to no other organisation.
func (s *Service) Restore(ctx context.Context, a *account.Actor, id int64, n, expected int) (*Cross, error) {
	cur, err := s.Editable(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if expected != 0 && expected != cur.Version {
		return nil, errs.E(errs.Conflict, "cross.changed_meanwhile")
	}
	if n == cur.Version {
		return nil, errs.E(errs.Invalid, "cross.revision_current")
	}
	revs, err := s.store.Revisions(ctx, id)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(revs, func(r Revision) bool { return r.Version == n })
	if i < 0 {
		return nil, errs.E(errs.NotFound, "cross.revision_not_found")
	}
	var old Cross
	if err := json.Unmarshal(revs[i].Snapshot, &old); err != nil {
		return nil, errs.Wrap(errs.Internal, "error.internal", err)
	}
	c := *cur
	c.Title, c.Question, c.Horizon, c.Geography, c.Level, c.Domain = old.Title, old.Question, old.Horizon, old.Geography, old.Level, old.Domain
	c.Status, c.Visibility, c.Source = old.Status, old.Visibility, old.Source
	c.X, c.Y, c.Scenarios, c.Authors, c.DriverWorkshopID = old.X, old.Y, old.Scenarios, old.Authors, old.DriverWorkshopID
	c.CoOrganisationIDs = slices.Clone(cur.CoOrganisationIDs)
	if cur.Derived() && old.AxisChanges != nil {
		c.AxisChanges = old.AxisChanges
	}
	return s.update(ctx, a, &c, cur.Version, n, &old)
}

// update saves c over the stored cross; driver links the stored cross or
// restored (the revision brought back, or nil) has stay unchecked.
func (s *Service) update(ctx context.Context, a *account.Actor, c *Cross, version, restoredFrom int, restored *Cross) (*Cross, error) {
	old, err := s.Editable(ctx, a, c.ID)
	if err != nil {
		return nil, err
	}
	if version != 0 && version != old.Version {
		return nil, errs.E(errs.Conflict, "cross.changed_meanwhile")
	}
	c.ParentID, c.DerivedFrom, c.RootID, c.WorkshopID, c.CreatedBy, c.CreatedAt = old.ParentID, old.DerivedFrom, old.RootID, old.WorkshopID, old.CreatedBy, old.CreatedAt
	switch {
	case !old.Derived():
		c.AxisChanges = nil
	case c.AxisChanges == nil:
		c.AxisChanges = old.AxisChanges // the edit form does not show them
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.OrganisationID != old.OrganisationID && !CanPublish(a, c.OrganisationID) {
		return nil, errs.E(errs.Forbidden, "cross.forbidden")
	}
	if err := s.checkDrivers(ctx, a, c, plainField, old, restored); err != nil {
		return nil, err
	}
	changed := Changed(old, c)
	if len(changed) == 0 {
		return old, nil
	}
	c.Version, c.UpdatedAt = old.Version+1, s.now().UTC()
	rev := s.revision(a, old, c)
	rev.RestoredFrom = restoredFrom
	if err := s.store.UpdateCross(ctx, c, rev); err != nil {
		return nil, err
	}
	return s.store.Cross(ctx, c.ID)
}

// Delete removes a cross a may edit. Its children stay, derived from a
// cross nobody can see any more.
func (s *Service) Delete(ctx context.Context, a *account.Actor, id int64) error {
	if _, err := s.Editable(ctx, a, id); err != nil {
		return err
	}
	return s.store.DeleteCross(ctx, id)
}

// List returns the crosses a may see that match q (its Viewer is set
// here), last changed first, at most q.Limit (0: DefaultLimit).
func (s *Service) List(ctx context.Context, a *account.Actor, q ListQuery) ([]Cross, error) {
	q.Viewer = account.ViewerOf(a)
	if q.Limit <= 0 {
		q.Limit = DefaultLimit
	}
	q.Limit = min(q.Limit, MaxLimit)
	return s.store.ListCrosses(ctx, q)
}

// ByID returns the crosses among ids that a may see, in the order of ids.
func (s *Service) ByID(ctx context.Context, a *account.Actor, ids []int64) ([]Cross, error) {
	cs, err := s.store.CrossesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := cs[:0]
	for _, c := range cs {
		if CanSee(a, &c) {
			out = append(out, c)
		}
	}
	return out, nil
}

// Revisions returns the revisions of a cross a may edit, newest first.
func (s *Service) Revisions(ctx context.Context, a *account.Actor, id int64) (*Cross, []Revision, error) {
	c, err := s.Editable(ctx, a, id)
	if err != nil {
		return nil, nil, err
	}
	revs, err := s.store.Revisions(ctx, id)
	return c, revs, err
}

// Domains returns the suggested domains and those crosses use.
func (s *Service) Domains(ctx context.Context) ([]string, error) {
	used, err := s.store.Domains(ctx, 50)
	if err != nil {
		return nil, err
	}
	out := append([]string(nil), Domains...)
	for _, d := range used {
		if !contains(out, d) {
			out = append(out, d)
		}
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
