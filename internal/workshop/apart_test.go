package workshop_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

// While groups work, a participant of group A reads nothing of group B –
// on the board nor in the stream – and cannot touch its notes; after the
// facilitator gathers everyone, they read it all.
func TestService_GroupsApart(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		r := MustRoom(t, db)
		a, b := r.Guest(t, "Anna"), r.Guest(t, "Bertil")
		r.Stage(t, "drivers")
		ga := r.Do(t, r.host, workshop.Command{Kind: workshop.GroupCreate, Name: "A", Quadrant: 1}).Seq
		gb := r.Do(t, r.host, workshop.Command{Kind: workshop.GroupCreate, Name: "B", Quadrant: 2}).Seq
		r.Do(t, r.host, workshop.Command{Kind: workshop.GroupAssign, Participant: a.ID, Group: ga})
		r.Do(t, r.host, workshop.Command{Kind: workshop.GroupAssign, Participant: b.ID, Group: gb})
		a, _ = r.svc.Participant(ctx, nil, r.w.ID, r.tokens[a.ID])
		b, _ = r.svc.Participant(ctx, nil, r.w.ID, r.tokens[b.ID])

		view, err := r.svc.Viewer(ctx, a, 0)
		if err != nil {
			t.Fatal(err)
		}
		// follow feeds the view every event after the last one, as A's
		// stream would, and returns the frames A gets.
		var last int64
		follow := func() string {
			t.Helper()
			evs, err := db.Workshops().Events(ctx, r.w.ID, last, 1000)
			if err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			for _, ev := range evs {
				out.Write(view.JSON(ev))
				last = ev.Seq
			}
			return out.String()
		}
		follow()
		mine := r.Do(t, a, workshop.Command{Kind: workshop.NoteAdd, Text: "anna-lapp"})
		theirs := r.Do(t, b, workshop.Command{Kind: workshop.NoteAdd, Text: "hemlig-bertil-lapp"})
		if got := follow(); strings.Contains(got, "hemlig") || !strings.Contains(got, "anna-lapp") ||
			!strings.Contains(got, fmt.Sprintf(`"seq":%d`, theirs.Seq)) {
			t.Fatalf("stream frames for A: %s", got)
		}
		r.Stage(t, "clustering") // a stage change gathers everyone; send the groups apart again
		r.Do(t, r.host, workshop.Command{Kind: workshop.GroupsApart, On: true})
		_, err = r.try(a, workshop.Command{Kind: workshop.ClusterMerge, Note: mine.Seq, Into: theirs.Seq})
		wantErr(t, err, errs.NotFound, "error.not_found")
		_, err = r.try(a, workshop.Command{Kind: workshop.ClusterName, Note: theirs.Seq, Name: "kapad"})
		wantErr(t, err, errs.NotFound, "error.not_found")
		r.Stage(t, "scenarios")
		r.Do(t, r.host, workshop.Command{Kind: workshop.GroupsApart, On: true})
		sc := r.Do(t, b, workshop.Command{Kind: workshop.ScenarioEdit, Quadrant: 2, Name: "hemligt-scenario", Story: "x"})
		if got := follow(); strings.Contains(got, "hemligt") || !strings.Contains(got, fmt.Sprintf(`"seq":%d`, sc.Seq)) {
			t.Fatalf("stream frames for A: %s", got)
		}

		board := func(p *workshop.Participant) string {
			t.Helper()
			bd, err := r.svc.Board(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			return asJSON(t, bd)
		}
		if got := board(a); strings.Contains(got, "hemlig") || !strings.Contains(got, "anna-lapp") {
			t.Fatalf("A's board while apart: %s", got)
		}
		if got := board(r.host); !strings.Contains(got, "hemlig-bertil-lapp") || !strings.Contains(got, "hemligt-scenario") {
			t.Fatal("the facilitator's board lacks group B's work")
		}

		r.Do(t, r.host, workshop.Command{Kind: workshop.GroupsPlenary})
		follow()
		r.Stage(t, "scenarios")
		r.Do(t, r.host, workshop.Command{Kind: workshop.ScenarioEdit, Quadrant: 2, Name: "hemligt-scenario-2", Story: "y"})
		if got := follow(); !strings.Contains(got, "hemligt-scenario-2") {
			t.Fatalf("stream frames for A after the gather: %s", got)
		}
		a, _ = r.svc.Participant(ctx, nil, r.w.ID, r.tokens[a.ID])
		if got := board(a); !strings.Contains(got, "hemlig-bertil-lapp") || !strings.Contains(got, "hemligt-scenario") {
			t.Fatal("A's board after the gather lacks group B's work")
		}
	})
}

// A facilitator moves several participants into a group in one event.
func TestService_BulkMove(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		r := MustRoom(t, db)
		a, b, c := r.Guest(t, "Anna"), r.Guest(t, "Bertil"), r.Guest(t, "Cissi")
		g := r.Do(t, r.host, workshop.Command{Kind: workshop.GroupCreate, Name: "A"}).Seq
		ev := r.Do(t, r.host, workshop.Command{Kind: workshop.GroupAssign, Participants: []int64{a.ID, b.ID}, Group: g})
		bd, err := r.svc.Board(ctx, r.host)
		if err != nil {
			t.Fatal(err)
		}
		in := map[int64]int64{}
		for _, p := range bd.Participants {
			in[p.ID] = p.GroupID
		}
		if in[a.ID] != g || in[b.ID] != g || in[c.ID] != 0 || bd.Workshop.Seq != ev.Seq || !bd.Workshop.Apart {
			t.Fatalf("after the move: %v, apart %v", in, bd.Workshop.Apart)
		}
		_, err = r.try(a, workshop.Command{Kind: workshop.GroupAssign, Participants: []int64{c.ID}, Group: g})
		wantErr(t, err, errs.Forbidden, "workshop.facilitator_only")
		_, err = r.try(r.host, workshop.Command{Kind: workshop.GroupAssign, Group: g})
		wantErr(t, err, errs.Invalid, "workshop.participants_invalid")
	})
}

// Undo reverts the facilitator's last reversible action as a new event.
func TestService_Undo(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		r := MustRoom(t, db)
		a := r.Guest(t, "Anna")
		r.Do(t, r.host, workshop.Command{Kind: workshop.ParticipantRemove, Participant: a.ID})
		if _, err := r.svc.Participant(ctx, nil, r.w.ID, r.tokens[a.ID]); err == nil {
			t.Fatal("removed guest still in")
		}
		before, _ := r.svc.LastSeq(ctx, r.host)
		ev := r.Do(t, r.host, workshop.Command{Kind: workshop.Undo})
		if ev.Seq != before+1 {
			t.Fatalf("undo is seq %d, want a new event %d", ev.Seq, before+1)
		}
		if _, err := r.svc.Participant(ctx, nil, r.w.ID, r.tokens[a.ID]); err != nil {
			t.Fatalf("after undo of the removal: %v", err)
		}
		_, err := r.try(r.host, workshop.Command{Kind: workshop.Undo})
		wantErr(t, err, errs.Conflict, "workshop.nothing_to_undo")
		r.Stage(t, "drivers")
		r.Stage(t, "clustering")
		r.Do(t, r.host, workshop.Command{Kind: workshop.Undo})
		bd, _ := r.svc.Board(ctx, r.host)
		if got := bd.Template.Stage(bd.Workshop.Stage).Key; got != "drivers" {
			t.Fatalf("after undo of a stage change: %s", got)
		}
		_, err = r.try(a, workshop.Command{Kind: workshop.Undo})
		wantErr(t, err, errs.Forbidden, "workshop.facilitator_only")
	})
}
