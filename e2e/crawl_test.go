package e2e

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/demo"
	"github.com/framsyn/framsyn/internal/i18n"
)

// crawledPage is one HTML page reached from the front page.
type crawledPage struct {
	URL  string // path and query
	Body []byte
}

// crawlRoles are who the site is crawled as: a visitor, and an editor of
// a demo organisation.
var crawlRoles = []struct{ name, email string }{{"Visitor", ""}, {"Editor", demo.EditorEmail}}

// perShape bounds the pages crawled of one shape (crawlShape): every kind
// of page is reached, not every work of the library or every filter.
const perShape = 3

// maxCrawl bounds the whole crawl.
const maxCrawl = 400

var hrefRE = regexp.MustCompile(`<a\s[^>]*?href="([^"]*)"`)

// crawlShape is what pages of one kind share: the first path segment, the
// number of segments, which of them are numbers, and the query's keys.
// /bibliotek/12 and /bibliotek/40 are one shape, /bibliotek?typ=podcast
// another.
func crawlShape(u *url.URL) string {
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	for i, s := range segs {
		if i > 0 {
			segs[i] = "x"
			if strings.Trim(s, "0123456789") == "" {
				segs[i] = "N"
			}
		}
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range u.Query() {
			if !yield(k) {
				return
			}
		}
	})
	return strings.Join(segs, "/") + "?" + strings.Join(keys, "&")
}

// crawlSkips are links the crawl does not follow: other formats than a
// page (files, feeds, exports, the API) and the stream of a board.
func crawlSkips(u *url.URL) bool {
	p := u.Path
	for _, pre := range []string{"/api/", "/static/", "/media/", "/flode", "/metrics"} {
		if strings.HasPrefix(p, pre) {
			return true
		}
	}
	for _, suf := range []string{".csv", ".json", ".md", ".zip", ".atom", ".ics", ".svg", ".png", "/strom"} {
		if strings.HasSuffix(p, suf) {
			return true
		}
	}
	return strings.Contains(p, "/bilagor/")
}

// crawl follows every link of the site from the front page, in Swedish,
// with session (none for a visitor), and returns each HTML page it
// reached (perShape of each shape). A link to a page that answers with an
// error fails the test: a visitor never meets a dead end.
func crawl(t *testing.T, s *site, session string) []crawledPage {
	t.Helper()
	return crawlIn(t, s, session, "sv")
}

// crawlIn is crawl in a language: the language switch's cookie and a
// browser asking for that language.
func crawlIn(t *testing.T, s *site, session, lang string) []crawledPage {
	t.Helper()
	base, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	seen := map[string]bool{"/": true}
	shapes := map[string]int{}
	from := map[string]string{}
	queue := []string{"/"}
	var out []crawledPage
	for len(queue) > 0 && len(out) < maxCrawl {
		path := queue[0]
		queue = queue[1:]
		req, err := http.NewRequestWithContext(t.Context(), "GET", s.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept-Language", lang)
		req.AddCookie(&http.Cookie{Name: i18n.CookieName, Value: lang})
		if session != "" {
			req.AddCookie(&http.Cookie{Name: s.Config.SessionCookie(), Value: session})
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		switch {
		case resp.StatusCode >= 300 && resp.StatusCode < 400:
			continue // a redirect (sign-in, a language switch): its target is linked elsewhere
		case resp.StatusCode != http.StatusOK:
			t.Errorf("GET %s (linked from %s): status %d", path, from[path], resp.StatusCode)
			continue
		case !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html"):
			continue
		}
		out = append(out, crawledPage{URL: path, Body: body})
		for _, m := range hrefRE.FindAllSubmatch(body, -1) {
			ref, err := url.Parse(html.UnescapeString(string(m[1])))
			if err != nil {
				t.Errorf("%s links to %q: %v", path, m[1], err)
				continue
			}
			u := base.ResolveReference(req.URL.ResolveReference(ref))
			if u.Host != base.Host || (u.Scheme != "http" && u.Scheme != "https") || crawlSkips(u) {
				continue
			}
			u.Fragment = ""
			next := u.RequestURI()
			if seen[next] {
				continue
			}
			seen[next] = true
			if shape := crawlShape(u); shapes[shape] < perShape {
				shapes[shape]++
				from[next] = path
				queue = append(queue, next)
			}
		}
	}
	if len(out) < 10 {
		t.Fatalf("the crawl reached %d pages: %v", len(out), out)
	}
	return out
}

// pageNames lists the crawled pages, for a failure message.
func pageNames(pages []crawledPage) string {
	var b strings.Builder
	for _, p := range pages {
		fmt.Fprintf(&b, "\n  %s", p.URL)
	}
	return b.String()
}
