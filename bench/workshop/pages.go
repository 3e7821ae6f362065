package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/app"
	"github.com/framsyn/framsyn/internal/workshop"
)

// The -pages mode measures the workshop's pages in a room (issue 19):
// with n participants and 2n notes, at every stage, the weight and DOM
// size of a participant's phone page (HTML, style.css and workshop.js)
// and the server time of the facilitator's and the projector's pages;
// with -chromium, the time from a note's post to its appearance on the
// projector with 40 guests posting, and (-shots DIR) screenshots of the
// projector and a phone at every stage.
//
//	go run ./bench/workshop -pages -n 200 -chromium /usr/bin/chromium
//	go run ./bench/workshop -pages -n 40 -chromium /usr/bin/chromium -shots /tmp/shots-room

// room is a workshop made for the pages run.
type room struct {
	a       *app.App
	base    string
	w       *workshop.Workshop
	host    *workshop.Participant
	guests  []*workshop.Participant
	tokens  []string
	session string
	cid     int
	filled  map[string]bool // stages given content
	timer   *timer

	shotCtx    context.Context // the browser of the screenshots
	shotCancel func()
}

func (r *room) do(p *workshop.Participant, c workshop.Command) (*workshop.Event, error) {
	r.cid++
	c.ClientID = fmt.Sprintf("bench-pages-%07d", r.cid)
	return r.a.Workshops.Do(context.Background(), p, c)
}

func (r *room) must(p *workshop.Participant, c workshop.Command) *workshop.Event {
	ev, err := r.do(p, c)
	if err != nil {
		panic(fmt.Sprintf("%s by %s: %v", c.Kind, p.Nickname, err))
	}
	return ev
}

func newRoom(ctx context.Context, a *app.App, base string, n int) (*room, error) {
	u, err := a.Accounts.CreateUser(ctx, "bench-pages@example.se", "Bench Facilitator", "correct horse battery staple", false)
	if err != nil {
		return nil, err
	}
	actor := &account.Actor{User: u}
	w, err := a.Workshops.Create(ctx, actor, workshop.Workshop{Title: "Välfärd i Region X 2050 (exempel)",
		FocalQuestion: "Hur ser välfärden ut i Region X 2050?", HorizonYear: 2050})
	if err != nil {
		return nil, err
	}
	host, err := a.Workshops.Participant(ctx, actor, w.ID, "")
	if err != nil {
		return nil, err
	}
	r := &room{a: a, base: base, w: w, host: host}
	r.must(host, workshop.Command{Kind: workshop.WorkshopOpen})
	for i := 1; i < n; i++ {
		p, token, err := a.Workshops.Join(ctx, &account.Actor{}, w.Code, fmt.Sprintf("Deltagare %d", i),
			fmt.Sprintf("bench-pages-join-%06d", i), fmt.Sprintf("bench-%d", i))
		if err != nil {
			return nil, fmt.Errorf("join %d: %w", i, err)
		}
		r.guests, r.tokens = append(r.guests, p), append(r.tokens, token)
	}
	token := account.NewToken()
	now := time.Now()
	if err := a.Stores.Accounts.CreateSession(ctx, account.Session{Hash: account.HashToken(token), UserID: u.ID,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(24 * time.Hour)}); err != nil {
		return nil, err
	}
	r.session = token
	return r, nil
}

// Example texts for the notes (labelled as examples: not facts).
var noteWords = []string{"äldre", "vård", "hemtjänst", "digitalisering", "AI", "klimat", "tåg", "bostäder", "skola",
	"energi", "vatten", "migration", "glesbygd", "kompetens", "ekonomi", "demokrati"}

// fill gives the room content, stage by stage, up to stage (inclusive):
// 2n notes, about one cluster per five notes, ratings, axes, scenarios,
// votes and a timeline.
func (r *room) fill(stage string) error {
	t := workshop.TemplateOf(r.w.Template)
	upto := t.StageIndex(stage)
	steps := map[string]func(){
		"drivers": func() {
			for i := range 2 * (len(r.guests) + 1) {
				g := r.guests[i%len(r.guests)]
				w1, w2 := noteWords[i%len(noteWords)], noteWords[(i*7+3)%len(noteWords)]
				r.must(g, workshop.Command{Kind: workshop.NoteAdd, STEEP: workshop.STEEP[i%len(workshop.STEEP)],
					Text: fmt.Sprintf("Exempel %d: mer %s och %s i regionen, med följder för invånarna", i+1, w1, w2)})
			}
		},
		"clustering": func() {
			b, _ := r.a.Workshops.Board(context.Background(), r.host)
			for i := 0; i+4 < len(b.Notes); i += 5 {
				ids := []int64{b.Notes[i].ID, b.Notes[i+1].ID, b.Notes[i+2].ID}
				r.must(r.host, workshop.Command{Kind: workshop.ClusterGroup, Notes: ids, Name: fmt.Sprintf("Kluster %d (exempel)", i/5+1)})
			}
		},
		"rating": func() {
			b, _ := r.a.Workshops.Board(context.Background(), r.host)
			var roots []int64
			for _, n := range b.Notes {
				if n.ClusterID == 0 && !n.Removed {
					roots = append(roots, n.ID)
				}
			}
			for gi, g := range r.guests {
				for k := range 5 {
					id := roots[(gi*5+k)%len(roots)]
					r.do(g, workshop.Command{Kind: workshop.RatingSet, Note: id, Impact: 1 + (gi+k)%5, Uncertainty: 1 + (gi*3+k)%5})
				}
			}
			r.must(r.host, workshop.Command{Kind: workshop.RevealSet, On: true})
		},
		"axes": func() {
			b, _ := r.a.Workshops.Board(context.Background(), r.host)
			r.must(r.host, workshop.Command{Kind: workshop.AxisSet, Axis: "x", Note: b.Notes[0].ID, Text: "Digitalisering", Low: "Lite", High: "Överallt"})
			r.must(r.host, workshop.Command{Kind: workshop.AxisSet, Axis: "y", Note: b.Notes[5].ID, Text: "Vård", Low: "På sjukhus", High: "Hemma"})
		},
		"scenarios": func() {
			for q := 1; q <= 4; q++ {
				r.must(r.host, workshop.Command{Kind: workshop.ScenarioEdit, Quadrant: q, Name: fmt.Sprintf("Scenario %d (exempel)", q),
					Story: strings.Repeat("Ett exempel på en berättelse om regionen. ", 35), Life: "Exempel.", Signs: "Exempel."})
			}
		},
		"vote": func() {
			for gi, g := range r.guests {
				for k := range 3 {
					r.do(g, workshop.Command{Kind: workshop.VoteAdd, Quadrant: 1 + (gi+k)%4})
				}
			}
		},
		"backcasting": func() {
			for i := range 10 {
				ev := r.must(r.host, workshop.Command{Kind: workshop.MilestoneAdd, Year: 2049 - 2*i, Text: fmt.Sprintf("Milstolpe %d (exempel)", i+1), Owner: "Regionen"})
				for k := range 3 {
					r.must(r.guests[(i+k)%len(r.guests)], workshop.Command{Kind: workshop.ActionAdd, Item: ev.Seq, Text: fmt.Sprintf("Åtgärd %d.%d (exempel)", i+1, k+1), Owner: "Kommunen"})
				}
			}
		},
	}
	for i, s := range t.Stages {
		if i > upto {
			break
		}
		r.must(r.host, workshop.Command{Kind: workshop.StageSet, Stage: s.Key})
		if f, ok := steps[s.Key]; ok && !r.filled[s.Key] {
			f()
			r.filled[s.Key] = true
		}
	}
	return nil
}

// get fetches path and returns the page and the server's time for it:
// the app handler's own duration, measured by the handler wrapper of
// the pages run (timer), not the client's round trip.
func (r *room) get(path string, cookie *http.Cookie) ([]byte, time.Duration, error) {
	return r.getAs("other", path, cookie)
}

// getAs is get with the page's kind (phone, facilitator, projector) as
// the profile's label.
func (r *room) getAs(kind, path string, cookie *http.Cookie) ([]byte, time.Duration, error) {
	req, _ := http.NewRequest("GET", r.base+path, nil)
	req.Header.Set(benchPageHeader, kind)
	req.AddCookie(cookie)
	req.Header.Set("Accept-Language", "sv")
	id := r.timer.next()
	req.Header.Set(benchIDHeader, id)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, 0, fmt.Errorf("GET %s: %d", path, resp.StatusCode)
	}
	return b, r.timer.took(id), err
}

// benchIDHeader names a request of the pages run, so the handler wrapper
// can report its server time.
const benchIDHeader, benchPageHeader = "X-Bench-Request", "X-Bench-Page"

// timer records the app handler's duration of each named request; with
// -cpuprofile it labels the handler's samples page=<kind>, so
// go tool pprof -tagfocus page=facilitator shows one page's profile.
type timer struct {
	mu   sync.Mutex
	n    int
	done map[string]time.Duration
}

func newTimer() *timer { return &timer{done: map[string]time.Duration{}} }

func (t *timer) next() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n++
	return strconv.Itoa(t.n)
}

func (t *timer) took(id string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	d := t.done[id]
	delete(t.done, id)
	return d
}

func (t *timer) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		id := req.Header.Get(benchIDHeader)
		if id == "" {
			h.ServeHTTP(w, req)
			return
		}
		kind := req.Header.Get(benchPageHeader)
		start := time.Now()
		pprof.Do(req.Context(), pprof.Labels("page", kind), func(context.Context) { h.ServeHTTP(w, req) })
		d := time.Since(start)
		t.mu.Lock()
		t.done[id] = d
		t.mu.Unlock()
	})
}

// save writes the stage's phone page (given), facilitator's page and
// projector page to dir, to see what a page spends its bytes on.
func (r *room) save(dir, stage string, phone []byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	fac, _, err := r.get(fmt.Sprintf("/workshoppar/%d", r.w.ID), r.facCookie())
	if err != nil {
		return err
	}
	proj, _, err := r.get(fmt.Sprintf("/workshoppar/%d/projektor", r.w.ID), r.facCookie())
	if err != nil {
		return err
	}
	for name, b := range map[string][]byte{"phone": phone, "facilitator": fac, "projector": proj} {
		if err := os.WriteFile(filepath.Join(dir, name+"-"+stage+".html"), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func (r *room) guestCookie(i int) *http.Cookie {
	return &http.Cookie{Name: workshop.GuestCookie(r.w.ID), Value: r.tokens[i]}
}

func (r *room) facCookie() *http.Cookie {
	return &http.Cookie{Name: r.a.Config.SessionCookie(), Value: r.session}
}

// elements counts the element nodes of a page as the browser parses it.
func elements(page []byte) int {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return -1
	}
	n := 0
	var walk func(*html.Node)
	walk = func(x *html.Node) {
		if x.Type == html.ElementNode {
			n++
		}
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return n
}

func medianP95(ds []time.Duration) (time.Duration, time.Duration) {
	slices.Sort(ds)
	return ds[len(ds)/2], ds[min(len(ds)-1, len(ds)*95/100)]
}

// pageSamples is how many times each page is fetched at each stage.
const pageSamples = 31

func runPages(o *options, out io.Writer) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "framsyn-bench-pages")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	dsn := filepath.Join(dir, "bench.db")
	if o.db != "" {
		if dsn, err = makePostgres(o.db); err != nil {
			return err
		}
		defer dropPostgres(o.db)
	}
	tm := newTimer()
	f := &framsynTarget{dsn: dsn, dataDir: filepath.Join(dir, "data"), log: slog.New(slog.DiscardHandler), accepts: newAcceptLog(), wrap: tm.wrap}
	if err := f.start(ctx); err != nil {
		return err
	}
	defer f.stop(true)
	r, err := newRoom(ctx, f.current(), "http://"+f.addr, o.n)
	if err != nil {
		return err
	}
	r.filled, r.timer = map[string]bool{}, tm
	defer func() {
		if r.shotCancel != nil {
			r.shotCancel()
		}
	}()
	css, _, err := r.get("/static/style.css", r.facCookie())
	if err != nil {
		return err
	}
	js, _, err := r.get("/static/workshop.js", r.facCookie())
	if err != nil {
		return err
	}
	if o.cpuProfile != "" {
		pf, err := os.Create(o.cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer func() { pprof.StopCPUProfile(); pf.Close() }()
	}
	fmt.Fprintf(out, "workshop pages: %d participants, %d notes (engine %s), %d fetches of each page at each stage, server time (the app handler's own)\n",
		o.n, 2*o.n, map[bool]string{true: "postgres", false: "sqlite"}[o.db != ""], pageSamples)
	fmt.Fprintf(out, "phone page = HTML + style.css (%.1f kB) + workshop.js (%.1f kB), uncompressed; targets: < 150 kB, < 3000 elements, render < 50 ms\n",
		float64(len(css))/1000, float64(len(js))/1000)
	browserCols := o.chromium != ""
	if o.shots != "" {
		if err := os.MkdirAll(o.shots, 0o755); err != nil {
			return err
		}
	}
	head := fmt.Sprintf("%-12s %8s %6s", "stage", "phone kB", "elems")
	if browserCols {
		head += fmt.Sprintf(" %6s %7s %7s", "DOM", "high px", "pc kB")
	}
	head += fmt.Sprintf(" %17s %17s %17s %8s", "phone p50/p95", "facil. p50/p95", "projector p50/p95", "facil kB")
	fmt.Fprintln(out, head)
	ok := true
	board := fmt.Sprintf("/workshoppar/%d", r.w.ID)
	ms := func(d time.Duration) string { return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) }
	for _, s := range workshop.TemplateOf(r.w.Template).Stages {
		if err := r.fill(s.Key); err != nil {
			return err
		}
		page, _, err := r.get(board, r.guestCookie(0))
		if err != nil {
			return err
		}
		var phone, fac, proj []time.Duration
		facKB := 0.0
		if o.save != "" {
			if err := r.save(o.save, s.Key, page); err != nil {
				return err
			}
		}
		for i := range pageSamples {
			_, d, err := r.getAs("phone", board, r.guestCookie(i%len(r.guests)))
			if err != nil {
				return err
			}
			phone = append(phone, d)
			fp, d, err := r.getAs("facilitator", board, r.facCookie())
			if err != nil {
				return err
			}
			fac, facKB = append(fac, d), float64(len(fp))/1000
			_, d, err = r.getAs("projector", board+"/projektor", r.facCookie())
			if err != nil {
				return err
			}
			proj = append(proj, d)
		}
		hm, hp := medianP95(phone)
		fm, fp := medianP95(fac)
		pm, pp := medianP95(proj)
		weight := float64(len(page)+len(css)+len(js)) / 1000
		els := elements(page)
		ok = ok && weight < 150 && els < 3000 && fp < 50*time.Millisecond && pp < 50*time.Millisecond
		line := fmt.Sprintf("%-12s %8.1f %6d", s.Key, weight, els)
		if browserCols {
			m, err := r.visit(o, s.Key)
			if err != nil {
				return err
			}
			ok = ok && m.dom < 3000 && m.bytes < 150000
			line += fmt.Sprintf(" %6d %7d %7.1f", m.dom, m.height, float64(m.bytes)/1000)
		}
		line += fmt.Sprintf(" %17s %17s %17s %8.1f", ms(hm)+" / "+ms(hp), ms(fm)+" / "+ms(fp), ms(pm)+" / "+ms(pp), facKB)
		fmt.Fprintln(out, line)
	}
	fmt.Fprintf(out, "times in ms; DOM = elements in the phone's page after its script ran, high = its height at 390×844, pc kB = all the browser fetched for it (fonts too), uncompressed\n")
	fmt.Fprintf(out, "pages within targets at every stage (p95 for time): %s\n", verdict(ok))
	if o.shots != "" && browserCols {
		fmt.Fprintf(out, "screenshots in %s: projector-<stage>.png and phone-<stage>.png\n", o.shots)
	}
	if browserCols && o.shots == "" {
		return projectorLatency(o, out)
	}
	return nil
}

// browser starts headless Chromium.
func startBrowser(path string) (context.Context, func(), error) {
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(path)}
	for _, f := range []string{"headless", "no-sandbox", "disable-gpu", "disable-background-networking", "no-first-run"} {
		opts = append(opts, chromedp.Flag(f, true))
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelT := chromedp.NewContext(actx)
	if err := chromedp.Do(ctx); err != nil {
		cancelT()
		cancelA()
		return nil, nil, err
	}
	return ctx, func() { cancelT(); cancelA() }, nil
}

// phoneMeasure is what the browser sees of a phone page.
type phoneMeasure struct {
	dom    int // elements after the page's script ran
	height int // the page's height in CSS px at 390 px wide
	bytes  int // what the browser fetched for it (HTML, style, script, fonts), uncompressed
}

// visit opens the room's current stage in Chromium: a participant's phone
// (390×844) to count its elements and measure its height, and with -shots
// saves the projector (1920×1080) and the phone as screenshots.
func (r *room) visit(o *options, stage string) (phoneMeasure, error) {
	var m phoneMeasure
	if r.shotCtx == nil {
		ctx, cancel, err := startBrowser(o.chromium)
		if err != nil {
			return m, err
		}
		r.shotCtx, r.shotCancel = ctx, cancel
	}
	views := []struct {
		name     string
		path     string
		cookie   *http.Cookie
		w, h     int64
		mobile   bool
		waitExpr string
	}{
		{"phone", fmt.Sprintf("/workshoppar/%d", r.w.ID), r.guestCookie(0), 390, 844, true, `document.getElementById('ws').dataset.online === 'true'`},
		{"projector", fmt.Sprintf("/workshoppar/%d/projektor", r.w.ID), r.facCookie(), 1920, 1080, false, `document.getElementById('proj').dataset.online === 'true'`},
	}
	if o.shots == "" {
		views = views[:1]
	}
	for _, v := range views {
		tab, cancel := chromedp.NewContext(r.shotCtx, chromedp.WithNewBrowserContext())
		tctx, cancelT := context.WithTimeout(tab, 30*time.Second)
		var png []byte
		host := strings.TrimPrefix(r.base, "http://")
		_, err := chromedp.Call(tctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: v.w, Height: v.h, DeviceScaleFactor: 1, Mobile: v.mobile})
		if err == nil {
			// The room speaks Swedish.
			var ver browser.GetVersionResult
			if ver, err = chromedp.CallBrowser(tctx, browser.GetVersion, cdp.Empty{}); err == nil {
				_, err = chromedp.Call(tctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: ver.UserAgent, AcceptLanguage: "sv-SE,sv"})
			}
		}
		if err == nil {
			_, err = chromedp.Call(tctx, network.SetCookie, network.SetCookieParams{Name: v.cookie.Name, Value: v.cookie.Value, Domain: strings.Split(host, ":")[0], Path: "/"})
		}
		if err == nil {
			err = chromedp.Do(tctx, chromedp.Navigate(r.base+v.path),
				chromedp.Poll[chromedp.Void](v.waitExpr, chromedp.WithPollingInterval(50*time.Millisecond)))
		}
		if err == nil && v.name == "phone" {
			// What the browser fetched for the page, fonts included, once
			// they are loaded (uncompressed, as the HTML's weight above).
			var got []int
			err = chromedp.Do(tctx, chromedp.Poll[chromedp.Void](`document.fonts.status === 'loaded'`, chromedp.WithPollingInterval(50*time.Millisecond)))
			if err == nil {
				got, err = chromedp.Run(tctx, chromedp.Evaluate[[]int](`[document.getElementsByTagName('*').length, document.documentElement.scrollHeight,
					performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).reduce((n, e) => n + (e.decodedBodySize || 0), 0)]`))
			}
			if err == nil && len(got) == 3 {
				m.dom, m.height, m.bytes = got[0], got[1], got[2]
			}
		}
		if err == nil && o.shots != "" {
			png, err = chromedp.Run(tctx, chromedp.FullScreenshot(100))
		}
		cancelT()
		cancel()
		if err != nil {
			return m, fmt.Errorf("%s at %s: %w", v.name, stage, err)
		}
		if o.shots != "" {
			if err := os.WriteFile(filepath.Join(o.shots, v.name+"-"+stage+".png"), png, 0o644); err != nil {
				return m, err
			}
		}
	}
	return m, nil
}

// projectorLatency: a projector (Chromium) follows a fresh workshop in
// the drivers stage while 40 guests post notes over HTTP, every 1–3 s
// each (about 20 notes a second in the room); a note's delay runs from just before its post is sent to the
// moment the projector's page holds it (a MutationObserver in the page,
// on the same machine's clock).
func projectorLatency(o *options, out io.Writer) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "framsyn-bench-projector")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	f := &framsynTarget{dsn: filepath.Join(dir, "bench.db"), dataDir: filepath.Join(dir, "data"), log: slog.New(slog.DiscardHandler), accepts: newAcceptLog()}
	if err := f.start(ctx); err != nil {
		return err
	}
	defer f.stop(true)
	const guests, perGuest = 40, 4
	r, err := newRoom(ctx, f.current(), "http://"+f.addr, guests+1)
	if err != nil {
		return err
	}
	r.must(r.host, workshop.Command{Kind: workshop.StageSet, Stage: "drivers"})
	bctx, cancel, err := startBrowser(o.chromium)
	if err != nil {
		return err
	}
	defer cancel()
	tctx, cancelT := context.WithTimeout(bctx, 3*time.Minute)
	defer cancelT()
	host := strings.Split(strings.TrimPrefix(r.base, "http://"), ":")[0]
	if _, err := chromedp.Call(tctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 1920, Height: 1080, DeviceScaleFactor: 1}); err != nil {
		return err
	}
	if _, err := chromedp.Call(tctx, network.SetCookie, network.SetCookieParams{Name: r.a.Config.SessionCookie(), Value: r.session, Domain: host, Path: "/"}); err != nil {
		return err
	}
	// The wall shows the newest few notes of each category, so a note can
	// be on the board and never on the wall: every event the projector's
	// stream brings is recorded by seq as well, before the page sees it.
	if _, err := chromedp.Call(tctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: streamSpy}); err != nil {
		return err
	}
	if err := chromedp.Do(tctx,
		chromedp.Navigate(fmt.Sprintf("%s/workshoppar/%d/projektor", r.base, r.w.ID)),
		chromedp.Poll[chromedp.Void](`document.getElementById('proj').dataset.online === 'true'`, chromedp.WithPollingInterval(50*time.Millisecond)),
		chromedp.Evaluate[chromedp.Void](`window.seen = {}; new MutationObserver(() => { for (const li of document.querySelectorAll('#proj li[data-note]')) { const m = /^Mät (\d+)$/.exec(li.textContent.trim()); if (m && !(m[1] in window.seen)) { window.seen[m[1]] = Date.now(); } } }).observe(document.getElementById('proj'), { childList: true, subtree: true, characterData: true })`),
	); err != nil {
		return err
	}
	sent := map[string]int64{}
	seqOf := map[string]int64{} // the note's event, from the post's answer
	var mu sync.Mutex
	var wg sync.WaitGroup
	client := &http.Client{}
	for g := range guests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range perGuest {
				time.Sleep(time.Duration(1000+((g*7919+k*104729)%2000)) * time.Millisecond)
				id := strconv.Itoa(g*perGuest + k)
				// Spread over the categories as a room's notes are: the wall
				// shows the newest few of each (projWallPerColumn).
				steep := workshop.STEEP[(g+k)%len(workshop.STEEP)]
				body := fmt.Sprintf(`{"id":"bench-proj-%06s","kind":"note.add","text":"Mät %s","steep":%q}`, id, id, steep)
				req, _ := http.NewRequest("POST", fmt.Sprintf("%s/workshoppar/%d/handling", r.base, r.w.ID), strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Accept", "application/json")
				req.AddCookie(r.guestCookie(g))
				mu.Lock()
				sent[id] = time.Now().UnixMilli()
				mu.Unlock()
				resp, err := client.Do(req)
				if err == nil {
					var ok struct {
						Seq int64 `json:"seq"`
					}
					json.NewDecoder(resp.Body).Decode(&ok)
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					mu.Lock()
					seqOf[id] = ok.Seq
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	want := guests * perGuest
	var wall map[string]int64     // note id → when the wall showed it
	var streamed map[string]int64 // seq → when the stream brought it
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if streamed, err = chromedp.Run(tctx, chromedp.Evaluate[map[string]int64](`window.streamSeen`)); err != nil {
			return err
		}
		n := 0
		for _, seq := range seqOf {
			if _, ok := streamed[strconv.FormatInt(seq, 10)]; ok {
				n++
			}
		}
		if n >= want {
			break
		}
	}
	if wall, err = chromedp.Run(tctx, chromedp.Evaluate[map[string]int64](`window.seen`)); err != nil {
		return err
	}
	var onWall, onStream []time.Duration
	for id, s := range sent {
		if at, ok := wall[id]; ok {
			onWall = append(onWall, time.Duration(at-s)*time.Millisecond)
		}
		if seq, ok := seqOf[id]; ok && seq > 0 {
			if at, ok := streamed[strconv.FormatInt(seq, 10)]; ok {
				onStream = append(onStream, time.Duration(at-s)*time.Millisecond)
			}
		}
	}
	if len(onWall) == 0 || len(onStream) == 0 {
		return fmt.Errorf("the projector showed %d and its stream brought %d of the %d notes", len(onWall), len(onStream), want)
	}
	med, p95 := medianP95(onWall)
	smed, sp95 := medianP95(onStream)
	fmt.Fprintf(out, "post → projector, %d guests posting %d notes every 1–3 s each: on its stream %d of %d (median %s, p95 %s); on the wall (the newest few per category) %d, median %s, p95 %s, max %s (target p95 < 150 ms, every note on the stream): %s\n",
		guests, want, len(onStream), want, smed, sp95, len(onWall), med, p95, onWall[len(onWall)-1], verdict(p95 < 150*time.Millisecond && len(onStream) == want))
	return nil
}

// streamSpy records when each event of the page's EventSource arrives,
// by seq, in window.streamSeen.
const streamSpy = `window.streamSeen = {};
(function () {
  var ES = window.EventSource;
  if (!ES) { return; }
  function Spy(url, opts) {
    var es = new ES(url, opts);
    es.addEventListener('message', function (m) {
      try { var ev = JSON.parse(m.data); if (ev.seq && !(ev.seq in window.streamSeen)) { window.streamSeen[ev.seq] = Date.now(); } } catch (e) {}
    });
    return es;
  }
  Spy.prototype = ES.prototype;
  Spy.CONNECTING = ES.CONNECTING; Spy.OPEN = ES.OPEN; Spy.CLOSED = ES.CLOSED;
  window.EventSource = Spy;
})();`
