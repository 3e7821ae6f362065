package account

import (
	"context"

	"github.com/framsyn/framsyn/internal/errs"
)

// Members lists an organisation's members.
func (s *Service) Members(ctx context.Context, a *Actor, orgID int64) ([]Membership, error) {
	if !CanSeeMembers(a, orgID) {
		return nil, errs.E(errs.Forbidden, "error.forbidden")
	}
	return s.store.Members(ctx, orgID)
}

// SetMemberRole changes or removes (role "") an existing member's role;
// anyone else is NotFound.
func (s *Service) SetMemberRole(ctx context.Context, a *Actor, orgID, userID int64, role Role) error {
	ctx = WithActor(ctx, a) // the audit log records who (storage writes it in the change's transaction)
	if !CanEditOrganisation(a, orgID) {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	if userID == a.UserID() && !a.IsAdmin() {
		return errs.E(errs.Invalid, "account.cannot_change_own_role")
	}
	if role != "" && !role.Valid() {
		return errs.Fields{"role": "error.choose"}.Err()
	}
	var err error
	if role == "" {
		err = s.store.RemoveMembership(ctx, userID, orgID)
	} else {
		err = s.store.ChangeRole(ctx, userID, orgID, role)
	}
	if errs.Is(err, errs.NotFound) {
		// One answer for unknown accounts and for non-members, so ids
		// cannot be walked to find accounts.
		return errs.E(errs.NotFound, "error.not_found")
	}
	if err == nil {
		s.log.Info("member role", "by", a.UserID(), "org", orgID, "user", userID, "role", role)
	}
	return err
}
