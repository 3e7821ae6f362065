package event

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
)

// Service is the events: validation, permissions, registration and the
// waiting list over a Store.
type Service struct {
	store    Store
	now      func() time.Time
	log      *slog.Logger
	promoted func(ctx context.Context, e *Event, r *Registration) error
	created  func(ctx context.Context, e *Event)
}

// OnCreated sets what hears of a new event (the followers' notifications).
func (s *Service) OnCreated(fn func(ctx context.Context, e *Event)) { s.created = fn }

// NewService returns a Service over store.
func NewService(store Store, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{store: store, now: time.Now, log: log}
}

// SetClock replaces the clock, for tests and the demo.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

// OnPromoted sets what tells a user who moved up from the waiting list
// (an e-mail); it runs after the move is committed.
func (s *Service) OnPromoted(fn func(ctx context.Context, e *Event, r *Registration) error) {
	s.promoted = fn
}

// Limits on lists.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Create publishes e for e.OrganisationID, inviting coHosts. Unauthorized
// for the public, Forbidden unless a may create for the organisation,
// Invalid with field keys for bad input.
func (s *Service) Create(ctx context.Context, a *account.Actor, e *Event, coHosts []int64) (*Event, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	if !CanCreate(a, e.OrganisationID) {
		return nil, errs.E(errs.Forbidden, "event.forbidden")
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	var hosts []int64
	for _, id := range coHosts {
		if id > 0 && id != e.OrganisationID && !slices.Contains(hosts, id) {
			hosts = append(hosts, id)
		}
	}
	if len(hosts) > MaxHosts {
		return nil, errs.Fields{"cohosts": "event.too_many_hosts"}.Err()
	}
	now := s.now().UTC()
	e.ID, e.CreatedBy, e.CreatedAt, e.UpdatedAt = 0, a.UserID(), now, now
	if err := s.store.CreateEvent(ctx, e, hosts); err != nil {
		return nil, err
	}
	got, err := s.store.Event(ctx, e.ID)
	if err == nil && s.created != nil {
		s.created(ctx, got)
	}
	return got, err
}

// Get returns an event a may see; a hidden one is NotFound.
func (s *Service) Get(ctx context.Context, a *account.Actor, id int64) (*Event, error) {
	e, err := s.store.Event(ctx, id)
	if err != nil {
		return nil, err
	}
	if !CanSee(a, e) {
		return nil, errs.E(errs.NotFound, "error.not_found")
	}
	return e, nil
}

// editable loads an event a may edit: NotFound if hidden, Forbidden if
// seen but not a host's editor.
func (s *Service) editable(ctx context.Context, a *account.Actor, id int64, can func(*account.Actor, *Event) bool) (*Event, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	e, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !can(a, e) {
		return nil, errs.E(errs.Forbidden, "event.forbidden")
	}
	return e, nil
}

// Update saves in's fields on the event in.ID; organiser, creator and
// creation time stay, and so do registrations.
func (s *Service) Update(ctx context.Context, a *account.Actor, in *Event) (*Event, error) {
	old, err := s.editable(ctx, a, in.ID, CanEdit)
	if err != nil {
		return nil, err
	}
	in.OrganisationID, in.CreatedBy, in.CreatedAt = old.OrganisationID, old.CreatedBy, old.CreatedAt
	in.Example, in.Source = old.Example, old.Source
	if err := in.Validate(); err != nil {
		return nil, err
	}
	in.UpdatedAt = s.now().UTC()
	if err := s.store.UpdateEvent(ctx, in); err != nil {
		return nil, err
	}
	return s.store.Event(ctx, in.ID)
}

// Delete removes an event; only the organiser's editors may.
func (s *Service) Delete(ctx context.Context, a *account.Actor, id int64) error {
	if _, err := s.editable(ctx, a, id, CanInvite); err != nil {
		return err
	}
	return s.store.DeleteEvent(ctx, id)
}

// InviteHost invites orgID to co-host; the organiser's editors only.
func (s *Service) InviteHost(ctx context.Context, a *account.Actor, id, orgID int64) error {
	e, err := s.editable(ctx, a, id, CanInvite)
	if err != nil {
		return err
	}
	if orgID <= 0 || orgID == e.OrganisationID {
		return errs.Fields{"organisation": "event.cohost_invalid"}.Err()
	}
	if len(e.Hosts) > MaxHosts {
		return errs.Fields{"organisation": "event.too_many_hosts"}.Err()
	}
	return s.store.InviteHost(ctx, id, orgID)
}

// ConfirmHost confirms orgID's invitation, as an editor of orgID.
func (s *Service) ConfirmHost(ctx context.Context, a *account.Actor, id, orgID int64) error {
	if _, err := s.hostInvited(ctx, a, id, orgID); err != nil {
		return err
	}
	return s.store.ConfirmHost(ctx, id, orgID)
}

// RemoveHost removes a co-host: the organiser's editors remove any, a
// co-host's editors withdraw (or decline) their own.
func (s *Service) RemoveHost(ctx context.Context, a *account.Actor, id, orgID int64) error {
	e, err := s.hostInvited(ctx, a, id, orgID)
	if err != nil && !(errs.Is(err, errs.Forbidden) && e != nil && CanInvite(a, e)) {
		return err
	}
	return s.store.RemoveHost(ctx, id, orgID)
}

// hostInvited loads an event orgID is a co-host of, as an editor of orgID.
func (s *Service) hostInvited(ctx context.Context, a *account.Actor, id, orgID int64) (*Event, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	e, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(e.CoHosts(), func(h Host) bool { return h.OrganisationID == orgID }) {
		return nil, errs.E(errs.NotFound, "error.not_found")
	}
	if !CanConfirm(a, orgID) {
		return e, errs.E(errs.Forbidden, "event.forbidden")
	}
	return e, nil
}

// Register registers a for the event: confirmed while there are places,
// else on the waiting list (the returned status says which). Conflict
// when already registered, Invalid when registration is closed or the
// event is over.
func (s *Service) Register(ctx context.Context, a *account.Actor, id int64) (*Registration, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	e, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !e.Registration {
		return nil, errs.E(errs.Invalid, "event.registration_closed")
	}
	if e.Past(s.now()) {
		return nil, errs.E(errs.Invalid, "event.over")
	}
	r, err := s.store.Register(ctx, id, a.UserID(), s.now().UTC())
	if errs.Is(err, errs.Conflict) {
		return nil, errs.Wrap(errs.Conflict, "event.already_registered", err)
	}
	return r, err
}

// Cancel cancels a's registration; the first on the waiting list moves up
// in the same transaction and is told (OnPromoted) once it is committed.
func (s *Service) Cancel(ctx context.Context, a *account.Actor, id int64) (*Registration, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	e, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	up, err := s.store.Cancel(ctx, id, a.UserID())
	if errs.Is(err, errs.NotFound) {
		return nil, errs.Wrap(errs.NotFound, "event.not_registered", err)
	}
	if err != nil {
		return nil, err
	}
	if up != nil && s.promoted != nil {
		if err := s.promoted(ctx, e, up); err != nil {
			// The move stands; the person sees it on the event's page.
			s.log.Error("event: tell the promoted", "event", id, "user", up.UserID, "err", err)
		}
	}
	return up, nil
}

// MyRegistration returns a's registration for the event, or nil.
func (s *Service) MyRegistration(ctx context.Context, a *account.Actor, e *Event) (*Registration, error) {
	if !a.SignedIn() {
		return nil, nil
	}
	r, err := s.store.Registration(ctx, e.ID, a.UserID())
	if errs.Is(err, errs.NotFound) {
		return nil, nil
	}
	return r, err
}

// Registrations lists who registered, for the hosts' editors.
func (s *Service) Registrations(ctx context.Context, a *account.Actor, id int64, limit int) ([]Registration, error) {
	if _, err := s.editable(ctx, a, id, CanEdit); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	return s.store.Registrations(ctx, id, limit)
}

// List returns the events a may see that match q (Viewer is set here).
func (s *Service) List(ctx context.Context, a *account.Actor, q ListQuery) ([]Event, error) {
	q.Viewer = account.ViewerOf(a)
	if q.Limit <= 0 {
		q.Limit = DefaultLimit
	}
	q.Limit = min(q.Limit, MaxLimit)
	return s.store.ListEvents(ctx, q)
}

// ByIDFor reads the events among ids once for many readers: the function
// it returns gives an event as a may see it, nil when a may not (or it
// does not exist). A batch of digests shares one read.
func (s *Service) ByIDFor(ctx context.Context, ids []int64) (func(a *account.Actor, id int64) *Event, error) {
	evs, err := s.store.EventsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*Event, len(evs))
	for i := range evs {
		byID[evs[i].ID] = &evs[i]
	}
	return func(a *account.Actor, id int64) *Event {
		if e := byID[id]; e != nil && CanSee(a, e) {
			return e
		}
		return nil
	}, nil
}

// ByID returns the events among ids that a may see, in the order of ids.
func (s *Service) ByID(ctx context.Context, a *account.Actor, ids []int64) ([]Event, error) {
	evs, err := s.store.EventsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := evs[:0]
	for _, e := range evs {
		if CanSee(a, &e) {
			out = append(out, e)
		}
	}
	return out, nil
}
