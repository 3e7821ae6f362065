package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The load measures its targets in alternation: every target's clients
// stay connected for the whole run, and the schedule runs in short
// rounds, one target after another, the order turning each round
// (framsyn, bare, then bare, framsyn…). A ratio is taken within each
// round and the report gives the median of the rounds' ratios, so a
// burst of load from another process spoils one round's ratio instead of
// a whole target's figures. CPU seconds per delivered event are given
// beside the latencies: they move less with the machine's load.

// roundOf is one target's figures in one round.
type roundOf struct {
	r        *result
	position int // 0: first of the round
}

// rounds connects every target, measures their memory, runs the rounds
// and reports.
func (l *loader) rounds() error {
	targets := []string{"framsyn"}
	if l.o.bare {
		targets = append(targets, "bare")
	}
	if l.info.Mercure != "" {
		targets = append(targets, "mercure")
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	followers := map[string][]*follower{}
	idle := map[string]*result{}
	for _, name := range targets {
		r, fs, err := l.connectMeasured(ctx, name, &wg)
		if err != nil {
			return err
		}
		followers[name], idle[name] = fs, r
	}
	per := l.o.duration / time.Duration(l.o.rounds)
	byTarget := map[string][]roundOf{}
	for round := range l.o.rounds {
		order := slices.Clone(targets)
		if round%2 == 1 {
			slices.Reverse(order)
		}
		for pos, name := range order {
			r, err := l.round(name, round, per, followers[name])
			if err != nil {
				return err
			}
			byTarget[name] = append(byTarget[name], roundOf{r: r, position: pos})
		}
	}
	if !l.o.bare {
		// framsyn alone in the bench server: its streams' stacks after the
		// load (a stream's own work may have grown them since it was idle).
		var m memInfo
		if err := l.mem("framsyn", &m); err != nil {
			return err
		}
		idle["framsyn"].stackLoaded = (float64(m.Stack) - float64(idle["framsyn"].stackBase)) / float64(l.o.n)
	}
	totals := map[string]*result{}
	for _, name := range targets {
		t := idle[name]
		for _, ro := range byTarget[name] {
			merge(t, ro.r)
		}
		sort64(t)
		streamFigures(t, followers[name])
		totals[name] = t
	}
	l.reportRounds(targets, totals, byTarget, per)
	return nil
}

// connectMeasured opens a target's followers and measures the memory
// they take on the server.
func (l *loader) connectMeasured(ctx context.Context, name string, wg *sync.WaitGroup) (*result, []*follower, error) {
	r := &result{target: name, n: l.o.n, refused: map[string]int{}}
	since := l.info.Since
	switch name {
	case "bare":
		if err := l.get("/lastseq?target=bare", &since); err != nil {
			return nil, nil, err
		}
	case "mercure":
		since = 0
	}
	var m0, m1 memInfo
	if err := l.mem(name, &m0); err != nil {
		return nil, nil, err
	}
	fs, err := l.connect(ctx, name, since, wg)
	if err != nil {
		return nil, nil, err
	}
	if err := l.mem(name, &m1); err != nil {
		return nil, nil, err
	}
	n := float64(l.o.n)
	r.stackBase = m0.Stack
	r.heapPerConn = (float64(m1.Heap) - float64(m0.Heap)) / n
	r.stackPerConn = (float64(m1.Stack) - float64(m0.Stack)) / n
	r.rssPerConn = (float64(m1.RSS) - float64(m0.RSS)) / n
	r.goroutinesPerCon = float64(m1.Goroutines-m0.Goroutines) / n
	return r, fs, nil
}

// mem is the server's memory for a target: the bench server's own after
// a GC, or Mercure's process's RSS (its heap is not ours to read).
func (l *loader) mem(name string, m *memInfo) error {
	if name == "mercure" {
		*m = memInfo{RSS: procRSS(l.info.MercurePID), CPU: procCPU(l.info.MercurePID)}
		return nil
	}
	return l.get("/mem?target="+name, m)
}

// cpu is the server's CPU seconds so far for a target.
func (l *loader) cpu(name string) (float64, uint64) {
	if name == "mercure" {
		return procCPU(l.info.MercurePID), 0
	}
	var m memInfo
	_ = l.get("/cpu", &m)
	return m.CPU, m.Mallocs
}

// lastSeq is the target's last event.
func (l *loader) lastSeq(name string) (int64, error) {
	if name == "mercure" {
		return l.mercureSeq.Load(), nil
	}
	var seq int64
	err := l.get("/lastseq?target="+name, &seq)
	return seq, err
}

// round runs one target's share of one round and computes its figures.
func (l *loader) round(name string, round int, d time.Duration, fs []*follower) (*result, error) {
	r := &result{target: name, n: l.o.n, refused: map[string]int{}}
	from, err := l.lastSeq(name)
	if err != nil {
		return nil, err
	}
	s := l.newSession(name, from)
	s.round = round
	profiled := name == "framsyn" && round == 0 // one framsyn round alone: the bare loop shares the process
	if profiled {
		var ok bool
		l.post("/profile?start=1", &ok)
	}
	cpu0, mallocs0 := l.cpu(name)
	ccpu0 := processCPU()
	l.drive(s, d, 0, nil)
	final, err := l.lastSeq(name)
	if err != nil {
		return nil, err
	}
	all := waitFor(time.Minute, func() bool {
		for _, f := range fs {
			if f.got.Load() < final-f.base {
				return false
			}
		}
		return true
	})
	cpu1, mallocs1 := l.cpu(name)
	r.serverCPU, r.serverAllocs = cpu1-cpu0, float64(mallocs1-mallocs0)
	r.clientCPU = processCPU() - ccpu0
	if profiled {
		var ok bool
		l.post("/profile?stop=1", &ok)
	}
	if !all {
		fmt.Fprintf(l.out, "warning: %s round %d: not every client reached seq %d within a minute\n", name, round+1, final)
	}
	if err := l.figures(r, s, fs, from, final); err != nil {
		return nil, err
	}
	return r, nil
}

// participants are the target's posting participants, made on the first
// round and kept, so client ids stay unique and vote budgets known.
func (l *loader) participants(s *session) []*participant {
	if l.parts == nil {
		l.parts = map[string][]*participant{}
	}
	ps := l.parts[s.target]
	if ps == nil {
		ps = make([]*participant, l.o.n)
		for i := range ps {
			ps[i] = &participant{idx: i, q: make(chan intent, 256), rng: randFor(l.o.seed, i)}
			if s.target == "framsyn" {
				ps[i].cookie = l.cookieOf(i)
			}
			go ps[i].loop()
		}
		l.parts[s.target] = ps
	}
	for _, p := range ps { // idle between rounds: drive waits for every outbox
		p.s = s
	}
	return ps
}

func merge(t, r *result) {
	t.events += r.events
	t.fanout = append(t.fanout, r.fanout...)
	t.e2e = append(t.e2e, r.e2e...)
	t.deliveries += r.deliveries
	t.perSecond += r.perSecond / 1 // summed; divided by the rounds in the report
	t.lost += r.lost
	t.serverCPU += r.serverCPU
	t.clientCPU += r.clientCPU
	t.serverAllocs += r.serverAllocs
	for k, v := range r.refused {
		t.refused[k] += v
	}
	t.resends += r.resends
	t.overflow += r.overflow
	t.commands += r.commands
	t.committed += r.committed
}

func sort64(r *result) {
	slices.Sort(r.fanout)
	slices.Sort(r.e2e)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	v = slices.Clone(v)
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// perDelivery is the server's CPU time per delivered event, in µs.
func perDelivery(r *result) float64 { return r.serverCPU * 1e6 / max(float64(r.deliveries), 1) }

func (l *loader) reportRounds(targets []string, tot map[string]*result, by map[string][]roundOf, per time.Duration) {
	w := l.out
	rounds := l.o.rounds
	fmt.Fprintf(w, "\nframsyn workshop fan-out: %s, %d participants (SSE clients), %.0f commands/s, %d rounds of %s per target in alternation (open loop)\n",
		l.info.Engine, l.o.n, l.o.rate, rounds, per)
	fr := tot["framsyn"]
	br := tot["bare"]
	mr := tot["mercure"]
	head := fmt.Sprintf("%-40s %13s", "", "framsyn")
	if br != nil {
		head += fmt.Sprintf(" %13s", "bare loop")
	}
	if mr != nil {
		head += fmt.Sprintf(" %13s", "mercure-bolt")
	}
	if br != nil {
		head += fmt.Sprintf(" %10s", "fr/bare")
	}
	if mr != nil {
		head += fmt.Sprintf(" %10s", "fr/mercure")
	}
	fmt.Fprintln(w, head+"   (ratios: median of the rounds' ratios)")
	// ratio is the median over rounds of a/b, from each round's figures.
	ratio := func(a, b string, f func(*result) float64) string {
		var rs []float64
		for i := range by[a] {
			if i < len(by[b]) {
				if x, y := f(by[a][i].r), f(by[b][i].r); y != 0 {
					rs = append(rs, x/y)
				}
			}
		}
		if len(rs) == 0 {
			return "–"
		}
		return fmt.Sprintf("%.2f×", median(rs))
	}
	row := func(name string, f func(*result) float64, unit string, ratios bool) {
		line := fmt.Sprintf("%-40s %13s", name, fmtv(f(fr), unit))
		if br != nil {
			line += fmt.Sprintf(" %13s", fmtv(f(br), unit))
		}
		if mr != nil {
			line += fmt.Sprintf(" %13s", fmtv(f(mr), unit))
		}
		if ratios && br != nil {
			line += fmt.Sprintf(" %10s", ratio("framsyn", "bare", f))
		}
		if ratios && mr != nil {
			line += fmt.Sprintf(" %10s", ratio("framsyn", "mercure", f))
		}
		fmt.Fprintln(w, line)
	}
	row("POST→client p50 (incl. commit)", func(r *result) float64 { return pct(r.e2e, 50) }, "ms", true)
	row("POST→client p95", func(r *result) float64 { return pct(r.e2e, 95) }, "ms", true)
	row("POST→client p99", func(r *result) float64 { return pct(r.e2e, 99) }, "ms", true)
	row("POST→client max", func(r *result) float64 { return pct(r.e2e, 100) }, "ms", false)
	row("fan-out latency p50 (accept→client)", func(r *result) float64 { return pct(r.fanout, 50) }, "ms", br != nil)
	row("fan-out latency p95", func(r *result) float64 { return pct(r.fanout, 95) }, "ms", false)
	row("fan-out latency p99", func(r *result) float64 { return pct(r.fanout, 99) }, "ms", false)
	row("events", func(r *result) float64 { return float64(r.events) }, "", false)
	row("deliveries", func(r *result) float64 { return float64(r.deliveries) }, "", false)
	row("deliveries per second", func(r *result) float64 { return r.perSecond / float64(rounds) }, "", false)
	row("server CPU during load (s)", func(r *result) float64 { return r.serverCPU }, "s", false)
	row("server CPU per delivered event (µs)", perDelivery, "µs", true)
	row("server CPU per event (ms)", func(r *result) float64 { return r.serverCPU * 1e3 / max(float64(r.events), 1) }, "ms", false)
	row("server allocations per delivery", func(r *result) float64 { return r.serverAllocs / max(float64(r.deliveries), 1) }, "x", false)
	row("client process CPU during load (s)", func(r *result) float64 { return r.clientCPU }, "s", false)
	row("memory per idle connection, heap", func(r *result) float64 { return r.heapPerConn / 1024 }, "KiB", false)
	row("memory per idle connection, stacks", func(r *result) float64 { return r.stackPerConn / 1024 }, "KiB", false)
	row("memory per idle connection, total", func(r *result) float64 { return (r.heapPerConn + r.stackPerConn) / 1024 }, "KiB", false)
	if fr.stackLoaded > 0 {
		row("stacks per connection after the load", func(r *result) float64 { return r.stackLoaded / 1024 }, "KiB", false)
	}
	row("RSS growth per connection", func(r *result) float64 { return r.rssPerConn / 1024 }, "KiB", false)
	row("goroutines per connection", func(r *result) float64 { return r.goroutinesPerCon }, "", false)
	row("lost / duplicated / out of order", func(r *result) float64 { return float64(r.lost + r.dups + r.outOfOrder) }, "", false)
	row("reconnects (slow-client cut-offs)", func(r *result) float64 { return float64(r.reconnects) }, "", false)
	fmt.Fprintf(w, "per round, POST→client p99 in ms (first of the round marked *) and server CPU per delivery in µs:\n")
	for i := range rounds {
		line := fmt.Sprintf("  round %d:", i+1)
		for _, t := range targets {
			if i < len(by[t]) {
				ro := by[t][i]
				mark := ""
				if ro.position == 0 {
					mark = "*"
				}
				line += fmt.Sprintf("  %s %.1f%s (%.0f µs)", t, pct(ro.r.e2e, 99), mark, perDelivery(ro.r))
			}
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintf(w, "framsyn commands: %d made, %d committed, refused %v, resent %d, schedule overflow %d\n",
		fr.commands, fr.committed, fr.refused, fr.resends, fr.overflow)
	if mr != nil {
		fmt.Fprintf(w, "mercure: %s; its ids are the load's, so order across publishers is the hub's (out of order there is not a loss)\n", l.info.MercureDesc)
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Fprintf(w, "machine: %d CPUs, load average %s (other processes share the CPUs)\n", runtime.NumCPU(), strings.Join(strings.Fields(string(b))[:3], " "))
	}
	p99 := pct(fr.e2e, 99)
	fmt.Fprintf(w, "target p99 < 250 ms: %s", verdict(p99 < 250))
	if br != nil {
		fmt.Fprintf(w, "; POST→client p99 ≤ 1.5× bare loop (median of rounds %s): %s", ratio("framsyn", "bare", func(r *result) float64 { return pct(r.e2e, 99) }),
			verdict(medianRatio(by["framsyn"], by["bare"], func(r *result) float64 { return pct(r.e2e, 99) }) <= 1.5))
	}
	if mr != nil {
		fmt.Fprintf(w, "; below Mercure-bolt: %s", verdict(medianRatio(by["framsyn"], by["mercure"], func(r *result) float64 { return pct(r.e2e, 99) }) < 1))
	}
	mem := (fr.heapPerConn + fr.stackPerConn) / 1024
	fmt.Fprintf(w, "; ≤ 64 KiB per connection: %s; nothing lost or duplicated: %s\n", verdict(mem <= 64),
		verdict(fr.lost+fr.dups+fr.outOfOrder+fr.resets == 0))
}

func medianRatio(a, b []roundOf, f func(*result) float64) float64 {
	var rs []float64
	for i := range a {
		if i < len(b) {
			if y := f(b[i].r); y != 0 {
				rs = append(rs, f(a[i].r)/y)
			}
		}
	}
	return median(rs)
}

func upCount(fs []*follower) int {
	n := 0
	for _, f := range fs {
		if f.up.Load() {
			n++
		}
	}
	return n
}

// mercureTopic is the one topic the load follows and publishes on.
const mercureTopic = "https://framsyn.example/bench"

// mercureToken is a publisher's JWT (HS256) for the hub.
func mercureToken(key string) string {
	enc := base64.RawURLEncoding
	head := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	body := enc.EncodeToString([]byte(`{"mercure":{"publish":["*"]}}`))
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(head + "." + body))
	return head + "." + body + "." + enc.EncodeToString(mac.Sum(nil))
}

// procCPU is a process's user+system seconds, from /proc.
func procCPU(pid int) float64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:]) // after "pid (comm) "
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (ut + st) / 100 // USER_HZ
}

// procRSS is a process's resident memory in bytes, from /proc.
func procRSS(pid int) uint64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/statm")
	if err != nil {
		return 0
	}
	var size, res uint64
	if _, err := fmt.Sscan(string(b), &size, &res); err != nil {
		return 0
	}
	return res * uint64(os.Getpagesize())
}
