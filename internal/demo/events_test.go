package demo_test

import (
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/board"
	"github.com/framsyn/framsyn/internal/demo"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// TestSeedEvents: the seeds' events carry the seeds' passages verbatim and
// dates no more precise than the seeds give; the example is labelled and
// open for registration; running it again makes nothing new.
func TestSeedEvents(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		svc := account.NewService(db.Accounts(), slog.New(slog.NewTextHandler(io.Discard, nil)))
		if _, err := demo.Seed(ctx, svc, demoStore(db)); err != nil {
			t.Fatal(err)
		}
		events := event.NewService(db.Events(), nil)
		admin := &account.Actor{User: &account.User{ID: 1, IsAdmin: true}}
		made, err := demo.SeedEvents(ctx, events, admin, db.Accounts())
		if err != nil || made != 5 {
			t.Fatalf("made %d, %v", made, err)
		}
		if again, err := demo.SeedEvents(ctx, events, admin, db.Accounts()); err != nil || again != 0 {
			t.Fatalf("again: %d, %v", again, err)
		}
		plain := func(s string) string { return normalise(strings.ReplaceAll(s, "*", "")) }
		seeds := plain(MustSeedText(t, "000_194c15885c69e1c5.txt")) + "\n" + plain(MustSeedText(t, "003_d209dd7d4c3da1f9.txt"))
		all := append(mustEvents(t, events, admin, false), mustEvents(t, events, admin, true)...)
		byTitle := map[string]event.Event{}
		for _, e := range all {
			byTitle[e.Title] = e
		}
		for _, tc := range []struct {
			title, month string
			prec         event.Precision
			mustSay      []string
		}{
			{"Regiondagarna i januari", "01", event.NoYear, []string{"80-tal personer"}},
			{"Stor regional konferens i november, 2017", "2017-11", event.Month, []string{"Outi Kuittinen, Demos Helsinki", "180 personer"}},
			{"Workshopdag: ”Svaga signaler”", "12", event.NoYear, []string{"I december arrangerades"}},
			{"Extra Masterclass om scenarier", "2020-05-19", event.Exact, []string{"19 maj 2020"}},
		} {
			e, ok := byTitle[tc.title]
			if !ok {
				t.Errorf("no event %q", tc.title)
				continue
			}
			if e.Precision != tc.prec || e.Calendarable() != (tc.prec == event.Exact) || !e.AllDay || e.Example || e.Registration {
				t.Errorf("%s: precision %q, all day %v, example %v, registration %v", tc.title, e.Precision, e.AllDay, e.Example, e.Registration)
			}
			if got := e.LocalStart().Format("2006-01-02"); !strings.Contains(got, tc.month) {
				t.Errorf("%s starts %s, want within %s", tc.title, got, tc.month)
			}
			for _, s := range tc.mustSay {
				if !strings.Contains(e.Description, s) {
					t.Errorf("%s does not say %q", tc.title, s)
				}
			}
			// Every line of the description is in a seed, verbatim.
			for _, line := range strings.Split(e.Description, "\n") {
				if line = plain(line); line != "" && !strings.Contains(seeds, line) {
					t.Errorf("%s: %q is in no seed", tc.title, line)
				}
			}
		}
		ex, ok := byTitle[demo.ExampleEventTitle]
		if !ok || !ex.Example || !ex.Registration || ex.Capacity == 0 || len(ex.HostIDs()) != 2 || !strings.Contains(ex.Title, "exempel") {
			t.Errorf("example event %+v", ex)
		}
	})
}

func mustEvents(t *testing.T, events *event.Service, a *account.Actor, past bool) []event.Event {
	t.Helper()
	q := event.ListQuery{Past: past, Limit: event.MaxLimit}
	if past {
		q.To = events.Now()
	} else {
		q.From = events.Now()
	}
	evs, err := events.List(t.Context(), a, q)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// TestSeedBoard: the six groups' answers are needs on the board, each
// verbatim from the masterclass seed, once however often it runs.
func TestSeedBoard(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		svc := account.NewService(db.Accounts(), slog.New(slog.NewTextHandler(io.Discard, nil)))
		if _, err := demo.Seed(ctx, svc, demoStore(db)); err != nil {
			t.Fatal(err)
		}
		b := board.NewService(db.Board())
		admin := &account.Actor{User: &account.User{ID: 1, IsAdmin: true}}
		for i, want := range []int{6, 0} {
			if made, err := demo.SeedBoard(ctx, b, admin, db.Accounts()); err != nil || made != want {
				t.Fatalf("run %d: made %d, %v", i, made, err)
			}
		}
		seed := normalise(strings.ReplaceAll(MustSeedText(t, "003_d209dd7d4c3da1f9.txt"), "*", ""))
		posts, err := b.List(ctx, nil, board.Query{})
		if err != nil || len(posts) != 6 {
			t.Fatalf("public posts %d, %v", len(posts), err)
		}
		for _, p := range posts {
			for _, line := range strings.Split(p.Body, "\n") {
				if l := normalise(strings.TrimPrefix(strings.ReplaceAll(line, "*", ""), "- ")); l != "" && !strings.Contains(seed, l) {
					t.Errorf("%s: %q is not in the seed", p.Title, l)
				}
			}
			if !strings.HasPrefix(p.Title, "Extra Masterclass om scenarier: Grupp ") || p.OrgSlug != "reglab" {
				t.Errorf("post %q of %s", p.Title, p.OrgSlug)
			}
		}
	})
}
