package workshop_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

var clientN atomic.Int64

func cid() string { return fmt.Sprintf("test-%08d", clientN.Add(1)) }

// room is an open workshop with a facilitator and guests.
type room struct {
	db     *storage.DB
	svc    *workshop.Service
	w      *workshop.Workshop
	host   *workshop.Participant
	actor  *account.Actor
	tokens map[int64]string
}

// MustUser creates a signed-in actor.
func MustUser(t testing.TB, db *storage.DB, name string) *account.Actor {
	t.Helper()
	u := &account.User{Email: fmt.Sprintf("%d@example.se", clientN.Add(1)), Name: name}
	id, err := db.Users().CreateUser(context.Background(), u, "x")
	if err != nil {
		t.Fatal(err)
	}
	u.ID = id
	return &account.Actor{User: u}
}

// MustRoom creates and opens a workshop on a fresh service over db.
func MustRoom(t testing.TB, db *storage.DB) *room {
	t.Helper()
	return MustRoomOn(t, db, workshop.NewService(db.Workshops(), nil, slog.New(slog.DiscardHandler)))
}

// MustRoomOn is MustRoom on the service svc over db.
func MustRoomOn(t testing.TB, db *storage.DB, svc *workshop.Service) *room {
	t.Helper()
	ctx := context.Background()
	a := MustUser(t, db, "Fia Facilitator")
	workshop.CheckFolds(t, svc)
	w, err := svc.Create(ctx, a, workshop.Workshop{Title: "Välfärden 2050", FocalQuestion: "Hur ser välfärden ut i Region X 2050?", HorizonYear: 2050})
	if err != nil {
		t.Fatal(err)
	}
	host, err := svc.Participant(ctx, a, w.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	r := &room{db: db, svc: svc, w: w, host: host, actor: a, tokens: map[int64]string{}}
	r.Do(t, host, workshop.Command{Kind: workshop.WorkshopOpen})
	return r
}

func (r *room) Do(t testing.TB, p *workshop.Participant, c workshop.Command) *workshop.Event {
	t.Helper()
	ev, err := r.try(p, c)
	if err != nil {
		t.Fatalf("%s by %s: %v", c.Kind, p.Nickname, err)
	}
	return ev
}

func (r *room) try(p *workshop.Participant, c workshop.Command) (*workshop.Event, error) {
	if c.ClientID == "" {
		c.ClientID = cid()
	}
	return r.svc.Do(context.Background(), p, c)
}

func (r *room) Stage(t testing.TB, key string) {
	t.Helper()
	r.Do(t, r.host, workshop.Command{Kind: workshop.StageSet, Stage: key})
}

func (r *room) Guest(t testing.TB, name string) *workshop.Participant {
	t.Helper()
	p, token, err := r.svc.Join(context.Background(), &account.Actor{}, r.w.Code, name, cid(), "198.51.100.7")
	if err != nil {
		t.Fatalf("join %s: %v", name, err)
	}
	r.tokens[p.ID] = token
	return p
}

// Guests has n guests join, named "Gäst 0", "Gäst 1"…
func (r *room) Guests(t testing.TB, n int) []*workshop.Participant {
	t.Helper()
	guests := make([]*workshop.Participant, n)
	for i := range guests {
		guests[i] = r.Guest(t, fmt.Sprintf("Gäst %d", i))
	}
	return guests
}

func wantErr(t testing.TB, err error, kind errs.Kind, key string) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted, want %s", key)
	}
	if e := errs.As(err); e.Kind != kind || e.Key != key {
		t.Fatalf("got %v (kind %d), want kind %d %s", err, e.Kind, kind, key)
	}
}

func TestService_WholeWorkshop(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		r := MustRoom(t, db)
		a, b, c := r.Guest(t, "Alva"), r.Guest(t, "Bosse"), r.Guest(t, "Cissi")
		g1 := r.Do(t, r.host, workshop.Command{Kind: workshop.GroupCreate, Name: "Grupp 1", Quadrant: 1}).Seq
		g2 := r.Do(t, r.host, workshop.Command{Kind: workshop.GroupCreate, Name: "Grupp 2", Quadrant: 2}).Seq
		r.Do(t, r.host, workshop.Command{Kind: workshop.GroupAssign, Participant: a.ID, Group: g1})
		r.Do(t, r.host, workshop.Command{Kind: workshop.GroupAssign, Participant: b.ID, Group: g1})
		r.Do(t, r.host, workshop.Command{Kind: workshop.GroupAssign, Participant: c.ID, Group: g2})
		for _, p := range []*workshop.Participant{a, b, c} { // pick up the group
			q, err := r.svc.Participant(ctx, &account.Actor{}, r.w.ID, r.tokens[p.ID])
			if err != nil {
				t.Fatal(err)
			}
			*p = *q
		}

		r.Stage(t, "drivers")
		n1 := r.Do(t, a, workshop.Command{Kind: workshop.NoteAdd, Text: "Fler äldre", STEEP: "social"}).Seq
		n2 := r.Do(t, b, workshop.Command{Kind: workshop.NoteAdd, Text: "Åldrande befolkning", STEEP: "social"}).Seq
		n3 := r.Do(t, c, workshop.Command{Kind: workshop.NoteAdd, Text: "AI i vården", STEEP: "technological"}).Seq

		r.Stage(t, "clustering")
		r.Do(t, c, workshop.Command{Kind: workshop.ClusterMerge, Note: n2, Into: n1})
		r.Do(t, c, workshop.Command{Kind: workshop.ClusterName, Note: n2, Name: "Demografi"})

		r.Stage(t, "rating")
		_, err := r.try(a, workshop.Command{Kind: workshop.RatingSet, Note: n2, Impact: 5, Uncertainty: 5})
		wantErr(t, err, errs.Conflict, "workshop.rate_cluster")
		for _, p := range []*workshop.Participant{a, b, c} {
			r.Do(t, p, workshop.Command{Kind: workshop.RatingSet, Note: n1, Impact: 5, Uncertainty: 2})
			r.Do(t, p, workshop.Command{Kind: workshop.RatingSet, Note: n3, Impact: 4, Uncertainty: 5})
		}
		r.Do(t, a, workshop.Command{Kind: workshop.RatingSet, Note: n3, Impact: 5, Uncertainty: 5}) // replaces
		bb, err := r.svc.Board(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		if len(bb.Stats) != 0 || len(bb.Ratings) != 2 {
			t.Fatalf("before reveal a guest sees %d stats, %d ratings", len(bb.Stats), len(bb.Ratings))
		}
		r.Do(t, r.host, workshop.Command{Kind: workshop.RevealSet, On: true})
		bb, _ = r.svc.Board(ctx, b)
		if len(bb.Stats) != 2 || bb.Stats[1].N != 3 || bb.Stats[1].ImpactSum != 13 {
			t.Fatalf("after reveal: %+v", bb.Stats)
		}

		r.Stage(t, "axes")
		r.Do(t, r.host, workshop.Command{Kind: workshop.AxisSet, Axis: "x", Note: n3, Text: "AI i vården", Low: "Lite", High: "Överallt"})
		r.Do(t, r.host, workshop.Command{Kind: workshop.AxisSet, Axis: "y", Note: n1, Text: "Demografi", Low: "Unga", High: "Äldre"})

		r.Stage(t, "scenarios")
		r.Do(t, a, workshop.Command{Kind: workshop.ScenarioEdit, Quadrant: 1, Name: "Region Vänern", Story: "…"})
		_, err = r.try(c, workshop.Command{Kind: workshop.ScenarioEdit, Quadrant: 1, Name: "Kapning"})
		wantErr(t, err, errs.Forbidden, "workshop.other_group")
		r.Do(t, c, workshop.Command{Kind: workshop.ScenarioEdit, Quadrant: 2, Name: "Senior City"})

		r.Stage(t, "vote")
		r.Do(t, r.host, workshop.Command{Kind: workshop.GroupsPlenary})
		for _, p := range []*workshop.Participant{a, b, c} {
			r.Do(t, p, workshop.Command{Kind: workshop.VoteAdd, Quadrant: 1})
		}
		r.Do(t, c, workshop.Command{Kind: workshop.VoteAdd, Quadrant: 2})

		r.Stage(t, "backcasting")
		m := r.Do(t, b, workshop.Command{Kind: workshop.MilestoneAdd, Year: 2040, Text: "Vård hemma är norm"}).Seq
		r.Do(t, c, workshop.Command{Kind: workshop.ActionAdd, Item: m, Text: "Pilot i två kommuner", Owner: "Regionen"})
		_, err = r.try(b, workshop.Command{Kind: workshop.MilestoneAdd, Year: 2070, Text: "för sent"})
		wantErr(t, err, errs.Invalid, "workshop.year_range")

		r.Stage(t, "results")
		r.Do(t, r.host, workshop.Command{Kind: workshop.WorkshopClose})
		_, err = r.try(a, workshop.Command{Kind: workshop.NoteAdd, Text: "efteråt"})
		wantErr(t, err, errs.Conflict, "workshop.closed")

		fb, err := r.svc.Board(ctx, r.host)
		if err != nil {
			t.Fatal(err)
		}
		if len(fb.Notes) != 3 || len(fb.Axes) != 2 || len(fb.Scenarios) != 2 || len(fb.Backcast) != 2 || len(fb.Groups) != 2 {
			t.Fatalf("board: %d notes %d axes %d scenarios %d backcast %d groups", len(fb.Notes), len(fb.Axes), len(fb.Scenarios), len(fb.Backcast), len(fb.Groups))
		}
		if len(fb.Totals) != 2 || fb.Totals[0].Dots != 3 || fb.Totals[1].Dots != 1 {
			t.Fatalf("totals %+v", fb.Totals)
		}
		if fb.Notes[1].ClusterID != n1 || fb.Notes[0].ClusterName != "Demografi" {
			t.Fatalf("cluster: %+v", fb.Notes[:2])
		}
		evs, _ := db.Workshops().Events(ctx, r.w.ID, 0, 1000)
		if int64(len(evs)) != fb.Workshop.Seq {
			t.Fatalf("%d events, seq %d", len(evs), fb.Workshop.Seq)
		}
	})
}

func TestService_Authorization(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		r := MustRoom(t, db)
		g, h := r.Guest(t, "Gun"), r.Guest(t, "Hans")
		r.Stage(t, "drivers")
		r.Do(t, g, workshop.Command{Kind: workshop.NoteAdd, Text: "ok"})

		t.Run("ErrLockedStage", func(t *testing.T) {
			r.Do(t, r.host, workshop.Command{Kind: workshop.StageLock, On: true})
			_, err := r.try(g, workshop.Command{Kind: workshop.NoteAdd, Text: "låst"})
			wantErr(t, err, errs.Conflict, "workshop.stage_locked")
			r.Do(t, r.host, workshop.Command{Kind: workshop.NoteAdd, Text: "facilitatorn får"})
			r.Do(t, r.host, workshop.Command{Kind: workshop.StageLock, On: false})
		})
		t.Run("ErrTokenOfAnotherWorkshop", func(t *testing.T) {
			other := MustRoom(t, db)
			og := other.Guest(t, "Olle")
			_, err := r.svc.Participant(ctx, &account.Actor{}, r.w.ID, other.tokens[og.ID])
			wantErr(t, err, errs.Forbidden, "workshop.not_joined")
			_, err = r.svc.Participant(ctx, &account.Actor{}, r.w.ID, "not-a-token")
			wantErr(t, err, errs.Forbidden, "workshop.not_joined")
		})
		t.Run("ErrSignedInUserOfAnotherOrg", func(t *testing.T) {
			_, err := r.svc.Participant(ctx, MustUser(t, db, "Utomstående"), r.w.ID, "")
			wantErr(t, err, errs.Forbidden, "workshop.not_joined")
		})
		t.Run("ErrNicknameLookAlike", func(t *testing.T) {
			_, _, err := r.svc.Join(ctx, &account.Actor{}, r.w.Code, "Gцn", cid(), "x") // Cyrillic ц is not a look-alike
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = r.svc.Join(ctx, &account.Actor{}, r.w.Code, "gun", cid(), "x")
			wantErr(t, err, errs.Invalid, "workshop.nickname_taken")
			_, _, err = r.svc.Join(ctx, &account.Actor{}, r.w.Code, "Ηans", cid(), "x") // Greek capital eta poses as Hans
			wantErr(t, err, errs.Invalid, "workshop.nickname_taken")
			_, _, err = r.svc.Join(ctx, &account.Actor{}, r.w.Code, "НАNS", cid(), "x") // Cyrillic Н and А
			wantErr(t, err, errs.Invalid, "workshop.nickname_taken")
			_, _, err = r.svc.Join(ctx, &account.Actor{}, r.w.Code, "Moderator", cid(), "x")
			wantErr(t, err, errs.Invalid, "workshop.nickname_reserved")
		})
		t.Run("RemovedParticipant", func(t *testing.T) {
			r.Do(t, r.host, workshop.Command{Kind: workshop.ParticipantRemove, Participant: h.ID})
			_, err := r.try(h, workshop.Command{Kind: workshop.NoteAdd, Text: "borttagen"})
			wantErr(t, err, errs.Forbidden, "workshop.removed")
			_, err = r.svc.Participant(ctx, &account.Actor{}, r.w.ID, r.tokens[h.ID])
			wantErr(t, err, errs.Forbidden, "workshop.removed")
			_, err = r.try(r.host, workshop.Command{Kind: workshop.ParticipantRemove, Participant: r.host.ID})
			wantErr(t, err, errs.Conflict, "workshop.remove_self")
			r.Do(t, r.host, workshop.Command{Kind: workshop.ParticipantRestore, Participant: h.ID})
			r.Do(t, h, workshop.Command{Kind: workshop.NoteAdd, Text: "tillbaka"})
		})
		t.Run("CoFacilitator", func(t *testing.T) {
			co := MustUser(t, db, "Co Facilitator")
			if _, err := r.svc.AddFacilitator(ctx, r.host, cid(), co.User); err != nil {
				t.Fatal(err)
			}
			p, err := r.svc.Participant(ctx, co, r.w.ID, "")
			if err != nil || !p.Facilitator() {
				t.Fatalf("co-facilitator: %+v %v", p, err)
			}
			r.Do(t, p, workshop.Command{Kind: workshop.StageSet, Stage: "rating", Seconds: 300})
			_, err = r.svc.AddFacilitator(ctx, g, cid(), co.User)
			wantErr(t, err, errs.Forbidden, "workshop.facilitator_only")
		})
		t.Run("ErrClosedCode", func(t *testing.T) {
			r.Do(t, r.host, workshop.Command{Kind: workshop.WorkshopClose})
			_, _, err := r.svc.Join(ctx, &account.Actor{}, r.w.Code, "Sen", cid(), "x")
			wantErr(t, err, errs.Conflict, "workshop.closed")
			r.Do(t, r.host, workshop.Command{Kind: workshop.WorkshopReopen})
		})
		t.Run("ErrCodeBruteForce", func(t *testing.T) {
			var last error
			for i := 0; i < 25; i++ {
				_, last = r.svc.ByCode(ctx, "ACDEFH", "203.0.113.9")
			}
			wantErr(t, last, errs.TooMany, "workshop.code_rate_limited")
			if _, err := r.svc.ByCode(ctx, r.w.Code, "203.0.113.9"); err != nil {
				t.Fatalf("a right code is still found: %v", err)
			}
		})
	})
}

func TestService_VoteBudgetInParallel(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		r := MustRoom(t, db)
		g := r.Guest(t, "Vera")
		r.Stage(t, "vote")
		var wg sync.WaitGroup
		var ok, refused atomic.Int32
		for i := 0; i < 10; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := r.try(g, workshop.Command{Kind: workshop.VoteAdd, Quadrant: 1 + i%4})
				switch {
				case err == nil:
					ok.Add(1)
				case errs.As(err).Key == "workshop.vote_budget":
					refused.Add(1)
				default:
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		b, err := r.svc.Board(context.Background(), g)
		if err != nil {
			t.Fatal(err)
		}
		dots := 0
		for _, v := range b.Votes {
			dots += v.Dots
		}
		if ok.Load() != workshop.DefaultDotBudget || dots != workshop.DefaultDotBudget || refused.Load() != 10-workshop.DefaultDotBudget {
			t.Fatalf("%d accepted, %d refused, %d dots", ok.Load(), refused.Load(), dots)
		}
		// Which quadrants won the race varies: remove a dot where there is
		// one (it must go) and where there is none (workshop.no_vote).
		voted := map[int]int{}
		for _, v := range b.Votes {
			voted[v.Quadrant] += v.Dots
		}
		full, empty := 0, 0
		for q := 1; q <= 4; q++ {
			if voted[q] > 0 && full == 0 {
				full = q
			}
			if voted[q] == 0 && empty == 0 {
				empty = q
			}
		}
		if full == 0 || empty == 0 {
			t.Fatalf("votes %v: want a quadrant with and one without a dot", voted)
		}
		r.Do(t, g, workshop.Command{Kind: workshop.VoteRemove, Quadrant: full})
		_, err = r.try(g, workshop.Command{Kind: workshop.VoteRemove, Quadrant: empty})
		wantErr(t, err, errs.Conflict, "workshop.no_vote")
		after, err := r.svc.Board(context.Background(), g)
		if err != nil {
			t.Fatal(err)
		}
		left := 0
		for _, v := range after.Votes {
			left += v.Dots
		}
		if left != dots-1 {
			t.Fatalf("%d dots after removing one of %d", left, dots)
		}
	})
}

// TestService_RateLimitPerParticipant: a participant's burst, then 429s,
// with the limits in memory and in the database. A refused command
// changes nothing, and commands refused for what they hold spend tokens
// as well, so a script sending invalid ones is limited too.
func TestService_RateLimitPerParticipant(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		for _, lim := range []struct {
			name string
			set  func(r *room)
		}{
			{"memory", func(r *room) {}},
			{"database", func(r *room) { r.svc.SetLimiter(db.RateLimits()) }},
		} {
			t.Run(lim.name, func(t *testing.T) {
				r := MustRoom(t, db)
				lim.set(r)
				now := time.Now()
				r.svc.SetClock(func() time.Time { return now }) // no refill while the test runs
				fast, calm, invalid := r.Guest(t, "Snabb"), r.Guest(t, "Lugn"), r.Guest(t, "Fel")
				r.Stage(t, "drivers")
				limited, accepted := 0, 0
				for i := range 40 {
					_, err := r.try(fast, workshop.Command{Kind: workshop.NoteAdd, Text: fmt.Sprintf("spam %d", i)})
					switch {
					case err == nil:
						accepted++
					case errs.KindOf(err) == errs.TooMany:
						limited++
					default:
						t.Fatalf("note %d: %v", i, err)
					}
				}
				if accepted != 30 || limited != 10 {
					t.Errorf("of 40 rapid notes %d accepted and %d limited, want 30 and 10", accepted, limited)
				}
				b, err := r.svc.Board(context.Background(), r.host)
				if err != nil {
					t.Fatal(err)
				}
				if len(b.Notes) != 30 {
					t.Errorf("%d notes on the board, want the 30 accepted", len(b.Notes))
				}
				for range 30 { // an empty note is refused as invalid, and still spends
					if _, err := r.try(invalid, workshop.Command{Kind: workshop.NoteAdd, Text: " "}); errs.KindOf(err) != errs.Invalid {
						t.Fatalf("empty note: %v, want invalid", err)
					}
				}
				_, err = r.try(invalid, workshop.Command{Kind: workshop.NoteAdd, Text: "nu en riktig"})
				wantErr(t, err, errs.TooMany, "workshop.rate_limited")
				r.Do(t, calm, workshop.Command{Kind: workshop.NoteAdd, Text: "jag påverkas inte"})
			})
		}
	})
}

// TestService_CloseRace: inputs racing a close either commit before it or
// are refused, never after it (reliability INV-7, F16).
func TestService_CloseRace(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		r := MustRoom(t, db)
		r.Stage(t, "drivers")
		guests := r.Guests(t, 10)
		var wg sync.WaitGroup
		// The close is sent once the first input has committed, so it lands
		// in the middle of the inputs rather than after a guessed sleep.
		started := make(chan struct{})
		var once sync.Once
		for _, g := range guests {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := 0; j < 5; j++ {
					_, err := r.try(g, workshop.Command{Kind: workshop.NoteAdd, Text: "race"})
					if err != nil && errs.As(err).Key != "workshop.closed" {
						t.Error(err)
					}
					if err == nil {
						once.Do(func() { close(started) })
					}
				}
			}()
		}
		<-started
		closed := r.Do(t, r.host, workshop.Command{Kind: workshop.WorkshopClose})
		wg.Wait()
		evs, err := db.Workshops().Events(ctx, r.w.ID, closed.Seq, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 0 {
			t.Fatalf("%d events after the close", len(evs))
		}
	})
}

func TestService_JoinResend(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		r := MustRoom(t, db)
		id := cid()
		p1, tok1, err := r.svc.Join(ctx, &account.Actor{}, r.w.Code, "Dubbel", id, "x")
		if err != nil || tok1 == "" {
			t.Fatal(err)
		}
		p2, tok2, err := r.svc.Join(ctx, &account.Actor{}, r.w.Code, "Dubbel", id, "x")
		if err != nil || tok2 != "" || p2.ID != p1.ID {
			t.Fatalf("resend: %+v %q %v", p2, tok2, err)
		}
		u := MustUser(t, db, "Ulla")
		q1, _, err := r.svc.Join(ctx, u, r.w.Code, "", cid(), "x")
		if err != nil {
			t.Fatal(err)
		}
		q2, _, err := r.svc.Join(ctx, u, r.w.Code, "", cid(), "x")
		if err != nil || q2.ID != q1.ID || q1.Nickname != "Ulla" {
			t.Fatalf("user rejoin: %+v %+v %v", q1, q2, err)
		}
	})
}

// A guest's token is remembered for commands, and a removal still holds:
// the remembered guest's next command is refused under the workshop's
// lock, the one after it without the lock, and a restore lets them in
// again.
func TestService_SenderOf(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		r := MustRoom(t, db)
		g := r.Guest(t, "Alva")
		r.Stage(t, "drivers")
		cookies := func(name string) string {
			if name == workshop.GuestCookieName(r.w.ID, false) {
				return r.tokens[g.ID]
			}
			return ""
		}
		sender := func() (*workshop.Participant, error) {
			return r.svc.SenderOf(ctx, &account.Actor{}, r.w.ID, cookies, false)
		}
		p, err := sender()
		if err != nil || p.ID != g.ID || p.Facilitator() {
			t.Fatalf("sender %+v, %v; want guest %d", p, err, g.ID)
		}
		r.Do(t, p, workshop.Command{Kind: workshop.NoteAdd, Text: "Fler äldre", STEEP: "social"})
		if _, err := r.svc.SenderOf(ctx, &account.Actor{}, r.w.ID+1000, cookies, false); errs.KindOf(err) != errs.Forbidden {
			t.Fatalf("another workshop's sender: %v", err)
		}
		r.Do(t, r.host, workshop.Command{Kind: workshop.ParticipantRemove, Participant: g.ID})
		if p, err = sender(); err != nil {
			t.Fatalf("remembered sender: %v", err)
		}
		_, err = r.try(p, workshop.Command{Kind: workshop.NoteAdd, Text: "Efter borttagningen", STEEP: "social"})
		wantErr(t, err, errs.Forbidden, "workshop.removed")
		_, err = sender()
		wantErr(t, err, errs.Forbidden, "workshop.removed")
		r.Do(t, r.host, workshop.Command{Kind: workshop.ParticipantRestore, Participant: g.ID})
		if p, err = sender(); err != nil {
			t.Fatalf("restored sender: %v", err)
		}
		r.Do(t, p, workshop.Command{Kind: workshop.NoteAdd, Text: "Tillbaka", STEEP: "social"})
		// A facilitator (a signed-in user) is read every time.
		if p, err = r.svc.SenderOf(ctx, r.actor, r.w.ID, func(string) string { return "" }, false); err != nil || !p.Facilitator() {
			t.Fatalf("facilitator as sender: %+v, %v", p, err)
		}
	})
}
