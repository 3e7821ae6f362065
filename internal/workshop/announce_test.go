package workshop_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

// On PostgreSQL a command decided ahead wakes the other instances with its
// commit (a NOTIFY in its transaction) rather than with a round trip after
// it: with the periodic check an hour away, the other instance's stream
// gets each of them from the NOTIFY alone, at once, in order.
func TestService_AheadAnnouncedWithCommit(t *testing.T) {
	dsn := storagetest.PostgresDSN(t, storagetest.RequirePostgres(t))
	ctx := context.Background()
	node := func() *workshop.Service {
		db := storagetest.MustOpen(t, dsn)
		return workshop.NewService(db.Workshops(), storagetest.MustNotifier(t, db, time.Hour), slog.New(slog.DiscardHandler))
	}
	a, b := node(), node()
	r := MustRoomOn(t, storagetest.MustOpen(t, dsn), a)
	r.Stage(t, "drivers")
	g := r.Guest(t, "Alva")
	w, err := b.Watch(ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	aheadBefore, _ := a.Decided()
	for i := range 5 {
		ev := r.Do(t, g, workshop.Command{Kind: workshop.NoteAdd, Text: fmt.Sprintf("Lapp %d", i), STEEP: "social"})
		select {
		case got := <-w.C:
			if got.Seq != ev.Seq {
				t.Fatalf("instance B got seq %d, want %d", got.Seq, ev.Seq)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("instance B never heard of seq %d", ev.Seq)
		}
	}
	if ahead, _ := a.Decided(); ahead-aheadBefore != 5 {
		t.Fatalf("%d of 5 commands went ahead", ahead-aheadBefore)
	}
}
