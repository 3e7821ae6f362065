package ui

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/route"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

var wsClient atomic.Int64

func wsCID() string { return fmt.Sprintf("ui-test-%06d", wsClient.Add(1)) }

// wsEnv is a workshop served over HTTP with a short server WriteTimeout,
// so a stream that did not lift it would die within the test.
type wsEnv struct {
	srv  *httptest.Server
	svc  *workshop.Service
	db   *storage.DB
	w    *workshop.Workshop
	host *workshop.Participant
}

func newWSEnv(t *testing.T, db *storage.DB) *wsEnv {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	s, err := New(Config{Catalogue: i18n.MustLoad(), Log: log})
	if err != nil {
		t.Fatal(err)
	}
	svc := workshop.NewService(db.Workshops(), nil, log)
	mux := http.NewServeMux()
	s.Workshops(svc).Register(route.NewTable(mux, s.Guard))
	srv := httptest.NewUnstartedServer(mux)
	srv.Config.WriteTimeout = time.Second
	srv.Start()
	t.Cleanup(srv.Close)

	u := &account.User{Email: wsCID() + "@example.se", Name: "Fia"}
	if u.ID, err = db.Users().CreateUser(ctx, u, "x"); err != nil {
		t.Fatal(err)
	}
	a := &account.Actor{User: u}
	w, err := svc.Create(ctx, a, workshop.Workshop{Title: "Ström", FocalQuestion: "Kommer allt fram?", HorizonYear: 2050})
	if err != nil {
		t.Fatal(err)
	}
	host, _ := svc.Participant(ctx, a, w.ID, "")
	e := &wsEnv{srv: srv, svc: svc, db: db, w: w, host: host}
	e.do(t, host, workshop.Command{Kind: workshop.WorkshopOpen})
	e.do(t, host, workshop.Command{Kind: workshop.StageSet, Stage: "drivers"})
	return e
}

func (e *wsEnv) do(t testing.TB, p *workshop.Participant, c workshop.Command) *workshop.Event {
	t.Helper()
	c.ClientID = wsCID()
	ev, err := e.svc.Do(context.Background(), p, c)
	if err != nil {
		t.Fatalf("%s: %v", c.Kind, err)
	}
	return ev
}

// guest joins and returns the participant and its cookie.
func (e *wsEnv) guest(t testing.TB, name string) (*workshop.Participant, *http.Cookie) {
	t.Helper()
	p, token, err := e.svc.Join(context.Background(), &account.Actor{}, e.w.Code, name, wsCID(), "x")
	if err != nil {
		t.Fatal(err)
	}
	return p, &http.Cookie{Name: workshop.GuestCookie(e.w.ID), Value: token}
}

func (e *wsEnv) url(path string) string {
	return e.srv.URL + "/workshoppar/" + strconv.FormatInt(e.w.ID, 10) + path
}

// post sends a JSON command as the board's script does.
func (e *wsEnv) post(t testing.TB, c *http.Cookie, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", e.url("/handling"), strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(c)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

type sseEvent struct {
	ID    int64
	Type  string
	Data  string
	Frame struct {
		Seq  int64           `json:"seq"`
		Kind string          `json:"kind"`
		By   *int64          `json:"by"`
		CID  string          `json:"cid"`
		Data json.RawMessage `json:"data"`
	}
}

// sse is an open stream read by a goroutine.
type sse struct {
	res      *http.Response
	events   chan sseEvent
	comments chan string
}

func (e *wsEnv) open(t testing.TB, c *http.Cookie, query, lastID string) (*sse, int) {
	t.Helper()
	req, _ := http.NewRequest("GET", e.url("/strom"+query), nil)
	if c != nil {
		req.AddCookie(c)
	}
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		res.Body.Close()
		return nil, res.StatusCode
	}
	s := &sse{res: res, events: make(chan sseEvent, 1000), comments: make(chan string, 100)}
	go func() {
		defer close(s.events)
		sc := bufio.NewScanner(res.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.Data != "" {
					if ev.Type == "" {
						_ = json.Unmarshal([]byte(ev.Data), &ev.Frame)
					}
					s.events <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, ":"):
				select {
				case s.comments <- line:
				default:
				}
			case strings.HasPrefix(line, "id: "):
				ev.ID, _ = strconv.ParseInt(line[4:], 10, 64)
			case strings.HasPrefix(line, "event: "):
				ev.Type = line[7:]
			case strings.HasPrefix(line, "data: "):
				ev.Data = line[6:]
			}
		}
	}()
	t.Cleanup(func() { res.Body.Close() })
	return s, res.StatusCode
}

// expect reads events from through to, in order, each once.
func (s *sse) expect(t testing.TB, from, to int64) []sseEvent {
	t.Helper()
	var out []sseEvent
	for want := from; want <= to; want++ {
		select {
		case ev, ok := <-s.events:
			if !ok {
				t.Fatalf("stream ended before seq %d", want)
			}
			if ev.ID != want || ev.Frame.Seq != want {
				t.Fatalf("got id %d (seq %d), want %d", ev.ID, ev.Frame.Seq, want)
			}
			out = append(out, ev)
		case <-time.After(5 * time.Second):
			t.Fatalf("no seq %d within 5 s", want)
		}
	}
	return out
}

// quiet checks that nothing more arrives for a moment (no duplicates).
func (s *sse) quiet(t testing.TB) {
	t.Helper()
	select {
	case ev, ok := <-s.events:
		if ok {
			t.Fatalf("unexpected event %d %s", ev.ID, ev.Data)
		}
	case <-time.After(150 * time.Millisecond):
	}
}

func TestStream_ReplayThenLive(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		e := newWSEnv(t, db)
		g, gc := e.guest(t, "Greta")
		for i := 0; i < 3; i++ {
			e.do(t, g, workshop.Command{Kind: workshop.NoteAdd, Text: fmt.Sprintf("före %d", i)})
		}
		last, err := db.Workshops().LastSeq(context.Background(), e.w.ID)
		if err != nil {
			t.Fatal(err)
		}
		s, code := e.open(t, gc, "?since=0", "")
		if code != 200 {
			t.Fatalf("status %d", code)
		}
		evs := s.expect(t, 1, last)
		if evs[0].Frame.Kind != "workshop.create" || evs[last-1].Frame.Kind != "note.add" {
			t.Fatalf("kinds %s … %s", evs[0].Frame.Kind, evs[last-1].Frame.Kind)
		}
		// Live, through the command endpoint; and past the 1 s server
		// WriteTimeout, which the stream lifted.
		time.Sleep(1200 * time.Millisecond)
		code, body := e.post(t, gc, `{"id":"live-note-0001","kind":"note.add","text":"live","steep":"economic"}`)
		if code != 200 || !strings.Contains(body, `"seq":`+strconv.FormatInt(last+1, 10)) {
			t.Fatalf("post: %d %s", code, body)
		}
		ev := s.expect(t, last+1, last+1)[0]
		if ev.Frame.CID != "live-note-0001" || !strings.Contains(string(ev.Frame.Data), `"text":"live"`) {
			t.Fatalf("live event %s", ev.Data)
		}
		// A resend returns the same event and streams nothing new.
		code, body = e.post(t, gc, `{"id":"live-note-0001","kind":"note.add","text":"live","steep":"economic"}`)
		if code != 200 || !strings.Contains(body, `"seq":`+strconv.FormatInt(last+1, 10)) {
			t.Fatalf("resend: %d %s", code, body)
		}
		s.quiet(t)
	})
}

func TestStream_ResumeWithoutDuplicates(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		e := newWSEnv(t, db)
		g, gc := e.guest(t, "Hugo")
		mid := e.do(t, g, workshop.Command{Kind: workshop.NoteAdd, Text: "ett"}).Seq
		// The page rendered at mid: ?since=mid gives only what came after.
		s, _ := e.open(t, gc, "?since="+strconv.FormatInt(mid, 10), "")
		a := e.do(t, g, workshop.Command{Kind: workshop.NoteAdd, Text: "två"}).Seq
		s.expect(t, mid+1, a)
		s.res.Body.Close() // connection drops
		var last int64
		for i := 0; i < 4; i++ {
			last = e.do(t, e.host, workshop.Command{Kind: workshop.NoteAdd, Text: fmt.Sprintf("medan borta %d", i)}).Seq
		}
		// The browser reconnects with Last-Event-ID, which wins over ?since.
		s2, _ := e.open(t, gc, "?since=0", strconv.FormatInt(a, 10))
		s2.expect(t, a+1, last)
		next := e.do(t, g, workshop.Command{Kind: workshop.NoteAdd, Text: "tillbaka"}).Seq
		s2.expect(t, next, next)
		s2.quiet(t)
	})
}

func TestStream_RemovedParticipantCloses(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		e := newWSEnv(t, db)
		g, gc := e.guest(t, "Ivar")
		s, _ := e.open(t, gc, "", "")
		seq, err := db.Workshops().LastSeq(context.Background(), e.w.ID)
		if err != nil {
			t.Fatal(err)
		}
		s.expect(t, 1, seq)
		rm := e.do(t, e.host, workshop.Command{Kind: workshop.ParticipantRemove, Participant: g.ID})
		if ev := s.expect(t, rm.Seq, rm.Seq)[0]; ev.Frame.Kind != "participant.remove" {
			t.Fatalf("kind %s", ev.Frame.Kind)
		}
		select {
		case _, ok := <-s.events:
			if ok {
				t.Fatal("stream still sending")
			}
		case <-time.After(2 * time.Second):
			t.Fatal("stream of a removed participant still open")
		}
		if _, code := e.open(t, gc, "", strconv.FormatInt(rm.Seq, 10)); code != http.StatusForbidden {
			t.Fatalf("reconnect after removal: %d", code)
		}
		if code, body := e.post(t, gc, `{"id":"after-removal-1","kind":"note.add","text":"x"}`); code != http.StatusForbidden ||
			!strings.Contains(body, "workshop.removed") {
			t.Fatalf("post after removal: %d %s", code, body)
		}
	})
}

func TestStream_BadRequests(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		e := newWSEnv(t, db)
		_, gc := e.guest(t, "Kim")
		other := newWSEnv(t, db)
		_, oc := other.guest(t, "Lo")
		oc.Name = workshop.GuestCookie(e.w.ID) // another workshop's token under this one's name
		for _, tt := range []struct {
			name   string
			cookie *http.Cookie
			lastID string
			want   int
		}{
			{"ErrNotJoined", nil, "", http.StatusForbidden},
			{"ErrOtherWorkshopsToken", oc, "", http.StatusForbidden},
			{"ErrBadID", gc, "abc", http.StatusUnprocessableEntity}, // the ids live.Since refuses: live's tests
		} {
			t.Run(tt.name, func(t *testing.T) {
				if _, code := e.open(t, tt.cookie, "", tt.lastID); code != tt.want {
					t.Fatalf("status %d, want %d", code, tt.want)
				}
			})
		}
		t.Run("StreamCap", func(t *testing.T) {
			_, nc := e.guest(t, "Nora")
			for i := 0; i < maxStreamsPerParticipant; i++ {
				if _, code := e.open(t, nc, "", ""); code != 200 {
					t.Fatalf("stream %d: %d", i, code)
				}
			}
			if _, code := e.open(t, nc, "", ""); code != http.StatusTooManyRequests {
				t.Fatalf("stream past the cap: %d", code)
			}
		})
	})
}

func TestCommand_BadJSON(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		e := newWSEnv(t, db)
		_, gc := e.guest(t, "Mo")
		before, err := db.Workshops().LastSeq(context.Background(), e.w.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct{ name, body, key string }{
			{"ErrForgedParticipant", `{"id":"bad-json-0001","kind":"note.add","text":"x","participant_id":1}`, "error.invalid"},
			{"ErrStringNumber", `{"id":"bad-json-0002","kind":"rating.set","note":1,"impact":"5","uncertainty":3}`, "error.invalid"},
			{"ErrFloat", `{"id":"bad-json-0003","kind":"rating.set","note":1,"impact":4.5,"uncertainty":3}`, "error.invalid"},
			{"ErrHugeNumber", `{"id":"bad-json-0004","kind":"rating.set","note":1,"impact":1e309,"uncertainty":3}`, "error.invalid"},
			{"ErrNaN", `{"id":"bad-json-0005","kind":"rating.set","note":1,"impact":NaN,"uncertainty":3}`, "error.json_invalid"},
			{"ErrTrailing", `{"id":"bad-json-0006","kind":"note.add","text":"x"}{}`, "error.json_invalid"},
			{"ErrTooLarge", `{"id":"bad-json-0007","kind":"note.add","text":"` + strings.Repeat("x", 70<<10) + `"}`, "error.body_too_large"},
			{"ErrEmptyNote", `{"id":"bad-json-0008","kind":"note.add","text":""}`, "workshop.text_required"},
			{"ErrWrongStageVote", `{"id":"bad-json-0009","kind":"vote.add","quadrant":1}`, "workshop.wrong_stage"},
			{"ErrFacilitatorAction", `{"id":"bad-json-0010","kind":"stage.set","stage":"vote"}`, "workshop.facilitator_only"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				code, body := e.post(t, gc, tt.body)
				if code < 400 || code >= 500 || !strings.Contains(body, `"key":"`+tt.key+`"`) {
					t.Fatalf("%d %s", code, body)
				}
			})
		}
		if after, _ := db.Workshops().LastSeq(context.Background(), e.w.ID); after != before {
			t.Fatalf("seq moved from %d to %d", before, after)
		}
	})
}
