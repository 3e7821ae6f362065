package workshop_test

import (
	"context"
	"testing"

	"github.com/framsyn/framsyn/internal/live"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

// CloseStreams ends every watch, and a watch begun after it ends at once,
// so a graceful shutdown is not held up by streams and its clients go
// elsewhere; commands still commit (the log, not the relay, is the truth).
func TestService_CloseStreams(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		r := MustRoom(t, db)
		g := r.Guest(t, "Sara")
		w1, err := r.svc.Watch(ctx, r.host)
		if err != nil {
			t.Fatal(err)
		}
		w2, err := r.svc.Watch(ctx, g)
		if err != nil {
			t.Fatal(err)
		}
		r.svc.CloseStreams()
		for _, w := range []*live.Watch[*workshop.Event]{w1, w2} {
			for range w.C { // drains, then ends
			}
			w.Close() // harmless after the end
		}
		if n := r.svc.Relay().Streams(); n != 0 {
			t.Fatalf("%d streams after close", n)
		}
		late, err := r.svc.Watch(ctx, g)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := <-late.C; ok {
			t.Fatal("a watch after close got an event")
		}
		late.Close()
		r.Stage(t, "drivers")
		r.Do(t, g, workshop.Command{Kind: workshop.NoteAdd, Text: "efter stängning"})
		r.svc.CloseStreams() // twice is fine
	})
}
