package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/framsyn/framsyn/internal/demo"
)

// TestSignIn_EditContacts: the admin signs in by typing the password (the
// only test that does), adds a contact person to an organisation through
// the form, sees a Swedish error next to the field for a bad form, and
// signs out.
func TestSignIn_EditContacts(t *testing.T) {
	t.Parallel()
	ctx := mustBrowser(t)
	s := mustSite(t)
	const org = "/organisationer/region-varmland"

	// contacts lists the names on the public organisation page, as a
	// visitor without a session sees them.
	contacts := func(t *testing.T) string {
		t.Helper()
		resp, err := http.Get(s.URL + org)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	text := func(t *testing.T, sel string) string {
		t.Helper()
		return strings.TrimSpace(get(t, briefly(t, ctx), chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible)))
	}

	signedIn := t.Run("SignedInThroughForm", func(t *testing.T) {
		do(t, briefly(t, ctx), chromedp.Navigate(s.URL+org+"/redigera")) // a visitor is sent to sign in
		if p := eval[string](t, ctx, `location.pathname + location.search`); p != "/logga-in?return=%2Forganisationer%2Fregion-varmland%2Fredigera" {
			t.Fatalf("visitor at the edit form landed on %s, want the sign-in page with a return path", p)
		}
		do(t, ctx,
			chromedp.SendKeys(chromedp.ID("email"), demo.AdminEmail),
			chromedp.SendKeys(chromedp.ID("password"), s.logins[demo.AdminEmail]),
		)
		follow(t, ctx, `main form button`, 200)
		if p := eval[string](t, ctx, `location.pathname`); p != org+"/redigera" {
			t.Errorf("after sign-in at %s, want back at %s/redigera", p, org)
		}
		if got := text(t, ".flash"); got != "Du är inloggad." {
			t.Errorf("flash %q, want Du är inloggad.", got)
		}
		if got := text(t, `.bar > .tools a[href="/konto"]`); got != "Exempel Administratör" {
			t.Errorf("header shows %q, want the admin's name", got)
		}
	})
	if !signedIn {
		t.FailNow()
	}
	t.Run("ContactAdded", func(t *testing.T) {
		if strings.Contains(contacts(t), "Astrid Framtidsdotter") {
			t.Fatal("the new contact is there before the form was sent")
		}
		do(t, ctx,
			chromedp.SendKeys(chromedp.ID("contact_name"), "Astrid Framtidsdotter"),
			chromedp.SendKeys(chromedp.ID("contact_title"), "Framsynsstrateg"),
			chromedp.SendKeys(chromedp.ID("contact_email"), "astrid@example.se"),
		)
		follow(t, ctx, `form[action$="/kontakter"] button`, 200)
		if got := text(t, ".flash"); got != "Kontaktpersonen är sparad." {
			t.Errorf("flash %q, want Kontaktpersonen är sparad.", got)
		}
		follow(t, ctx, `main a[href="`+org+`"]`, 200)
		if got := text(t, `#kontakter + ul`); !strings.Contains(got, "Astrid Framtidsdotter, Framsynsstrateg · astrid@example.se") {
			t.Errorf("organisation page contacts %q, want the new contact with title and email", got)
		}
		if !strings.Contains(contacts(t), "Astrid Framtidsdotter") {
			t.Error("a visitor does not see the new contact")
		}
	})
	t.Run("ErrContactNameRequired", func(t *testing.T) {
		before := strings.Count(contacts(t), "<li>")
		open(t, ctx, s.URL+org+"/redigera", 200)
		do(t, ctx, chromedp.SendKeys(chromedp.ID("contact_email"), "namnlos@example.se"))
		follow(t, ctx, `form[action$="/kontakter"] button`, 422)
		if got := text(t, "#contact_name-error"); got != "Fältet måste fyllas i." {
			t.Errorf("error %q, want Fältet måste fyllas i.", got)
		}
		type field struct {
			Invalid, DescribedBy, Next, Email string
		}
		f := eval[field](t, ctx, `(() => { const i = document.getElementById("contact_name");
			return {Invalid: i.getAttribute("aria-invalid"), DescribedBy: i.getAttribute("aria-describedby"),
				Next: i.nextElementSibling && i.nextElementSibling.id, Email: document.getElementById("contact_email").value}; })()`)
		if want := (field{"true", "contact_name-error", "contact_name-error", "namnlos@example.se"}); f != want {
			t.Errorf("name field %+v, want %+v (the error right after the field, the input kept)", f, want)
		}
		// The GOV.UK error summary: a heading, each message a link to
		// its field, and the focus on it after the failed submit.
		if got := text(t, "#error-summary h2"); got != "Formuläret har fel" {
			t.Errorf("summary heading %q", got)
		}
		// Each message names its field by the field's label (issue 21
		// item 15) and its link moves the focus to the field.
		label := text(t, `label[for="contact_name"]`)
		if got := text(t, `#error-summary a[href="#contact_name"]`); got != label+": Fältet måste fyllas i." {
			t.Errorf("summary link to the name field %q, want it to name the field %q", got, label)
		}
		if got := eval[string](t, ctx, `document.activeElement.id`); got != "error-summary" {
			t.Errorf("focus on %q after the failed submit, want the error summary", got)
		}
		do(t, ctx, chromedp.Click(chromedp.CSS(`#error-summary a[href="#contact_name"]`), chromedp.NodeVisible),
			chromedp.Poll[chromedp.Void](`document.activeElement.id === "contact_name"`))
		if after := strings.Count(contacts(t), "<li>"); after != before {
			t.Errorf("the bad form changed the contacts: %d items before, %d after", before, after)
		}
	})
	t.Run("SignedOut", func(t *testing.T) {
		follow(t, ctx, `.bar > .tools form[action="/logga-ut"] button`, 200)
		if got := text(t, ".flash"); got != "Du är utloggad." {
			t.Errorf("flash %q, want Du är utloggad.", got)
		}
		if got := text(t, `.bar > .tools a[href="/logga-in"]`); got != "Logga in" {
			t.Errorf("header shows %q, want Logga in", got)
		}
		do(t, briefly(t, ctx), chromedp.Navigate(s.URL+"/konto"))
		if p := eval[string](t, ctx, `location.pathname`); p != "/logga-in" {
			t.Errorf("/konto after sign-out led to %s, want /logga-in", p)
		}
	})
}
