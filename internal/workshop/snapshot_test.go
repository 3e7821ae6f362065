package workshop_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestFold_EqualsTheBoard: replaying the event log gives the board the
// store holds, and the snapshot at each stage change is the board as it
// was then.
func TestFold_EqualsTheBoard(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		r := MustRoom(t, db)
		a, b := r.Guest(t, "Alva"), r.Guest(t, "Bosse")
		g := r.Do(t, r.host, workshop.Command{Kind: workshop.GroupCreate, Name: "Grupp 1", Quadrant: 1}).Seq
		r.Do(t, r.host, workshop.Command{Kind: workshop.GroupAssign, Participant: a.ID, Group: g})
		r.Stage(t, "drivers")
		n1 := r.Do(t, a, workshop.Command{Kind: workshop.NoteAdd, Text: "Fler äldre", STEEP: "social"}).Seq
		n2 := r.Do(t, b, workshop.Command{Kind: workshop.NoteAdd, Text: "Åldrande befolkning"}).Seq
		n3 := r.Do(t, b, workshop.Command{Kind: workshop.NoteAdd, Text: "Tas bort"}).Seq
		r.Do(t, r.host, workshop.Command{Kind: workshop.NoteRemove, Note: n3})
		r.Stage(t, "clustering")
		r.Do(t, b, workshop.Command{Kind: workshop.ClusterMerge, Note: n2, Into: n1})
		r.Do(t, a, workshop.Command{Kind: workshop.ClusterName, Note: n1, Name: "Demografi"})
		r.Stage(t, "rating")
		r.Do(t, a, workshop.Command{Kind: workshop.RatingSet, Note: n1, Impact: 5, Uncertainty: 4})
		r.Do(t, b, workshop.Command{Kind: workshop.RatingSet, Note: n1, Impact: 3, Uncertainty: 2})
		r.Do(t, b, workshop.Command{Kind: workshop.RatingSet, Note: n1, Impact: 4, Uncertainty: 4}) // replaces
		r.Stage(t, "axes")
		r.Do(t, r.host, workshop.Command{Kind: workshop.AxisSet, Axis: "y", Note: n1, Text: "Demografi", Low: "Unga", High: "Äldre"})
		r.Stage(t, "scenarios")
		r.Do(t, a, workshop.Command{Kind: workshop.ScenarioEdit, Quadrant: 1, Name: "Region Vänern", Story: "…"})
		r.Stage(t, "vote")
		r.Do(t, a, workshop.Command{Kind: workshop.VoteAdd, Quadrant: 1})
		r.Do(t, b, workshop.Command{Kind: workshop.VoteAdd, Quadrant: 1})
		r.Do(t, b, workshop.Command{Kind: workshop.VoteRemove, Quadrant: 1})
		r.Do(t, b, workshop.Command{Kind: workshop.VoteAdd, Quadrant: 2})
		r.Stage(t, "backcasting")
		m := r.Do(t, b, workshop.Command{Kind: workshop.MilestoneAdd, Year: 2040, Text: "Vård hemma"}).Seq
		r.Do(t, a, workshop.Command{Kind: workshop.ActionAdd, Item: m, Text: "Pilot", Owner: "Regionen"})

		want, err := r.svc.Board(ctx, r.host)
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.svc.BoardAt(ctx, r.host, want.Workshop.Seq)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name      string
			got, want any
		}{
			{"workshop", got.Workshop, want.Workshop}, {"participants", got.Participants, want.Participants},
			{"groups", got.Groups, want.Groups}, {"notes", got.Notes, want.Notes}, {"stats", got.Stats, want.Stats},
			{"totals", got.Totals, want.Totals}, {"axes", got.Axes, want.Axes}, {"scenarios", got.Scenarios, want.Scenarios},
			{"backcast", got.Backcast, want.Backcast},
		} {
			if g, w := asJSON(t, c.got), asJSON(t, c.want); g != w {
				t.Errorf("folded %s differ:\n got %s\nwant %s", c.name, g, w)
			}
		}

		snaps, err := r.svc.Snapshots(ctx, r.host)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, s := range snaps {
			keys = append(keys, s.Stage)
		}
		if asJSON(t, keys) != `["drivers","clustering","rating","axes","scenarios","vote","backcasting"]` {
			t.Fatalf("snapshots %v", keys)
		}
		// At the move to rating: merged and named, not yet rated.
		at, err := r.svc.BoardAt(ctx, r.host, snaps[2].Seq)
		if err != nil {
			t.Fatal(err)
		}
		if len(at.Stats) != 0 || at.Notes[1].ClusterID != n1 || at.Notes[0].ClusterName != "Demografi" || !at.Notes[2].Removed {
			t.Errorf("snapshot at rating: stats %v notes %+v", at.Stats, at.Notes)
		}
		// Facilitators only; nothing past the log.
		_, err = r.svc.BoardAt(ctx, a, snaps[2].Seq)
		wantErr(t, err, errs.Forbidden, "workshop.facilitator_only")
		_, err = r.svc.Snapshots(ctx, b)
		wantErr(t, err, errs.Forbidden, "workshop.facilitator_only")
		_, err = r.svc.BoardAt(ctx, r.host, want.Workshop.Seq+1)
		wantErr(t, err, errs.NotFound, "error.not_found")
	})
}
