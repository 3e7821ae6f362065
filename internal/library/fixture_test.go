package library_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// fixture is a small network: organisation A owns works, C co-organises
// them, B is unrelated; one actor per role.
type fixture struct {
	db      *storage.DB
	svc     *library.Service
	orgA    int64 // regional
	orgB    int64 // national
	orgC    int64 // local
	contact int64 // a contact person of A
	contB   int64 // a contact person of B

	public, signedIn, memberA, memberC, editorA, editorB, admin *account.Actor
}

var clock = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func newFixture(t *testing.T, db *storage.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{db: db, svc: library.NewService(db.Works())}
	tick := clock
	f.svc.SetClock(func() time.Time { tick = tick.Add(time.Second); return tick })
	f.orgA = mustOrg(t, db, "region-norrbotten", account.LevelRegional)
	f.orgB = mustOrg(t, db, "tillvaxtverket", account.LevelNational)
	f.orgC = mustOrg(t, db, "lulea-kommun", account.LevelLocal)
	f.contact = mustContact(t, db, f.orgA, "Tove Cullhed")
	f.contB = mustContact(t, db, f.orgB, "Sigrid Hedin")
	actor := func(email string, admin bool, ms ...account.Membership) *account.Actor {
		u := &account.User{Email: email, Name: email, IsAdmin: admin}
		id, err := db.Users().CreateUser(ctx, u, "x")
		if err != nil {
			t.Fatalf("create user: %v", err)
		}
		u.ID = id
		return &account.Actor{User: u, Memberships: ms}
	}
	m := func(org int64, r account.Role) account.Membership {
		return account.Membership{OrganisationID: org, Role: r}
	}
	f.public = &account.Actor{}
	f.signedIn = actor("user@example.se", false)
	f.memberA = actor("member-a@example.se", false, m(f.orgA, account.RoleMember))
	f.memberC = actor("member-c@example.se", false, m(f.orgC, account.RoleMember))
	f.editorA = actor("editor-a@example.se", false, m(f.orgA, account.RoleEditor), m(f.orgB, account.RoleMember), m(f.orgC, account.RoleMember))
	f.editorB = actor("editor-b@example.se", false, m(f.orgB, account.RoleAdmin))
	f.admin = actor("admin@example.se", true)
	return f
}

func mustOrg(t testing.TB, db *storage.DB, slug string, level account.Level) int64 {
	t.Helper()
	o := &account.Organisation{Slug: slug, Name: "Org " + slug, Kind: account.KindOther, Level: level, Public: true}
	id, err := db.Organisations().CreateOrganisation(context.Background(), o)
	if err != nil {
		t.Fatalf("create organisation: %v", err)
	}
	return id
}

func mustContact(t testing.TB, db *storage.DB, org int64, name string) int64 {
	t.Helper()
	id, err := db.Organisations().CreateContact(context.Background(), &account.Contact{OrganisationID: org, Name: name})
	if err != nil {
		t.Fatalf("create contact: %v", err)
	}
	return id
}

// work returns a valid work of A, to edit before creating.
func (f *fixture) work(title string, vis library.Visibility) *library.Work {
	return &library.Work{Type: library.TypeScenario, Title: title, Summary: "Ett scenario för norra Sverige.",
		BodyMD: "## Livet 2050\n\nI **Region Artica** arbetar man på distans.", OrganisationID: f.orgA,
		CoOrganisationIDs: []int64{f.orgC}, ContactIDs: []int64{f.contact}, HorizonYear: 2050,
		Methods: []string{"Scenariokors"}, Themes: []string{"Arbetsmarknad"}, Date: time.Date(2018, 3, 1, 0, 0, 0, 0, time.UTC),
		Visibility: vis}
}

// mustCreate creates w as the editor of A.
func (f *fixture) mustCreate(t *testing.T, w *library.Work) *library.Work {
	t.Helper()
	got, err := f.svc.Create(context.Background(), f.editorA, w)
	if err != nil {
		t.Fatalf("Create(%q): %v", w.Title, err)
	}
	return got
}

// sameEngineDB opens a second, empty database of db's engine.
func sameEngineDB(t *testing.T, db *storage.DB) *storage.DB {
	t.Helper()
	if db.Engine == storage.Postgres {
		return storagetest.MustOpen(t, storagetest.PostgresDSN(t, os.Getenv(storagetest.EnvPostgres)))
	}
	return storagetest.MustOpen(t, filepath.Join(t.TempDir(), "second.db"))
}

// wantImportProblems checks that err refuses an import with exactly the
// problems of want, by field.
func wantImportProblems(t *testing.T, err error, want map[string]string) {
	t.Helper()
	e := errs.As(err)
	if e.Kind != errs.Invalid || e.Key != "library.import_invalid" {
		t.Fatalf("error %v", err)
	}
	if len(e.Fields) != len(want) {
		t.Errorf("problems %v, want %v", e.Fields, want)
	}
	for k, v := range want {
		if e.Fields[k] != v {
			t.Errorf("problem %s = %q, want %q", k, e.Fields[k], v)
		}
	}
}
