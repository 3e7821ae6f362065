package app_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/post"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
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
	if !strings.Contains(body, `id="error-summary" autofocus`) || !strings.Contains(body, `<a href="#file">Lägg till en bilaga: `) {
		t.Error("the upload's error is not the one summary, naming and linking to the file field")
	}
	// A file over the bound is refused before it is read to its end; the
	// name, sent before it, is kept.
	big := append([]byte(testPDF), make([]byte, library.MaxAttachmentBytes)...)
	resp = upload(t, f.ta, f.sEditor, "verket", "stor.pdf", big, "name", "Stor handbok")
	body = readBody(t, resp)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `value="Stor handbok"`) || !strings.Contains(body, `<a href="#file">Lägg till en bilaga: `) {
		t.Errorf("a too large upload: %d, name kept %v, summary %v", resp.StatusCode, strings.Contains(body, `value="Stor handbok"`), strings.Contains(body, `href="#file"`))
	}
}

// TestForms_SummaryNamesFields is issue 21 item 15 over the forms with
// validation: a failed submit shows the one error summary, which takes
// focus, and each of its messages names its field by the label the page
// gives it and links to that field, which exists on the page.
func TestForms_SummaryNamesFields(t *testing.T) {
	f := newLibFixture(t, sqliteDSN(t))
	f.mustWork(t, "verket", "Verket", library.Public)
	post := strconv.FormatInt(f.ta.mustPost(f.editor, f.orgA.ID, "En post.", post.Public).ID, 10)
	tests := []struct {
		name, path string
		form       url.Values
	}{
		{"Work", "/bibliotek", url.Values{"title": {""}}},
		{"WorkEdit", "/bibliotek/verket", url.Values{"title": {""}, "version": {"1"}, "organisation": {strconv.FormatInt(f.orgA.ID, 10)}}},
		{"AccountName", "/konto/namn", url.Values{"name": {""}}},
		{"AccountPassword", "/konto/losenord", url.Values{"current": {"fel"}, "password": {"kort"}, "confirm": {"annat"}}},
		{"Workshop", "/workshoppar", url.Values{"title": {""}, "horizon": {"1900"}}},
		{"Board", "/natverket/samarbeten", url.Values{"title": {""}, "organisation": {strconv.FormatInt(f.orgA.ID, 10)}}},
		{"Event", "/evenemang", url.Values{"title": {""}, "organisation": {strconv.FormatInt(f.orgA.ID, 10)}}},
		{"Cross", "/scenariekors", url.Values{"title": {""}}},
		{"Post", "/organisationer/org-a/poster", url.Values{"body": {""}}},
		{"PostEdit", "/organisationer/org-a/poster/" + post, url.Values{"body": {""}}},
	}
	tests = append(tests, struct {
		name, path string
		form       url.Values
	}{"Upload", "/bibliotek/verket/bilagor", nil})
	link := regexp.MustCompile(`<a href="#([^"]+)">([^<]*)</a>`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var resp *http.Response
			if tt.form == nil { // the upload form: a file of a type refused
				resp = upload(t, f.ta, f.sEditor, "verket", "sida.html", []byte("<!doctype html><html></html>"), "name", "Namnet")
			} else {
				resp = f.ta.do(req{method: "POST", path: tt.path, session: f.sEditor, form: tt.form})
			}
			body := readBody(t, resp)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("POST %s: %d", tt.path, resp.StatusCode)
			}
			summary := regexp.MustCompile(`(?s)<div class="errors"[^>]*id="error-summary"[^>]*>.*?</div>`).FindString(body)
			if summary == "" || !strings.Contains(summary, "autofocus") || !strings.Contains(summary, `tabindex="-1"`) {
				t.Fatalf("no error summary that takes focus:\n%s", body)
			}
			links := link.FindAllStringSubmatch(summary, -1)
			if len(links) == 0 {
				t.Fatalf("the summary links to no field:\n%s", summary)
			}
			for _, l := range links {
				id, text := l[1], html.UnescapeString(l[2])
				if !strings.Contains(body, `id="`+id+`"`) {
					t.Errorf("the summary links to #%s, which is not on the page", id)
				}
				q := regexp.QuoteMeta(id)
				m := regexp.MustCompile(`(?s)<label for="` + q + `"[^>]*>(.*?)</label>`).FindStringSubmatch(body)
				if m == nil { // a group of inputs: its fieldset's legend
					m = regexp.MustCompile(`(?s)<fieldset[^>]* id="` + q + `"[^>]*>\s*<legend[^>]*>(.*?)</legend>`).FindStringSubmatch(body)
				}
				if m == nil {
					t.Errorf("#%s has no label or legend to name it", id)
					continue
				}
				label := strings.Join(strings.Fields(html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(m[1], " "))), " ")
				if !strings.HasPrefix(text, label+": ") {
					t.Errorf("the message %q does not name its field %q", text, label)
				}
			}
		})
	}
}

// TestLibrary_SavedWorkSearchableAtOnce: a work saved through the form is
// found by the very next search, by a compound part and a word typed
// without å ä ö, with a type filter, on both engines (issue 21 item 6:
// the index is written in the work's transaction; 00022 on PostgreSQL).
func TestLibrary_SavedWorkSearchableAtOnce(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			f := newLibFixture(t, dsn)
			resp := f.ta.do(req{method: "POST", path: "/bibliotek", session: f.sEditor, form: url.Values{
				"title": {"Designfiktioner från Västerbotten"}, "type": {"scenario"}, "summary": {"Om scenarioövningar."},
				"organisation": {strconv.FormatInt(f.orgA.ID, 10)}, "visibility": {"public"}}})
			readBody(t, resp)
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("saving the work: %d", resp.StatusCode)
			}
			for _, path := range []string{"/bibliotek?q=fiktioner", "/bibliotek?q=vasterbotten&typ=scenario", "/sok?q=ovningar"} {
				resp := f.ta.do(req{method: "GET", path: path})
				// The words matched are marked in the title.
				text := regexp.MustCompile(`</?mark>`).ReplaceAllString(readBody(t, resp), "")
				if !strings.Contains(text, "Designfiktioner från Västerbotten") {
					t.Errorf("%s does not find the work just saved", path)
				}
			}
		})
	}
}
