package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// loader is the client process: SSE followers and posting participants.
type loader struct {
	o       *options
	ctl     string
	info    setupInfo
	ctlc    *http.Client
	streamc *http.Client
	postc   *http.Client
	out     io.Writer

	parts      map[string][]*participant // per target, kept across rounds
	mercureSeq atomic.Int64              // the ids the load gives Mercure's events
	mercureJWT string                    // a publisher's token
}

func runLoad(o *options, control string, out io.Writer) error {
	if control == "" {
		return errors.New("no control URL")
	}
	l := &loader{o: o, ctl: control, out: out,
		ctlc:    &http.Client{Timeout: 2 * time.Minute},
		streamc: &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: -1}},
		postc: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableCompression: true,
			MaxIdleConnsPerHost: 256, DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}},
	}
	if err := l.get("/setup", &l.info); err != nil {
		return err
	}
	if l.info.Mercure != "" {
		l.mercureJWT = mercureToken(l.info.MercureKey)
	}
	if o.restart {
		return l.restartRun()
	}
	return l.rounds()
}

func (l *loader) get(path string, v any) error {
	res, err := l.ctlc.Get(l.ctl + path)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		b, _ := io.ReadAll(res.Body)
		return fmt.Errorf("control %s: %d %s", path, res.StatusCode, b)
	}
	return json.NewDecoder(res.Body).Decode(v)
}

func (l *loader) post(path string, v any) error {
	res, err := l.ctlc.Post(l.ctl+path, "", nil)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		b, _ := io.ReadAll(res.Body)
		return fmt.Errorf("control %s: %d %s", path, res.StatusCode, b)
	}
	return json.NewDecoder(res.Body).Decode(v)
}

// waitFor polls a condition until it holds or the time is up.
func waitFor(within time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(within)
	t := time.NewTicker(2 * time.Millisecond)
	defer t.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		<-t.C
	}
	return true
}

// follower is one participant's event stream, reconnecting as the board
// does: the browser's EventSource after the server's retry: time, with
// Last-Event-ID, and past three failed tries in a row the board's own
// backoff (web/static/workshop.js).
type follower struct {
	l      *loader
	url    string
	cookie *http.Cookie
	base   int64 // the stream starts after this seq

	last     atomic.Int64
	connects atomic.Int32
	up       atomic.Bool
	retry    atomic.Int64 // ms
	seenID   bool
	loose    bool         // Mercure: ids are the publishers', in the hub's order, not a log's
	got      atomic.Int64 // distinct events received

	mu         sync.Mutex
	recv       []int64 // unix ns by seq-base-1; 0: not received
	dups       int
	outOfOrder int
	resets     int
	opened     []int64 // unix ns of each stream that opened
}

func (f *follower) run(ctx context.Context, done *sync.WaitGroup) {
	defer done.Done()
	f.last.Store(f.base)
	f.retry.Store(3000) // the browser's default until the server says
	failures := 0
	for ctx.Err() == nil {
		if f.once(ctx) {
			failures = 0
		}
		failures++
		f.up.Store(false)
		if ctx.Err() != nil {
			return
		}
		wait := time.Duration(f.retry.Load()) * time.Millisecond
		if failures > 3 { // the board's backoff: 1 s doubling to 30 s, jittered
			base := min(30*time.Second, time.Second<<min(failures-4, 5))
			wait = base/2 + rand.N(base)
		}
		if !f.l.o.honorRetry {
			wait = 50 * time.Millisecond
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// once follows one connection; it reports whether the stream opened.
func (f *follower) once(ctx context.Context) bool {
	req, _ := http.NewRequestWithContext(ctx, "GET", f.url, nil)
	if f.cookie != nil {
		req.AddCookie(f.cookie)
	}
	req.Header.Set("Accept", "text/event-stream")
	if f.seenID {
		req.Header.Set("Last-Event-ID", strconv.FormatInt(f.last.Load(), 10))
	}
	res, err := f.l.streamc.Do(req)
	if err != nil {
		return false
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		io.Copy(io.Discard, res.Body)
		return false
	}
	f.connects.Add(1)
	f.up.Store(true)
	f.mu.Lock()
	f.opened = append(f.opened, time.Now().UnixNano())
	f.mu.Unlock()
	br := bufio.NewReaderSize(res.Body, 4096)
	var id int64
	var hasID, hasData bool
	var typ string
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return true
		}
		line = bytes.TrimRight(line, "\r\n")
		switch {
		case len(line) == 0:
			if hasData {
				if typ == "" && hasID {
					f.record(id)
				} else if typ == "reset" {
					f.mu.Lock()
					f.resets++
					f.mu.Unlock()
				}
			}
			hasID, hasData, typ = false, false, ""
		case line[0] == ':':
		case bytes.HasPrefix(line, []byte("id: ")):
			id, _ = strconv.ParseInt(string(line[4:]), 10, 64)
			hasID = true
		case bytes.HasPrefix(line, []byte("data: ")):
			hasData = true
		case bytes.HasPrefix(line, []byte("event: ")):
			typ = string(line[7:])
		case bytes.HasPrefix(line, []byte("retry: ")):
			if ms, err := strconv.ParseInt(string(line[7:]), 10, 64); err == nil {
				f.retry.Store(ms)
			}
		}
	}
}

func (f *follower) record(seq int64) {
	now := time.Now().UnixNano()
	f.seenID = true
	f.mu.Lock()
	defer f.mu.Unlock()
	last := f.last.Load()
	i := int(seq - f.base - 1)
	if f.loose { // concurrent publishers' ids reach the hub in any order
		if i < 0 || i < len(f.recv) && f.recv[i] != 0 {
			f.dups++
			return
		}
	} else if seq <= last {
		f.dups++
		return
	}
	if seq != last+1 {
		f.outOfOrder++
	}
	for len(f.recv) <= i {
		f.recv = append(f.recv, 0)
	}
	f.recv[i] = now
	f.got.Add(1)
	f.last.Store(max(last, seq))
}

// intent is what a participant means to do; its outbox makes the command.
type intent int

const (
	wantNote intent = iota
	wantRating
	wantVote
)

var steep = []string{"social", "technological", "economic", "environmental", "political", "values"}

// participant posts commands one at a time from its outbox, as the board's
// script does, and resends a command with the same client id until the
// server answers it.
type participant struct {
	s      *session
	idx    int
	cookie *http.Cookie
	q      chan intent
	rng    *rand.Rand
	n      int
	dots   [5]int
	used   int
}

// session is one load of one target.
type session struct {
	l      *loader
	target string
	post   string
	since  int64
	round  int

	mu        sync.Mutex
	notes     []int64
	postStart map[int64]int64 // seq → unix ns of the first attempt
	cids      []string        // every command made
	acked     map[string]int64
	refused   map[string]int
	resends   int
	overflow  int
	pending   sync.WaitGroup
}

func randFor(seed uint64, i int) *rand.Rand { return rand.New(rand.NewPCG(seed, uint64(i)+100)) }

func (p *participant) loop() {
	for in := range p.q {
		p.handle(in)
		p.s.pending.Done()
	}
}

func (p *participant) handle(in intent) {
	s := p.s
	p.n++
	cmd := map[string]any{"id": fmt.Sprintf("bench-%s-%04d-%06d", s.target[:1], p.idx, p.n)}
	switch in {
	case wantNote:
		cmd["kind"], cmd["steep"] = "note.add", steep[p.rng.IntN(len(steep))]
		cmd["text"] = fmt.Sprintf("Drivkraft %d från deltagare %d: fler arbetar på distans och pendlar mer sällan", p.n, p.idx)
	case wantRating:
		s.mu.Lock()
		if len(s.notes) == 0 {
			s.mu.Unlock()
			return
		}
		note := s.notes[p.rng.IntN(len(s.notes))]
		s.mu.Unlock()
		cmd["kind"], cmd["note"] = "rating.set", note
		cmd["impact"], cmd["uncertainty"] = 1+p.rng.IntN(5), 1+p.rng.IntN(5)
	case wantVote:
		if p.used < 3 {
			q := 1 + p.rng.IntN(4)
			cmd["kind"], cmd["quadrant"] = "vote.add", q
		} else {
			q := 1
			for p.dots[q] == 0 {
				q++
			}
			cmd["kind"], cmd["quadrant"] = "vote.remove", q
		}
	}
	body, _ := json.Marshal(cmd)
	seq, _ := s.send(p.cookie, cmd["id"].(string), body)
	if seq > 0 && in == wantVote {
		q := cmd["quadrant"].(int)
		if cmd["kind"] == "vote.add" {
			p.dots[q]++
			p.used++
		} else {
			p.dots[q]--
			p.used--
		}
	}
	if seq > 0 && in == wantNote {
		s.mu.Lock()
		s.notes = append(s.notes, seq)
		s.mu.Unlock()
	}
}

// send posts one command until the server answers it: a network error or
// a 5xx is resent with the same client id after a short wait, as the
// browser's outbox does; a refusal is counted by its key.
func (s *session) send(cookie *http.Cookie, cid string, body []byte) (int64, string) {
	s.mu.Lock()
	s.cids = append(s.cids, cid)
	s.mu.Unlock()
	first := time.Now().UnixNano()
	var mseq int64
	if s.target == "mercure" { // the publisher names the event: id = the next seq
		mseq = s.l.mercureSeq.Add(1)
		body = []byte(url.Values{"topic": {mercureTopic}, "id": {strconv.FormatInt(mseq, 10)}, "data": {string(body)}}.Encode())
	}
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			s.mu.Lock()
			s.resends++
			s.mu.Unlock()
			time.Sleep(200 * time.Millisecond) // the outbox's resend delay
		}
		req, _ := http.NewRequest("POST", s.post, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if mseq > 0 {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Authorization", "Bearer "+s.l.mercureJWT)
		}
		if cookie != nil {
			req.AddCookie(cookie)
		}
		res, err := s.l.postc.Do(req)
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode >= 500 {
			continue
		}
		if res.StatusCode != 200 {
			var e struct {
				Error struct {
					Key string `json:"key"`
				} `json:"error"`
			}
			json.Unmarshal(b, &e)
			key := e.Error.Key
			if key == "" {
				key = strconv.Itoa(res.StatusCode)
			}
			s.mu.Lock()
			s.refused[key]++
			s.mu.Unlock()
			return 0, key
		}
		var ok struct {
			Seq int64 `json:"seq"`
		}
		if mseq > 0 {
			ok.Seq = mseq
		} else if json.Unmarshal(b, &ok) != nil || ok.Seq == 0 {
			continue
		}
		s.mu.Lock()
		if _, seen := s.postStart[ok.Seq]; !seen {
			s.postStart[ok.Seq] = first
		}
		s.acked[cid] = ok.Seq
		s.mu.Unlock()
		return ok.Seq, ""
	}
}

// result is one target's figures.
type result struct {
	target                       string
	n                            int
	events                       int64
	fanout, e2e                  []float64 // ms
	deliveries                   int
	perSecond                    float64
	lost, dups, outOfOrder       int
	resets, reconnects           int
	heapPerConn, stackPerConn    float64 // bytes
	stackBase                    uint64  // the server's stacks before the target connected
	stackLoaded                  float64 // bytes per connection after the load; 0: not measured
	rssPerConn, goroutinesPerCon float64
	serverCPU, clientCPU         float64
	serverAllocs                 float64 // heap allocations during load
	refused                      map[string]int
	resends, overflow            int
	converge                     time.Duration // restart mode
	restart                      *restartInfo
	reconnectAll                 time.Duration
	exactlyOnce                  bool
	commands, committed          int
}

func (l *loader) target(name string) (streamURL, postURL string) {
	switch name {
	case "bare":
		return l.info.Bare + "/stream", l.info.Bare + "/publish"
	case "mercure":
		return l.info.Mercure + "?topic=" + mercureTopic, l.info.Mercure
	}
	base := l.info.Framsyn + "/workshoppar/" + strconv.FormatInt(l.info.Workshop, 10)
	return base + "/strom", base + "/handling"
}

// connect opens n followers and waits until the server holds them all.
func (l *loader) connect(ctx context.Context, name string, since int64, wg *sync.WaitGroup) ([]*follower, error) {
	streamURL, _ := l.target(name)
	fs := make([]*follower, l.o.n)
	for i := range fs {
		f := &follower{l: l, url: streamURL + "?since=" + strconv.FormatInt(since, 10), base: since}
		switch name {
		case "framsyn":
			f.cookie = l.cookieOf(i)
		case "mercure": // new events only; Last-Event-ID on a reconnect
			f.url, f.loose = streamURL, true
		}
		fs[i] = f
		wg.Add(1)
		go f.run(ctx, wg)
	}
	var m memInfo
	if name == "mercure" { // the hub has no count to ask: its answers' headers
		if !waitFor(2*time.Minute, func() bool { return upCount(fs) >= l.o.n }) {
			return nil, fmt.Errorf("%s: only %d of %d streams open", name, upCount(fs), l.o.n)
		}
		time.Sleep(500 * time.Millisecond)
		return fs, nil
	}
	if !waitFor(2*time.Minute, func() bool { return l.get("/mem?target="+name, &m) == nil && m.Streams >= l.o.n }) {
		return nil, fmt.Errorf("%s: only %d of %d streams open", name, m.Streams, l.o.n)
	}
	return fs, nil
}

// cookieOf is participant i's credential: 0 is the facilitator.
func (l *loader) cookieOf(i int) *http.Cookie {
	if i == 0 {
		return &http.Cookie{Name: l.info.SessionCookie, Value: l.info.Session}
	}
	return &http.Cookie{Name: l.info.GuestCookie, Value: l.info.Tokens[i-1]}
}

func (l *loader) newSession(name string, since int64) *session {
	_, postURL := l.target(name)
	return &session{l: l, target: name, post: postURL, since: since, postStart: map[int64]int64{},
		acked: map[string]int64{}, refused: map[string]int{}}
}

// drive runs the open-loop schedule for d: notes for the first half,
// ratings to 80 %, then votes; the facilitator moves the stage. at, when
// set, runs once at the given offset (the restart).
func (l *loader) drive(s *session, d time.Duration, atOffset time.Duration, at func()) {
	rng := rand.New(rand.NewPCG(l.o.seed, 7+uint64(s.round)))
	ps := l.participants(s)
	guests := ps[1:]
	order := rng.Perm(len(guests))
	stage := func(key string) {
		if s.target != "framsyn" {
			return
		}
		s.pending.Add(1)
		cid := fmt.Sprintf("bench-stage-%s-%d-%d", key, l.o.seed, s.round)
		body := fmt.Sprintf(`{"id":"%s","kind":"stage.set","stage":"%s"}`, cid, key)
		s.send(ps[0].cookie, cid, []byte(body))
		s.pending.Done()
	}
	interval := time.Duration(float64(time.Second) / l.o.rate)
	start := time.Now()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	phase := wantNote
	if s.round > 0 { // a later round starts over at the drivers
		stage("drivers")
	}
	fired := at == nil
	sent := 0
	for {
		now := <-tick.C
		el := now.Sub(start)
		if el >= d {
			break
		}
		if !fired && el >= atOffset {
			fired = true
			go at()
		}
		want := wantNote
		switch {
		case el >= d*8/10:
			want = wantVote
		case el >= d/2:
			want = wantRating
		}
		if want != phase {
			phase = want
			// Let the outboxes empty before the stage moves on.
			s.pending.Wait()
			stage(map[intent]string{wantRating: "rating", wantVote: "vote"}[want])
		}
		// Open loop: as many commands as are due by now, however late
		// this tick is (a ticker drops ticks when its reader is slow).
		for due := int(el.Seconds()*l.o.rate) + 1 - sent; due > 0; due-- {
			p := guests[order[sent%len(order)]]
			sent++
			s.pending.Add(1)
			select {
			case p.q <- phase:
			default:
				s.pending.Done()
				s.mu.Lock()
				s.overflow++
				s.mu.Unlock()
			}
		}
	}
	s.pending.Wait()
}

// figures computes one round's latencies and losses: the events after
// from up to final, at every follower.
func (l *loader) figures(r *result, s *session, fs []*follower, from, final int64) error {
	accept := map[int64]int64{}
	first := int64(0)
	if r.target != "mercure" { // the hub does not say when it accepted an event
		var acc [][2]int64
		if err := l.get("/accepts?target="+r.target+"&after="+strconv.FormatInt(from, 10), &acc); err != nil {
			return err
		}
		for _, a := range acc {
			if a[0] <= final {
				accept[a[0]] = a[1]
				if first == 0 || a[1] < first {
					first = a[1]
				}
			}
		}
	}
	s.mu.Lock()
	for _, p := range s.postStart {
		if first == 0 || p < first {
			first = p
		}
	}
	s.mu.Unlock()
	r.events += final - from
	var lastRecv int64
	for _, f := range fs {
		f.mu.Lock()
		for seq := from + 1; seq <= final; seq++ {
			i := int(seq - f.base - 1)
			if i >= len(f.recv) || f.recv[i] == 0 {
				r.lost++
				continue
			}
			at := f.recv[i]
			r.deliveries++
			lastRecv = max(lastRecv, at)
			if a, ok := accept[seq]; ok {
				r.fanout = append(r.fanout, float64(at-a)/1e6)
			}
			if p, ok := s.postStart[seq]; ok {
				r.e2e = append(r.e2e, float64(at-p)/1e6)
			}
		}
		f.mu.Unlock()
	}
	if lastRecv > first {
		r.perSecond = float64(r.deliveries) / (float64(lastRecv-first) / 1e9)
	}
	sort.Float64s(r.fanout)
	sort.Float64s(r.e2e)
	if r.refused == nil {
		r.refused = map[string]int{}
	}
	for k, v := range s.refused {
		r.refused[k] += v
	}
	r.resends += s.resends
	r.overflow += s.overflow
	r.commands += len(s.cids)
	r.committed += len(s.acked)
	return nil
}

// streamFigures counts, over the whole run, what the followers got twice,
// out of order, or as a reset, and how often they reconnected.
func streamFigures(r *result, fs []*follower) {
	for _, f := range fs {
		f.mu.Lock()
		r.dups += f.dups
		r.outOfOrder += f.outOfOrder
		r.resets += f.resets
		r.reconnects += int(f.connects.Load()) - 1
		f.mu.Unlock()
	}
}

func pct(v []float64, p float64) float64 {
	if len(v) == 0 {
		return 0
	}
	i := int(p/100*float64(len(v))+0.5) - 1
	return v[min(max(i, 0), len(v)-1)]
}

func fmtv(v float64, unit string) string {
	switch unit {
	case "ms", "s", "KiB", "µs":
		return fmt.Sprintf("%.1f %s", v, unit)
	case "x":
		return fmt.Sprintf("%.2f", v)
	}
	if v == float64(int64(v)) {
		return strconv.FormatInt(int64(v), 10)
	}
	return fmt.Sprintf("%.0f", v)
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

// restartRun connects n clients to framsyn, loads it, restarts the server
// a third of the way in, and measures how long until every client holds
// every event committed before the restart; at the end it checks that
// every event reached every client once and every command committed once.
func (l *loader) restartRun() error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	since := l.info.Since
	var wg sync.WaitGroup
	fs, err := l.connect(ctx, "framsyn", since, &wg)
	if err != nil {
		return err
	}
	s := l.newSession("framsyn", since)
	var ri restartInfo
	var converged, allBack time.Time
	restarted := make(chan error, 1)
	l.drive(s, l.o.duration, l.o.duration/3, func() {
		var profiling bool
		l.post("/profile?start=1", &profiling) // the restart and the resume herd, with -cpuprofile
		defer l.post("/profile?stop=1", &profiling)
		if err := l.post("/restart", &ri); err != nil {
			restarted <- err
			return
		}
		ok := waitFor(time.Minute, func() bool {
			back := true
			for _, f := range fs {
				if f.connects.Load() < 2 || !f.up.Load() {
					back = false
				}
				if f.last.Load() < ri.Seq {
					return false
				}
			}
			if back && allBack.IsZero() {
				allBack = time.Now()
			}
			return back
		})
		converged = time.Now()
		if !ok {
			restarted <- fmt.Errorf("clients did not converge within a minute of the restart")
			return
		}
		restarted <- nil
	})
	if err := <-restarted; err != nil {
		return err
	}
	var final int64
	if err := l.get("/lastseq", &final); err != nil {
		return err
	}
	all := waitFor(time.Minute, func() bool {
		for _, f := range fs {
			if f.last.Load() < final {
				return false
			}
		}
		return true
	})
	cancel()
	wg.Wait()
	r := &result{target: "framsyn", n: l.o.n}
	if err := l.figures(r, s, fs, since, final); err != nil {
		return err
	}
	streamFigures(r, fs)
	var log [][2]string
	if err := l.get("/log", &log); err != nil {
		return err
	}
	count := map[string]int{}
	for _, e := range log {
		count[e[1]]++
	}
	missing, twice := 0, 0
	s.mu.Lock()
	for _, cid := range s.cids {
		switch count[cid] {
		case 0:
			if _, refusedCID := s.acked[cid]; !refusedCID {
				continue // refused (counted) and not committed
			}
			missing++
		case 1:
		default:
			twice++
		}
	}
	s.mu.Unlock()
	began, stop, up := time.Unix(0, ri.Began), time.Unix(0, ri.Stopped), time.Unix(0, ri.Up)
	// Each client's first stream after the restart, relative to the new server.
	var back []float64
	for _, f := range fs {
		f.mu.Lock()
		for _, at := range f.opened {
			if at >= ri.Began {
				back = append(back, float64(at-ri.Up)/1e6)
				break
			}
		}
		f.mu.Unlock()
	}
	sort.Float64s(back)
	busiest := 0
	for i, j := 0, 0; j < len(back); j++ {
		for back[j]-back[i] >= 10 {
			i++
		}
		busiest = max(busiest, j-i+1)
	}
	w := l.out
	how := "graceful shutdown (streams told to end, the rest closed after 1 s)"
	if l.o.hard {
		how = "every connection dropped at once"
	}
	fmt.Fprintf(w, "\nframsyn restart: %s, %d clients connected, %.0f commands/s for %s, restart at %s, %s\n",
		l.info.Engine, l.o.n, l.o.rate, l.o.duration, l.o.duration/3, how)
	fmt.Fprintf(w, "old server gone %s after the restart began; new app serving %s later\n",
		stop.Sub(began).Round(time.Millisecond), up.Sub(stop).Round(time.Millisecond))
	retry := "clients wait the server's retry: as browsers do, then the board's backoff"
	if !l.o.honorRetry {
		retry = "clients reconnect after 50 ms"
	}
	fmt.Fprintf(w, "all %d clients resumed with Last-Event-ID: %s after the restart began (%s)\n", l.o.n, allBack.Sub(began).Round(time.Millisecond), retry)
	if len(back) > 0 {
		fmt.Fprintf(w, "reconnects after the new server was up: first %.0f ms, median %.0f, p99 %.0f, last %.0f; busiest 10 ms: %d streams\n",
			back[0], pct(back, 50), pct(back, 99), back[len(back)-1], busiest)
	}
	fmt.Fprintf(w, "converged (every client has every event up to seq %d): %s after the restart began, %s after the new server was up\n",
		ri.Seq, converged.Sub(began).Round(time.Millisecond), converged.Sub(up).Round(time.Millisecond))
	fmt.Fprintf(w, "run: %d events, %d deliveries; lost %d, duplicated %d, out of order %d, resets %d; all clients at the last seq: %v\n",
		r.events, r.deliveries, r.lost, r.dups, r.outOfOrder, r.resets, all)
	fmt.Fprintf(w, "commands: %d made, %d committed, %d resent after errors; committed twice %d, acknowledged but missing %d; refused %v\n",
		r.commands, r.committed, r.resends, twice, missing, r.refused)
	fmt.Fprintf(w, "target all resumed and converged < 1 s: %s; nothing lost or duplicated: %s\n",
		verdict(allBack.Sub(began) < time.Second && converged.Sub(began) < time.Second),
		verdict(r.lost+r.dups+r.outOfOrder+r.resets+twice+missing == 0 && all))
	return nil
}

// processCPU is this process's user+system time so far, in seconds.
func processCPU() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
