package account

import (
	"context"

	"github.com/framsyn/framsyn/internal/errs"
)

// Invite makes an invitation for email, into orgID with role when orgID is
// not 0. It returns the token for the link.
func (s *Service) Invite(ctx context.Context, a *Actor, email string, orgID int64, role Role) (string, error) {
	if !CanInvite(a, orgID) {
		return "", errs.E(errs.Forbidden, "error.forbidden")
	}
	f := errs.Fields{}
	inv := Invitation{Email: NormalizeEmail(email), OrganisationID: orgID, Role: role, InvitedBy: a.UserID()}
	if inv.Email == "" {
		f["email"] = "error.email_invalid"
	}
	if orgID != 0 && !role.Valid() {
		f["role"] = "error.choose"
	}
	if orgID == 0 {
		inv.Role = ""
	}
	if err := f.Err(); err != nil {
		return "", err
	}
	token := NewToken()
	now := s.now()
	inv.Hash, inv.CreatedAt, inv.ExpiresAt = HashToken(token), now, now.Add(InvitationTTL)
	if _, err := s.store.CreateInvitation(ctx, inv); err != nil {
		return "", err
	}
	s.log.Info("invitation", "by", a.UserID(), "org", orgID, "role", role)
	return token, nil
}

// Invitation returns a live invitation by its token.
func (s *Service) Invitation(ctx context.Context, token string) (*Invitation, error) {
	inv, err := s.store.Invitation(ctx, HashToken(token), s.now())
	if errs.Is(err, errs.NotFound) {
		return nil, errs.E(errs.NotFound, "account.invitation_invalid")
	}
	return inv, err
}

// Invitations lists the open invitations of an organisation (0: all).
func (s *Service) Invitations(ctx context.Context, a *Actor, orgID int64) ([]Invitation, error) {
	if !CanInvite(a, orgID) {
		return nil, errs.E(errs.Forbidden, "error.forbidden")
	}
	return s.store.Invitations(ctx, orgID, s.now())
}

// AcceptInvitation takes up an invitation. For a new address it creates
// the account with name and password and returns a session token. An
// existing account never proves itself here: its owner signs in as usual
// and accepts as actor a, and no new session is made (the token is ""),
// so a link in the inviter's hands cannot authenticate as anyone.
func (s *Service) AcceptInvitation(ctx context.Context, a *Actor, token, name, password, userAgent string) (string, error) {
	inv, err := s.Invitation(ctx, token)
	if err != nil {
		return "", err
	}
	existing, _, err := s.store.UserByEmail(ctx, inv.Email)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return "", err
	}
	if existing != nil {
		switch {
		case !a.SignedIn():
			return "", errs.E(errs.Unauthorized, "invitation.sign_in_first")
		case a.ViaToken || a.UserID() != existing.ID:
			return "", errs.E(errs.Forbidden, "invitation.other_account")
		}
		if _, err := s.store.AcceptInvitation(ctx, inv.Hash, &User{ID: existing.ID}, "", s.now()); err != nil {
			return "", err
		}
		s.log.Info("invitation accepted", "user", existing.ID, "org", inv.OrganisationID, "role", inv.Role)
		return "", nil
	}
	f := errs.Fields{}
	u := &User{Email: inv.Email}
	u.Name = validateName(f, "name", name, true)
	validatePassword(f, "password", password)
	if err := f.Err(); err != nil {
		return "", err
	}
	pwHash, err := HashPassword(password)
	if err != nil {
		return "", err
	}
	userID, err := s.store.AcceptInvitation(ctx, inv.Hash, u, pwHash, s.now())
	if err != nil {
		return "", err
	}
	s.log.Info("invitation accepted", "user", userID, "org", inv.OrganisationID, "role", inv.Role, "new", true)
	return s.startSession(ctx, userID, userAgent)
}
