package library_test

import (
	"context"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// TestService_CoOrganisationConsent is issue 18 row 5: an editor names as
// co-organisation only organisations they belong to, since that puts the
// work on their page and feed; an organisation they may not name, hidden
// or not, answers as an unknown id does.
func TestService_CoOrganisationConsent(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := t.Context()
		other := mustOrg(t, db, "annan-kommun", account.LevelLocal)
		hidden := &account.Organisation{Slug: "dold", Name: "Dold", Kind: account.KindOther, Level: account.LevelLocal}
		hiddenID, err := db.Organisations().CreateOrganisation(context.Background(), hidden)
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name  string
			actor *account.Actor
			co    []int64
			key   string // "" for success
		}{
			{"OKOwnMembership", f.editorA, []int64{f.orgC}, ""},
			{"OKAdmin", f.admin, []int64{other, hiddenID}, ""},
			{"ErrOtherOrganisation", f.editorA, []int64{f.orgC, other}, "library.co_organisation_not_member"},
			{"ErrHiddenOrganisation", f.editorA, []int64{hiddenID}, "library.co_organisation_not_member"},
			{"ErrUnknownID", f.editorA, []int64{999999}, "library.co_organisation_not_member"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				w := f.work("Samarbete "+tt.name, library.Public)
				w.CoOrganisationIDs = tt.co
				_, err := f.svc.Create(ctx, tt.actor, w)
				if tt.key == "" {
					if err != nil {
						t.Fatal(err)
					}
					return
				}
				wantKey := tt.key
				e := errs.As(err)
				found := false
				for _, v := range e.Fields {
					found = found || v == wantKey
				}
				if e.Kind != errs.Invalid || !found {
					t.Fatalf("err = %v, want a field with %s", err, wantKey)
				}
			})
		}
		t.Run("ErrHiddenOwnerAsUnknown", func(t *testing.T) {
			hiddenOwner, unknown := f.work("Dold ägare", library.Public), f.work("Okänd ägare", library.Public)
			hiddenOwner.OrganisationID, hiddenOwner.CoOrganisationIDs, hiddenOwner.ContactIDs = hiddenID, nil, nil
			unknown.OrganisationID, unknown.CoOrganisationIDs, unknown.ContactIDs = 999999, nil, nil
			_, e1 := f.svc.Create(ctx, f.editorA, hiddenOwner)
			_, e2 := f.svc.Create(ctx, f.editorA, unknown)
			if e1 == nil || e2 == nil || errs.KindOf(e1) != errs.KindOf(e2) || errs.As(e1).Key != errs.As(e2).Key {
				t.Fatalf("a hidden owner answers %v, an unknown one %v: want the same", e1, e2)
			}
		})
	})
}
