package workshop_test

import (
	"context"
	"sync"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

// Observe sees each committed event once, before any stream does, and
// never a resend or a refusal.
func TestService_Observe(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		r := MustRoom(t, db)
		var mu sync.Mutex
		var seen []int64
		watch, err := r.svc.Watch(ctx, r.host)
		if err != nil {
			t.Fatal(err)
		}
		defer watch.Close()
		r.svc.Observe(func(ev *workshop.Event) {
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, ev.Seq)
			for len(watch.C) > 0 {
				if got := <-watch.C; got.Seq >= ev.Seq {
					t.Errorf("stream had seq %d before it was observed", got.Seq)
				}
			}
		})
		g, _, err := r.svc.Join(ctx, &account.Actor{}, r.w.Code, "Olle", cid(), "x")
		if err != nil {
			t.Fatal(err)
		}
		r.Stage(t, "drivers")
		id := cid()
		note := r.Do(t, g, workshop.Command{ClientID: id, Kind: workshop.NoteAdd, Text: "en gång"})
		r.Do(t, g, workshop.Command{ClientID: id, Kind: workshop.NoteAdd, Text: "en gång"}) // resend
		if _, err := r.try(g, workshop.Command{Kind: workshop.VoteAdd, Quadrant: 1}); err == nil {
			t.Fatal("vote in the drivers stage accepted")
		}
		mu.Lock()
		defer mu.Unlock()
		want := []int64{note.Seq - 2, note.Seq - 1, note.Seq}
		if len(seen) != len(want) || seen[0] != want[0] || seen[1] != want[1] || seen[2] != want[2] {
			t.Fatalf("observed %v, want %v", seen, want)
		}
	})
}
