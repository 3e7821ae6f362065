package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/demo"
)

// TestEvents_CoHostRegisterWaitingList: Region Värmland's editor finds
// Region Kronoberg's facilitator by method and region and asks for them,
// and the facilitator accepts; Värmland's editor publishes an event with
// one place and invites Region Kronoberg, whose editor confirms; a participant registers, a second is put on the waiting list
// and told so, the first cancels and the second has the place. The form,
// its errors and the event page have no axe-core violations.
func TestEvents_CoHostRegisterWaitingList(t *testing.T) {
	t.Parallel()
	axe := axeSource(t)
	ctx := mustBrowser(t)
	s := mustSite(t)
	injectAxe(t, ctx, axe)
	check := func(t *testing.T) {
		t.Helper()
		checkAxe(t, ctx, t.Name())
	}
	bg := context.Background()
	user := func(email, name, org string, role account.Role) {
		t.Helper()
		pw := "ett långt testlösenord för e2e"
		u, err := s.Accounts.CreateUser(bg, email, name, pw, false)
		if err != nil {
			t.Fatal(err)
		}
		s.logins[email] = pw
		if org != "" {
			o, err := s.Stores.Accounts.OrganisationBySlug(bg, org)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Stores.Accounts.SetMembership(bg, u.ID, o.ID, role); err != nil {
				t.Fatal(err)
			}
		}
	}
	user("redaktor@kronoberg.se", "Redaktör Kronoberg", "region-kronoberg", account.RoleEditor)
	user("deltagare1@x.se", "Deltagare Ett", "", "")
	user("deltagare2@x.se", "Deltagare Två", "", "")
	kronoberg, err := s.Stores.Accounts.OrganisationBySlug(bg, "region-kronoberg")
	if err != nil {
		t.Fatal(err)
	}

	user("processledare@kronoberg.se", "Processledare Kronoberg", "region-kronoberg", account.RoleMember)

	// Kronoberg's facilitator offers themselves.
	signIn(t, ctx, s, "processledare@kronoberg.se")
	open(t, ctx, s.URL+"/natverket/processledare/jag", 200)
	t.Run("FacilitatorFormNoViolations", check)
	do(t, ctx, chromedp.Click(chromedp.ID("method-scenario_cross")), chromedp.Click(chromedp.ID("region-17")),
		chromedp.SendKeys(chromedp.ID("availability"), "Vardagar i vår"))
	follow(t, ctx, `form[action="/natverket/processledare/jag"] button`, 200)
	// Värmland (län 17) finds them by method and region and asks.
	signIn(t, ctx, s, demo.EditorEmail)
	open(t, ctx, s.URL+"/natverket/processledare?metod=scenario_cross&lan=17", 200)
	t.Run("FacilitatorsNoViolations", check)
	follow(t, ctx, `#facilitators a`, 200)
	do(t, ctx, chromedp.SendKeys(chromedp.ID("what"), "Leda scenarioövningen på vår regiondag"),
		chromedp.SetValue(chromedp.ID("when"), time.Now().AddDate(0, 2, 0).Format("2006-01-02")),
		chromedp.SendKeys(chromedp.ID("participants"), "40"))
	follow(t, ctx, `#ask-form button`, 200)
	requestURL := eval[string](t, ctx, `location.href`)
	t.Run("RequestNoViolations", check)
	signIn(t, ctx, s, "processledare@kronoberg.se")
	open(t, ctx, requestURL, 200)
	follow(t, ctx, `#do-accept`, 200)
	if got := eval[string](t, ctx, `document.querySelector("#status").textContent`); got != "accepterad" {
		t.Errorf("after accepting the request is %q", got)
	}
	signIn(t, ctx, s, demo.EditorEmail)
	open(t, ctx, requestURL, 200)
	if got := eval[string](t, ctx, `document.querySelector("#history").textContent`); !strings.Contains(got, "Processledare Kronoberg: accepterade") {
		t.Errorf("Värmland's history: %q", got)
	}

	open(t, ctx, s.URL+"/evenemang/ny", 200)
	t.Run("FormNoViolations", check)
	day := time.Now().AddDate(0, 2, 0).Format("2006-01-02")
	do(t, ctx, chromedp.SendKeys(chromedp.ID("title"), "Scenariodag i två regioner"),
		chromedp.SetValue(chromedp.ID("start_date"), day), chromedp.SetValue(chromedp.ID("start_time"), "13:00"),
		chromedp.SetValue(chromedp.ID("end_date"), day), chromedp.SetValue(chromedp.ID("end_time"), "09:00"),
		chromedp.Click(chromedp.ID("registration")), chromedp.SetValue(chromedp.ID("capacity"), "1"),
		chromedp.Click(chromedp.ID(fmt.Sprintf("cohost-%d", kronoberg.ID))))
	follow(t, ctx, `form[action="/evenemang"] button`, 422)
	if got := eval[string](t, ctx, `document.querySelector("#error-summary").textContent`); !strings.Contains(got, "sluta efter att det börjar") {
		t.Errorf("end before start says %q", got)
	}
	t.Run("FormErrorsNoViolations", check)
	do(t, ctx, chromedp.SetValue(chromedp.ID("end_time"), "16:00"))
	follow(t, ctx, `form[action="/evenemang"] button`, 200)
	eventURL := eval[string](t, ctx, `location.href`)
	if !strings.Contains(eval[string](t, ctx, `document.querySelector("#hosts").textContent`), "inbjuden, ej bekräftad") {
		t.Error("Kronoberg is not shown as invited")
	}

	signIn(t, ctx, s, "redaktor@kronoberg.se")
	open(t, ctx, eventURL, 200)
	follow(t, ctx, `form[action$="/bekrafta"] button`, 200)
	hosts := eval[string](t, ctx, `document.querySelector("#hosts").textContent`)
	if !strings.Contains(hosts, "Region Kronoberg") || !strings.Contains(hosts, "Region Värmland") || strings.Contains(hosts, "ej bekräftad") {
		t.Errorf("hosts after confirming: %q", hosts)
	}

	signIn(t, ctx, s, "deltagare1@x.se")
	open(t, ctx, eventURL, 200)
	follow(t, ctx, `form[action$="/anmalan"] button`, 200)
	if got := eval[string](t, ctx, `document.querySelector("#my-status").textContent`); !strings.Contains(got, "Du är anmäld") {
		t.Errorf("the first participant sees %q", got)
	}
	t.Run("EventNoViolations", check)

	signIn(t, ctx, s, "deltagare2@x.se")
	open(t, ctx, eventURL, 200)
	follow(t, ctx, `form[action$="/anmalan"] button`, 200)
	if got := eval[string](t, ctx, `document.querySelector(".flash").textContent`); !strings.Contains(got, "väntelistan") {
		t.Errorf("the second is not told they wait: %q", got)
	}
	if got := eval[string](t, ctx, `document.querySelector("#my-status").textContent`); !strings.Contains(got, "nummer 1 på väntelistan") {
		t.Errorf("the second sees %q", got)
	}

	signIn(t, ctx, s, "deltagare1@x.se")
	open(t, ctx, eventURL, 200)
	follow(t, ctx, `form[action$="/anmalan/ta-bort"] button`, 200)

	signIn(t, ctx, s, "deltagare2@x.se")
	open(t, ctx, eventURL, 200)
	if got := eval[string](t, ctx, `document.querySelector("#my-status").textContent`); !strings.Contains(got, "Du är anmäld") {
		t.Errorf("after the cancel the second sees %q", got)
	}
}
