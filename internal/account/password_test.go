package account_test

import (
	"encoding/base64"
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/ratelimit"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// phcRE is the argon2id PHC string with the OWASP parameters framsyn uses,
// a 16-byte salt and a 32-byte key.
var phcRE = regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func TestHashPassword(t *testing.T) {
	h1 := testHash()
	if !phcRE.MatchString(h1) {
		t.Fatalf("HashPassword = %q, want argon2id PHC string with m=19456,t=2,p=1", h1)
	}
	if strings.Contains(h1, testPassword) {
		t.Fatal("hash holds the password")
	}
	h2, err := account.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if h1 == h2 {
		t.Error("two hashes of one password are equal: salt not random")
	}
}

// cheapHash builds a PHC string with small parameters, as a hash stored
// under older settings would be.
func cheapHash(pw string, m, t uint32, p uint8) string {
	salt := []byte("0123456789abcdef")
	key := argon2.IDKey([]byte(pw), salt, t, m, p, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, m, t, p,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

func TestCheckPassword(t *testing.T) {
	cheap := cheapHash("ett lösenord", 64, 1, 1)
	parts := strings.Split(cheap, "$") // "", argon2id, v=19, params, salt, key
	with := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, "$")
	}
	tests := []struct {
		name    string
		hash    string
		pw      string
		want    bool
		wantErr bool
	}{
		{name: "OK", hash: testHash(), pw: testPassword, want: true},
		{name: "OKStoredParameters", hash: cheap, pw: "ett lösenord", want: true},
		{name: "ErrWrong", hash: testHash(), pw: testPassword + " ", want: false},
		{name: "ErrWrongCheap", hash: cheap, pw: "Ett lösenord", want: false},
		{name: "ErrEmptyPassword", hash: cheap, pw: "", want: false},
		{name: "ErrMalformedEmpty", hash: "", wantErr: true},
		{name: "ErrMalformedPlain", hash: "ett lösenord", wantErr: true},
		{name: "ErrMalformedBcrypt", hash: "$2a$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234", wantErr: true},
		{name: "ErrMalformedAlgorithm", hash: with(1, "argon2i"), wantErr: true},
		{name: "ErrMalformedVersion", hash: with(2, "v=16"), wantErr: true},
		{name: "ErrMalformedParams", hash: with(3, "m=x,t=1,p=1"), wantErr: true},
		{name: "ErrMalformedSalt", hash: with(4, "!!!"), wantErr: true},
		{name: "ErrMalformedKey", hash: with(5, "!!!"), wantErr: true},
		{name: "ErrMalformedEmptyKey", hash: with(5, ""), wantErr: true},
		{name: "ErrMalformedZeroTime", hash: with(3, "m=64,t=0,p=1"), wantErr: true},
		{name: "ErrMalformedZeroThreads", hash: with(3, "m=64,t=1,p=0"), wantErr: true},
		{name: "ErrMalformedExtraPart", hash: cheap + "$x", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := account.CheckPassword(tt.hash, tt.pw)
			if (err != nil) != tt.wantErr {
				t.Fatalf("CheckPassword err = %v, want error %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("CheckPassword = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNewToken(t *testing.T) {
	a, b := account.NewToken(), account.NewToken()
	if a == b || len(a) != 43 {
		t.Errorf("NewToken = %q, %q: want two different 43-character tokens", a, b)
	}
	if h := account.HashToken(a); len(h) != 64 || h == a || h != account.HashToken(a) {
		t.Errorf("HashToken = %q: want a stable 64-hex digest", h)
	}
}

func TestService_SignIn(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc, _ := MustService(t, db)
		u := MustUser(t, db, "user@example.se", false)
		off := MustUser(t, db, "off@example.se", false)
		if err := db.Users().SetDisabled(t.Context(), off.ID, true); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name, email, pw string
			wantErr         string // catalogue key; "" for success
		}{
			{"OK", u.Email, testPassword, ""},
			{"OKEmailNormalised", "  USER@Example.SE ", testPassword, ""},
			{"ErrWrongPassword", u.Email, "fel lösenord här", "account.bad_credentials"},
			{"ErrUnknownEmail", "nobody@example.se", testPassword, "account.bad_credentials"},
			{"ErrInvalidEmail", "nobody", testPassword, "account.bad_credentials"},
			{"ErrDisabled", off.Email, testPassword, "account.bad_credentials"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				token, got, err := svc.SignIn(t.Context(), tt.email, tt.pw, "client-"+tt.name, "test")
				if tt.wantErr != "" {
					wantKey(t, err, errs.Invalid, tt.wantErr)
					if token != "" || got != nil {
						t.Errorf("SignIn = %q, %v; want nothing", token, got)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if token == "" || got.ID != u.ID {
					t.Errorf("SignIn = %q, %+v", token, got)
				}
			})
		}
	})
}

// TestService_SignInLimiter runs on SQLite only: the limiter is in memory,
// and every attempt costs an argon2id check, wanted or not. Attempts that
// should fill a bucket run at once, so slow hashing cannot refill it.
func TestService_SignInLimiter(t *testing.T) {
	t.Parallel()
	db := storagetest.MustOpen(t, filepath.Join(t.TempDir(), "framsyn.db"))
	svc, _ := MustService(t, db)
	signIn := func(t *testing.T, email, pw, client string) error {
		_, _, err := svc.SignIn(t.Context(), email, pw, client, "test")
		return err
	}
	// together makes n attempts at once and counts the errors by kind.
	together := func(t *testing.T, n int, attempt func(i int) error) map[errs.Kind]int {
		var mu sync.Mutex
		var wg sync.WaitGroup
		kinds := map[errs.Kind]int{}
		for i := range n {
			wg.Go(func() {
				err := attempt(i)
				mu.Lock()
				defer mu.Unlock()
				kinds[errs.KindOf(err)]++
			})
		}
		wg.Wait()
		return kinds
	}
	t.Run("ErrTooManyPerPair", func(t *testing.T) {
		u := MustUser(t, db, "target@example.se", false)
		got := together(t, 6, func(i int) error {
			return signIn(t, u.Email, "fel lösenord här", "bot")
		})
		if want := map[errs.Kind]int{errs.Invalid: 5, errs.TooMany: 1}; !maps.Equal(got, want) {
			t.Fatalf("six attempts on one account from one client: %v, want %v", got, want)
		}
		wantKey(t, signIn(t, u.Email, testPassword, "bot"), errs.TooMany, "account.too_many_attempts")
		// The owner elsewhere is not locked out (issue 18 row 12).
		if err := signIn(t, u.Email, testPassword, "owner"); err != nil {
			t.Fatalf("owner from another client: %v", err)
		}
	})
	t.Run("ErrTooManyPerAccount", func(t *testing.T) {
		u := MustUser(t, db, "botnet-target@example.se", false)
		got := together(t, 31, func(i int) error {
			return signIn(t, u.Email, "fel lösenord här", fmt.Sprintf("bot-%d", i))
		})
		if want := map[errs.Kind]int{errs.Invalid: 30, errs.TooMany: 1}; !maps.Equal(got, want) {
			t.Fatalf("31 attempts on one account from 31 clients: %v, want %v", got, want)
		}
		wantKey(t, signIn(t, u.Email, testPassword, "owner"), errs.TooMany, "account.too_many_attempts")
	})
	t.Run("ErrTooManyPerClient", func(t *testing.T) {
		got := together(t, 11, func(i int) error {
			return signIn(t, fmt.Sprintf("guess-%d@example.se", i), testPassword, "scanner")
		})
		if want := map[errs.Kind]int{errs.Invalid: 10, errs.TooMany: 1}; !maps.Equal(got, want) {
			t.Fatalf("eleven attempts from one client: %v, want %v", got, want)
		}
		wantKey(t, signIn(t, "guess-11@example.se", testPassword, "scanner"), errs.TooMany, "account.too_many_attempts")
	})
	t.Run("OKSuccessResetsAccount", func(t *testing.T) {
		u := MustUser(t, db, "forgetful@example.se", false)
		got := together(t, 4, func(i int) error {
			return signIn(t, u.Email, "fel lösenord här", fmt.Sprintf("laptop-%d", i))
		})
		if got[errs.Invalid] != 4 {
			t.Fatalf("four wrong attempts: %v", got)
		}
		if err := signIn(t, u.Email, testPassword, "laptop-4"); err != nil {
			t.Fatalf("fifth attempt, right password: %v", err)
		}
		// A sixth attempt would be refused had the success not reset the bucket.
		wantKey(t, signIn(t, u.Email, "fel lösenord här", "laptop-5"), errs.Invalid, "account.bad_credentials")
	})
}

// testLimiter is a LoginLimiter whose errors fail the test.
type testLimiter struct {
	l *account.LoginLimiter
	t *testing.T
}

func (x testLimiter) Allow(client, acct string) bool {
	ok, err := x.l.Allow(x.t.Context(), client, acct)
	if err != nil {
		x.t.Fatal(err)
	}
	return ok
}

func (x testLimiter) Reset(client, acct string) {
	if err := x.l.Reset(x.t.Context(), client, acct); err != nil {
		x.t.Fatal(err)
	}
}

// TestLoginLimiter runs in memory and in the database of each engine
// (several instances share the database's), at a fixed time.
func TestLoginLimiter(t *testing.T) {
	tests := []struct {
		name string
		run  func(l testLimiter) error
	}{
		{"OKOwnerNotLockedOut", func(l testLimiter) error {
			// Issue 18 row 12: one client's failures hold back that client.
			for range 20 {
				l.Allow("attacker", "victim")
			}
			if !l.Allow("home", "victim") {
				return fmt.Errorf("the owner is locked out by another client's attempts")
			}
			return nil
		}},
		{"ErrPairBurst", func(l testLimiter) error {
			for i := range 5 {
				if !l.Allow("c", "a") {
					return fmt.Errorf("attempt %d refused", i+1)
				}
			}
			if l.Allow("c", "a") {
				return fmt.Errorf("sixth attempt from one client on one account allowed")
			}
			if !l.Allow("c", "b") || !l.Allow("d", "a") {
				return fmt.Errorf("other account or other client refused")
			}
			return nil
		}},
		{"ErrAccountBurst", func(l testLimiter) error {
			for i := range 30 {
				if !l.Allow(fmt.Sprint("c", i), "a") {
					return fmt.Errorf("attempt %d refused", i+1)
				}
			}
			if l.Allow("c-new", "a") {
				return fmt.Errorf("31st attempt on one account allowed")
			}
			if !l.Allow("c-new", "b") {
				return fmt.Errorf("other account refused")
			}
			return nil
		}},
		{"ErrClientBurst", func(l testLimiter) error {
			for i := range 10 {
				if !l.Allow("c", fmt.Sprint("a", i)) {
					return fmt.Errorf("attempt %d refused", i+1)
				}
			}
			if l.Allow("c", "a-new") {
				return fmt.Errorf("eleventh attempt from one client allowed")
			}
			if !l.Allow("c-other", "a-new") {
				return fmt.Errorf("other client refused")
			}
			return nil
		}},
		{"OKResetRefillsPair", func(l testLimiter) error {
			for range 5 {
				l.Allow("c", "a")
			}
			l.Reset("c", "a")
			for i := range 5 {
				if !l.Allow("c", "a") {
					return fmt.Errorf("attempt %d after reset refused", i+1)
				}
			}
			return nil
		}},
		{"OKRefusalDoesNotDrain", func(l testLimiter) error {
			for range 5 {
				l.Allow("x", "locked")
			}
			for range 20 {
				if l.Allow("x", "locked") {
					return fmt.Errorf("locked pair allowed")
				}
			}
			// The refusals cost client x nothing: 5 of its burst of 10 remain.
			for i := range 5 {
				if !l.Allow("x", fmt.Sprint("free", i)) {
					return fmt.Errorf("client drained by refusals: attempt %d refused", i+1)
				}
			}
			return nil
		}},
	}
	now := time.Now()
	run := func(t *testing.T, lim func() ratelimit.Limiter) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				l := account.NewLoginLimiter(lim())
				l.SetClock(func() time.Time { return now })
				if err := tt.run(testLimiter{l, t}); err != nil {
					t.Error(err)
				}
			})
		}
	}
	t.Run("memory", func(t *testing.T) { run(t, func() ratelimit.Limiter { return ratelimit.NewMemory() }) })
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		// Each case an hour later than the last, so its buckets start full.
		run(t, func() ratelimit.Limiter { now = now.Add(time.Hour); return db.RateLimits() })
	})
}
