package e2e

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/framsyn/framsyn/internal/demo"
)

// person is one participant's browser: a tab in a browser context of its
// own (its own cookies and storage, as another device would have).
type person struct {
	name string
	ctx  context.Context
	axe  bool // axe-core is loaded into every page
}

// newPerson opens a tab in a new browser context of the test's browser.
func newPerson(t *testing.T, root context.Context, name string) *person {
	t.Helper()
	ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	v, err := chromedp.CallBrowser(ctx, browser.GetVersion, cdp.Empty{})
	if err != nil {
		t.Fatalf("%s: browser version: %v", name, err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetUserAgentOverride,
		emulation.SetUserAgentOverrideParams{UserAgent: v.UserAgent, AcceptLanguage: "sv-SE,sv"}); err != nil {
		t.Fatalf("%s: accept-language: %v", name, err)
	}
	return &person{name: name, ctx: ctx}
}

// wait waits until a JavaScript condition holds in p's page.
func (p *person) wait(t *testing.T, cond string) {
	t.Helper()
	ctx := briefly(t, p.ctx)
	for {
		// A page half loaded may not have the elements yet: not yet true.
		_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void]("(() => { try { return ("+cond+"); } catch (e) { return false; } })()", chromedp.WithPollingInterval(25*time.Millisecond)))
		if err == nil {
			return
		}
		// A reload or navigation destroys the page's context under the
		// poll: poll again in the new page.
		if ctx.Err() == nil && (strings.Contains(err.Error(), "context") || strings.Contains(err.Error(), "navigat")) {
			continue
		}
		html, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`(document.getElementById('ws-conn')||{}).textContent + ' | ' + location.href`))
		t.Fatalf("%s: waiting for %s: %v (%s)", p.name, cond, err, html)
	}
}

// stable waits for p's board to be loaded at a stage, with the stream open.
func (p *person) stable(t *testing.T, stage string) {
	t.Helper()
	p.wait(t, `document.readyState === 'complete' && document.getElementById('ws') && document.getElementById('ws').dataset.stage === '`+stage+`' && document.getElementById('ws').dataset.online === 'true' && !document.getElementById('ws').dataset.refreshing`)
}

// form fills fields (CSS selector → value) and presses the button of the
// form the first field is in, as a person does.
func (p *person) form(t *testing.T, button string, fields ...string) {
	t.Helper()
	var acts []chromedp.Action[chromedp.Void]
	for i := 0; i+1 < len(fields); i += 2 {
		acts = append(acts, chromedp.SetValue(chromedp.CSS(fields[i]), fields[i+1], chromedp.NodeVisible))
	}
	acts = append(acts, chromedp.Click(chromedp.CSS(button), chromedp.NodeVisible))
	// A live change may reload the board under the hand that fills it
	// (as it would under a person's): then fill it again.
	for attempt := 0; ; attempt++ {
		p.ready(t)
		err := chromedp.Do(briefly(t, p.ctx), acts...)
		if err == nil {
			return
		}
		if attempt >= 5 || !transient(err) {
			t.Fatalf("%s: form %s: %v", p.name, button, err)
		}
	}
}

// ready waits until p's page is loaded, not about to reload, and following
// the stream.
func (p *person) ready(t *testing.T) {
	t.Helper()
	p.wait(t, `document.readyState === 'complete' && (!document.getElementById('ws') || (!document.getElementById('ws').dataset.refreshing && document.getElementById('ws').dataset.online === 'true'))`)
}

func transient(err error) bool {
	for _, s := range []string{"could not", "context", "node", "navigat", "detached", "Cannot find"} {
		if strings.Contains(err.Error(), s) {
			return true
		}
	}
	return false
}

// get evaluates a JavaScript expression once the page is ready, again
// when a reload interrupts it.
func (p *person) get(t *testing.T, js string) string {
	t.Helper()
	for attempt := 0; ; attempt++ {
		p.ready(t)
		v, err := chromedp.Run(briefly(t, p.ctx), chromedp.Evaluate[string](js))
		if err == nil {
			return v
		}
		if attempt >= 5 || !(transient(err) || strings.Contains(err.Error(), "undefined")) {
			t.Fatalf("%s: %s: %v", p.name, js, err)
		}
	}
}

// sent waits until p's outbox is empty: every command acknowledged.
func (p *person) sent(t *testing.T) {
	t.Helper()
	p.wait(t, `document.getElementById('ws').dataset.pending === '0'`)
}

// noteID finds the id of the note whose text contains s on p's board.
func (p *person) noteID(t *testing.T, s string) string {
	t.Helper()
	p.wait(t, fmt.Sprintf(`[...document.querySelectorAll('li.ws-note')].some(li => li.querySelector('.ws-text').textContent.includes(%q))`, s))
	return p.get(t, fmt.Sprintf(`[...document.querySelectorAll('li.ws-note')].find(li => li.querySelector('.ws-text').textContent.includes(%q)).dataset.note`, s))
}

// withAxe loads axe-core into every page p opens, when it is installed
// (see axeSource); the checks are skipped without it, unless the browser
// tests are required, and then a missing axe-core fails.
func (p *person) withAxe(t *testing.T) {
	t.Helper()
	path := os.Getenv("FRAMSYN_AXE_JS")
	if path == "" {
		path = "node_modules/axe-core/axe.min.js"
	}
	b, err := os.ReadFile(path)
	if err != nil {
		if required() {
			t.Fatalf("axe-core not found (%v): set FRAMSYN_AXE_JS (FRAMSYN_E2E_REQUIRED=1)", err)
		}
		t.Logf("axe-core not found (%v): the board's pages are not checked with it", err)
		return
	}
	if _, err := chromedp.Call(p.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: string(b)}); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	// And into a board open now: it may never reload again.
	if eval[bool](t, p.ctx, `document.getElementById('ws') !== null`) {
		p.ready(t)
		do(t, p.ctx, chromedp.Evaluate[chromedp.Void](string(b)))
	}
	p.axe = true
}

// checkAxe fails the test for any WCAG 2.1 A/AA violation on p's page.
func (p *person) checkAxe(t *testing.T, what string) {
	t.Helper()
	if !p.axe {
		return
	}
	p.ready(t)
	r := get(t, p.ctx, chromedp.Evaluate[axeResult](runAxe, chromedp.EvalAwaitPromise))
	if r.Passes == 0 {
		t.Fatalf("%s, %s: axe passed no rule: it did not run", p.name, what)
	}
	for _, v := range r.Violations {
		var b strings.Builder
		fmt.Fprintf(&b, "%s, %s: %s (%s): %s", p.name, what, v.ID, v.Impact, v.Help)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    - %s\n      %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
		t.Error(b.String())
	}
}

// boardDigest lists, in the page's order, every part of a board drawn
// from events (notes, clusters, ratings, the scatter and the cross,
// scenarios, votes, the timeline, counts, the stage) with its data
// attributes and its text, whitespace removed. It runs on the live board
// and on the board as the server renders it now.
const boardDigest = `(root) => [...root.querySelectorAll('[data-note],[data-stat],[data-scenario],[data-total],[data-dots],[data-item],[data-live],[data-mine],[data-person],#ws-dots-left,#ws-people-n,#stage-h,#ws-rated')]
	.filter(el => !el.closest('template'))
	.map(el => el.tagName + '|' + [...el.attributes].filter(a => a.name.startsWith('data-') && a.name !== 'data-t').map(a => a.name + '=' + a.value).sort().join(',') + '|' + el.textContent.replace(/\s+/g, ''))
	.join('\n')`

// sameAsFresh fails the test when p's board, after the events it has
// applied in place, differs from the board a fresh load shows.
func (p *person) sameAsFresh(t *testing.T, what string) {
	t.Helper()
	for attempt := 0; ; attempt++ {
		p.ready(t)
		// Settled: nothing waiting to be sent or drawn.
		p.wait(t, `document.getElementById('ws').dataset.pending === '0' && !document.getElementById('ws').dataset.drawing`)
		diff := get(t, briefly(t, p.ctx), chromedp.Evaluate[string](`(async () => {
			const digest = `+boardDigest+`;
			const ws = document.getElementById('ws');
			const res = await fetch('/workshoppar/' + ws.dataset.id + '/tavla.html' + location.search, { credentials: 'same-origin' });
			const fresh = new DOMParser().parseFromString(await res.text(), 'text/html').getElementById('ws');
			if (fresh.dataset.seq !== ws.dataset.seq) { return 'seq'; }
			const a = digest(ws).split('\n'), b = digest(fresh).split('\n');
			for (let i = 0; i < Math.max(a.length, b.length); i++) {
				if (a[i] !== b[i]) { return 'live:  ' + a[i] + '\nfresh: ' + b[i]; }
			}
			return '';
		})()`, chromedp.EvalAwaitPromise))
		if diff == "" {
			return
		}
		// An event between the fetch and the comparison: look again.
		if diff == "seq" && attempt < 10 {
			continue
		}
		t.Errorf("%s, %s: the board differs from a fresh load:\n%s", p.name, what, diff)
		return
	}
}

func (p *person) text(t *testing.T) string {
	t.Helper()
	return eval[string](t, p.ctx, `document.querySelector('main').innerText`)
}

// TestWorkshop_WholeRun: a facilitator and three participants, each in a
// browser context of their own, go through every stage of the scenario
// cross in two groups; the results page holds what they entered. Every
// step waits on a condition in the page, never on time.
func TestWorkshop_WholeRun(t *testing.T) {
	t.Parallel()
	s := mustSite(t)
	// Four people through nine stages take longer than browserTimeout
	// on a busy machine: the same browser, with a deadline of its own.
	root, cancel := context.WithTimeout(context.WithoutCancel(mustBrowser(t)), 4*time.Minute)
	t.Cleanup(cancel)
	t0 := time.Now()
	mark := func(what string) { t.Logf("%s at %v", what, time.Since(t0).Round(time.Millisecond)) }
	fac := &person{name: "facilitator", ctx: root}
	signIn(t, root, s, demo.EditorEmail)
	fac.withAxe(t)

	mark("signed in")
	// Create and open the workshop.
	open(t, root, s.URL+"/workshoppar", 200)
	do(t, briefly(t, root), chromedp.SetValue(chromedp.ID("title"), "Välfärd 2050"),
		chromedp.SetValue(chromedp.ID("question"), "Hur ser välfärden ut i vår region 2050?"), chromedp.SetValue(chromedp.ID("horizon"), "2050"))
	follow(t, root, `form[action="/workshoppar"] button`, 200)
	wsURL := eval[string](t, root, `location.href`)
	fac.stable(t, "focal")
	do(t, briefly(t, root), chromedp.Click(chromedp.CSS("#ws-open"), chromedp.NodeVisible))
	fac.wait(t, `document.getElementById('ws') && document.getElementById('ws').dataset.status === 'open'`)
	code := strings.TrimSpace(get(t, briefly(t, root), chromedp.Text(chromedp.ID("ws-code"))))
	if len(code) != 6 {
		t.Fatalf("join code %q", code)
	}

	// The projector: a tab of the facilitator's on the room's screen.
	projCtx, cancelProj := chromedp.NewContext(root)
	t.Cleanup(cancelProj)
	proj := &person{name: "projector", ctx: projCtx}
	if _, err := chromedp.Call(projCtx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 1920, Height: 1080, DeviceScaleFactor: 1}); err != nil {
		t.Fatal(err)
	}
	proj.withAxe(t)
	open(t, projCtx, strings.TrimRight(wsURL, "/")+"/projektor", 200)
	proj.wait(t, `document.getElementById('proj').dataset.online === 'true'`)
	if got := eval[string](t, projCtx, `document.querySelector('.proj-code').lastChild.textContent.trim()`); got != code {
		t.Errorf("the projector shows code %q, want %q", got, code)
	}
	do(t, projCtx, chromedp.Evaluate[chromedp.Void](`window.projMark = true`))
	projKept := func(what string) {
		t.Helper()
		if !eval[bool](t, projCtx, `window.projMark === true && document.querySelectorAll('form, button, select').length === 0`) {
			t.Errorf("the projector reloaded for %s, or has controls", what)
		}
	}

	// A mark that a reload would wipe: participants join without one.
	fac.ready(t)
	do(t, root, chromedp.Evaluate[chromedp.Void](`window.sameBoard = true`))
	// Three participants join from their own devices with a nickname.
	people := []*person{newPerson(t, root, "Alva"), newPerson(t, root, "Bosse"), newPerson(t, root, "Cissi")}
	for _, p := range people {
		open(t, p.ctx, s.URL+"/j/"+strings.ToLower(code), 200)
		do(t, briefly(t, p.ctx), chromedp.SendKeys(chromedp.ID("nickname"), p.name))
		follow(t, p.ctx, "#join-button", 200)
		p.stable(t, "focal")
		if !strings.Contains(p.text(t), "Hur ser välfärden ut i vår region 2050?") {
			t.Fatalf("%s does not see the focal question", p.name)
		}
	}
	alva, bosse, cissi := people[0], people[1], people[2]
	alva.withAxe(t)
	cissi.withAxe(t)
	// All three are on phones: the board must fit the width at every stage.
	for _, p := range people {
		if _, err := chromedp.Call(p.ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 360, Height: 740, DeviceScaleFactor: 2, Mobile: true}); err != nil {
			t.Fatal(err)
		}
	}
	proj.wait(t, `document.getElementById('proj-people').textContent.startsWith('3 ')`)
	projKept("joins")
	mark("joined")

	// Two groups: Alva and Bosse write quadrant 1, Cissi quadrant 2.
	fac.wait(t, `document.querySelectorAll('#ws-people tr[data-person]').length === 4`)
	if !eval[bool](t, root, `window.sameBoard === true && document.getElementById('ws-people-n').textContent === '4' && document.getElementById('ws-live').textContent.includes('Cissi gick med.')`) {
		t.Errorf("the facilitator's board reloaded for a join, or did not count or announce it")
	}
	for i, g := range []string{"Grupp Norr", "Grupp Syd"} {
		fac.stable(t, "focal")
		fac.form(t, "#ws-gcreate", "#ws-gname", g, "#ws-gquad", strconv.Itoa(i+1))
		fac.wait(t, fmt.Sprintf(`document.querySelector('.ws-facil') && document.querySelector('.ws-facil').textContent.includes(%q)`, g))
	}
	for _, a := range []struct{ who, group string }{{"Alva", "Grupp Norr"}, {"Bosse", "Grupp Norr"}, {"Cissi", "Grupp Syd"}} {
		fac.stable(t, "focal")
		pid := fac.get(t, fmt.Sprintf(`[...document.querySelectorAll('#ws-people tr[data-person]')].find(r => r.querySelector('th').textContent.trim().startsWith(%q)).dataset.person`, a.who))
		gid := fac.get(t, fmt.Sprintf(`[...document.querySelectorAll('#ga-%s option')].find(o => o.textContent === %q).value`, pid, a.group))
		fac.form(t, fmt.Sprintf(`#ga-%s + button`, pid), "#ga-"+pid, gid)
		fac.wait(t, fmt.Sprintf(`document.getElementById('ga-%s') && document.getElementById('ga-%s').value === %q && document.getElementById('ws').dataset.pending === '0'`, pid, pid, gid))
	}
	for _, p := range people {
		p.wait(t, `document.querySelector('main').innerText.includes('Din grupp:')`)
	}
	mark("grouped")

	// moveTo moves everyone to a stage and waits until every board is there.
	start := time.Now()
	moveTo := func(stage string, extra ...string) {
		t.Helper()
		t.Logf("%s at %v", stage, time.Since(start).Round(time.Millisecond))
		// What the stage before left on the boards, checked before moving on.
		fac.checkAxe(t, "before "+stage)
		if w := cissi.get(t, `String(document.documentElement.scrollWidth - document.documentElement.clientWidth)`); w != "0" {
			t.Errorf("before %s, Cissi's phone board is %s px too wide", stage, w)
		}
		alva.checkAxe(t, "before "+stage)
		cissi.checkAxe(t, "before "+stage)
		proj.checkAxe(t, "before "+stage)
		for _, p := range []*person{fac, alva, cissi} {
			p.sameAsFresh(t, "before "+stage)
		}
		fac.stable(t, fac.get(t, `document.getElementById('ws').dataset.stage`))
		fac.form(t, "#ws-stage-go", append([]string{"#ws-stage-select", stage}, extra...)...)
		for _, p := range append(people, fac) {
			p.stable(t, stage)
		}
		proj.wait(t, `document.getElementById('proj').dataset.stage === '`+stage+`' && !document.getElementById('proj').dataset.drawing`)
		projKept(stage)
	}

	// Drivers, with a visible countdown; notes appear live in the group.
	moveTo("drivers", "#ws-seconds", "600")
	for _, p := range append(people, fac) {
		p.wait(t, `/kvar/.test(document.querySelector('#ws-countdown .ws-left').textContent)`)
	}
	notes := map[*person][]string{alva: {"Fler äldre"}, bosse: {"Åldrande befolkning"}, cissi: {"AI i vården", "Klimatanpassning", "<img src=x onerror=alert(1)>"}}
	for _, p := range people {
		for _, n := range notes[p] {
			steep := ""
			if n == "Fler äldre" {
				steep = "social"
			}
			p.form(t, `form[data-kind="note.add"] button`, "#note-text", n, "#note-steep", steep)
			p.wait(t, `document.getElementById('note-text').value === ''`)
		}
		p.sent(t)
	}
	// Cissi's commands cannot get through (the page still loads): a note
	// typed now waits in the outbox, visibly, survives a reload, and is
	// sent once the way is open again – once.
	block := func(on bool) {
		t.Helper()
		var rules []*network.Conditions
		if on {
			rules = []*network.Conditions{{URLPattern: s.URL + "/workshoppar/*/handling", Offline: true, DownloadThroughput: -1, UploadThroughput: -1}}
		}
		if _, err := chromedp.Call(cissi.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: rules}); err != nil {
			t.Fatalf("network conditions: %v", err)
		}
	}
	if _, err := chromedp.Call(cissi.ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	block(true)
	cissi.form(t, `form[data-kind="note.add"] button`, "#note-text", "Skrivet utan nät")
	cissi.wait(t, `document.getElementById('ws').dataset.pending === '1' && document.getElementById('ws-conn').textContent.includes('Väntar på att skickas: 1')`)
	do(t, briefly(t, cissi.ctx), chromedp.Reload())
	cissi.wait(t, `document.readyState === 'complete' && document.getElementById('ws').dataset.pending === '1'`)
	block(false)
	cissi.sent(t)
	fac.wait(t, `[...document.querySelectorAll('li.ws-note .ws-text')].filter(e => e.textContent === 'Skrivet utan nät').length === 1`)
	// Live: Bosse sees Alva's note without reloading; the facilitator sees all.
	bosse.wait(t, `[...document.querySelectorAll('li.ws-note')].some(li => li.querySelector('.ws-text').textContent === 'Fler äldre' && li.querySelector('.ws-steep').textContent === 'Socialt' && li.querySelector('.ws-by').textContent === '– Alva')`)
	fac.wait(t, `[...document.querySelectorAll('li.ws-note .ws-text')].some(e => e.textContent === '<img src=x onerror=alert(1)>')`)
	if n := eval[int](t, root, `document.querySelectorAll('li.ws-note img').length`); n != 0 {
		t.Fatalf("a note's markup became an element on the facilitator's board")
	}
	if strings.Contains(alva.text(t), "AI i vården") {
		t.Errorf("group Norr sees group Syd's notes")
	}

	// A note typed but not sent survives a reload, restored visibly, and
	// a field emptied again leaves no draft behind.
	do(t, briefly(t, bosse.ctx), chromedp.SendKeys(chromedp.ID("note-text"), "Halvskriven tanke"))
	do(t, briefly(t, bosse.ctx), chromedp.Reload())
	bosse.wait(t, `document.readyState === 'complete' && document.getElementById('note-text').value === 'Halvskriven tanke' && document.getElementById('note-text-draft') !== null`)
	do(t, briefly(t, bosse.ctx), chromedp.Evaluate[chromedp.Void](`(function(){var el=document.getElementById('note-text'); el.value=''; el.dispatchEvent(new Event('input', {bubbles: true}));})()`))
	do(t, briefly(t, bosse.ctx), chromedp.Reload())
	bosse.wait(t, `document.readyState === 'complete' && document.getElementById('ws') !== null`)
	if v := bosse.get(t, `document.getElementById('note-text').value`); v != "" {
		t.Errorf("an emptied field came back as %q after a reload", v)
	}
	// And a closed tab: typed in one tab that is then closed, the draft is
	// back when the board is opened in a new tab of the same browser.
	boardURL := bosse.get(t, `location.href`)
	tab := func() (*person, context.CancelFunc) {
		ctx, cancel := chromedp.NewContext(bosse.ctx) // a tab in Bosse's browser context
		return &person{name: "Bosse, ny flik", ctx: ctx}, cancel
	}
	const drafted = `[...Array(localStorage.length).keys()].some(i => (localStorage.getItem(localStorage.key(i)) || '').includes('Skrivet i en stängd flik'))`
	t2, close2 := tab()
	do(t, briefly(t, t2.ctx), chromedp.Navigate(boardURL))
	t2.wait(t, `document.readyState === 'complete' && document.getElementById('note-text') !== null`)
	do(t, briefly(t, t2.ctx), chromedp.SendKeys(chromedp.ID("note-text"), "Skrivet i en stängd flik"))
	t2.wait(t, drafted)
	close2()
	t3, close3 := tab()
	do(t, briefly(t, t3.ctx), chromedp.Navigate(boardURL))
	t3.wait(t, `document.readyState === 'complete' && document.getElementById('note-text').value === 'Skrivet i en stängd flik' && document.getElementById('note-text-draft') !== null`)
	do(t, briefly(t, t3.ctx), chromedp.Evaluate[chromedp.Void](`(function(){var el=document.getElementById('note-text'); el.value=''; el.dispatchEvent(new Event('input', {bubbles: true}));})()`))
	t3.wait(t, `!`+drafted)
	close3()

	// Clustering: Bosse merges his note into Alva's; Alva names the cluster.
	moveTo("clustering")
	if n := fac.get(t, `String([...document.querySelectorAll('li.ws-note .ws-text')].filter(e => e.textContent === 'Skrivet utan nät').length)`); n != "1" {
		t.Errorf("the note typed without a connection is on the board %s times, want once", n)
	}
	n1, n2 := bosse.noteID(t, "Fler äldre"), bosse.noteID(t, "Åldrande befolkning")
	// Merging and naming reach the others in place: a mark set now
	// survives, as it would not a reload.
	noReload := func(ps ...*person) {
		t.Helper()
		for _, p := range ps {
			p.ready(t)
			do(t, p.ctx, chromedp.Evaluate[chromedp.Void](`window.noReload = true`))
		}
	}
	kept := func(p *person, what string) {
		t.Helper()
		if !eval[bool](t, p.ctx, `window.noReload === true`) {
			t.Errorf("%s's board reloaded for %s", p.name, what)
		}
	}
	noReload(alva, fac)
	// Select-then-group: tick the two notes, press the button; the
	// count of selected notes is said as it changes.
	bosse.ready(t)
	do(t, briefly(t, bosse.ctx), chromedp.Click(chromedp.CSS("#pick-"+n1), chromedp.NodeVisible), chromedp.Click(chromedp.CSS("#pick-"+n2), chromedp.NodeVisible))
	bosse.wait(t, `document.getElementById('ws-live').textContent.includes('2 markerade')`)
	do(t, briefly(t, bosse.ctx), chromedp.Click(chromedp.CSS("#ws-group-go"), chromedp.NodeVisible))
	alva.wait(t, fmt.Sprintf(`document.querySelector('#note-%s .ws-members li[data-note="%s"]') !== null && document.getElementById('note-%s') === null && document.querySelector('select[name=into]') === null`, n1, n2, n2))
	kept(alva, "a merge")
	alva.wait(t, `document.getElementById('ws-live').textContent.includes('Åldrande befolkning')`)
	alva.form(t, fmt.Sprintf(`#cname-%s ~ button`, n1), "#cname-"+n1, "Demografi")
	fac.wait(t, fmt.Sprintf(`document.querySelector('#note-%s p .ws-text strong') && document.querySelector('#note-%s p .ws-text strong').textContent === 'Demografi'`, n1, n1))
	fac.wait(t, fmt.Sprintf(`document.querySelector('#note-%s .ws-members li[data-note="%s"] form[data-kind="cluster.unmerge"]') !== null`, n1, n2))
	kept(fac, "a merge and a name")
	kept(alva, "her own name")

	// Rating: everyone rates what their group wrote; then the facilitator reveals.
	moveTo("rating")
	// A new stage is swapped in without a reload, and announced.
	alva.wait(t, `document.getElementById('ws-live').textContent.includes(document.getElementById('stage-h').textContent.replace(/\s+/g, ' ').trim())`)
	kept(alva, "a new stage")
	// One driver at a time: skip to the one to rate (swapped in, no
	// reload), tap 1–5 twice, save; the next driver comes up.
	rate := func(p *person, note, impact, unc string) {
		p.stable(t, "rating")
		for i := 0; ; i++ {
			cur := p.get(t, `document.getElementById('ws-rate-one').dataset.note`)
			if cur == note {
				break
			}
			if i > 20 {
				t.Fatalf("%s: driver %s never came up", p.name, note)
			}
			do(t, briefly(t, p.ctx), chromedp.Click(chromedp.CSS("#ws-skip"), chromedp.NodeVisible))
			p.wait(t, fmt.Sprintf(`document.getElementById('ws-rate-one').dataset.note !== %q`, cur))
		}
		if got := p.get(t, `document.getElementById('rate-h').textContent`); !strings.Contains(got, "Drivkraft ") || !strings.Contains(got, " av ") {
			t.Errorf("%s: no progress shown: %q", p.name, got)
		}
		rated := p.get(t, `document.getElementById('ws-rate-one').dataset.rated`)
		do(t, briefly(t, p.ctx), chromedp.Click(chromedp.CSS(`label[for="imp-`+note+`-`+impact+`"]`), chromedp.NodeVisible),
			chromedp.Click(chromedp.CSS(`label[for="unc-`+note+`-`+unc+`"]`), chromedp.NodeVisible),
			chromedp.Click(chromedp.CSS("#ws-rate-go"), chromedp.NodeVisible))
		p.wait(t, fmt.Sprintf(`Number(document.getElementById('ws-rate-one').dataset.rated) > %s`, rated))
	}
	statID := func(name string) string {
		return fac.get(t, fmt.Sprintf(`[...document.querySelectorAll('#ws-stats tr[data-stat]')].find(r => r.querySelector('th').textContent.includes(%q)).dataset.stat`, name))
	}
	ai, klimat := statID("AI i vården"), statID("Klimatanpassning")
	rate(alva, n1, "5", "4")
	rate(bosse, n1, "4", "4")
	rate(cissi, ai, "5", "5")
	rate(cissi, klimat, "4", "2")
	fac.stable(t, "rating")
	// The facilitator's scatter fills live as the ratings arrive, before
	// any reveal and without a reload (kept, below, holds the no-reload).
	fac.wait(t, `document.querySelectorAll('svg.ws-scatter circle').length >= 3`)
	do(t, briefly(t, root), chromedp.Click(chromedp.CSS("#ws-reveal"), chromedp.NodeVisible))
	for _, p := range append(people, fac) {
		p.wait(t, `document.querySelector('svg.ws-scatter circle') !== null`)
	}
	kept(alva, "a reveal")
	kept(fac, "a new stage and a reveal")
	// The projector draws the scatter once revealed, live.
	proj.wait(t, `document.querySelectorAll('#proj svg.ws-scatter circle').length >= 3`)
	projKept("the reveal")

	// Axes: the facilitator picks two uncertainties and names the poles.
	moveTo("axes")
	fac.form(t, `form.ws-axis input[name=axis][value=x] ~ fieldset button`, "#axn-x", ai, "#axl-x", "AI i vården", "#axlow-x", "Lite AI", "#axhigh-x", "AI överallt")
	fac.wait(t, `document.querySelector('svg.ws-cross').textContent.includes('AI överallt')`)
	fac.form(t, `form.ws-axis input[name=axis][value=y] ~ fieldset button`, "#axn-y", n1, "#axl-y", "Demografi", "#axlow-y", "Unga", "#axhigh-y", "Äldre")
	for _, p := range append(people, proj) {
		p.wait(t, `document.querySelector('svg.ws-cross') && document.querySelector('svg.ws-cross').textContent.includes('Äldre')`)
	}

	// Scenarios: each group writes its quadrant, live for the others.
	moveTo("scenarios")
	alva.form(t, `article[data-scenario="1"] form button`, "#scn-1", "Region Vänern", "#scs-1", "Regionen samarbetar runt sjön.", "#scl-1", "Vård nära hemmet.", "#scg-1", "Fler mellankommunala avtal.")
	cissi.form(t, `article[data-scenario="2"] form button`, "#scn-2", "Senior City", "#scs-2", "Städerna byggs för äldre.")
	bosse.wait(t, `document.querySelector('article[data-scenario="1"] .sc-name').textContent === 'Region Vänern'`)
	bosse.wait(t, `document.querySelector('article[data-scenario="2"] .sc-name').textContent === 'Senior City'`)
	if eval[int](t, bosse.ctx, `document.querySelectorAll('article[data-scenario="2"] form').length`) != 0 {
		t.Errorf("Bosse may edit group Syd's scenario")
	}

	// Co-writing: Alva and Bosse type into the same story at the same
	// time, Alva at its end, Bosse at its start. Each edit is merged on the
	// server into the text as it is; both texts survive, in both fields
	// and on the page, and each writer's caret stays in their own words.
	bosse.wait(t, `document.getElementById('scs-1').value === 'Regionen samarbetar runt sjön.'`)
	typeAt := func(p *person, at, text string) <-chan error {
		done := make(chan error, 1)
		go func() {
			err := chromedp.Do(briefly(t, p.ctx),
				chromedp.Evaluate[chromedp.Void](`(() => { const el = document.getElementById('scs-1'); el.focus(); const n = `+at+`; el.setSelectionRange(n, n); })()`),
				chromedp.KeyEvent(text))
			done <- err
		}()
		return done
	}
	ea, eb := typeAt(alva, "el.value.length", " Alva skriver om tag."), typeAt(bosse, "0", "Bosse skriver om vatten. ")
	if err := <-ea; err != nil {
		t.Fatalf("Alva typing: %v", err)
	}
	if err := <-eb; err != nil {
		t.Fatalf("Bosse typing: %v", err)
	}
	both := `((s) => s.includes('Alva skriver om tag.') && s.includes('Bosse skriver om vatten.') && s.includes('Regionen samarbetar runt sjön.'))`
	for _, p := range []*person{alva, bosse} {
		p.wait(t, both+`(document.getElementById('scs-1').value) && `+both+`(document.querySelector('article[data-scenario="1"] .sc-story').textContent)`)
	}
	fac.wait(t, both+`(document.querySelector('article[data-scenario="1"] .sc-story').textContent)`)
	proj.wait(t, `document.querySelector('#proj svg.ws-cross').textContent.includes('Region Vänern') && document.querySelector('#proj svg.ws-cross').textContent.includes('Senior City')`)
	if got := bosse.get(t, `String(document.getElementById('scs-1').value.indexOf('Bosse skriver om vatten. ') + 'Bosse skriver om vatten. '.length === document.getElementById('scs-1').selectionStart)`); got != "true" {
		t.Errorf("Bosse's caret moved when Alva's text came in")
	}

	// Back to plenary, then the dot vote.
	fac.stable(t, "scenarios")
	do(t, briefly(t, root), chromedp.Click(chromedp.CSS(`form[data-kind="groups.plenary"] button`), chromedp.NodeVisible))
	for _, p := range people {
		p.wait(t, `!document.querySelector('main').innerText.includes('Din grupp:')`)
	}
	moveTo("vote")
	for _, p := range people {
		p.form(t, `tr:has([data-dots="1"]) form[data-kind="vote.add"] button`)
		p.wait(t, `document.querySelector('[data-dots="1"]').textContent === '1'`)
	}
	cissi.form(t, `tr:has([data-dots="2"]) form[data-kind="vote.add"] button`)
	cissi.wait(t, `document.getElementById('ws-dots-left').textContent === '1'`)
	fac.wait(t, `document.querySelector('[data-total="1"]').textContent === '3' && document.querySelector('[data-total="2"]').textContent === '1'`)
	proj.wait(t, `document.querySelector('#proj [data-total="1"] .proj-dots').textContent.startsWith('3 ')`)

	// Backcasting from the chosen future.
	moveTo("backcasting")
	bosse.wait(t, `document.querySelector('main').innerText.includes('Region Vänern')`)
	noReload(alva, cissi)
	bosse.form(t, `form[data-kind="milestone.add"] button`, "#ms-year", "2040", "#ms-text", "Vård hemma är norm", "#ms-owner", "Regionen")
	cissi.wait(t, `document.querySelector('#ws-timeline li[data-item] input[name=text]') !== null`)
	cissi.stable(t, "backcasting")
	item := cissi.get(t, `document.querySelector('#ws-timeline li[data-item]').dataset.item`)
	// A milestone's action form is folded (one thing at a time on a phone).
	do(t, briefly(t, cissi.ctx), chromedp.Click(chromedp.CSS(`#ws-timeline li[data-item="`+item+`"] details.ws-act-add > summary`), chromedp.NodeVisible))
	cissi.form(t, fmt.Sprintf(`form[data-kind="action.add"] input[name=item][value="%s"] ~ button`, item), "#act-"+item, "Pilot i två kommuner", "#own-"+item, "Kommunerna")
	alva.wait(t, `document.querySelector('#ws-timeline').textContent.includes('Pilot i två kommuner')`)
	proj.wait(t, `document.querySelector('#proj .proj-timeline').textContent.includes('Pilot i två kommuner')`)
	projKept("the timeline")
	kept(cissi, "a milestone")
	kept(alva, "a milestone and an action")
	if !eval[bool](t, alva.ctx, `document.getElementById('ws-live').textContent.includes('Pilot i två kommuner')`) {
		t.Errorf("the new action was not announced to Alva")
	}

	// Results: the same page for everyone, holding what they entered.
	moveTo("results")
	for _, p := range append(people, fac) {
		open(t, p.ctx, strings.TrimRight(wsURL, "/")+"/resultat", 200)
		txt := p.text(t)
		for _, want := range []string{"Hur ser välfärden ut i vår region 2050?", "Demografi", "Åldrande befolkning", "AI i vården",
			"Klimatanpassning", "Lite AI", "AI överallt", "Unga", "Äldre", "Region Vänern", "Regionen samarbetar runt sjön.",
			"Senior City", "Vård hemma är norm", "Pilot i två kommuner", "Kommunerna", "<img src=x onerror=alert(1)>"} {
			if !strings.Contains(txt, want) {
				t.Errorf("%s's results page lacks %q", p.name, want)
			}
		}
		p.checkAxe(t, "results")
		if got := eval[string](t, p.ctx, `document.querySelector('[data-total="1"]').textContent`); got != "3" {
			t.Errorf("%s's results: %s dots on Region Vänern, want 3", p.name, got)
		}
	}
	mark("results")
	// The facilitator publishes the results to the library.
	follow(t, root, "#ws-publish", 200)
	if !strings.Contains(fac.text(t), "publicerat i biblioteket") {
		t.Errorf("no confirmation of publishing: %s", fac.text(t))
	}
}
