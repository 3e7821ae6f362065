package audit

import (
	"context"
	"slices"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
)

// Store reads the log (the storage adapters write it).
type Store interface {
	Events(ctx context.Context, f Filter) ([]Event, error)
}

// Service lets platform admins read the log.
type Service struct{ store Store }

// NewService returns the service over store.
func NewService(store Store) *Service { return &Service{store: store} }

// Events returns a page of events, newest first, and the id to pass as
// BeforeID for the next page (0: none).
func (s *Service) Events(ctx context.Context, a *account.Actor, f Filter) ([]Event, int64, error) {
	if !a.SignedIn() {
		return nil, 0, errs.E(errs.Unauthorized, "error.sign_in")
	}
	if !a.IsAdmin() {
		return nil, 0, errs.E(errs.Forbidden, "error.forbidden")
	}
	if f.Kind != "" && !slices.Contains(Kinds, f.Kind) {
		return nil, 0, errs.Fields{"kind": "error.choose"}.Err()
	}
	if f.Limit <= 0 || f.Limit > MaxLimit {
		f.Limit = MaxLimit
	}
	want := f.Limit
	f.Limit++
	evs, err := s.store.Events(ctx, f)
	if err != nil || len(evs) <= want {
		return evs, 0, err
	}
	evs = evs[:want]
	return evs, evs[want-1].ID, nil
}
