package facilitator

import (
	"context"
	"slices"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
)

// Store keeps profiles and requests; each method is one transaction.
type Store interface {
	// PutProfile creates or replaces a user's profile and its document.
	PutProfile(ctx context.Context, p *Profile) error
	// DeleteProfile removes a profile; NotFound without one.
	DeleteProfile(ctx context.Context, userID int64) error
	// Profile returns a profile with the workshops its user led.
	Profile(ctx context.Context, userID int64) (*Profile, error)
	// Profiles returns active profiles matching q, by name.
	Profiles(ctx context.Context, q Query) ([]Profile, error)
	// CreateRequest inserts r with its first step; sets r.ID.
	CreateRequest(ctx context.Context, r *Request, actorID int64) error
	// Request returns a request with its history.
	Request(ctx context.Context, id int64) (*Request, error)
	// Requests lists the requests a user or their organisations are in, newest first.
	Requests(ctx context.Context, userID int64, orgIDs []int64, limit int) ([]Request, error)
	// Step moves r from status from to r.Status with its fields and a
	// history step, in one transaction; Conflict if it moved meanwhile.
	Step(ctx context.Context, r *Request, from Status, actorID int64, action, note string) error
}

// Query searches profiles.
type Query struct {
	Method string // "" any
	Lan    string // "" any; else those who travel there or lead digitally
	// OrganisationID: 0 any; else those who lead for it (its page).
	OrganisationID int64
	Newest         bool // most recently changed first (the front page), else by name
	Limit          int
}

// Service is the facilitators' directory and requests.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns a Service over store.
func NewService(store Store) *Service { return &Service{store: store, now: time.Now} }

// SetClock replaces the clock, for tests.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// MaxList bounds lists.
const MaxList = 200

func signedIn(a *account.Actor) error {
	if !a.SignedIn() {
		return errs.E(errs.Unauthorized, "error.sign_in")
	}
	return nil
}

// SaveProfile saves a's own profile, for an organisation a is a member of.
func (s *Service) SaveProfile(ctx context.Context, a *account.Actor, p *Profile) (*Profile, error) {
	if err := signedIn(a); err != nil {
		return nil, err
	}
	p.UserID = a.UserID()
	if p.OrganisationID > 0 && !a.HasRole(p.OrganisationID, account.RoleMember) {
		return nil, errs.Fields{"organisation": "facilitator.not_member"}.Err()
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p.UpdatedAt = s.now().UTC()
	if err := s.store.PutProfile(ctx, p); err != nil {
		return nil, err
	}
	return s.store.Profile(ctx, p.UserID)
}

// DeleteProfile removes a's own profile; requests and their history stay.
func (s *Service) DeleteProfile(ctx context.Context, a *account.Actor) error {
	if err := signedIn(a); err != nil {
		return err
	}
	return s.store.DeleteProfile(ctx, a.UserID())
}

// Profile returns a profile, for signed-in users; an inactive one only to
// its owner and admins.
func (s *Service) Profile(ctx context.Context, a *account.Actor, userID int64) (*Profile, error) {
	if err := signedIn(a); err != nil {
		return nil, err
	}
	p, err := s.store.Profile(ctx, userID)
	if err != nil {
		return nil, err
	}
	if !p.Active && p.UserID != a.UserID() && !a.IsAdmin() {
		return nil, errs.E(errs.NotFound, "error.not_found")
	}
	return p, nil
}

// Search finds active facilitators by method and region.
func (s *Service) Search(ctx context.Context, a *account.Actor, q Query) ([]Profile, error) {
	if err := signedIn(a); err != nil {
		return nil, err
	}
	if q.Method != "" && !slices.Contains(Methods, q.Method) {
		return nil, errs.Fields{"method": "facilitator.choice_invalid"}.Err()
	}
	if q.Lan != "" && !lanRE.MatchString(q.Lan) {
		return nil, errs.Fields{"region": "facilitator.region_invalid"}.Err()
	}
	if q.Limit <= 0 || q.Limit > MaxList {
		q.Limit = MaxList
	}
	return s.store.Profiles(ctx, q)
}

// Ask sends a request to the facilitator userID, for the organisation
// r.RequesterOrg a is an editor of.
func (s *Service) Ask(ctx context.Context, a *account.Actor, facilitatorID int64, r *Request) (*Request, error) {
	p, err := s.Profile(ctx, a, facilitatorID)
	if err != nil {
		return nil, err
	}
	if !p.Active {
		return nil, errs.E(errs.Invalid, "facilitator.inactive")
	}
	if p.UserID == a.UserID() {
		return nil, errs.E(errs.Invalid, "facilitator.not_yourself")
	}
	if r.RequesterOrg > 0 && !a.HasRole(r.RequesterOrg, account.RoleEditor) {
		return nil, errs.E(errs.Forbidden, "facilitator.ask_forbidden")
	}
	if err := r.Validate(s.now()); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	r.ID, r.FacilitatorID, r.FacilitatorOrg, r.RequesterID = 0, p.UserID, p.OrganisationID, a.UserID()
	r.Status, r.CreatedAt, r.UpdatedAt = Pending, now, now
	if err := s.store.CreateRequest(ctx, r, a.UserID()); err != nil {
		return nil, err
	}
	return s.store.Request(ctx, r.ID)
}

// CanSeeRequest: the two people, the members of both organisations, and
// platform admins.
func CanSeeRequest(a *account.Actor, r *Request) bool {
	if !a.SignedIn() {
		return false
	}
	u := a.UserID()
	return u == r.FacilitatorID || u == r.RequesterID || a.HasRole(r.FacilitatorOrg, account.RoleMember) || a.HasRole(r.RequesterOrg, account.RoleMember)
}

// facilitatorSide: the facilitator answers (platform admins too).
func facilitatorSide(a *account.Actor, r *Request) bool {
	return a.UserID() == r.FacilitatorID || a.IsAdmin()
}

// requesterSide: the requester and the requesting organisation's editors.
func requesterSide(a *account.Actor, r *Request) bool {
	return a.UserID() == r.RequesterID || a.HasRole(r.RequesterOrg, account.RoleEditor)
}

// Request returns a request a may see.
func (s *Service) Request(ctx context.Context, a *account.Actor, id int64) (*Request, error) {
	if err := signedIn(a); err != nil {
		return nil, err
	}
	r, err := s.store.Request(ctx, id)
	if err != nil {
		return nil, err
	}
	if !CanSeeRequest(a, r) {
		return nil, errs.E(errs.NotFound, "error.not_found")
	}
	return r, nil
}

// Requests lists the requests a and a's organisations are in.
func (s *Service) Requests(ctx context.Context, a *account.Actor) ([]Request, error) {
	if err := signedIn(a); err != nil {
		return nil, err
	}
	return s.store.Requests(ctx, a.UserID(), a.OrgIDs(), MaxList)
}

// Allowed returns the actions a may take on r now.
func Allowed(a *account.Actor, r *Request) []string {
	var out []string
	f, q := facilitatorSide(a, r), requesterSide(a, r)
	switch r.Status {
	case Pending:
		if f {
			out = append(out, ActAccept, ActDecline, ActPropose)
		}
		if q {
			out = append(out, ActCancel)
		}
	case Proposed:
		if q {
			out = append(out, ActAcceptProposal, ActCancel)
		}
		if f {
			out = append(out, ActDecline)
		}
	case Accepted:
		if f || q {
			out = append(out, ActFinish)
		}
		if q {
			out = append(out, ActCancel)
		}
	}
	return out
}

// Action is one answer to a request.
type Action struct {
	Do         string
	Note       string
	When       time.Time // propose: the other day
	WorkshopID int64     // finish
	ReportID   int64     // finish: the experience report's work
}

// Act applies an action to request id: Forbidden when a may see it but not
// do that now, Conflict when someone answered meanwhile.
func (s *Service) Act(ctx context.Context, a *account.Actor, id int64, act Action) (*Request, error) {
	r, err := s.Request(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(Allowed(a, r), act.Do) {
		return nil, errs.E(errs.Forbidden, "facilitator.action_forbidden")
	}
	from := r.Status
	switch act.Do {
	case ActAccept:
		r.Status = Accepted
	case ActDecline:
		r.Status = Declined
	case ActPropose:
		if act.When.IsZero() || act.When.Before(s.now().AddDate(0, 0, -1)) {
			return nil, errs.Fields{"when": "facilitator.when_required"}.Err()
		}
		r.Status, r.ProposedWhen = Proposed, act.When
	case ActAcceptProposal:
		r.Status, r.When, r.ProposedWhen = Accepted, r.ProposedWhen, time.Time{}
	case ActCancel:
		r.Status = Canceled
	case ActFinish:
		r.Status, r.WorkshopID, r.ReportWorkID = Done, act.WorkshopID, act.ReportID
	}
	if len([]rune(act.Note)) > MaxNoteLen {
		return nil, errs.Fields{"note": "error.too_long"}.Err()
	}
	r.UpdatedAt = s.now().UTC()
	if err := s.store.Step(ctx, r, from, a.UserID(), act.Do, act.Note); err != nil {
		return nil, err
	}
	return s.store.Request(ctx, id)
}
