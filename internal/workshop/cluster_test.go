package workshop_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

// TestClusterGroup: the selected notes become one cluster under the
// first named one (its members come along), with the name given; the
// facilitator can keep clustering to facilitators, which the server
// enforces; an undo takes the grouping back. Both engines.
func TestClusterGroup(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		r := MustRoom(t, db)
		alva, bosse := r.Guest(t, "Alva"), r.Guest(t, "Bosse")
		r.Stage(t, "drivers")
		var ids []int64
		for _, text := range []string{"Fler äldre", "Äldre i glesbygd", "Elflyg", "Vård hemma"} {
			ev := r.Do(t, alva, workshop.Command{Kind: workshop.NoteAdd, Text: text})
			ids = append(ids, ev.Seq)
		}
		r.Stage(t, "clustering")
		r.Do(t, bosse, workshop.Command{Kind: workshop.ClusterGroup, Notes: []int64{ids[0], ids[1]}, Name: "Demografi"})
		// A member stands for its cluster: grouping it with a third note
		// puts the third into the cluster.
		r.Do(t, alva, workshop.Command{Kind: workshop.ClusterGroup, Notes: []int64{ids[3], ids[1]}})
		b, err := r.svc.Board(context.Background(), r.host)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range b.Notes {
			switch n.ID {
			case ids[0]:
				if n.ClusterID != 0 || n.ClusterName != "Demografi" {
					t.Errorf("root: %+v", n)
				}
			case ids[1], ids[3]:
				if n.ClusterID != ids[0] {
					t.Errorf("member %q in %d, want %d", n.Text, n.ClusterID, ids[0])
				}
			case ids[2]:
				if n.ClusterID != 0 {
					t.Errorf("untouched note moved: %+v", n)
				}
			}
		}
		_, err = r.try(alva, workshop.Command{Kind: workshop.ClusterGroup, Notes: []int64{ids[2]}})
		wantErr(t, err, errs.Invalid, "workshop.cluster_pick_two")

		r.Do(t, r.host, workshop.Command{Kind: workshop.ClusterWho, On: true})
		_, err = r.try(alva, workshop.Command{Kind: workshop.ClusterGroup, Notes: []int64{ids[2], ids[0]}})
		wantErr(t, err, errs.Forbidden, "workshop.cluster_facilitators")
		_, err = r.try(alva, workshop.Command{Kind: workshop.ClusterName, Note: ids[0], Name: "Min"})
		wantErr(t, err, errs.Forbidden, "workshop.cluster_facilitators")
		r.Do(t, r.host, workshop.Command{Kind: workshop.ClusterGroup, Notes: []int64{ids[2], ids[0]}})
		if _, err := r.svc.Undo(context.Background(), r.host, cid()); err != nil {
			t.Fatalf("undo: %v", err)
		}
		b, _ = r.svc.Board(context.Background(), r.host)
		for _, n := range b.Notes {
			if n.ID == ids[2] && n.ClusterID != 0 {
				t.Errorf("the undone grouping stays: %+v", n)
			}
		}
		if !b.Workshop.FacilitatorsCluster {
			t.Error("who clusters was not kept")
		}
		r.Do(t, r.host, workshop.Command{Kind: workshop.ClusterWho, On: false})
		r.Do(t, alva, workshop.Command{Kind: workshop.ClusterName, Note: ids[0], Name: "Befolkning"})
	})
}

// TestScenarioCoWriting: two people edit one scenario from the same
// text; the second edit is merged into the first, so both survive; an
// edit without a base replaces the text (the API's plain edit); an edit
// whose place is gone is refused, not applied in part. Both engines.
func TestScenarioCoWriting(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		r := MustRoom(t, db)
		alva, bosse := r.Guest(t, "Alva"), r.Guest(t, "Bosse")
		r.Stage(t, "scenarios")
		base := workshop.ScenarioBase{}
		r.Do(t, alva, workshop.Command{Kind: workshop.ScenarioEdit, Quadrant: 1, Name: "Gröna regionen", Story: "Alva skriver om vården.", Base: &base})
		// Bosse started from the empty scenario too.
		r.Do(t, bosse, workshop.Command{Kind: workshop.ScenarioEdit, Quadrant: 1, Story: "Bosse skriver om tågen.", Signs: "Fler tåg", Base: &base})
		b, err := r.svc.Board(context.Background(), r.host)
		if err != nil {
			t.Fatal(err)
		}
		var got workshop.Scenario
		for _, s := range b.Scenarios {
			if s.Quadrant == 1 {
				got = s
			}
		}
		if got.Name != "Gröna regionen" || !strings.Contains(got.Story, "Alva skriver om vården.") || !strings.Contains(got.Story, "Bosse skriver om tågen.") || got.Signs != "Fler tåg" {
			t.Fatalf("a concurrent edit was lost: %+v", got)
		}
		// Both now change the story they see, at different places.
		seen := workshop.ScenarioBase{Name: got.Name, Story: got.Story, Signs: got.Signs}
		r.Do(t, alva, workshop.Command{Kind: workshop.ScenarioEdit, Quadrant: 1, Name: got.Name, Story: strings.Replace(got.Story, "vården", "vården hemma", 1), Signs: got.Signs, Base: &seen})
		r.Do(t, bosse, workshop.Command{Kind: workshop.ScenarioEdit, Quadrant: 1, Name: got.Name, Story: strings.Replace(got.Story, "tågen", "nattågen", 1), Signs: got.Signs, Base: &seen})
		b, _ = r.svc.Board(context.Background(), r.host)
		for _, s := range b.Scenarios {
			if s.Quadrant == 1 && (!strings.Contains(s.Story, "vården hemma") || !strings.Contains(s.Story, "nattågen")) {
				t.Errorf("second round lost an edit: %q", s.Story)
			}
		}
		_, err = r.try(alva, workshop.Command{Kind: workshop.ScenarioEdit, Quadrant: 1, Story: "Helt ny text", Base: &workshop.ScenarioBase{Story: strings.Repeat("Något helt annat som aldrig stod här. ", 4)}})
		wantErr(t, err, errs.Conflict, "workshop.merge_conflict")
	})
}

// TestClusterReject: a facilitator's rejection of a proposed cluster is
// kept by the server, so the proposal stays rejected on another device
// and after a reload (a fresh board read), and its event carries it for
// the stream; participants may not reject; a second rejection changes
// nothing. Both engines.
func TestClusterReject(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		r := MustRoom(t, db)
		alva := r.Guest(t, "Alva")
		r.Stage(t, "drivers")
		var ids []int64
		for _, text := range []string{"Fler äldre i glesbygd", "Äldre i glesbygden flyttar", "Vätgas i industrin", "Industrin byter till vätgas"} {
			ids = append(ids, r.Do(t, alva, workshop.Command{Kind: workshop.NoteAdd, Text: text}).Seq)
		}
		r.Stage(t, "clustering")
		ctx := context.Background()
		b, err := r.svc.Board(ctx, r.host)
		if err != nil {
			t.Fatal(err)
		}
		props := workshop.ProposeClustersExcept(b.Notes, b.Workshop.RejectedProposals)
		if len(props) != 2 {
			t.Fatalf("proposals before a rejection: %+v", props)
		}
		gone := props[0]
		_, err = r.try(alva, workshop.Command{Kind: workshop.ClusterReject, Notes: gone.Notes})
		wantErr(t, err, errs.Forbidden, "workshop.facilitator_only")
		_, err = r.try(r.host, workshop.Command{Kind: workshop.ClusterReject, Notes: gone.Notes[:1]})
		wantErr(t, err, errs.Invalid, "workshop.cluster_pick_two")
		// In another order: the same proposal.
		ev := r.Do(t, r.host, workshop.Command{Kind: workshop.ClusterReject, Notes: []int64{gone.Notes[1], gone.Notes[0]}})
		if !strings.Contains(string(ev.Full), gone.Key()) {
			t.Errorf("the event does not carry the rejection: %s", ev.Full)
		}
		r.Do(t, r.host, workshop.Command{Kind: workshop.ClusterReject, Notes: gone.Notes})

		// Another device, after a reload: a new service over the same store.
		other := workshop.NewService(db.Workshops(), nil, slog.New(slog.DiscardHandler))
		for _, svc := range []*workshop.Service{r.svc, other} {
			b, err := svc.Board(ctx, r.host)
			if err != nil {
				t.Fatal(err)
			}
			if !slicesEqual(b.Workshop.RejectedProposals, []string{gone.Key()}) {
				t.Errorf("rejected proposals read back: %q, want [%q]", b.Workshop.RejectedProposals, gone.Key())
			}
			left := workshop.ProposeClustersExcept(b.Notes, b.Workshop.RejectedProposals)
			if len(left) != 1 || left[0].Key() == gone.Key() {
				t.Errorf("proposals after the rejection: %+v (rejected %s)", left, gone.Key())
			}
		}
	})
}

func slicesEqual(a, b []string) bool { return strings.Join(a, "\x00") == strings.Join(b, "\x00") }
