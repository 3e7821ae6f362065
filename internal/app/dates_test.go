package app_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// isoDate is a date as machines write it, alone or in a Go time's
// default form ("2026-12-02", "2026-12-02 14:05:00 +0000 UTC").
var isoDate = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)

// visibleText is what a person reads of a page: its text outside script
// and style, and the attributes shown or read aloud; not datetime, value
// or data attributes, which are for machines.
func visibleText(page string) string {
	z := html.NewTokenizer(strings.NewReader(page))
	var b strings.Builder
	raw := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if raw == 0 {
				b.Write(z.Text())
				b.WriteByte(' ')
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			if tt == html.StartTagToken && (string(name) == "script" || string(name) == "style") {
				raw++
			}
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch string(k) {
				case "title", "alt", "aria-label", "placeholder":
					b.Write(v)
					b.WriteByte(' ')
				}
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "script" || string(name) == "style" {
				raw--
			}
		}
	}
}

var svMonths = [...]string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"}

// svDay is t's day in Stockholm the Swedish way: "2 december 2026".
func svDay(t time.Time) string {
	t = t.In(event.Stockholm)
	return fmt.Sprintf("%d %s %d", t.Day(), svMonths[t.Month()-1], t.Year())
}

// enDay is svDay in English: "2 December 2026".
func enDay(t time.Time) string {
	t = t.In(event.Stockholm)
	return fmt.Sprintf("%d %s %d", t.Day(), t.Month(), t.Year())
}

// datedPages are, by role (an index of roles), the pages of the matrix
// walk that show a date of something made today, each by its route
// pattern: they must show it the Swedish way, and the English way in
// English.
var datedPages = map[int][]string{
	5: { // the platform admin
		"GET /{$}", "GET /scenariekors/{id}", "GET /scenariekors/{id}/versioner",
		"GET /natverket/samarbeten", "GET /natverket/samarbeten/{id}",
		"GET /bibliotek/{slug}", "GET /bibliotek/{slug}/versioner", "GET /analys", "GET /analys/{id}",
		"GET /natverket/uppdrag/{id}", "GET /konto", "GET /admin/logg",
	},
	2: { // A's editor, who facilitates the matrix's workshop
		"GET /workshoppar/{id}",
	},
}

// TestDates_EveryPage walks the authorization matrix as the platform
// admin and as A's editor: no HTML page shows a person a date in ISO or
// Go's default form (datetime attributes keep ISO), and the pages of
// datedPages show today the Swedish way, and in English the English way.
func TestDates_EveryPage(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			first := true
			for ri, want := range datedPages {
				t.Run(strings.ReplaceAll(roles[ri], " ", "_"), func(t *testing.T) {
					d := dsn
					if !first {
						d = freshDSN(t, engine)
					}
					first = false
					f := newMatrixFixture(t, d)
					cases := matrixCases(t, f)
					// get sends c and returns the visible text of an HTML page
					// it answers, failing on any ISO date in it.
					get := func(c matrixCase, session, lang string) (string, bool) {
						r := req{method: c.method, path: c.path, form: c.form, session: session}
						if lang != "" {
							r.header = map[string]string{"Cookie": "framsyn_lang=" + lang}
						}
						if c.multipart {
							r.body, r.ctype = multipartLogo(t)
						}
						if c.upload != "" {
							r.body, r.ctype = multipartFile(t, "file", "fil", []byte(c.upload))
						}
						if c.json != "" {
							r.body, r.ctype = strings.NewReader(c.json), "application/json"
						}
						resp := f.ta.do(r)
						if c.method != http.MethodGet || resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
							resp.Body.Close() // a stream stays open otherwise
							return "", false
						}
						text := visibleText(readBody(t, resp))
						if m := isoDate.FindAllString(text, 3); m != nil {
							t.Errorf("%s (%s) shows %q", c.path, lang, m)
						}
						return text, true
					}
					today := func(text string, day func(time.Time) string) bool {
						return strings.Contains(text, day(time.Now())) || strings.Contains(text, day(time.Now().Add(-time.Hour)))
					}
					wanted := map[string]bool{}
					for _, p := range want {
						wanted[p] = true
					}
					session := f.ta.mintSession(f.users[ri])
					// By pattern: the first page, and whether one showed today.
					first, sv, en := map[string]string{}, map[string]bool{}, map[string]bool{}
					for _, c := range cases {
						if c.pattern == "POST /sprak" {
							continue // it would turn the rest of the walk English
						}
						text, ok := get(c, session, "")
						if !ok {
							continue
						}
						if first[c.pattern] == "" {
							first[c.pattern] = c.path
						}
						if today(text, svDay) {
							sv[c.pattern] = true
						}
						if wanted[c.pattern] && !en[c.pattern] {
							if text, ok := get(c, session, "en"); ok && today(text, enDay) {
								en[c.pattern] = true
							}
						}
					}
					// What the walk showed before it made what shows today
					// (the audit log), once more after it (it signed out last).
					session = f.ta.mintSession(f.users[ri])
					for _, p := range want {
						c := matrixCase{method: http.MethodGet, path: first[p]}
						if c.path == "" {
							t.Errorf("the walk shows no %s", p)
							continue
						}
						if text, ok := get(c, session, ""); !sv[p] && (!ok || !today(text, svDay)) {
							t.Errorf("%s does not show today as %q", c.path, svDay(time.Now()))
						}
						if text, ok := get(c, session, "en"); !en[p] && (!ok || !today(text, enDay)) {
							t.Errorf("%s in English does not show today as %q", c.path, enDay(time.Now()))
						}
					}
				})
			}
		})
	}
}
