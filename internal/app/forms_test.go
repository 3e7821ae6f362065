package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/library"
)

// TestForms_ErrorSummary is issue 21 item 15: an empty new work lists
// what is missing in a summary that takes focus and links to each field,
// without complaining about the address the form says to leave empty; a
// refused upload keeps the name and cover choice typed.
func TestForms_ErrorSummary(t *testing.T) {
	f := newLibFixture(t, sqliteDSN(t))
	resp := f.ta.do(req{method: "POST", path: "/bibliotek", session: f.sEditor, form: url.Values{"title": {""}, "slug": {""}}})
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("an empty work: %d", resp.StatusCode)
	}
	summary := regexp.MustCompile(`(?s)<div class="errors"[^>]*id="error-summary"[^>]*>.*?</div>`).FindString(body)
	if summary == "" || !strings.Contains(summary, "autofocus") || !strings.Contains(summary, `tabindex="-1"`) {
		t.Fatalf("no error summary that takes focus:\n%s", summary)
	}
	for _, field := range []string{"title", "type", "organisation"} {
		if !strings.Contains(summary, `href="#`+field+`"`) || !strings.Contains(body, `id="`+field+`"`) {
			t.Errorf("the summary does not link to #%s", field)
		}
	}
	if strings.Contains(summary, `href="#slug"`) || strings.Contains(body, `id="slug-error"`) {
		t.Error("an empty new work complains about the address it is told to leave empty")
	}

	f.mustWork(t, "verket", "Verket", library.Public)
	resp = upload(t, f.ta, f.sEditor, "verket", "sida.html", []byte("<!doctype html><html><body>x</body></html>"), "name", "Min handbok", "cover", "on")
	body = readBody(t, resp)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("an HTML upload: %d", resp.StatusCode)
	}
	if !strings.Contains(body, `value="Min handbok"`) {
		t.Error("a refused upload lost the name typed")
	}
	if !regexp.MustCompile(`id="cover" name="cover" checked`).MatchString(body) {
		t.Error("a refused upload lost the cover choice")
	}
	if !strings.Contains(body, `id="upload-error-summary" autofocus`) || !strings.Contains(body, `<a href="#file">`) {
		t.Error("the upload's error is not a summary linking to the file field")
	}
}
