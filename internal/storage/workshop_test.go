package storage_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/ratelimit"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

// wsFixture is an open workshop with its facilitator.
type wsFixture struct {
	db   *storage.DB
	svc  *workshop.Service
	w    *workshop.Workshop
	host *workshop.Participant
	n    int
}

func mustWorkshop(t testing.TB, db *storage.DB) *wsFixture {
	t.Helper()
	ctx := context.Background()
	u := &account.User{Email: fmt.Sprintf("fac%d@example.se", time.Now().UnixNano()), Name: "Fia Facilitator"}
	id, err := db.Users().CreateUser(ctx, u, "x")
	if err != nil {
		t.Fatal(err)
	}
	u.ID = id
	svc := workshop.NewService(db.Workshops(), nil, nil)
	w, err := svc.Create(ctx, &account.Actor{User: u}, workshop.Workshop{Title: "Välfärden 2050",
		FocalQuestion: "Hur ser välfärden ut i Region X 2050?", HorizonYear: 2050})
	if err != nil {
		t.Fatal(err)
	}
	host, err := db.Workshops().ParticipantByUser(ctx, w.ID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	f := &wsFixture{db: db, svc: svc, w: w, host: host}
	f.do(t, host, workshop.Command{Kind: workshop.WorkshopOpen})
	f.do(t, host, workshop.Command{Kind: workshop.StageSet, Stage: "drivers"})
	return f
}

func (f *wsFixture) cid() string { f.n++; return fmt.Sprintf("client-%06d", f.n) }

func (f *wsFixture) do(t testing.TB, p *workshop.Participant, c workshop.Command) *workshop.Event {
	t.Helper()
	if c.ClientID == "" {
		c.ClientID = f.cid()
	}
	ev, err := f.svc.Do(context.Background(), p, c)
	if err != nil {
		t.Fatalf("%s: %v", c.Kind, err)
	}
	return ev
}

func (f *wsFixture) guest(t testing.TB, name string) *workshop.Participant {
	t.Helper()
	p, token, err := f.svc.Join(context.Background(), &account.Actor{}, f.w.Code, name, f.cid(), "127.0.0.1")
	if err != nil || token == "" {
		t.Fatalf("join %s: %v", name, err)
	}
	return p
}

// state is everything stored about a workshop, to show a refusal changed nothing.
func (f *wsFixture) state(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	b, err := f.db.Workshops().Board(ctx, f.w.ID)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := f.db.Workshops().Events(ctx, f.w.ID, 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	j, _ := json.Marshal(b)
	return fmt.Sprintf("%s events=%d", j, len(evs))
}

func checkGapFree(t *testing.T, evs []*workshop.Event) {
	t.Helper()
	for i, ev := range evs {
		if ev.Seq != int64(i+1) {
			t.Fatalf("event %d has seq %d", i, ev.Seq)
		}
	}
}

func TestWorkshop_SeqGapFreeUnderConcurrentWriters(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := mustWorkshop(t, db)
		const writers, each = 16, 10
		guests := make([]*workshop.Participant, writers)
		for i := range guests {
			guests[i] = f.guest(t, fmt.Sprintf("Gäst %02d", i))
		}
		start, err := db.Workshops().LastSeq(ctx, f.w.ID)
		if err != nil {
			t.Fatal(err)
		}
		// A reader tails the log while the writers commit: it must never
		// see seq n+1 before n (the BIGSERIAL trap, reliability F9).
		stop := make(chan struct{})
		readerErr := make(chan error, 1)
		go func() {
			last := start
			for {
				evs, err := db.Workshops().Events(ctx, f.w.ID, last, 1000)
				if err != nil {
					readerErr <- err
					return
				}
				for _, ev := range evs {
					if ev.Seq != last+1 {
						readerErr <- fmt.Errorf("reader saw seq %d after %d", ev.Seq, last)
						return
					}
					last = ev.Seq
				}
				select {
				case <-stop:
					if last == start+writers*each {
						readerErr <- nil
						return
					}
				default:
				}
			}
		}()
		var wg sync.WaitGroup
		errc := make(chan error, writers*each)
		for i, g := range guests {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := 0; j < each; j++ {
					_, err := f.svc.Do(ctx, g, workshop.Command{ClientID: fmt.Sprintf("w%02d-note-%03d", i, j),
						Kind: workshop.NoteAdd, Text: fmt.Sprintf("drivkraft %d/%d", i, j), STEEP: "social"})
					if err != nil {
						errc <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatal(err)
		}
		close(stop)
		if err := <-readerErr; err != nil {
			t.Fatal(err)
		}
		evs, err := db.Workshops().Events(ctx, f.w.ID, 0, 100000)
		if err != nil {
			t.Fatal(err)
		}
		checkGapFree(t, evs)
		last, _ := db.Workshops().LastSeq(ctx, f.w.ID)
		if want := start + writers*each; last != want || int64(len(evs)) != want {
			t.Fatalf("last_seq %d, %d events, want %d", last, len(evs), want)
		}
		b, err := db.Workshops().Board(ctx, f.w.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Notes) != writers*each || b.Workshop.Seq != last {
			t.Fatalf("board: %d notes at seq %d", len(b.Notes), b.Workshop.Seq)
		}
	})
}

func TestWorkshop_IdempotentResend(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := mustWorkshop(t, db)
		g := f.guest(t, "Alva")
		h := f.guest(t, "Bosse")
		cmd := workshop.Command{ClientID: "resend-00000001", Kind: workshop.NoteAdd, Text: "Fler äldre"}
		first := f.do(t, g, cmd)
		again := f.do(t, g, cmd)
		if again.Seq != first.Seq || string(again.Full) != string(first.Full) {
			t.Fatalf("resend gave seq %d, first %d", again.Seq, first.Seq)
		}
		// Ten resends at once (a double click, a retry after a timeout).
		cmd.ClientID = "resend-00000002"
		var wg sync.WaitGroup
		seqs := make([]int64, 10)
		for i := range seqs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ev, err := f.svc.Do(ctx, g, cmd)
				if err != nil {
					t.Error(err)
					return
				}
				seqs[i] = ev.Seq
			}()
		}
		wg.Wait()
		for _, s := range seqs {
			if s != seqs[0] {
				t.Fatalf("concurrent resends got seqs %v", seqs)
			}
		}
		b, err := db.Workshops().Board(ctx, f.w.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Notes) != 2 {
			t.Fatalf("%d notes, want 2", len(b.Notes))
		}
		// Another participant cannot take over a client id.
		before := f.state(t)
		_, err = f.svc.Do(ctx, h, cmd)
		if errs.KindOf(err) != errs.Conflict {
			t.Fatalf("reused client id: %v", err)
		}
		if f.state(t) != before {
			t.Fatal("a refused command changed the workshop")
		}
		evs, err := db.Workshops().Events(ctx, f.w.ID, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		checkGapFree(t, evs)
	})
}

func TestWorkshop_BadInputChangesNothing(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := mustWorkshop(t, db)
		g := f.guest(t, "Cissi")
		other := mustWorkshop(t, db)
		og := other.guest(t, "Dan")
		otherNote := other.do(t, og, workshop.Command{Kind: workshop.NoteAdd, Text: "annan workshop"})
		note := f.do(t, g, workshop.Command{Kind: workshop.NoteAdd, Text: "min lapp"})
		hostNote := f.do(t, f.host, workshop.Command{Kind: workshop.NoteAdd, Text: "processledarens lapp"})
		tests := []struct {
			name string
			by   *workshop.Participant
			cmd  workshop.Command
			kind errs.Kind
			key  string
		}{
			{"ErrEmptyNote", g, workshop.Command{Kind: workshop.NoteAdd, Text: ""}, errs.Invalid, "workshop.text_required"},
			{"ErrWhitespaceNote", g, workshop.Command{Kind: workshop.NoteAdd, Text: " \n\t "}, errs.Invalid, "workshop.text_required"},
			{"ErrLongNote", g, workshop.Command{Kind: workshop.NoteAdd, Text: strings.Repeat("x", workshop.MaxNote+1)}, errs.Invalid, "workshop.text_too_long"},
			{"Err10kBNote", g, workshop.Command{Kind: workshop.NoteAdd, Text: strings.Repeat("x", 10<<10)}, errs.Invalid, "workshop.text_too_long"},
			{"ErrInvalidUTF8", g, workshop.Command{Kind: workshop.NoteAdd, Text: "\xff\xfe"}, errs.Invalid, "workshop.text_invalid"},
			{"ErrNUL", g, workshop.Command{Kind: workshop.NoteAdd, Text: "a\x00b"}, errs.Invalid, "workshop.text_control"},
			{"ErrRTLOverride", g, workshop.Command{Kind: workshop.NoteAdd, Text: "\u202egnp.exe"}, errs.Invalid, "workshop.text_control"},
			{"ErrBadSTEEP", g, workshop.Command{Kind: workshop.NoteAdd, Text: "x", STEEP: "<b>"}, errs.Invalid, "workshop.steep_invalid"},
			{"ErrUnknownKind", g, workshop.Command{Kind: "note.explode"}, errs.Invalid, "workshop.kind_unknown"},
			{"ErrInternalKind", g, workshop.Command{Kind: workshop.FacilitatorAdd}, errs.Invalid, "workshop.kind_unknown"},
			{"ErrBadClientID", g, workshop.Command{ClientID: "x", Kind: workshop.NoteAdd, Text: "x"}, errs.Invalid, "workshop.client_id_invalid"},
			{"ErrRatingWrongStage", g, workshop.Command{Kind: workshop.RatingSet, Note: note.Seq, Impact: 3, Uncertainty: 3}, errs.Conflict, "workshop.wrong_stage"},
			{"ErrVoteWrongStage", g, workshop.Command{Kind: workshop.VoteAdd, Quadrant: 1}, errs.Conflict, "workshop.wrong_stage"},
			{"ErrGuestLocksStage", g, workshop.Command{Kind: workshop.StageLock, On: true}, errs.Forbidden, "workshop.facilitator_only"},
			{"ErrGuestReveals", g, workshop.Command{Kind: workshop.RevealSet, On: true}, errs.Forbidden, "workshop.facilitator_only"},
			{"ErrGuestRemovesParticipant", g, workshop.Command{Kind: workshop.ParticipantRemove, Participant: f.host.ID}, errs.Forbidden, "workshop.facilitator_only"},
			{"ErrGuestCloses", g, workshop.Command{Kind: workshop.WorkshopClose}, errs.Forbidden, "workshop.facilitator_only"},
			{"ErrGuestSplitsGroups", g, workshop.Command{Kind: workshop.GroupCreate, Name: "Grupp 1"}, errs.Forbidden, "workshop.facilitator_only"},
			{"ErrGuestRestoresNote", g, workshop.Command{Kind: workshop.NoteRestore, Note: note.Seq}, errs.Forbidden, "workshop.facilitator_only"},
			{"ErrEditOthersNote", g, workshop.Command{Kind: workshop.NoteEdit, Note: hostNote.Seq, Text: "x"}, errs.Forbidden, "workshop.not_yours"},
			{"ErrRemoveOthersNote", g, workshop.Command{Kind: workshop.NoteRemove, Note: hostNote.Seq}, errs.Forbidden, "workshop.not_yours"},
			// Notes are numbered per workshop (by seq), so another workshop's
			// note cannot be named here: a seq past every event is unknown.
			{"ErrUnknownNote", g, workshop.Command{Kind: workshop.NoteEdit, Note: otherNote.Seq + 1000, Text: "x"}, errs.NotFound, ""},
			{"ErrForgedParticipant", &workshop.Participant{ID: 9999, WorkshopID: f.w.ID}, workshop.Command{Kind: workshop.NoteAdd, Text: "x"}, errs.Forbidden, "workshop.not_joined"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := f.state(t)
				if tt.cmd.ClientID == "" {
					tt.cmd.ClientID = f.cid()
				}
				_, err := f.svc.Do(ctx, tt.by, tt.cmd)
				if err == nil {
					t.Fatal("accepted")
				}
				if e := errs.As(err); e.Kind != tt.kind || (tt.key != "" && e.Key != tt.key) {
					t.Fatalf("got %v (kind %d), want kind %d %s", err, e.Kind, tt.kind, tt.key)
				}
				if after := f.state(t); after != before {
					t.Fatalf("refused command changed the workshop:\n%s\n%s", before, after)
				}
			})
		}
	})
}

// NoteCounts reads a participant's notes and the workshop's in one query,
// for the note limits: none yet, then some of two participants.
func TestWorkshop_NoteCounts(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := mustWorkshop(t, db)
		g := f.guest(t, "Alva")
		h := f.guest(t, "Bosse")
		probe := errors.New("probe")
		counts := func(p *workshop.Participant) (int, int) {
			t.Helper()
			var mine, all int
			_, _, err := db.Workshops().Apply(ctx, f.w.ID, p.ID, f.cid(), workshop.NoteAdd, workshop.Reads{}, func(v workshop.View) (*workshop.Change, error) {
				var err error
				if mine, all, err = v.NoteCounts(p.ID); err != nil {
					return nil, err
				}
				return nil, probe
			})
			if !errors.Is(err, probe) {
				t.Fatalf("apply: %v", err)
			}
			return mine, all
		}
		for _, tt := range []struct {
			name            string
			g, h            int // notes added before counting
			mineG, mineH, n int
		}{
			{"empty", 0, 0, 0, 0, 0},
			{"one participant's", 3, 0, 3, 0, 3},
			{"both", 0, 2, 3, 2, 5},
		} {
			for range tt.g {
				f.do(t, g, workshop.Command{Kind: workshop.NoteAdd, Text: "Fler äldre", STEEP: "social"})
			}
			for range tt.h {
				f.do(t, h, workshop.Command{Kind: workshop.NoteAdd, Text: "Färre bilar", STEEP: "technological"})
			}
			if mine, all := counts(g); mine != tt.mineG || all != tt.n {
				t.Errorf("%s: Alva %d of %d, want %d of %d", tt.name, mine, all, tt.mineG, tt.n)
			}
			if mine, all := counts(h); mine != tt.mineH || all != tt.n {
				t.Errorf("%s: Bosse %d of %d, want %d of %d", tt.name, mine, all, tt.mineH, tt.n)
			}
		}
	})
}

// The reads a decision names ahead (sent with the lock on PostgreSQL)
// answer as the reads it makes when it asks, missing rows included.
func TestWorkshop_ReadsNamedAhead(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := mustWorkshop(t, db)
		g := f.guest(t, "Alva")
		h := f.guest(t, "Bosse")
		note := f.do(t, g, workshop.Command{Kind: workshop.NoteAdd, Text: "Fler äldre", STEEP: "social"}).Seq
		f.do(t, h, workshop.Command{Kind: workshop.NoteAdd, Text: "Färre bilar", STEEP: "technological"})
		f.do(t, f.host, workshop.Command{Kind: workshop.StageSet, Stage: "rating"})
		f.do(t, g, workshop.Command{Kind: workshop.RatingSet, Note: note, Impact: 4, Uncertainty: 2})
		f.do(t, h, workshop.Command{Kind: workshop.RatingSet, Note: note, Impact: 5, Uncertainty: 1})
		f.do(t, f.host, workshop.Command{Kind: workshop.StageSet, Stage: "vote"})
		f.do(t, g, workshop.Command{Kind: workshop.VoteAdd, Quadrant: 2})
		f.do(t, h, workshop.Command{Kind: workshop.VoteAdd, Quadrant: 3})
		probe := errors.New("probe")
		read := func(by, noteID int64, r workshop.Reads) string {
			t.Helper()
			var out string
			_, _, err := db.Workshops().Apply(ctx, f.w.ID, by, f.cid(), workshop.RatingSet, r, func(v workshop.View) (*workshop.Change, error) {
				p, perr := v.Participant(by)
				n, nerr := v.Note(noteID)
				mine, all, cerr := v.NoteCounts(by)
				st, serr := v.RatingStats(noteID, by)
				vs, verr := v.Votes(by)
				ts, terr := v.VoteTotals()
				out = fmt.Sprintf("%+v %v|%+v %v|%d %d %v|%+v %v|%+v %v|%+v %v", p, errs.KindOf(perr), n, errs.KindOf(nerr),
					mine, all, cerr, st, serr, vs, verr, ts, terr)
				return nil, probe
			})
			if !errors.Is(err, probe) {
				t.Fatalf("apply: %v", err)
			}
			return out
		}
		for _, tt := range []struct {
			name     string
			by, note int64
		}{
			{"OK", g.ID, note},
			{"OtherParticipant", h.ID, note},
			{"MissingNote", g.ID, note + 1000},
			{"MissingParticipant", 9999, note},
		} {
			t.Run(tt.name, func(t *testing.T) {
				asked := read(tt.by, tt.note, workshop.Reads{})
				named := read(tt.by, tt.note, workshop.Reads{Participant: tt.by, Note: tt.note, NoteCounts: true,
					RatingStats: true, Votes: true, VoteTotals: true})
				if asked != named {
					t.Fatalf("named ahead:\n%s\nasked:\n%s", named, asked)
				}
			})
		}
	})
}

// A write that fails when the change is saved (here a join code another
// workshop has) is refused, changes nothing and leaves the workshop's lock
// free for the next command.
func TestWorkshop_FailedWriteChangesNothing(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := mustWorkshop(t, db)
		other := mustWorkshop(t, db)
		g := f.guest(t, "Alva")
		before := f.state(t)
		_, _, err := db.Workshops().Apply(ctx, f.w.ID, f.host.ID, f.cid(), workshop.CodeNew, workshop.Reads{Participant: f.host.ID},
			func(v workshop.View) (*workshop.Change, error) {
				w := v.Workshop()
				w.Code = other.w.Code
				return &workshop.Change{Workshop: w}, nil
			})
		if e := errs.As(err); e.Kind != errs.Conflict || e.Key != "workshop.code_taken" {
			t.Fatalf("taken code: %v", err)
		}
		if after := f.state(t); after != before {
			t.Fatalf("a failed write changed the workshop:\n%s\n%s", before, after)
		}
		type result struct {
			ev  *workshop.Event
			err error
		}
		done := make(chan result, 1)
		go func() {
			ev, err := f.svc.Do(ctx, g, workshop.Command{ClientID: "after-failed-write", Kind: workshop.NoteAdd, Text: "Fler äldre", STEEP: "social"})
			done <- result{ev, err}
		}()
		select {
		case r := <-done:
			if r.err != nil {
				t.Fatal(r.err)
			}
			ev := r.ev
			evs, err := db.Workshops().Events(ctx, f.w.ID, 0, 1000)
			if err != nil {
				t.Fatal(err)
			}
			checkGapFree(t, evs)
			if last := evs[len(evs)-1]; last.Seq != ev.Seq {
				t.Fatalf("last event %d, the note's %d", last.Seq, ev.Seq)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the next command waited 10 s: the failed one kept the lock")
		}
	})
}

// A command's rate-limit token taken in Apply (Reads.Spend): a refused
// bucket changes nothing and leaves the lock free; a command its decision
// refuses, or a resend, keeps its token spent, as when the service spends
// it first.
func TestWorkshop_SpendInApply(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		if got, want := db.Workshops().SpendsFor(db.RateLimits()), db.Engine == storage.Postgres; got != want {
			t.Errorf("SpendsFor(the database's limits) = %v, want %v", got, want)
		}
		if db.Workshops().SpendsFor(ratelimit.NewMemory()) {
			t.Error("SpendsFor(memory limits) = true")
		}
		f := mustWorkshop(t, db)
		spend := &workshop.Spend{Rule: ratelimit.Rule{Key: fmt.Sprintf("spend-test:%d", f.w.ID), Every: time.Hour, Burst: 3}, At: time.Now()}
		refuse := func(workshop.View) (*workshop.Change, error) {
			return nil, errs.E(errs.Invalid, "workshop.cluster_pick_two")
		}
		same := func(v workshop.View) (*workshop.Change, error) { return &workshop.Change{Workshop: v.Workshop()}, nil }
		apply := func(clientID string, decide workshop.Decider) (*workshop.Event, bool, error) {
			return db.Workshops().Apply(ctx, f.w.ID, f.host.ID, clientID, workshop.CodeNew, workshop.Reads{Participant: f.host.ID, Spend: spend}, decide)
		}
		before := f.state(t)
		if _, _, err := apply(f.cid(), refuse); errs.KindOf(err) != errs.Invalid { // token 1
			t.Fatalf("refused decision: %v", err)
		}
		if after := f.state(t); after != before {
			t.Fatalf("a refused decision changed the workshop:\n%s\n%s", before, after)
		}
		cid := f.cid()
		ev, _, err := apply(cid, same) // token 2
		if err != nil {
			t.Fatal(err)
		}
		if old, replayed, err := apply(cid, same); err != nil || !replayed || old.Seq != ev.Seq { // token 3
			t.Fatalf("resend: %v, replayed %v", err, replayed)
		}
		before = f.state(t)
		for i := range 2 { // the bucket is empty
			if _, _, err := apply(f.cid(), same); err != workshop.ErrRateLimited {
				t.Fatalf("command %d past the limit: %v, want %v", i+4, err, workshop.ErrRateLimited)
			}
		}
		if after := f.state(t); after != before {
			t.Fatalf("a rate-limited command changed the workshop:\n%s\n%s", before, after)
		}
		// The lock is free and the bucket the only one refusing.
		next, _, err := db.Workshops().Apply(ctx, f.w.ID, f.host.ID, f.cid(), workshop.CodeNew, workshop.Reads{Participant: f.host.ID}, same)
		if err != nil || next.Seq != ev.Seq+1 {
			t.Fatalf("next command: %v (seq %v after %d)", err, next, ev.Seq)
		}
	})
}

// Guests are looked up by token hash many at once: the known ones come
// back, each once, whatever else is asked for.
func TestWorkshop_ParticipantsByToken(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := mustWorkshop(t, db)
		a, b, c := f.guest(t, "Alva"), f.guest(t, "Bosse"), f.guest(t, "Cissi")
		tests := []struct {
			name   string
			hashes []string
			want   []int64
		}{
			{"none", nil, nil},
			{"one", []string{b.TokenHash}, []int64{b.ID}},
			{"some and unknown ones", []string{c.TokenHash, "okänd", a.TokenHash, `"'); --`}, []int64{a.ID, c.ID}},
			{"twice", []string{a.TokenHash, a.TokenHash}, []int64{a.ID}},
			{"the host's empty token", []string{""}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ps, err := db.Workshops().ParticipantsByToken(ctx, tt.hashes)
				if err != nil {
					t.Fatal(err)
				}
				var got []int64
				for _, p := range ps {
					if p.WorkshopID != f.w.ID || p.Nickname == "" {
						t.Fatalf("participant %+v", p)
					}
					got = append(got, p.ID)
				}
				slices.Sort(got)
				if !slices.Equal(got, tt.want) {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			})
		}
	})
}
