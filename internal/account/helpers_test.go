package account_test

import (
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/storage"
)

// testPassword is every fixture user's password; its hash is computed once,
// as argon2id costs about 50 ms.
const testPassword = "rätt häst batteri"

var testHash = sync.OnceValue(func() string {
	h, err := account.HashPassword(testPassword)
	if err != nil {
		panic(err)
	}
	return h
})

// Clock is a settable clock shared by a Service and its DB.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// MustService returns a Service over db with a quiet log and a settable
// clock shared with db.
func MustService(t testing.TB, db *storage.DB) (*account.Service, *Clock) {
	t.Helper()
	clk := &Clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	svc := account.NewService(db.Accounts(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	svc.SetClock(clk.Now)
	db.SetClock(clk.Now)
	return svc, clk
}

// MustUser creates a user with testPassword straight in the store, so no
// hash is computed.
func MustUser(t testing.TB, db *storage.DB, email string, admin bool) *account.User {
	t.Helper()
	u := &account.User{Email: email, Name: "Test " + email, IsAdmin: admin, HasPassword: true}
	id, err := db.Users().CreateUser(t.Context(), u, testHash())
	if err != nil {
		t.Fatalf("MustUser(%s): %v", email, err)
	}
	u.ID = id
	return u
}

// MustOrg creates an organisation of kind other.
func MustOrg(t testing.TB, db *storage.DB, slug string, public bool) *account.Organisation {
	t.Helper()
	o := &account.Organisation{Slug: slug, Name: "Org " + slug, Kind: account.KindOther, Level: account.LevelLocal, Public: public}
	id, err := db.Organisations().CreateOrganisation(t.Context(), o)
	if err != nil {
		t.Fatalf("MustOrg(%s): %v", slug, err)
	}
	o.ID = id
	return o
}

// MustMember gives u the role in o.
func MustMember(t testing.TB, db *storage.DB, u *account.User, o *account.Organisation, role account.Role) {
	t.Helper()
	if err := db.Users().SetMembership(t.Context(), u.ID, o.ID, role); err != nil {
		t.Fatalf("MustMember(%s, %s): %v", u.Email, o.Slug, err)
	}
}

// MustActor returns u as an actor with the memberships in the store.
func MustActor(t testing.TB, db *storage.DB, u *account.User) *account.Actor {
	t.Helper()
	fresh, err := db.Users().UserByID(t.Context(), u.ID)
	if err != nil {
		t.Fatalf("MustActor(%s): %v", u.Email, err)
	}
	ms, err := db.Users().Memberships(t.Context(), u.ID)
	if err != nil {
		t.Fatalf("MustActor(%s): %v", u.Email, err)
	}
	return &account.Actor{User: fresh, Memberships: ms}
}

// MustSignIn signs email in with testPassword from its own client address
// and returns the session token with its actor.
func MustSignIn(t testing.TB, svc *account.Service, email string) (string, *account.Actor) {
	t.Helper()
	token, _, err := svc.SignIn(t.Context(), email, testPassword, "client-"+email, "test")
	if err != nil {
		t.Fatalf("MustSignIn(%s): %v", email, err)
	}
	a, err := svc.SessionActor(t.Context(), token)
	if err != nil || a == nil {
		t.Fatalf("MustSignIn(%s): actor %v, %v", email, a, err)
	}
	return token, a
}

// wantKind fails t unless err is of the kind.
func wantKind(t testing.TB, err error, want errs.Kind) {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil, want kind %d", want)
	}
	if got := errs.KindOf(err); got != want {
		t.Fatalf("err = %v (kind %d), want kind %d", err, got, want)
	}
}

// wantField fails t unless err is Invalid with key on field.
func wantField(t testing.TB, err error, field, key string) {
	t.Helper()
	wantKind(t, err, errs.Invalid)
	if got := errs.As(err).Fields[field]; got != key {
		t.Fatalf("field %q = %q, want %q (err %v)", field, got, key, err)
	}
}

// wantKey fails t unless err has the kind and catalogue key.
func wantKey(t testing.TB, err error, kind errs.Kind, key string) {
	t.Helper()
	wantKind(t, err, kind)
	if got := errs.As(err).Key; got != key {
		t.Fatalf("key = %q, want %q (err %v)", got, key, err)
	}
}

// mustToken makes an API token for a with the default expiry.
func mustToken(t testing.TB, svc *account.Service, a *account.Actor) string {
	t.Helper()
	token, err := svc.CreateAPIToken(t.Context(), a, "skript", 0)
	if err != nil {
		t.Fatal(err)
	}
	return token
}
