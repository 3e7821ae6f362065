package workshop_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/live"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

// The service answers Board from the last board it read while the
// workshop's sequence number is unchanged: a change made by another
// instance shows at once, one viewer's redaction never reaches another,
// and a caller's edits to its board never reach the next caller.
func TestService_BoardCache(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		r := MustRoom(t, db)
		otherStore := &countingStore{Store: db.Workshops()}
		other := workshop.NewService(otherStore, nil, slog.New(slog.DiscardHandler)) // a second instance
		g := r.Guest(t, "Gun")
		r.Stage(t, "drivers")
		r.Do(t, g, workshop.Command{Kind: workshop.NoteAdd, Text: "Fler äldre"})
		notes := func(svc *workshop.Service, p *workshop.Participant) int {
			t.Helper()
			b, err := svc.Board(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			return len(b.Notes)
		}
		if got := notes(r.svc, g); got != 1 {
			t.Fatalf("notes = %d, want 1", got)
		}
		// Another instance changes the board: the next read sees it.
		if _, err := other.Do(ctx, g, workshop.Command{Kind: workshop.NoteAdd, Text: "Mer AI", ClientID: cid()}); err != nil {
			t.Fatal(err)
		}
		if got := notes(r.svc, g); got != 2 {
			t.Fatalf("after another instance's note: notes = %d, want 2", got)
		}
		// A caller's edits stay its own.
		b, err := r.svc.Board(ctx, g)
		if err != nil {
			t.Fatal(err)
		}
		b.Notes[0].Text, b.Notes = "ändrad", b.Notes[:0]
		b2, err := r.svc.Board(ctx, g)
		if err != nil {
			t.Fatal(err)
		}
		if len(b2.Notes) != 2 || b2.Notes[0].Text != "Fler äldre" {
			t.Fatalf("a caller's edit reached the next board: %+v", b2.Notes)
		}
		// Redaction is per viewer: a guest's board hides others' ratings
		// before the reveal, the facilitator's shows them, from one read.
		r.Stage(t, "rating")
		r.Do(t, g, workshop.Command{Kind: workshop.RatingSet, Note: b2.Notes[0].ID, Impact: 4, Uncertainty: 5})
		h := r.Guest(t, "Hans")
		for _, tt := range []struct {
			name      string
			p         *workshop.Participant
			stats     int
			ownRating int
		}{
			{"GuestSeesNoStats", h, 0, 0},
			{"FacilitatorSeesStats", r.host, 1, 0},
			{"RaterSeesOwn", g, 0, 1},
			{"GuestAgain", h, 0, 0},
		} {
			t.Run(tt.name, func(t *testing.T) {
				b, err := r.svc.Board(ctx, tt.p)
				if err != nil {
					t.Fatal(err)
				}
				if len(b.Stats) != tt.stats || len(b.Ratings) != tt.ownRating {
					t.Fatalf("stats %d ratings %d, want %d %d", len(b.Stats), len(b.Ratings), tt.stats, tt.ownRating)
				}
			})
		}
	})
}

// countingStore is the real store, counting its whole-board reads, its
// reads of the last seq and those of guests' tokens.
type countingStore struct {
	workshop.Store
	boards, lastSeqs, tokens atomic.Int64
}

func (c *countingStore) LastSeq(ctx context.Context, wid int64) (int64, error) {
	c.lastSeqs.Add(1)
	return c.Store.LastSeq(ctx, wid)
}

func (c *countingStore) ParticipantsByToken(ctx context.Context, hashes []string) ([]*workshop.Participant, error) {
	c.tokens.Add(1)
	return c.Store.ParticipantsByToken(ctx, hashes)
}

func (c *countingStore) Board(ctx context.Context, wid int64) (*workshop.Board, error) {
	c.boards.Add(1)
	return c.Store.Board(ctx, wid)
}

// A restart's streams all reconnect at once, each asking for its viewer:
// the board is read from the store once, not once per stream, and no
// stream reads the last seq: each resumes after a seq the board has.
func TestService_ViewersShareOneBoardRead(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		r := MustRoom(t, db)
		guests := r.Guests(t, 20)
		store := &countingStore{Store: db.Workshops()}
		svc := workshop.NewService(store, nil, slog.New(slog.DiscardHandler)) // a restarted instance
		seq, err := db.Workshops().LastSeq(ctx, r.w.ID)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 5*len(guests))
		for range 5 {
			for i, g := range guests {
				wg.Go(func() {
					if _, err := svc.Viewer(ctx, g, seq-int64(i%3)); err != nil {
						errs <- err
					}
				})
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if n, m := store.boards.Load(), store.lastSeqs.Load(); n != 1 || m != 0 {
			t.Fatalf("%d board and %d last-seq reads for 100 viewers, want 1 and 0", n, m)
		}
		// A change made on another instance: a client that saw it gets a
		// board that has it, read once; one that did not, the kept board.
		r.Stage(t, "drivers")
		if _, err := svc.Viewer(ctx, guests[0], seq); err != nil {
			t.Fatal(err)
		}
		if n := store.boards.Load(); n != 1 {
			t.Fatalf("%d board reads for a client behind the change, want 1", n)
		}
		for range 2 { // the second from the board the first read
			if _, err := svc.Viewer(ctx, guests[0], seq+1); err != nil {
				t.Fatal(err)
			}
		}
		if n := store.boards.Load(); n != 2 {
			t.Fatalf("%d board reads after a change, want 2", n)
		}
	})
}

// Another instance's commands reach this one through the log (the broker
// wakes its relay, which reads them): they are folded into its board, so
// its own commands still go ahead; a join there, whose event shows the new
// participant without their token, makes it read the board again.
func TestService_FoldsOtherInstances(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		hub := live.NewHub(64) // the instances' broker
		a := workshop.NewService(db.Workshops(), hub, slog.New(slog.DiscardHandler))
		b := workshop.NewService(db.Workshops(), hub, slog.New(slog.DiscardHandler))
		r := MustRoomOn(t, db, a) // checks a's folds
		workshop.CheckFolds(t, b)
		w, host := r.w, r.host
		do := func(svc *workshop.Service, p *workshop.Participant, c workshop.Command) *workshop.Event {
			t.Helper()
			c.ClientID = cid()
			ev, err := svc.Do(ctx, p, c)
			if err != nil {
				t.Fatalf("%s: %v", c.Kind, err)
			}
			return ev
		}
		g := r.Guest(t, "Alva")
		r.Stage(t, "drivers")
		watch, err := b.Watch(ctx, host)
		if err != nil {
			t.Fatal(err)
		}
		defer watch.Close()
		reached := func(seq int64) { // b's relay has read the log up to seq
			t.Helper()
			timeout := time.After(10 * time.Second)
			for {
				select {
				case ev, ok := <-watch.C:
					if !ok {
						t.Fatal("b's watch ended")
					}
					if ev.Seq >= seq {
						return
					}
				case <-timeout:
					t.Fatalf("b never saw seq %d", seq)
				}
			}
		}
		reached(do(b, g, workshop.Command{Kind: workshop.NoteAdd, Text: "Första"}).Seq) // b reads the board
		ahead0, locked0 := b.Decided()
		for i := range 5 {
			reached(do(a, g, workshop.Command{Kind: workshop.NoteAdd, Text: fmt.Sprintf("Från a %d", i)}).Seq)
			reached(do(b, g, workshop.Command{Kind: workshop.NoteAdd, Text: fmt.Sprintf("Från b %d", i)}).Seq)
		}
		if ahead, locked := b.Decided(); ahead-ahead0 != 5 || locked != locked0 {
			t.Fatalf("b decided %d ahead and %d under the lock after a's commands, want 5 and 0", ahead-ahead0, locked-locked0)
		}
		h := r.Guest(t, "Bosse")
		reached(h.ID) // a participant's id is their join's seq
		reached(do(b, h, workshop.Command{Kind: workshop.NoteAdd, Text: "Bosses"}).Seq)
		reached(do(b, g, workshop.Command{Kind: workshop.NoteAdd, Text: "Sista"}).Seq)
		want, err := db.Workshops().Board(ctx, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := b.Board(ctx, host)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Notes) != 13 || len(want.Notes) != 13 || len(got.Participants) != len(want.Participants) {
			t.Fatalf("b's board: %d notes and %d participants; the store's %d and %d; want 13 notes",
				len(got.Notes), len(got.Participants), len(want.Notes), len(want.Participants))
		}
	})
}

// A guest's first command comes right after their join: the instance that
// joined them knows their token, so the command reads nothing before its
// decision; another instance reads the token once.
func TestService_JoinRemembersSender(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		store := &countingStore{Store: db.Workshops()}
		r := MustRoomOn(t, db, workshop.NewService(store, nil, slog.New(slog.DiscardHandler)))
		r.Stage(t, "drivers")
		otherStore := &countingStore{Store: db.Workshops()}
		other := workshop.NewService(otherStore, nil, slog.New(slog.DiscardHandler))
		g := r.Guest(t, "Alva")
		cookies := func(name string) string {
			if name == workshop.GuestCookieName(r.w.ID, false) {
				return r.tokens[g.ID]
			}
			return ""
		}
		before := store.tokens.Load()
		for i, svc := range []*workshop.Service{r.svc, other, other} {
			p, err := svc.SenderOf(ctx, &account.Actor{}, r.w.ID, cookies, false)
			if err != nil || p.ID != g.ID {
				t.Fatalf("sender %+v, %v; want guest %d", p, err, g.ID)
			}
			if _, err := svc.Do(ctx, p, workshop.Command{ClientID: cid(), Kind: workshop.NoteAdd, Text: fmt.Sprintf("Lapp %d", i), STEEP: "social"}); err != nil {
				t.Fatal(err)
			}
		}
		if n := store.tokens.Load() - before; n != 0 {
			t.Fatalf("%d token reads on the joining instance, want 0", n)
		}
		if n := otherStore.tokens.Load(); n != 1 {
			t.Fatalf("%d token reads on another instance for two commands, want 1", n)
		}
		// A token the instance did not hand out is read, as before.
		bad := func(string) string { return "no-such-token" }
		if _, err := r.svc.SenderOf(ctx, &account.Actor{}, r.w.ID, bad, false); errs.KindOf(err) != errs.Forbidden {
			t.Fatalf("unknown token: %v", err)
		}
		if n := store.tokens.Load() - before; n != 1 {
			t.Fatalf("%d token reads after an unknown token, want 1", n)
		}
	})
}
