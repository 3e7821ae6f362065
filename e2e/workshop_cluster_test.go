package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/demo"
	"github.com/framsyn/framsyn/internal/workshop"
)

// TestWorkshop_ClusterByDragAndKeyboard: in the clustering stage a
// facilitator groups two notes by dragging one onto the other, and two
// more with the keyboard alone (Space ticks a note's box, the count is
// said in the live region, Enter in the name field groups them), and a
// participant's board shows both clusters live. The drag is the page's
// own HTML5 drag and drop, driven by DOM drag events (dragstart,
// dragover, drop with a DataTransfer), as the browser fires them.
func TestWorkshop_ClusterByDragAndKeyboard(t *testing.T) {
	t.Parallel()
	s := mustSite(t)
	root, cancel := context.WithTimeout(context.WithoutCancel(mustBrowser(t)), 2*time.Minute)
	t.Cleanup(cancel)
	fac := newPerson(t, root, "facilitator")
	signIn(t, fac.ctx, s, demo.EditorEmail)
	open(t, fac.ctx, s.URL+"/workshoppar", 200)
	do(t, briefly(t, fac.ctx), chromedp.SetValue(chromedp.ID("title"), "Klustring"),
		chromedp.SetValue(chromedp.ID("question"), "Hur ser regionen ut 2050?"), chromedp.SetValue(chromedp.ID("horizon"), "2050"))
	follow(t, fac.ctx, `form[action="/workshoppar"] button`, 200)
	fac.stable(t, "focal")
	do(t, briefly(t, fac.ctx), chromedp.Click(chromedp.CSS("#ws-open"), chromedp.NodeVisible))
	fac.wait(t, `document.getElementById('ws').dataset.status === 'open'`)
	code := strings.TrimSpace(get(t, briefly(t, fac.ctx), chromedp.Text(chromedp.ID("ws-code"))))
	fac.form(t, "#ws-stage-go", "#ws-stage-select", "drivers")
	fac.stable(t, "drivers")

	// A guest writes four notes (through the service: the page's posting
	// is tested elsewhere) and follows the board in a browser of their own.
	ctx := context.Background()
	g, token, err := s.Workshops.Join(ctx, &account.Actor{}, code, "Gun", "e2e-cluster-join", "e2e")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i, text := range []string{"Fler äldre", "Åldrande befolkning", "AI i vården", "Digital vård"} {
		ev, err := s.Workshops.Do(ctx, g, workshop.Command{Kind: workshop.NoteAdd, Text: text, ClientID: fmt.Sprintf("e2e-cluster-note-%d", i)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, fmt.Sprint(ev.Seq))
	}
	gun := newPerson(t, root, "Gun")
	setCookie(t, gun.ctx, s, workshop.GuestCookie(g.WorkshopID), token)
	fac.form(t, "#ws-stage-go", "#ws-stage-select", "clustering")
	fac.stable(t, "clustering")
	open(t, gun.ctx, fmt.Sprintf("%s/workshoppar/%d", s.URL, g.WorkshopID), 200)
	gun.stable(t, "clustering")
	for _, id := range ids {
		fac.wait(t, fmt.Sprintf(`document.querySelector('li.ws-note[data-note="%s"][draggable=true]') !== null`, id))
	}

	// Drag the second note onto the first.
	fac.ready(t)
	do(t, briefly(t, fac.ctx), chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(function () {
		var from = document.getElementById('note-%s'), to = document.getElementById('note-%s'), dt = new DataTransfer();
		var fire = function (el, type) { el.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt })); };
		fire(from, 'dragstart'); fire(to, 'dragenter'); fire(to, 'dragover');
		if (!to.classList.contains('ws-drop')) { throw new Error('the target is not marked as a drop target'); }
		fire(to, 'drop'); fire(from, 'dragend');
	})()`, ids[1], ids[0])))
	merged := func(into, from string) string {
		return fmt.Sprintf(`document.querySelector('#note-%s .ws-members li[data-note="%s"]') !== null && document.getElementById('note-%s') === null`, into, from, from)
	}
	fac.wait(t, merged(ids[0], ids[1]))
	gun.wait(t, merged(ids[0], ids[1]))
	gun.wait(t, `document.getElementById('ws-live').textContent.includes('Åldrande befolkning')`)

	// The keyboard alone: focus a note's box, Space; the count is said.
	fac.ready(t)
	for i, id := range ids[2:] {
		do(t, briefly(t, fac.ctx), chromedp.Focus(chromedp.ID("pick-"+id), chromedp.NodeVisible), chromedp.KeyEvent(" "))
		fac.wait(t, fmt.Sprintf(`document.getElementById('pick-%s').checked && document.getElementById('ws-live').textContent.includes('%d markerade')`, id, i+1))
	}
	do(t, briefly(t, fac.ctx), chromedp.Focus(chromedp.ID("ws-group-name"), chromedp.NodeVisible), chromedp.SendKeys(chromedp.ID("ws-group-name"), "Digitalisering"), chromedp.KeyEvent(kb.Enter))
	fac.wait(t, merged(ids[2], ids[3]))
	fac.wait(t, fmt.Sprintf(`document.querySelector('#note-%s .ws-text strong') && document.querySelector('#note-%s .ws-text strong').textContent === 'Digitalisering'`, ids[2], ids[2]))
	gun.wait(t, merged(ids[2], ids[3]))
	gun.wait(t, `document.getElementById('ws-live').textContent.includes('Digital vård')`)
	fac.sameAsFresh(t, "clusters made by drag and by keyboard")
	gun.sameAsFresh(t, "clusters made by drag and by keyboard")
}
