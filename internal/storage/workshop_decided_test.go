package storage_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/ratelimit"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

// probeView reads every View method with the given arguments, as text.
func probeView(v workshop.View, by, user, group, note, item int64, quadrant int) string {
	w := *v.Workshop()
	w.UpdatedAt = time.Time{} // the lock's clock, compared apart
	p, perr := v.Participant(by)
	pu, puerr := v.ParticipantByUser(user)
	ps, pserr := v.Participants()
	g, gerr := v.Group(group)
	gs, gserr := v.Groups()
	n, nerr := v.Note(note)
	cm, cmerr := v.ClusterMembers(note)
	mine, all, cerr := v.NoteCounts(by)
	st, sterr := v.RatingStats(note, by)
	ast, asterr := v.AllRatingStats()
	vs, vserr := v.Votes(by)
	ts, tserr := v.VoteTotals()
	sc, scerr := v.Scenario(quadrant)
	bi, bierr := v.Backcast(item)
	bc, bcerr := v.BackcastCount()
	k := errs.KindOf
	// A row not found is its error alone (the store's view hands back a
	// zero row beside it, which no decision reads).
	if gerr != nil {
		g = nil
	}
	if scerr != nil {
		sc = nil
	}
	return fmt.Sprintf("workshop %+v\nparticipant %+v %v\nby user %+v %v\nparticipants %+v %v\ngroup %+v %v\ngroups %+v %v\n"+
		"note %+v %v\nmembers %+v %v\ncounts %d %d %v\nstats %+v %v\nall stats %+v %v\nvotes %+v %v\ntotals %+v %v\n"+
		"scenario %+v %v\nbackcast %+v %v\nbackcast count %d %v",
		w, p, k(perr), pu, k(puerr), ps, k(pserr), g, k(gerr), gs, k(gserr), n, k(nerr), cm, k(cmerr), mine, all, k(cerr),
		st, k(sterr), ast, k(asterr), vs, k(vserr), ts, k(tserr), sc, k(scerr), bi, k(bierr), bc, k(bcerr))
}

// A command decided ahead reads the board through workshop.BoardView: it
// must answer every read as the store's own view does under the lock,
// for rows that are there, rows removed, and rows that are not.
func TestBoardView_AsTheStore(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := mustWorkshop(t, db)
		a, b, c := f.guest(t, "Alva"), f.guest(t, "Bosse"), f.guest(t, "Cissi")
		g1 := f.do(t, f.host, workshop.Command{Kind: workshop.GroupCreate, Name: "Grupp 1", Quadrant: 1}).Seq
		f.do(t, f.host, workshop.Command{Kind: workshop.GroupCreate, Name: "Grupp 2", Quadrant: 3})
		f.do(t, f.host, workshop.Command{Kind: workshop.GroupAssign, Participant: a.ID, Group: g1})
		n1 := f.do(t, a, workshop.Command{Kind: workshop.NoteAdd, Text: "Fler äldre", STEEP: "social"}).Seq
		n2 := f.do(t, b, workshop.Command{Kind: workshop.NoteAdd, Text: "Åldrande befolkning", STEEP: "social"}).Seq
		n3 := f.do(t, c, workshop.Command{Kind: workshop.NoteAdd, Text: "AI i vården", STEEP: "technological"}).Seq
		n4 := f.do(t, c, workshop.Command{Kind: workshop.NoteAdd, Text: "Borttagen", STEEP: "economic"}).Seq
		f.do(t, c, workshop.Command{Kind: workshop.NoteRemove, Note: n4})
		f.do(t, f.host, workshop.Command{Kind: workshop.StageSet, Stage: "clustering"})
		f.do(t, b, workshop.Command{Kind: workshop.ClusterMerge, Note: n2, Into: n1})
		f.do(t, f.host, workshop.Command{Kind: workshop.StageSet, Stage: "rating"})
		for i, p := range []*workshop.Participant{a, b, c} {
			f.do(t, p, workshop.Command{Kind: workshop.RatingSet, Note: n1, Impact: 3 + i, Uncertainty: 5 - i})
			f.do(t, p, workshop.Command{Kind: workshop.RatingSet, Note: n3, Impact: 5, Uncertainty: 1 + i})
		}
		f.do(t, f.host, workshop.Command{Kind: workshop.AxisSet, Axis: "x", Note: n1, Text: "Demografi", Low: "Ung", High: "Gammal"})
		f.do(t, f.host, workshop.Command{Kind: workshop.StageSet, Stage: "scenarios"})
		f.do(t, a, workshop.Command{Kind: workshop.ScenarioEdit, Quadrant: 2, Name: "Silverregionen", Story: "Ett län där…"})
		f.do(t, f.host, workshop.Command{Kind: workshop.StageSet, Stage: "vote"})
		f.do(t, a, workshop.Command{Kind: workshop.VoteAdd, Quadrant: 2})
		f.do(t, a, workshop.Command{Kind: workshop.VoteAdd, Quadrant: 2})
		f.do(t, b, workshop.Command{Kind: workshop.VoteAdd, Quadrant: 4})
		f.do(t, f.host, workshop.Command{Kind: workshop.StageSet, Stage: "backcasting"})
		item := f.do(t, c, workshop.Command{Kind: workshop.MilestoneAdd, Year: 2040, Text: "Hemtjänst med AI"}).Seq
		f.do(t, c, workshop.Command{Kind: workshop.MilestoneAdd, Year: 2030, Text: "Försök i tre kommuner"})
		f.do(t, f.host, workshop.Command{Kind: workshop.ParticipantRemove, Participant: c.ID})

		board, err := db.Workshops().Board(ctx, f.w.ID)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		for _, tt := range []struct {
			name                        string
			by, user, group, note, item int64
			quadrant                    int
		}{
			{"Guest", a.ID, 0, g1, n1, item, 2},
			{"OtherGuest", b.ID, 0, g1 + 1, n2, item + 1, 4},
			{"Facilitator", f.host.ID, f.host.UserID, 0, n3, 0, 1},
			{"Removed", c.ID, 0, g1, n4, item, 3},
			{"Missing", 9999, 9999, 9999, 9999, 9999, 9},
		} {
			t.Run(tt.name, func(t *testing.T) {
				var store string
				var lockedAt time.Time
				probe := errors.New("probe")
				_, _, err := db.Workshops().Apply(ctx, f.w.ID, tt.by, f.cid(), workshop.NoteEdit, workshop.Reads{}, func(v workshop.View) (*workshop.Change, error) {
					store, lockedAt = probeView(v, tt.by, tt.user, tt.group, tt.note, tt.item, tt.quadrant), v.Workshop().UpdatedAt
					return nil, probe
				})
				if !errors.Is(err, probe) {
					t.Fatalf("apply: %v", err)
				}
				bv := workshop.BoardView(board, now)
				if ahead := probeView(bv, tt.by, tt.user, tt.group, tt.note, tt.item, tt.quadrant); ahead != store {
					t.Fatalf("board view:\n%s\nstore's view:\n%s", ahead, store)
				}
				if got, want := bv.Workshop().UpdatedAt, time.UnixMilli(now.UnixMilli()).UTC(); !got.Equal(want) || lockedAt.IsZero() {
					t.Fatalf("updated at %v, want %v (the store's lock says %v)", got, want, lockedAt)
				}
			})
		}
	})
}

// ApplyDecided saves a change decided at seq n only while the workshop is
// at n: one that moved on, a client id already stored, or a bucket that
// refuses change nothing.
func TestWorkshop_ApplyDecided(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		ws := db.Workshops()
		f := mustWorkshop(t, db)
		g := f.guest(t, "Alva")
		decided := func(t *testing.T, clientID string) (*workshop.Event, *workshop.Change) {
			t.Helper()
			b, err := ws.Board(ctx, f.w.ID)
			if err != nil {
				t.Fatal(err)
			}
			now := time.Now()
			seq := b.Workshop.Seq + 1
			ch := &workshop.Change{Notes: []workshop.Note{{ID: seq, ParticipantID: g.ID, STEEP: "social", Text: "Fler äldre", CreatedAt: now}}}
			ev, err := workshop.NewEvent(f.w.ID, seq, workshop.NoteAdd, g.ID, clientID, now, ch)
			if err != nil {
				t.Fatal(err)
			}
			return ev, ch
		}
		t.Run("Saved", func(t *testing.T) {
			ev, ch := decided(t, f.cid())
			if done, err := ws.ApplyDecided(ctx, ev, ch, nil, nil); !done || err != nil {
				t.Fatalf("done %v, %v", done, err)
			}
			if last, _ := ws.LastSeq(ctx, f.w.ID); last != ev.Seq {
				t.Fatalf("last seq %d, want %d", last, ev.Seq)
			}
		})
		t.Run("MovedOn", func(t *testing.T) {
			ev, ch := decided(t, f.cid())
			f.do(t, g, workshop.Command{Kind: workshop.NoteAdd, Text: "Först"})
			before := f.state(t)
			if done, err := ws.ApplyDecided(ctx, ev, ch, nil, nil); done || err != nil {
				t.Fatalf("done %v, %v; want not done", done, err)
			}
			if after := f.state(t); after != before {
				t.Fatalf("changed:\n%s\n%s", before, after)
			}
		})
		t.Run("Resend", func(t *testing.T) {
			id := f.cid()
			f.do(t, g, workshop.Command{ClientID: id, Kind: workshop.NoteAdd, Text: "En gång"})
			ev, ch := decided(t, id)
			before := f.state(t)
			if done, err := ws.ApplyDecided(ctx, ev, ch, nil, nil); done || err != nil {
				t.Fatalf("done %v, %v; want not done", done, err)
			}
			if after := f.state(t); after != before {
				t.Fatalf("changed:\n%s\n%s", before, after)
			}
		})
		if db.Engine != storage.Postgres {
			ev, ch := decided(t, f.cid())
			if done, err := ws.ApplyDecided(ctx, ev, ch, nil, &workshop.Announcement{Channel: "c", Payload: "p"}); done || err == nil {
				t.Fatalf("an announcement on SQLite: done %v, %v; want an error", done, err)
			}
			return // the service takes a token itself on SQLite (SpendsFor)
		}
		t.Run("Announced", func(t *testing.T) {
			// The announcement comes with the commit, and a command that
			// is not saved sends none: the next one heard is the next saved.
			l, err := pgx.Connect(ctx, db.DSN)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close(ctx)
			if _, err := l.Exec(ctx, "LISTEN decided_test"); err != nil {
				t.Fatal(err)
			}
			an := func(p string) *workshop.Announcement {
				return &workshop.Announcement{Channel: "decided_test", Payload: p}
			}
			ev, ch := decided(t, f.cid())
			f.do(t, g, workshop.Command{Kind: workshop.NoteAdd, Text: "Före"})
			if done, err := ws.ApplyDecided(ctx, ev, ch, nil, an("moved on")); done || err != nil {
				t.Fatalf("moved on: done %v, %v", done, err)
			}
			ev, ch = decided(t, f.cid())
			if done, err := ws.ApplyDecided(ctx, ev, ch, nil, an("saved")); !done || err != nil {
				t.Fatalf("done %v, %v", done, err)
			}
			wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			n, err := l.WaitForNotification(wctx)
			if err != nil || n.Payload != "saved" {
				t.Fatalf("heard %+v, %v; want the saved command's", n, err)
			}
		})
		t.Run("RateLimited", func(t *testing.T) {
			rule := ratelimit.Rule{Key: "decided:" + f.cid(), Every: time.Hour, Burst: 1}
			now := time.Now()
			ev, ch := decided(t, f.cid())
			if done, err := ws.ApplyDecided(ctx, ev, ch, &workshop.Spend{Rule: rule, At: now}, nil); !done || err != nil {
				t.Fatalf("first: done %v, %v", done, err)
			}
			ev, ch = decided(t, f.cid())
			before := f.state(t)
			if _, err := ws.ApplyDecided(ctx, ev, ch, &workshop.Spend{Rule: rule, At: now}, nil); !errors.Is(err, workshop.ErrRateLimited) {
				t.Fatalf("second: %v, want rate limited", err)
			}
			if after := f.state(t); after != before {
				t.Fatalf("changed:\n%s\n%s", before, after)
			}
			// The lock is free: a command goes through.
			f.do(t, g, workshop.Command{Kind: workshop.NoteAdd, Text: "Sedan"})
		})
	})
}

// Two instances decide ahead against boards that the other's commands
// leave behind: every command is applied once, in one gap-free log, and
// each instance's board is the store's once it has read it again.
func TestService_AheadAcrossInstances(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := mustWorkshop(t, db)
		other := workshop.NewService(db.Workshops(), nil, slog.New(slog.DiscardHandler))
		g, h := f.guest(t, "Alva"), f.guest(t, "Bosse")
		texts := map[string]bool{}
		for i := range 20 {
			svc, p := f.svc, g
			if i%3 == 1 {
				svc, p = other, h
			}
			text := fmt.Sprintf("Idé %d", i)
			texts[text] = true
			if _, err := svc.Do(ctx, p, workshop.Command{ClientID: f.cid(), Kind: workshop.NoteAdd, Text: text, STEEP: "social"}); err != nil {
				t.Fatalf("%d: %v", i, err)
			}
		}
		evs, err := db.Workshops().Events(ctx, f.w.ID, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		checkGapFree(t, evs)
		b, err := db.Workshops().Board(ctx, f.w.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range b.Notes {
			delete(texts, n.Text)
		}
		if len(texts) != 0 || len(b.Notes) != 20 {
			t.Fatalf("%d notes; missing %v", len(b.Notes), texts)
		}
		for _, svc := range []*workshop.Service{f.svc, other} {
			got, err := svc.Board(ctx, f.host)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Notes) != 20 || got.Workshop.Seq != b.Workshop.Seq {
				t.Fatalf("a service's board has %d notes at seq %d, want 20 at %d", len(got.Notes), got.Workshop.Seq, b.Workshop.Seq)
			}
		}
	})
}
