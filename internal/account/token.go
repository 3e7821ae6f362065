package account

import (
	"context"
	"strings"

	"github.com/framsyn/framsyn/internal/errs"
)

// TokenDays are the lives an owner may choose for an API token, in days.
var TokenDays = []int{7, 30, DefaultTokenDays, 180, MaxTokenDays}

// CreateAPIToken makes a personal API token that works for days (0: the
// default of 90); the token is shown once.
func (s *Service) CreateAPIToken(ctx context.Context, a *Actor, name string, days int) (string, error) {
	if !a.SignedIn() || a.ViaToken {
		return "", errs.E(errs.Forbidden, "error.forbidden")
	}
	f := errs.Fields{}
	name = strings.TrimSpace(name)
	if name == "" {
		f["name"] = "error.required"
	} else if len(name) > MaxTokenNameLen {
		f["name"] = "error.too_long"
	}
	if days == 0 {
		days = DefaultTokenDays
	}
	if days < 1 || days > MaxTokenDays {
		f["days"] = "account.token_days_invalid"
	}
	if err := f.Err(); err != nil {
		return "", err
	}
	token := "fs_" + NewToken()
	now := s.now()
	_, err := s.store.CreateAPIToken(ctx, APIToken{UserID: a.UserID(), Name: name, Hash: HashToken(token), CreatedAt: now,
		ExpiresAt: now.AddDate(0, 0, days)})
	return token, err
}

// APITokens lists the actor's tokens.
func (s *Service) APITokens(ctx context.Context, a *Actor) ([]APIToken, error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	return s.store.APITokens(ctx, a.UserID())
}

// DeleteAPIToken revokes one of the actor's tokens.
func (s *Service) DeleteAPIToken(ctx context.Context, a *Actor, id int64) error {
	if !a.SignedIn() || a.ViaToken {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	return s.store.DeleteAPIToken(ctx, a.UserID(), id)
}

// TokenActor returns the actor of an API token, or nil when it is unknown
// or expired.
func (s *Service) TokenActor(ctx context.Context, token string) (*Actor, error) {
	if !strings.HasPrefix(token, "fs_") {
		return nil, nil
	}
	id, err := s.store.APITokenUserID(ctx, HashToken(token), s.now())
	if errs.Is(err, errs.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	a, err := s.actor(ctx, id)
	if a != nil {
		a.ViaToken = true
	}
	return a, err
}
