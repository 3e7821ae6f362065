package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"sync"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/app"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/workshop"
)

// setupInfo is what the client process learns from the server process.
type setupInfo struct {
	Engine        string   `json:"engine"`
	Framsyn       string   `json:"framsyn"` // base URL
	Bare          string   `json:"bare"`
	Workshop      int64    `json:"workshop"`
	GuestCookie   string   `json:"guest_cookie"`
	Tokens        []string `json:"tokens"` // guests 1…n-1
	SessionCookie string   `json:"session_cookie"`
	Session       string   `json:"session"` // the facilitator's
	Since         int64    `json:"since"`   // the workshop's seq when the clients start
	Mercure       string   `json:"mercure"` // the hub's URL, when one runs
	MercureKey    string   `json:"mercure_key"`
	MercurePID    int      `json:"mercure_pid"`
	MercureDesc   string   `json:"mercure_desc"`
}

type memInfo struct {
	Heap       uint64  `json:"heap"`  // live heap after GC
	Stack      uint64  `json:"stack"` // goroutine stacks
	RSS        uint64  `json:"rss"`
	Goroutines int     `json:"goroutines"`
	Streams    int     `json:"streams"`
	CPU        float64 `json:"cpu"`     // user+system seconds of the process so far
	Mallocs    uint64  `json:"mallocs"` // heap allocations of the process so far
}

type restartInfo struct {
	Began   int64 `json:"began"`   // unix ns: the shutdown began
	Stopped int64 `json:"stopped"` // unix ns: the old server is gone
	Up      int64 `json:"up"`      // unix ns: the new app serves
	Seq     int64 `json:"seq"`     // last seq committed before the restart
}

// acceptLog holds when each event was accepted: the instant its command
// committed (framsyn) or was handed to the hub (bare), before any stream
// sees it.
type acceptLog struct {
	mu sync.Mutex
	at map[int64]int64
}

func newAcceptLog() *acceptLog { return &acceptLog{at: map[int64]int64{}} }

func (l *acceptLog) put(seq, ns int64) {
	l.mu.Lock()
	l.at[seq] = ns
	l.mu.Unlock()
}

func (l *acceptLog) after(seq int64) [][2]int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([][2]int64, 0, len(l.at))
	for s, ns := range l.at {
		if s > seq {
			out = append(out, [2]int64{s, ns})
		}
	}
	return out
}

// framsynTarget is framsyn's whole app handler on a real listener; it can
// be stopped and started again over the same database and data dir.
type framsynTarget struct {
	dsn, dataDir string
	log          *slog.Logger
	accepts      *acceptLog
	workshopID   int64
	// wrap, when set, wraps the app's handler (the pages run times the
	// handler itself: server time, not the client's round trip).
	wrap func(http.Handler) http.Handler

	mu   sync.Mutex
	app  *app.App
	srv  *http.Server
	addr string
}

func (f *framsynTarget) start(ctx context.Context) error {
	addr := f.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	a, err := app.New(ctx, app.Config{Addr: ln.Addr().String(), DB: f.dsn, DataDir: f.dataDir, Log: f.log})
	if err != nil {
		ln.Close()
		return err
	}
	a.Workshops.Observe(func(ev *workshop.Event) {
		if ev.WorkshopID == f.workshopID {
			f.accepts.put(ev.Seq, time.Now().UnixNano())
		}
	})
	srv := a.Server() // framsyn's own timeouts: the stream must lift WriteTimeout
	if f.wrap != nil {
		srv.Handler = f.wrap(srv.Handler)
	}
	go srv.Serve(ln)
	f.mu.Lock()
	f.app, f.srv, f.addr = a, srv, ln.Addr().String()
	f.mu.Unlock()
	return nil
}

// stop shuts the server down as framsyn serve does on a signal: the
// listener closes, the streams are told to end (CloseStreams, registered
// by app.Server) and their clients reconnect, what is left is closed
// after a second; hard drops every connection at once instead, as a
// crash does. Then it closes the app.
func (f *framsynTarget) stop(hard bool) {
	f.mu.Lock()
	a, srv := f.app, f.srv
	f.app, f.srv = nil, nil
	f.mu.Unlock()
	if a != nil {
		ahead, locked := a.Workshops.Decided()
		fmt.Fprintf(os.Stderr, "framsyn: %d commands decided ahead, %d under the lock\n", ahead, locked)
	}
	if srv != nil && !hard {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_ = srv.Shutdown(ctx)
		cancel()
	}
	if srv != nil {
		srv.Close()
	}
	if a != nil {
		a.Close()
	}
}

func (f *framsynTarget) current() *app.App {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.app
}

// setup makes the workshop: a facilitator, n-1 guests, in the drivers stage.
func (f *framsynTarget) setup(ctx context.Context, n int) (*setupInfo, error) {
	a := f.current()
	u, err := a.Accounts.CreateUser(ctx, "bench-facilitator@example.se", "Bench Facilitator", "correct horse battery staple", false)
	if err != nil {
		return nil, err
	}
	actor := &account.Actor{User: u}
	w, err := a.Workshops.Create(ctx, actor, workshop.Workshop{Title: "Belastningsprov",
		FocalQuestion: "Når varje händelse alla deltagare i tid?", HorizonYear: 2050})
	if err != nil {
		return nil, err
	}
	f.workshopID = w.ID
	host, err := a.Workshops.Participant(ctx, actor, w.ID, "")
	if err != nil {
		return nil, err
	}
	for i, c := range []workshop.Command{{Kind: workshop.WorkshopOpen}, {Kind: workshop.StageSet, Stage: "drivers"}} {
		c.ClientID = fmt.Sprintf("bench-setup-%04d", i)
		if _, err := a.Workshops.Do(ctx, host, c); err != nil {
			return nil, err
		}
	}
	info := &setupInfo{Workshop: w.ID, GuestCookie: workshop.GuestCookie(w.ID),
		SessionCookie: a.Config.SessionCookie()}
	for i := 1; i < n; i++ {
		_, token, err := a.Workshops.Join(ctx, &account.Actor{}, w.Code, fmt.Sprintf("Deltagare %d", i),
			fmt.Sprintf("bench-join-%06d", i), fmt.Sprintf("bench-%d", i))
		if err != nil {
			return nil, fmt.Errorf("join %d: %w", i, err)
		}
		info.Tokens = append(info.Tokens, token)
	}
	token := account.NewToken()
	now := time.Now()
	if err := a.Stores.Accounts.CreateSession(ctx, account.Session{Hash: account.HashToken(token), UserID: u.ID,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(24 * time.Hour)}); err != nil {
		return nil, err
	}
	info.Session = token
	if info.Since, err = a.Stores.Workshops.LastSeq(ctx, w.ID); err != nil {
		return nil, err
	}
	return info, nil
}

// bareHub is the baseline: an in-memory broadcast loop with the same SSE
// framing, a goroutine per client and a buffered channel each, and an
// in-memory history for Last-Event-ID. No database, no authentication.
type bareHub struct {
	accepts *acceptLog

	mu      sync.Mutex
	seq     int64
	history [][]byte
	clients map[chan []byte]struct{}
}

func newBareHub() *bareHub {
	return &bareHub{accepts: newAcceptLog(), clients: map[chan []byte]struct{}{}}
}

func (b *bareHub) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.clients)
}

func (b *bareHub) lastSeq() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.seq
}

func (b *bareHub) publish(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
	if err != nil || !json.Valid(body) {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	b.mu.Lock()
	b.seq++
	seq := b.seq
	now := time.Now()
	frame := make([]byte, 0, 96+len(body))
	frame = append(frame, "id: "...)
	frame = strconv.AppendInt(frame, seq, 10)
	frame = append(frame, "\ndata: {\"seq\":"...)
	frame = strconv.AppendInt(frame, seq, 10)
	frame = append(frame, `,"kind":"bare","at":`...)
	frame = strconv.AppendInt(frame, now.UnixMilli(), 10)
	frame = append(frame, `,"data":`...)
	frame = append(frame, body...)
	frame = append(frame, "}\n\n"...)
	b.history = append(b.history, frame)
	b.accepts.put(seq, now.UnixNano())
	for c := range b.clients {
		select {
		case c <- frame:
		default: // lagging: cut it off; it resumes from the history
			delete(b.clients, c)
			close(c)
		}
	}
	b.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, "{\"seq\":%d}\n", seq)
}

func (b *bareHub) stream(w http.ResponseWriter, r *http.Request) {
	last, _ := strconv.ParseInt(r.Header.Get("Last-Event-ID"), 10, 64)
	if v := r.URL.Query().Get("since"); v != "" && r.Header.Get("Last-Event-ID") == "" {
		last, _ = strconv.ParseInt(v, 10, 64)
	}
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{})
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	ch := make(chan []byte, workshop.StreamBuffer)
	b.mu.Lock()
	missed := append([][]byte(nil), b.history[min(max(last, 0), int64(len(b.history))):]...)
	b.clients[ch] = struct{}{}
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		if _, ok := b.clients[ch]; ok {
			delete(b.clients, ch)
			close(ch)
		}
		b.mu.Unlock()
	}()
	io.WriteString(w, "retry: 2000\n\n")
	for _, f := range missed {
		w.Write(f)
	}
	if rc.Flush() != nil {
		return
	}
	tick := time.NewTicker(15 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
			io.WriteString(w, ": keepalive\n\n")
		case f, ok := <-ch:
			if !ok {
				return
			}
			w.Write(f)
		drain:
			for {
				select {
				case f, ok := <-ch:
					if !ok {
						return
					}
					w.Write(f)
				default:
					break drain
				}
			}
		}
		if rc.Flush() != nil {
			return
		}
	}
}

func memNow(streams int) memInfo {
	// Each GC may halve a goroutine stack that uses under a quarter of it;
	// a few cycles reach the steady state a long-running server is in.
	for range 4 {
		runtime.GC()
	}
	debug.FreeOSMemory() // a GC too; returns freed pages so RSS means something
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m := memInfo{Heap: ms.HeapAlloc, Stack: ms.StackInuse, Goroutines: runtime.NumGoroutine(), Streams: streams, Mallocs: ms.Mallocs}
	if b, err := os.ReadFile("/proc/self/statm"); err == nil {
		var size, res uint64
		if _, err := fmt.Sscan(string(b), &size, &res); err == nil {
			m.RSS = res * uint64(os.Getpagesize())
		}
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		m.CPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	}
	return m
}

// runServer runs both servers and the control endpoints, and the client
// process against them.
func runServer(o *options, stdout, stderr io.Writer) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "framsyn-bench-workshop")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	dsn := filepath.Join(dir, "bench.db")
	engine := "sqlite"
	if o.db != "" {
		if !storage.IsPostgres(o.db) {
			return fmt.Errorf("-db must be a postgres:// URL (SQLite is the default)")
		}
		if dsn, err = makePostgres(o.db); err != nil {
			return err
		}
		defer dropPostgres(o.db)
		engine = "postgres"
	}
	quiet := slog.New(slog.DiscardHandler)
	fw := &framsynTarget{dsn: dsn, dataDir: filepath.Join(dir, "data"), log: quiet, accepts: newAcceptLog()}
	if err := fw.start(ctx); err != nil {
		return err
	}
	defer fw.stop(true)
	info, err := fw.setup(ctx, o.n)
	if err != nil {
		return err
	}
	info.Engine = engine
	info.Framsyn = "http://" + fw.addr

	bare := newBareHub()
	bmux := http.NewServeMux()
	bmux.HandleFunc("POST /publish", bare.publish)
	bmux.HandleFunc("GET /stream", bare.stream)
	bln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	bsrv := fw.current().Server()
	bsrv.Handler = bmux
	go bsrv.Serve(bln)
	defer bsrv.Close()
	info.Bare = "http://" + bln.Addr().String()
	if o.mercure != "" {
		hub, err := startMercure(o.mercure, dir)
		if err != nil {
			return err
		}
		defer hub.stop()
		info.Mercure, info.MercureKey, info.MercurePID, info.MercureDesc = hub.url, hub.key, hub.cmd.Process.Pid, hub.desc
	}

	var profile *os.File
	cmux := http.NewServeMux()
	writeJSON := func(w http.ResponseWriter, v any) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(v)
	}
	cmux.HandleFunc("GET /setup", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, info) })
	cmux.HandleFunc("GET /mem", func(w http.ResponseWriter, r *http.Request) {
		streams := bare.count()
		if r.URL.Query().Get("target") == "framsyn" {
			streams = 0
			if a := fw.current(); a != nil {
				streams = a.Workshops.Relay().Streams()
			}
		}
		writeJSON(w, memNow(streams))
	})
	cmux.HandleFunc("GET /cpu", func(w http.ResponseWriter, r *http.Request) {
		// CPU and allocations so far, without the GCs /mem runs.
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		writeJSON(w, memInfo{CPU: processCPU(), Mallocs: ms.Mallocs})
	})
	cmux.HandleFunc("GET /accepts", func(w http.ResponseWriter, r *http.Request) {
		after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
		l := fw.accepts
		if r.URL.Query().Get("target") == "bare" {
			l = bare.accepts
		}
		writeJSON(w, l.after(after))
	})
	cmux.HandleFunc("GET /lastseq", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("target") == "bare" {
			writeJSON(w, bare.lastSeq())
			return
		}
		seq, err := fw.current().Stores.Workshops.LastSeq(r.Context(), info.Workshop)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, seq)
	})
	cmux.HandleFunc("GET /log", func(w http.ResponseWriter, r *http.Request) {
		// Every event's seq and client id, to check each command is there once.
		var out [][2]string
		after := info.Since
		for {
			evs, err := fw.current().Stores.Workshops.Events(r.Context(), info.Workshop, after, 500)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			for _, ev := range evs {
				out = append(out, [2]string{strconv.FormatInt(ev.Seq, 10), ev.ClientID})
				after = ev.Seq
			}
			if len(evs) < 500 {
				break
			}
		}
		writeJSON(w, out)
	})
	cmux.HandleFunc("POST /restart", func(w http.ResponseWriter, r *http.Request) {
		ri := restartInfo{Began: time.Now().UnixNano()}
		fw.stop(o.hard)
		ri.Stopped = time.Now().UnixNano()
		if err := fw.start(ctx); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		ri.Up = time.Now().UnixNano()
		seq, err := fw.current().Stores.Workshops.LastSeq(r.Context(), info.Workshop)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		ri.Seq = seq
		writeJSON(w, ri)
	})
	cmux.HandleFunc("POST /profile", func(w http.ResponseWriter, r *http.Request) {
		switch {
		case o.cpuProfile == "":
		case r.URL.Query().Get("start") != "" && profile == nil:
			if f, err := os.Create(o.cpuProfile); err == nil && pprof.StartCPUProfile(f) == nil {
				profile = f
			}
			// The allocations so far, for go tool pprof -base: what the
			// profiled round allocated is FILE.allocs minus this.
			if f, err := os.Create(o.cpuProfile + ".allocs.base"); err == nil {
				_ = pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		case r.URL.Query().Get("stop") != "" && profile != nil:
			pprof.StopCPUProfile()
			profile.Close()
			profile = nil
			// And where the process allocated, since it started (less
			// FILE.allocs.base: in the round).
			if f, err := os.Create(o.cpuProfile + ".allocs"); err == nil {
				_ = pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		}
		writeJSON(w, true)
	})
	cln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	csrv := &http.Server{Handler: cmux}
	go csrv.Serve(cln)
	defer csrv.Close()

	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe, o.args()...)
	cmd.Env = append(os.Environ(), roleEnv+"=load", controlEnv+"=http://"+cln.Addr().String())
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("client process: %w", err)
	}
	return nil
}

// args are the flags for the client process.
func (o *options) args() []string {
	return []string{"-n", strconv.Itoa(o.n), "-rate", strconv.FormatFloat(o.rate, 'f', -1, 64),
		"-duration", o.duration.String(), "-restart=" + strconv.FormatBool(o.restart), "-hard=" + strconv.FormatBool(o.hard),
		"-bare=" + strconv.FormatBool(o.bare), "-honor-retry=" + strconv.FormatBool(o.honorRetry),
		"-seed", strconv.FormatUint(o.seed, 10), "-cpuprofile", o.cpuProfile, "-rounds", strconv.Itoa(o.rounds)}
}

const pgName = "framsyn_bench_workshop"

func makePostgres(base string) (string, error) {
	db, err := sql.Open("pgx", base)
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := db.Exec(`DROP DATABASE IF EXISTS ` + pgName + ` WITH (FORCE)`); err != nil {
		return "", err
	}
	if _, err := db.Exec(`CREATE DATABASE ` + pgName); err != nil {
		return "", err
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	u.Path = "/" + pgName
	return u.String(), nil
}

func dropPostgres(base string) {
	db, err := sql.Open("pgx", base)
	if err != nil {
		return
	}
	defer db.Close()
	if _, err := db.Exec(`DROP DATABASE IF EXISTS ` + pgName + ` WITH (FORCE)`); err != nil && !errors.Is(err, sql.ErrConnDone) {
		fmt.Fprintln(os.Stderr, "drop scratch database:", err)
	}
}
