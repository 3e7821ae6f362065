package workshop_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/live"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

// next waits for the next event on a watch.
func next(t testing.TB, w *live.Watch[*workshop.Event]) *workshop.Event {
	t.Helper()
	select {
	case ev, ok := <-w.C:
		if !ok {
			t.Fatal("watch dropped")
		}
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5 s")
	}
	return nil
}

// The service hands each committed event to the workshop's watches, in
// order, each once, and only to that workshop's (the relay itself is
// tested in live).
func TestService_Watch(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		r := MustRoom(t, db)
		g := r.Guest(t, "Wilma")
		r.Stage(t, "drivers")
		start := r.Do(t, g, workshop.Command{Kind: workshop.NoteAdd, Text: "före"}).Seq

		w1, err := r.svc.Watch(ctx, g)
		if err != nil {
			t.Fatal(err)
		}
		defer w1.Close()
		w2, err := r.svc.Watch(ctx, r.host)
		if err != nil {
			t.Fatal(err)
		}
		defer w2.Close()
		if w1.Topic != workshop.Topic(r.w.ID) {
			t.Fatalf("topic %v", w1.Topic)
		}
		if r.svc.Relay().Streams() != 2 {
			t.Fatalf("%d streams", r.svc.Relay().Streams())
		}
		// Another workshop on the same service: its events reach neither.
		ow, err := r.svc.Create(ctx, r.actor, workshop.Workshop{Title: "Annan", FocalQuestion: "Hörs den?", HorizonYear: 2050})
		if err != nil {
			t.Fatal(err)
		}
		oh, err := r.svc.Participant(ctx, r.actor, ow.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		r.Do(t, oh, workshop.Command{Kind: workshop.WorkshopOpen})
		for i := 0; i < 5; i++ {
			r.Do(t, r.host, workshop.Command{Kind: workshop.NoteAdd, Text: fmt.Sprintf("lapp %d", i)})
		}
		for i := int64(1); i <= 5; i++ {
			for _, w := range []*live.Watch[*workshop.Event]{w1, w2} {
				if ev := next(t, w); ev.Seq != start+i || ev.WorkshopID != r.w.ID {
					t.Fatalf("got workshop %d seq %d, want %d seq %d", ev.WorkshopID, ev.Seq, r.w.ID, start+i)
				}
			}
		}
		w1.Close()
		w2.Close()
		if r.svc.Relay().Streams() != 0 {
			t.Fatalf("%d streams after closing", r.svc.Relay().Streams())
		}
	})
}
