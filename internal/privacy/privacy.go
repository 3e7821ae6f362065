// Package privacy is a user's personal data (GDPR): everything framsyn
// holds about them as one JSON document, and deleting their account while
// their contributions stay, attributed to "tidigare medlem" (a former
// member) or to their organisation.
package privacy

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/event"
)

// Section is one kind of record about the user, as rows of named fields.
// Only the user's own rows and fields are in it: where a record involves
// another person (the other side of a facilitator request, a comment
// thread), their name, address and words are left out.
type Section struct {
	Name string
	Rows []map[string]any
}

// Store reads and deletes a user's data.
type Store interface {
	// PersonalData returns every section about userID.
	PersonalData(ctx context.Context, userID int64) ([]Section, error)
	// DeleteUser deletes the account; what they wrote stays without them.
	// Their confirmed places go to the first waiting, who are returned.
	DeleteUser(ctx context.Context, userID int64) ([]event.Registration, error)
}

// Service is the personal-data requests.
type Service struct {
	store    Store
	now      func() time.Time
	promoted func(ctx context.Context, r *event.Registration)
}

// NewService returns a Service over store.
func NewService(store Store) *Service { return &Service{store: store, now: time.Now} }

// Export writes a's data as JSON.
func (s *Service) Export(ctx context.Context, a *account.Actor, w io.Writer) error {
	if !a.SignedIn() {
		return errs.E(errs.Unauthorized, "error.sign_in")
	}
	sections, err := s.store.PersonalData(ctx, a.UserID())
	if err != nil {
		return err
	}
	doc := map[string]any{"exported_at": s.now().UTC().Format(time.RFC3339), "user_id": a.UserID()}
	for _, sec := range sections {
		rows := sec.Rows
		if rows == nil {
			rows = []map[string]any{}
		}
		doc[sec.Name] = rows
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// DeleteAccount deletes a's own account, confirmed by typing its e-mail
// address.
func (s *Service) DeleteAccount(ctx context.Context, a *account.Actor, confirm string) error {
	if !a.SignedIn() {
		return errs.E(errs.Unauthorized, "error.sign_in")
	}
	if !strings.EqualFold(strings.TrimSpace(confirm), a.User.Email) {
		return errs.Fields{"confirm": "privacy.confirm_mismatch"}.Err()
	}
	promoted, err := s.store.DeleteUser(ctx, a.UserID())
	if err != nil {
		return err
	}
	for i := range promoted {
		if s.promoted != nil {
			s.promoted(ctx, &promoted[i])
		}
	}
	return nil
}

// OnPromoted sets what tells a user who moved up from a waiting list
// because an account was deleted; called after the commit.
func (s *Service) OnPromoted(fn func(ctx context.Context, r *event.Registration)) { s.promoted = fn }
