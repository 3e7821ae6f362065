package workshop_test

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

// gatedStore is the real store whose first token read waits for gate, and
// which fails its reads while fail is set.
type gatedStore struct {
	workshop.Store
	gate  chan struct{}
	fail  atomic.Bool
	reads atomic.Int64
	mu    sync.Mutex
	sizes []int
}

func (g *gatedStore) ParticipantsByToken(ctx context.Context, hashes []string) ([]*workshop.Participant, error) {
	if g.reads.Add(1) == 1 {
		<-g.gate
	}
	g.mu.Lock()
	g.sizes = append(g.sizes, len(hashes))
	g.mu.Unlock()
	if g.fail.Load() {
		return nil, errors.New("the database is gone")
	}
	return g.Store.ParticipantsByToken(ctx, hashes)
}

// waitFor yields until cond holds: the goroutines it waits on are
// runnable, and nothing else here runs meanwhile.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; !cond(); i++ {
		if i > 10_000_000 {
			t.Fatalf("never: %s", what)
		}
		runtime.Gosched()
	}
}

// Token lookups that arrive while one is read wait for the next read,
// which reads them together: each caller gets its own guest, a token asked
// for twice is read once, an unknown token is not joined, and a read that
// fails fails every lookup waiting on it.
func TestService_TokenLookupsGathered(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		r := MustRoom(t, db)
		guests := r.Guests(t, 20)
		store := &gatedStore{Store: db.Workshops(), gate: make(chan struct{})}
		svc := workshop.NewService(store, nil, slog.New(slog.DiscardHandler))
		type answer struct {
			want int64 // 0: an unknown token
			got  *workshop.Participant
			err  error
		}
		answers := make([]answer, 0, 23)
		for _, g := range guests {
			answers = append(answers, answer{want: g.ID})
		}
		answers = append(answers, answer{want: guests[1].ID}, answer{want: guests[2].ID}, answer{})
		token := func(id int64) string {
			if id == 0 {
				return "no-such-token"
			}
			return r.tokens[id]
		}
		var wg sync.WaitGroup
		lookup := func(a *answer) {
			wg.Go(func() { a.got, a.err = svc.Participant(ctx, nil, r.w.ID, token(a.want)) })
		}
		lookup(&answers[0])
		waitFor(t, "the first read", func() bool { return store.reads.Load() == 1 })
		for i := 1; i < len(answers); i++ {
			lookup(&answers[i])
		}
		waitFor(t, "22 lookups waiting", func() bool { return workshop.TokenLookupsWaiting(svc) == len(answers)-1 })
		close(store.gate)
		wg.Wait()
		for _, a := range answers {
			switch {
			case a.want == 0:
				wantErr(t, a.err, errs.Forbidden, "workshop.not_joined")
			case a.err != nil || a.got.ID != a.want:
				t.Fatalf("guest %d: got %+v, %v", a.want, a.got, a.err)
			}
		}
		if n := store.reads.Load(); n != 2 {
			t.Fatalf("%d reads for 23 lookups, want 2", n)
		}
		if store.sizes[1] != 20 { // 19 guests and the unknown token
			t.Fatalf("the second read had %d hashes, want 20", store.sizes[1])
		}
		// Each caller has a guest of its own.
		answers[20].got.Nickname = "ändrad"
		if answers[1].got.Nickname == "ändrad" {
			t.Fatal("two callers share one participant")
		}
		// A lone lookup reads at once; a read that fails is the error.
		store.fail.Store(true)
		if _, err := svc.Participant(ctx, nil, r.w.ID, token(guests[3].ID)); err == nil || errs.KindOf(err) == errs.Forbidden {
			t.Fatalf("a failed read: %v, want the read's error", err)
		}
		store.fail.Store(false)
		if p, err := svc.Participant(ctx, nil, r.w.ID, token(guests[3].ID)); err != nil || p.ID != guests[3].ID {
			t.Fatalf("after the failure: %+v, %v", p, err)
		}
	})
}
