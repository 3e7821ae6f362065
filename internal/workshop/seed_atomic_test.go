package workshop_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

// TestCreateSeeded_FailureLeavesNothing: a seed that fails half-way (the
// request is cancelled after the first axis is set) takes the new
// workshop back: no workshop, participant or event of it remains, and
// its facilitator's list is empty. Both engines.
func TestCreateSeeded_FailureLeavesNothing(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		a := MustUser(t, db, "Sam Seed")
		svc := workshop.NewService(db.Workshops(), nil, slog.New(slog.DiscardHandler))
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var made int64
		svc.Observe(func(ev *workshop.Event) {
			if ev.Kind == workshop.AxisSet {
				made = ev.WorkshopID
				cancel() // the rest of the seed meets a cancelled request
			}
		})
		seed := workshop.Seed{Stage: "backcasting",
			Axes:      []workshop.Axis{{Name: "x", Label: "Teknik", Low: "Långsam", High: "Snabb"}, {Name: "y", Label: "Tillit", Low: "Låg", High: "Hög"}},
			Scenarios: []workshop.Scenario{{Quadrant: 1, Name: "Ett"}, {Quadrant: 2, Name: "Två"}, {Quadrant: 3, Name: "Tre"}, {Quadrant: 4, Name: "Fyra"}}}
		w, err := svc.CreateSeeded(ctx, a, workshop.Workshop{Title: "Från korset", FocalQuestion: "Hur?", HorizonYear: 2050, Template: "backcasting"}, seed)
		if err == nil || w != nil {
			t.Fatalf("a cancelled seed made %v (err %v)", w, err)
		}
		if made == 0 {
			t.Fatal("the seed never started: the test proves nothing")
		}
		bg := context.Background()
		if _, err := db.Workshops().Workshop(bg, made); !errs.Is(err, errs.NotFound) {
			t.Errorf("the half-seeded workshop %d is still there: %v", made, err)
		}
		if evs, err := db.Workshops().Events(bg, made, 0, 100); err != nil || len(evs) != 0 {
			t.Errorf("its events remain: %d (%v)", len(evs), err)
		}
		if ws, err := db.Workshops().WorkshopsOf(bg, a.UserID(), 0, 10); err != nil || len(ws) != 0 {
			t.Errorf("the facilitator still lists %d workshops (%v)", len(ws), err)
		}
		// Without the failure the same seed makes the workshop at its stage
		// (on SQLite under the same id: nothing of the one taken back is
		// read for it).
		svc.Observe(nil)
		workshop.CheckFolds(t, svc)
		w, err = svc.CreateSeeded(bg, a, workshop.Workshop{Title: "Från korset", FocalQuestion: "Hur?", HorizonYear: 2050, Template: "backcasting"}, seed)
		if err != nil || workshop.TemplateOf(w.Template).StageIndex("backcasting") != w.Stage {
			t.Fatalf("seed: %v, %v", w, err)
		}
		b, err := db.Workshops().Board(bg, w.ID)
		if err != nil || len(b.Axes) != 2 || len(b.Scenarios) != 4 {
			t.Fatalf("the seeded board has %d axes and %d scenarios (%v), want 2 and 4", len(b.Axes), len(b.Scenarios), err)
		}
	})
}
