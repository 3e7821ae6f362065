package storage_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// fakeHash stands in for a password hash: the store keeps it as text.
const fakeHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$a2V5"

// MustUser creates a user straight in the store.
func MustUser(t testing.TB, db *storage.DB, email string) *account.User {
	t.Helper()
	u := &account.User{Email: email, Name: "Test " + email}
	id, err := db.Users().CreateUser(context.Background(), u, fakeHash)
	if err != nil {
		t.Fatalf("MustUser(%s): %v", email, err)
	}
	u.ID = id
	return u
}

// MustOrg creates an organisation.
func MustOrg(t testing.TB, db *storage.DB, slug string) *account.Organisation {
	t.Helper()
	o := &account.Organisation{Slug: slug, Name: "Org " + slug, Kind: account.KindOther, Level: account.LevelLocal, Public: true}
	id, err := db.Organisations().CreateOrganisation(context.Background(), o)
	if err != nil {
		t.Fatalf("MustOrg(%s): %v", slug, err)
	}
	o.ID = id
	return o
}

// emails lists the users' addresses in the store's order.
func emails(t testing.TB, db *storage.DB) []string {
	t.Helper()
	us, err := db.Users().ListUsers(context.Background(), 0, 1000)
	if err != nil {
		t.Fatalf("ListUsers: %v", err)
	}
	var out []string
	for _, u := range us {
		out = append(out, u.Email)
	}
	return out
}

func TestIsPostgres(t *testing.T) {
	tests := []struct {
		dsn  string
		want bool
	}{
		{"postgres://u@host/db", true},
		{"postgresql://u@host/db?sslmode=disable", true},
		{"framsyn.db", false},
		{"file:framsyn.db", false},
		{"/var/lib/postgres/framsyn.db", false},
	}
	for _, tt := range tests {
		if got := storage.IsPostgres(tt.dsn); got != tt.want {
			t.Errorf("IsPostgres(%q) = %v, want %v", tt.dsn, got, tt.want)
		}
	}
}

func TestOpen_MakesDirectory(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "a", "b", "framsyn.db")
	db := storagetest.MustOpen(t, path)
	if db.Engine != storage.SQLite {
		t.Errorf("engine = %s", db.Engine)
	}
	if _, err := os.Stat(path); err != nil {
		t.Error(err)
	}
}

func TestDB_Migrate(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		files, err := filepath.Glob(filepath.Join("migrations", string(db.Engine), "*.sql"))
		if err != nil || len(files) == 0 {
			t.Fatalf("migration files: %v, %v", files, err)
		}
		// 00006 is a Go migration (migrate_facets.go), in version order.
		files = slices.Insert(files, 5, "00006_search_facets.go")
		files = append(files, "00011_search_analysis.go", "00038_content_version.go", "00043_post_dates.go")
		slices.SortFunc(files, func(a, b string) int { return strings.Compare(filepath.Base(a), filepath.Base(b)) })
		t.Run("OKIdempotent", func(t *testing.T) {
			MustUser(t, db, "kept@example.se")
			for range 2 {
				if err := db.Migrate(t.Context()); err != nil {
					t.Fatalf("Migrate again: %v", err)
				}
			}
			if got := emails(t, db); !slices.Equal(got, []string{"kept@example.se"}) {
				t.Errorf("users after migrating again = %v", got)
			}
		})
		t.Run("OKStatus", func(t *testing.T) {
			st, err := db.MigrationStatus(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if len(st) != len(files) {
				t.Fatalf("MigrationStatus = %d migrations, want %d (%v)", len(st), len(files), files)
			}
			for i, m := range st {
				if !m.Applied || filepath.Base(m.Source) != filepath.Base(files[i]) || (i > 0 && m.Version <= st[i-1].Version) {
					t.Errorf("migration %d = %+v, want %s applied, in order", i, m, files[i])
				}
			}
		})
	})
}

func TestDB_Backup(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		dir := t.TempDir()
		if db.Engine == storage.Postgres {
			t.Run("ErrPostgres", func(t *testing.T) {
				target := filepath.Join(dir, "copy.db")
				if err := db.Backup(t.Context(), target); err == nil || !strings.Contains(err.Error(), "pg_dump") {
					t.Errorf("Backup = %v, want a refusal naming pg_dump", err)
				}
				if _, err := os.Stat(target); !os.IsNotExist(err) {
					t.Errorf("target written: %v", err)
				}
			})
			return
		}
		for i := range 5 {
			MustUser(t, db, fmt.Sprintf("user%d@example.se", i))
		}
		target := filepath.Join(dir, "copy.db")
		t.Run("OK", func(t *testing.T) {
			want := emails(t, db)
			if err := db.Backup(t.Context(), target); err != nil {
				t.Fatal(err)
			}
			// The source takes writes afterwards; the copy stays as it was.
			MustUser(t, db, "after@example.se")
			cp := storagetest.MustOpen(t, target)
			if got := emails(t, cp); !slices.Equal(got, want) {
				t.Errorf("copy holds %v, want %v", got, want)
			}
			st, err := cp.MigrationStatus(t.Context())
			if err != nil || len(st) == 0 || !st[len(st)-1].Applied {
				t.Errorf("copy migration status = %+v, %v", st, err)
			}
		})
		t.Run("ErrTargetExists", func(t *testing.T) {
			before, err := os.ReadFile(target)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Backup(t.Context(), target); err == nil {
				t.Fatal("Backup over an existing file = nil")
			}
			if after, _ := os.ReadFile(target); string(after) != string(before) {
				t.Error("existing file changed")
			}
		})
		t.Run("OKWhileWriting", func(t *testing.T) {
			// The writer reports each committed user; the backup starts after
			// the first 20 and the writer stops 20 after it ends, so writes
			// run on both sides of it (no guessed sleeps).
			var wg sync.WaitGroup
			var writeErr error
			var written atomic.Int64
			stop, done := make(chan struct{}), make(chan struct{})
			tick := make(chan struct{}, 1) // the writer never waits on it
			wg.Go(func() {
				defer close(done)
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					u := &account.User{Email: fmt.Sprintf("during%d@example.se", i), Name: "Under"}
					if _, err := db.Users().CreateUser(context.Background(), u, fakeHash); err != nil {
						writeErr = err
						return
					}
					written.Add(1)
					select {
					case tick <- struct{}{}:
					default:
					}
				}
			})
			waitWrites := func(n int64) {
				for target := written.Load() + n; written.Load() < target; {
					select {
					case <-tick:
					case <-done:
						return
					}
				}
			}
			waitWrites(20)
			err := db.Backup(t.Context(), filepath.Join(dir, "during.db"))
			waitWrites(20)
			close(stop)
			wg.Wait()
			if err != nil {
				t.Fatalf("Backup while writing: %v", err)
			}
			if writeErr != nil {
				t.Fatalf("write during backup: %v", writeErr)
			}
			src := emails(t, db)
			got := emails(t, storagetest.MustOpen(t, filepath.Join(dir, "during.db")))
			for _, e := range got {
				if !slices.Contains(src, e) {
					t.Errorf("copy holds %s, unknown to the source", e)
				}
			}
			if len(got) < 6 || len(got) > len(src) {
				t.Errorf("copy holds %d users, source %d", len(got), len(src))
			}
		})
	})
}

func TestDB_CancelMidQuery(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		MustUser(t, db, "before@example.se")
		cancelAfter := func(d time.Duration) context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(d, cancel)
			t.Cleanup(cancel)
			return ctx
		}
		tests := []struct {
			name     string
			write    bool
			parallel int
		}{
			{"ErrCancelledRead", false, 1},
			{"ErrCancelledWrite", true, 1},
			{"ErrCancelledManyReads", false, 12},
			{"ErrCancelledManyWrites", true, 4},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				// start comes first: a query failing on its own ends before
				// 100ms even when this goroutine is descheduled.
				start := time.Now()
				ctx := cancelAfter(100 * time.Millisecond)
				errc := make(chan error, tt.parallel)
				for range tt.parallel {
					go func() { errc <- storage.SlowQuery(ctx, db, tt.write) }()
				}
				var last error
				for range tt.parallel {
					if last = <-errc; last == nil {
						t.Error("SlowQuery = nil, want the cancellation")
					}
				}
				if d := time.Since(start); d < 100*time.Millisecond || d > 10*time.Second {
					t.Errorf("queries ended after %v (%v), want them cut off by the cancel at 100ms", d, last)
				}
			})
		}
		t.Run("OKPoolAnswers", func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := db.Ping(ctx); err != nil {
				t.Fatal(err)
			}
			// More rounds than the pools have connections, reads and writes.
			for i := range 30 {
				u := &account.User{Email: fmt.Sprintf("after%d@example.se", i), Name: "Efter"}
				if _, err := db.Users().CreateUser(ctx, u, fakeHash); err != nil {
					t.Fatalf("write %d after cancellation: %v", i, err)
				}
				if _, _, err := db.Users().UserByEmail(ctx, u.Email); err != nil {
					t.Fatalf("read %d after cancellation: %v", i, err)
				}
			}
			if got := emails(t, db); len(got) != 31 {
				t.Errorf("users = %d, want 31", len(got))
			}
		})
	})
}

func TestDB_ConcurrentWrites(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		org := MustOrg(t, db, "org")
		const n = 20
		var wg sync.WaitGroup
		errc := make(chan error, n)
		for i := range n {
			wg.Go(func() {
				ctx := context.Background()
				u := &account.User{Email: fmt.Sprintf("user%02d@example.se", i), Name: "Samtidig"}
				id, err := db.Users().CreateUser(ctx, u, fakeHash)
				if err != nil {
					errc <- fmt.Errorf("create user %d: %w", i, err)
					return
				}
				now := time.Now()
				s := account.Session{Hash: account.HashToken(u.Email), UserID: id, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
				if err := db.Sessions().CreateSession(ctx, s); err != nil {
					errc <- fmt.Errorf("session %d: %w", i, err)
					return
				}
				if err := db.Users().SetMembership(ctx, id, org.ID, account.RoleMember); err != nil {
					errc <- fmt.Errorf("membership %d: %w", i, err)
					return
				}
				if _, err := db.Users().Members(ctx, org.ID); err != nil {
					errc <- fmt.Errorf("members %d: %w", i, err)
				}
			})
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Error(err)
		}
		if got := emails(t, db); len(got) != n {
			t.Errorf("users = %d, want %d", len(got), n)
		}
		if ms, err := db.Users().Members(t.Context(), org.ID); err != nil || len(ms) != n {
			t.Errorf("members = %d, %v; want %d", len(ms), err, n)
		}
	})
}
