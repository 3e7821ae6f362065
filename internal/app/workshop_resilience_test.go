package app_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/app"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

// wsRun is one run of framsyn on a fixed address, served by App.Serve as
// `framsyn serve` does; stop cancels it (a graceful shutdown) and closes
// the app. The next run is a new App over the same database and data dir.
type wsRun struct {
	t      testing.TB
	app    *app.App
	addr   string
	cancel context.CancelFunc
	done   chan error
}

func startRun(t testing.TB, dsn, dataDir, addr string) *wsRun {
	t.Helper()
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	addr = ln.Addr().String()
	a, err := app.New(context.Background(), app.Config{Addr: addr, DB: dsn, DataDir: dataDir, BaseURL: "http://" + addr, Log: quietLog()})
	if err != nil {
		ln.Close()
		t.Fatalf("app.New: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &wsRun{t: t, app: a, addr: addr, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- a.Serve(ctx, ln) }()
	t.Cleanup(r.stop)
	return r
}

// stop shuts the run down gracefully; the open streams must not hold it up.
func (r *wsRun) stop() {
	if r.cancel == nil {
		return
	}
	r.cancel()
	r.cancel = nil
	if err := <-r.done; err != nil {
		r.t.Errorf("serve: %v", err)
	}
	r.app.Close()
}

// wsClient is one participant's browser: an event stream that remembers
// the last event id, the board folded from the events, and an outbox of
// commands with client-made ids, resent until answered.
type wsClient struct {
	t      testing.TB
	name   string
	cookie *http.Cookie
	base   func() string // the current server's workshop URL

	mu     sync.Mutex
	seqs   []int64
	notes  map[int64]map[string]any
	last   int64
	body   io.Closer
	ended  chan struct{}
	outbox []wsCommand
}

type wsCommand struct {
	id   string
	body string
}

func (c *wsClient) connect() {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base()+"/strom?since=0", nil)
	req.AddCookie(c.cookie)
	c.mu.Lock()
	if c.last > 0 {
		req.Header.Set("Last-Event-ID", strconv.FormatInt(c.last, 10))
	}
	c.mu.Unlock()
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		c.t.Fatalf("%s: connect: %v", c.name, err)
	}
	if res.StatusCode != 200 {
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		c.t.Fatalf("%s: stream %d %s", c.name, res.StatusCode, b)
	}
	ended := make(chan struct{})
	c.mu.Lock()
	c.body, c.ended = res.Body, ended
	c.mu.Unlock()
	go func() {
		defer close(ended)
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		var data string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "data: "):
				data = line[6:]
			case line == "" && data != "":
				c.apply(data)
				data = ""
			}
		}
	}()
}

// apply folds one event into the client's board.
func (c *wsClient) apply(data string) {
	var ev struct {
		Seq  int64 `json:"seq"`
		Data struct {
			Notes []map[string]any `json:"notes"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(data), &ev); err != nil || ev.Seq == 0 {
		c.t.Errorf("%s: bad event %s", c.name, data)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seqs = append(c.seqs, ev.Seq)
	c.last = ev.Seq
	for _, n := range ev.Data.Notes {
		c.notes[int64(n["id"].(float64))] = n
	}
}

// cut drops the connection, as a phone going into a tunnel does.
func (c *wsClient) cut() {
	c.mu.Lock()
	body, ended := c.body, c.ended
	c.mu.Unlock()
	body.Close()
	<-ended
}

// ended reports when the current stream has ended (for the restart).
func (c *wsClient) streamEnded() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ended
}

func (c *wsClient) lastSeq() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

// waitFor waits until the client has every event up to seq.
func (c *wsClient) waitFor(seq int64) {
	c.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for c.lastSeq() < seq {
		if time.Now().After(deadline) {
			c.t.Fatalf("%s: at seq %d, want %d", c.name, c.lastSeq(), seq)
		}
		time.Sleep(5 * time.Millisecond) // polling the condition
	}
}

var wsCmdN int

// queue adds a note to the outbox, as typing while offline does.
func (c *wsClient) queue(text string) wsCommand {
	wsCmdN++
	id := fmt.Sprintf("outbox-%s-%04d", strings.ToLower(c.name), wsCmdN)
	cmd := wsCommand{id: id, body: fmt.Sprintf(`{"id":%q,"kind":"note.add","steep":"social","text":%q}`, id, text)}
	c.outbox = append(c.outbox, cmd)
	return cmd
}

// send posts one command and returns the seq of its event.
func (c *wsClient) send(cmd wsCommand) int64 {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.base()+"/handling", strings.NewReader(cmd.body))
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(c.cookie)
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		c.t.Fatalf("%s: post: %v", c.name, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var ok struct {
		Seq int64 `json:"seq"`
	}
	if res.StatusCode != 200 || json.Unmarshal(b, &ok) != nil || ok.Seq == 0 {
		c.t.Fatalf("%s: post %s: %d %s", c.name, cmd.id, res.StatusCode, b)
	}
	return ok.Seq
}

// board reads the client's board from the server.
func (c *wsClient) board() map[string]any {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base()+"/tavla.json", nil)
	req.AddCookie(c.cookie)
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	var b map[string]any
	if res.StatusCode != 200 || json.NewDecoder(res.Body).Decode(&b) != nil {
		c.t.Fatalf("%s: board %d", c.name, res.StatusCode)
	}
	return b
}

// TestWorkshop_CutOffTypingAndRestart: a participant loses the connection
// mid-stage and types while cut off; the server restarts (a new App over
// the same database and data dir); they reconnect with Last-Event-ID and
// resend their outbox twice. Their input arrives exactly once, and every
// participant's board, folded from the events, equals the server's and
// everyone else's.
func TestWorkshop_CutOffTypingAndRestart(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			dataDir := filepath.Join(t.TempDir(), "data")
			run := startRun(t, dsn, dataDir, "")
			addr := run.addr
			cur := run
			var curMu sync.Mutex
			a := func() *app.App { curMu.Lock(); defer curMu.Unlock(); return cur.app }

			u, err := run.app.Accounts.CreateUser(ctx, "fia@example.se", "Fia Facilitator", "correct horse battery", false)
			if err != nil {
				t.Fatal(err)
			}
			actor := &account.Actor{User: u}
			w, err := run.app.Workshops.Create(ctx, actor, workshop.Workshop{Title: "Omstart", FocalQuestion: "Kommer allt fram?", HorizonYear: 2050})
			if err != nil {
				t.Fatal(err)
			}
			host, _ := run.app.Workshops.Participant(ctx, actor, w.ID, "")
			for i, c := range []workshop.Command{{Kind: workshop.WorkshopOpen}, {Kind: workshop.StageSet, Stage: "drivers"}} {
				c.ClientID = fmt.Sprintf("setup-cmd-%d", i)
				if _, err := run.app.Workshops.Do(ctx, host, c); err != nil {
					t.Fatal(err)
				}
			}
			session := account.NewToken()
			now := time.Now()
			if err := run.app.Stores.Accounts.CreateSession(ctx, account.Session{Hash: account.HashToken(session), UserID: u.ID,
				CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
			base := func() string { return "http://" + addr + "/workshoppar/" + strconv.FormatInt(w.ID, 10) }
			clients := []*wsClient{{t: t, name: "Fia", cookie: &http.Cookie{Name: run.app.Config.SessionCookie(), Value: session}, base: base}}
			for i, name := range []string{"Alva", "Bo", "Cleo"} {
				_, token, err := run.app.Workshops.Join(ctx, &account.Actor{}, w.Code, name, fmt.Sprintf("join-guest-%d", i), "x")
				if err != nil {
					t.Fatal(err)
				}
				clients = append(clients, &wsClient{t: t, name: name, cookie: &http.Cookie{Name: "framsyn_ws_" + strconv.FormatInt(w.ID, 10), Value: token}, base: base})
			}
			fia, alva, bo, cleo := clients[0], clients[1], clients[2], clients[3]
			for _, c := range clients {
				c.notes = map[int64]map[string]any{}
				c.connect()
			}
			seq := bo.send(bo.queue("Bo: fler äldre bor kvar hemma"))
			for _, c := range clients {
				c.waitFor(seq)
			}

			// Alva is cut off mid-stage. Her first note reaches the server
			// but the answer never reaches her, so it stays in her outbox;
			// two more are typed while she is away.
			alva.cut()
			alvaSeen := alva.lastSeq()
			alva.send(alva.queue("Alva: vården digitaliseras"))
			alva.queue("Alva: kompetensbrist i glesbygd")
			bo.send(bo.queue("Bo: medan Alva är borta"))
			cleo.send(cleo.queue("Cleo: klimatanpassning kostar"))

			// The server restarts with Fia's, Bo's and Cleo's streams open.
			run.stop()
			for _, c := range []*wsClient{fia, bo, cleo} {
				select {
				case <-c.streamEnded():
				case <-time.After(30 * time.Second):
					t.Fatalf("%s: stream still open after the shutdown", c.name)
				}
			}
			alva.queue("Alva: skriven medan servern startade om")
			run2 := startRun(t, dsn, dataDir, addr)
			curMu.Lock()
			cur = run2
			curMu.Unlock()

			for _, c := range []*wsClient{fia, bo, cleo, alva} {
				c.connect()
			}
			// Alva resends her whole outbox, then once more at once (a
			// second tab, or a retry racing the first answer).
			first := map[string]int64{}
			for _, cmd := range alva.outbox {
				first[cmd.id] = alva.send(cmd)
			}
			var wg sync.WaitGroup
			for _, cmd := range alva.outbox {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if got := alva.send(cmd); got != first[cmd.id] {
						t.Errorf("resend of %s: seq %d, first %d", cmd.id, got, first[cmd.id])
					}
				}()
			}
			wg.Wait()
			last := cleo.send(cleo.queue("Cleo: efter omstarten"))
			if got, _ := a().Stores.Workshops.LastSeq(ctx, w.ID); got != last {
				t.Fatalf("log ends at %d, last command got %d", got, last)
			}
			for _, c := range clients {
				c.waitFor(last)
			}
			if alvaSeen >= last {
				t.Fatal("Alva missed nothing")
			}

			// Every event reached every client once, in order.
			for _, c := range clients {
				c.mu.Lock()
				for i, s := range c.seqs {
					if s != int64(i+1) {
						t.Errorf("%s: event %d has seq %d (%v)", c.name, i, s, c.seqs)
						break
					}
				}
				if len(c.seqs) != int(last) {
					t.Errorf("%s: %d events, want %d", c.name, len(c.seqs), last)
				}
				c.mu.Unlock()
			}
			// Each of Alva's commands is in the log exactly once.
			evs, err := a().Stores.Workshops.Events(ctx, w.ID, 0, 1000)
			if err != nil {
				t.Fatal(err)
			}
			count := map[string]int{}
			for _, ev := range evs {
				count[ev.ClientID]++
			}
			for _, cmd := range alva.outbox {
				if count[cmd.id] != 1 {
					t.Errorf("%s stored %d times", cmd.id, count[cmd.id])
				}
			}
			// Every client's board, folded from the events, equals the
			// server's board, and every participant sees the same notes.
			var want []any
			for _, c := range clients {
				b := c.board()
				notes, _ := b["notes"].([]any)
				sort.Slice(notes, func(i, j int) bool {
					return notes[i].(map[string]any)["id"].(float64) < notes[j].(map[string]any)["id"].(float64)
				})
				c.mu.Lock()
				var folded []any
				ids := make([]int64, 0, len(c.notes))
				for id := range c.notes {
					ids = append(ids, id)
				}
				sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
				for _, id := range ids {
					folded = append(folded, c.notes[id])
				}
				c.mu.Unlock()
				if !reflect.DeepEqual(folded, notes) {
					t.Errorf("%s: board from events differs from the server's:\n%s\n%s", c.name, js(folded), js(notes))
				}
				if want == nil {
					want = notes
				} else if !reflect.DeepEqual(notes, want) {
					t.Errorf("%s sees other notes than Fia:\n%s\n%s", c.name, js(notes), js(want))
				}
			}
			if len(want) != 7 {
				t.Errorf("%d notes, want 7: %s", len(want), js(want))
			}
		})
	}
}

func js(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", " ")
	enc.Encode(v)
	return b.String()
}
