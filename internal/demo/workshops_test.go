package demo_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/app"
	"github.com/framsyn/framsyn/internal/demo"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// mustActor returns a demo login's actor.
func mustActor(t *testing.T, svc *account.Service, email string) *account.Actor {
	t.Helper()
	u, err := svc.UserByEmail(t.Context(), email)
	if err != nil {
		t.Fatal(err)
	}
	return &account.Actor{User: u}
}

// mustBoard reads a workshop as a's participant in it.
func mustBoard(t *testing.T, ws *workshop.Service, a *account.Actor, id int64) (*workshop.Participant, *workshop.Board) {
	t.Helper()
	p, err := ws.Participant(t.Context(), a, id, "")
	if err != nil {
		t.Fatalf("%s in workshop %d: %v", a.User.Email, id, err)
	}
	b, err := ws.Board(t.Context(), p)
	if err != nil {
		t.Fatal(err)
	}
	return p, b
}

func TestSeedWorkshops(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		svc := account.NewService(db.Accounts(), quiet())
		ws := workshop.NewService(db.Workshops(), nil, quiet())
		first, err := demo.SeedAll(t.Context(), svc, demoStore(db), ws)
		if err != nil {
			t.Fatal(err)
		}
		fin, open := first.Workshops.Finished, first.Workshops.Open
		admin, editor := mustActor(t, svc, demo.AdminEmail), mustActor(t, svc, demo.EditorEmail)
		adminP, _ := mustBoard(t, ws, admin, fin.ID)
		finSeq, err := ws.LastSeq(t.Context(), adminP)
		if err != nil {
			t.Fatal(err)
		}

		t.Run("FinishedLikeVarmland", func(t *testing.T) {
			_, b := mustBoard(t, ws, admin, fin.ID)
			w := b.Workshop
			if w.Status != workshop.StatusClosed || b.Template.Stage(w.Stage).Key != "results" {
				t.Fatalf("status %s, stage %q; want closed in results", w.Status, b.Template.Stage(w.Stage).Key)
			}
			if !strings.HasPrefix(w.Title, "Exempel") || !strings.HasPrefix(w.FocalQuestion, "Exempel") {
				t.Errorf("not labelled as an example: %q / %q", w.Title, w.FocalQuestion)
			}
			quadrants := map[int]bool{}
			for _, g := range b.Groups {
				quadrants[g.Quadrant] = true
			}
			if len(b.Groups) != 4 || len(quadrants) != 4 || quadrants[0] {
				t.Errorf("groups = %+v; want four, one quadrant each", b.Groups)
			}
			guests := 0
			for _, p := range b.Participants {
				switch {
				case p.Role == workshop.RoleFacilitator:
				case strings.HasPrefix(p.Nickname, "Exempel"):
					guests++
				default:
					t.Errorf("participant %q is not marked as an example", p.Nickname)
				}
			}
			if guests != 4 {
				t.Errorf("example participants = %d, want 4 (one per group)", guests)
			}
			r := workshop.ResultsOf(b)
			if q := r.Chosen(); q == 0 || r.Scenarios[q-1].Name != demo.FinishedChosen {
				t.Errorf("chosen quadrant %d; scenarios %+v; want %q", q, r.Scenarios, demo.FinishedChosen)
			}
			// Only the seed's name is a name; the others say they are examples.
			for _, s := range r.Scenarios {
				if s.Name == "" || (s.Name != demo.FinishedChosen && !strings.Contains(s.Name, "exempel")) {
					t.Errorf("scenario %d is named %q", s.Quadrant, s.Name)
				}
			}
			if len(r.Drivers) != 0 {
				t.Errorf("drivers = %+v; the seed names none", r.Drivers)
			}
			// The one step the seed gives after the workshop, in its words.
			home := strings.ToLower(MustSeedText(t, seedHomeWork))
			if len(r.Milestones) != 1 || len(r.Milestones[0].Actions) != 1 ||
				!strings.Contains(home, strings.ToLower(r.Milestones[0].Actions[0].Text)) ||
				!strings.Contains(home, strings.ToLower(r.Milestones[0].Actions[0].Owner)) {
				t.Errorf("backcasting = %+v; want the seed's next step", r.Milestones)
			}
			for _, fact := range []string{"Deltagarna delades in i fyra grupper som sen fick spela upp sitt scenario",
				"Region Vänern var det scenario som slutligen valdes"} {
				if !strings.Contains(MustSeedText(t, seedHomeWork), fact) {
					t.Errorf("the seed does not say %q", fact)
				}
			}
			// The editor facilitates it too.
			if p, _ := mustBoard(t, ws, editor, fin.ID); !p.Facilitator() {
				t.Error("the editor does not facilitate the finished workshop")
			}
		})

		t.Run("OpenJoinable", func(t *testing.T) {
			_, b := mustBoard(t, ws, admin, open.ID)
			if b.Workshop.Status != workshop.StatusOpen || b.Workshop.Code != open.Code || !strings.HasPrefix(b.Workshop.Title, "Exempel") {
				t.Fatalf("open workshop = %+v", b.Workshop)
			}
			p, token, err := ws.Join(t.Context(), nil, strings.ToLower(open.Code), "Ny på besök", "test-join-newcomer", "test")
			if err != nil || token == "" || p.Role != workshop.RoleParticipant {
				t.Fatalf("join with the code: %+v, %q, %v", p, token, err)
			}
		})

		t.Run("AgainNoDuplicates", func(t *testing.T) {
			// Closed by hand in the meantime: the next run opens it again.
			host, _ := mustBoard(t, ws, editor, open.ID)
			if _, err := ws.Do(t.Context(), host, workshop.Command{ClientID: "test-close-open", Kind: workshop.WorkshopClose}); err != nil {
				t.Fatal(err)
			}
			for range 2 {
				again, err := demo.SeedAll(t.Context(), svc, demoStore(db), ws)
				if err != nil {
					t.Fatal(err)
				}
				if again.Workshops.Finished.ID != fin.ID || again.Workshops.Open.ID != open.ID || again.Workshops.Open.Code != open.Code {
					t.Errorf("workshops %d, %d (%s); want %d, %d (%s)", again.Workshops.Finished.ID, again.Workshops.Open.ID,
						again.Workshops.Open.Code, fin.ID, open.ID, open.Code)
				}
				if again.Workshops.Open.Status != workshop.StatusOpen {
					t.Errorf("open workshop is %s after seeding again", again.Workshops.Open.Status)
				}
			}
			for _, a := range []*account.Actor{admin, editor} {
				list, err := ws.Workshops(t.Context(), a, 0, 100)
				if err != nil || len(list) != 2 {
					t.Errorf("%s takes part in %d workshops, %v; want 2", a.User.Email, len(list), err)
				}
			}
			if seq, err := ws.LastSeq(t.Context(), adminP); err != nil || seq != finSeq {
				t.Errorf("finished workshop's last event %d, %v; want %d (nothing new)", seq, err, finSeq)
			}
			// Seed (with a service of its own) finds them too.
			if _, err := demo.Seed(t.Context(), svc, demoStore(db)); err != nil {
				t.Fatal(err)
			}
			if list, err := ws.Workshops(t.Context(), editor, 0, 100); err != nil || len(list) != 2 {
				t.Errorf("editor takes part in %d workshops after Seed, %v; want 2", len(list), err)
			}
		})
	})
}

// TestSeedWorkshops_Pages: the example logins reach the finished
// workshop's results, and the printed code's join page answers.
func TestSeedWorkshops_Pages(t *testing.T) {
	t.Parallel()
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			a, err := app.New(context.Background(), app.Config{Addr: "127.0.0.1:0", DB: dsn,
				DataDir: filepath.Join(t.TempDir(), "data"), BaseURL: "http://127.0.0.1:0", Log: quiet()})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { a.Close() })
			s, err := demo.SeedAll(t.Context(), a.Accounts, a.DemoStore(), a.Workshops)
			if err != nil {
				t.Fatal(err)
			}
			get := func(path, session string) (int, string) {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.Header.Set("Accept-Language", "sv")
				if session != "" {
					req.AddCookie(&http.Cookie{Name: a.Config.SessionCookie(), Value: session})
				}
				rec := httptest.NewRecorder()
				a.Handler().ServeHTTP(rec, req)
				return rec.Code, rec.Body.String()
			}
			results := "/workshoppar/" + strconv.FormatInt(s.Workshops.Finished.ID, 10) + "/resultat"
			for _, l := range s.Logins {
				token, _, err := a.Accounts.SignIn(t.Context(), l.Email, l.Password, "test", "test")
				if err != nil {
					t.Fatal(err)
				}
				code, body := get(results, token)
				if code != http.StatusOK || !strings.Contains(body, demo.FinishedChosen) || !strings.Contains(body, "Exempel") {
					t.Errorf("%s: results %d\n%.400s", l.Email, code, body)
				}
			}
			if code, _ := get(results, ""); code == http.StatusOK {
				t.Error("the finished workshop's results are open to the public")
			}
			if code, body := get("/j/"+s.Workshops.Open.Code, ""); code != http.StatusOK || !strings.Contains(body, `id="nickname"`) {
				t.Errorf("join page %d\n%.400s", code, body)
			}
		})
	}
}
