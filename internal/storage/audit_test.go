package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/audit"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

func auditEvents(t testing.TB, db *storage.DB, kind string) []audit.Event {
	t.Helper()
	evs, err := db.Audit().Events(context.Background(), audit.Filter{Kind: kind})
	if err != nil {
		t.Fatalf("audit events: %v", err)
	}
	return evs
}

// TestAudit_WrittenWithTheChange: a role change and a visibility change
// each write exactly one event naming their actor; a change that fails
// writes none; deleting the actor's account keeps the event, as a former
// member's.
func TestAudit_WrittenWithTheChange(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		accounts := account.NewService(db.Accounts(), nil)
		org := MustOrg(t, db, "audit-org")
		adminUser := MustUser(t, db, "admin@example.org")
		adminUser.IsAdmin = true
		if err := db.Users().UpdateUser(ctx, adminUser); err != nil { // no actor: seeding
			t.Fatal(err)
		}
		admin := &account.Actor{User: adminUser}
		member := MustUser(t, db, "member@example.org")
		if err := db.Users().SetMembership(ctx, member.ID, org.ID, account.RoleMember); err != nil {
			t.Fatal(err)
		}
		before := len(auditEvents(t, db, ""))

		// A role change: one event, by the admin.
		if err := accounts.SetMemberRole(ctx, admin, org.ID, member.ID, account.RoleEditor); err != nil {
			t.Fatalf("set role: %v", err)
		}
		evs := auditEvents(t, db, audit.KindMembership)
		if len(evs) != 1 {
			t.Fatalf("membership events = %d, want 1: %+v", len(evs), evs)
		}
		if e := evs[0]; e.ActorID != adminUser.ID || e.ActorName != adminUser.Name || e.Action != "membership.role" ||
			e.TargetID != member.ID || e.Summary == "" {
			t.Errorf("role event = %+v", e)
		}

		// A role change that fails (no such member) writes nothing.
		stranger := MustUser(t, db, "stranger@example.org")
		if err := accounts.SetMemberRole(ctx, admin, org.ID, stranger.ID, account.RoleEditor); !errs.Is(err, errs.NotFound) {
			t.Fatalf("role of a non-member: %v", err)
		}
		if n := len(auditEvents(t, db, audit.KindMembership)); n != 1 {
			t.Errorf("after a failed change: %d membership events, want 1", n)
		}

		// A visibility change by the member, now editor: one event.
		editor := &account.Actor{User: member, Memberships: []account.Membership{{OrganisationID: org.ID, UserID: member.ID, Role: account.RoleEditor}}}
		works := library.NewService(db.Works())
		w, err := works.Create(ctx, editor, &library.Work{Type: library.TypeScenario, Title: "Granskat scenario",
			Summary: "Exempel.", BodyMD: "Exempel.", OrganisationID: org.ID, HorizonYear: 2050,
			Date: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), Visibility: library.Organisation})
		if err != nil {
			t.Fatalf("create work: %v", err)
		}
		if n := len(auditEvents(t, db, audit.KindWork)); n != 0 {
			t.Fatalf("creating a work wrote %d visibility events", n)
		}
		w.Visibility = library.Public
		if w, err = works.Update(ctx, editor, w); err != nil {
			t.Fatalf("publish: %v", err)
		}
		evs = auditEvents(t, db, audit.KindWork)
		if len(evs) != 1 || evs[0].ActorID != member.ID || evs[0].TargetID != w.ID || evs[0].Action != "work.visibility" {
			t.Fatalf("work events = %+v, want one by the editor", evs)
		}
		// An edit that fails (a stale version) writes none.
		stale := *w
		stale.Version--
		stale.Visibility = library.Organisation
		if _, err := works.Update(ctx, editor, &stale); err == nil {
			t.Fatal("a stale update succeeded")
		}
		if n := len(auditEvents(t, db, audit.KindWork)); n != 1 {
			t.Errorf("after a failed edit: %d work events, want 1", n)
		}

		if n := len(auditEvents(t, db, "")); n != before+2 {
			t.Errorf("events = %d, want %d", n, before+2)
		}

		// Deleting the editor's account keeps the event, by a former member.
		if _, err := db.Privacy().DeleteUser(ctx, member.ID); err != nil {
			t.Fatal(err)
		}
		evs = auditEvents(t, db, audit.KindWork)
		if len(evs) != 1 || !evs[0].FormerMember() {
			t.Errorf("after deleting the actor: %+v, want one former member's event", evs)
		}

		// Pages: bounded and keyset.
		page, err := db.Audit().Events(ctx, audit.Filter{Limit: 1})
		if err != nil || len(page) != 1 {
			t.Fatalf("page: %v %d", err, len(page))
		}
		next, err := db.Audit().Events(ctx, audit.Filter{Limit: 1, BeforeID: page[0].ID})
		if err != nil || len(next) != 1 || next[0].ID >= page[0].ID {
			t.Fatalf("next page: %v %+v", err, next)
		}
	})
}
