package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"

	"github.com/framsyn/framsyn/internal/demo"
	"github.com/framsyn/framsyn/internal/i18n"
)

// englishRoles are who the site is crawled as in English: the crawl's
// roles and a platform administrator, for the /admin pages.
var englishRoles = append(append([]struct{ name, email string }{}, crawlRoles...), struct{ name, email string }{"Admin", demo.AdminEmail})

// swedishDate is a date or a day the UI writes with a Swedish month or
// weekday name (those spelt the same in English left out): shorter than
// a phrase, still a leak. It is matched against a whole segment, so a
// date quoted in user content does not count.
var swedishDate = regexp.MustCompile(`(?i)^(?:(?:måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag)(?:en)?\s*)?\d{0,2}\s*(januari|februari|mars|maj|juni|juli|augusti|oktober|måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag)(?:\s+\d{4})?(?:\s+\d{1,2}[:.]\d{2})?$`)

// swedishUI finds Swedish catalogue text in what a page in English shows.
// A message counts when it differs from its English message and its
// literal text is a phrase (two words or ten letters) that the English
// message does not share (a name). User content is Swedish too, so a
// message leaks when a segment of the text (a chunk cut at : · | – and
// brackets) is the message, its fmt verbs matching anything; a long
// message (six words) leaks wherever it stands.
type swedishUI struct {
	exact  map[string]string // message without verbs -> key
	verbs  []keyRE           // messages with verbs, anchored
	long   map[string]string // literal piece of six words -> key
	seen   map[string]string // segment -> key, "" for none
	phrase int
}

type keyRE struct {
	key string
	re  *regexp.Regexp
}

// swedishNumber is a figure written the Swedish way (a decimal comma, a
// minus sign) standing alone, as a table cell or a chart's label does.
var swedishNumber = regexp.MustCompile(`^[−-]?\d+,\d+(?:\s*%)?$`)

// verbRE matches a fmt verb.
var verbRE = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*\d*(?:\.\d+)?[a-zA-Z%]`)

// segmentRE cuts a chunk of text where a template joins a message to
// something else.
var segmentRE = regexp.MustCompile(`\s*[:·|–—()\[\]]\s*`)

func trimText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '%' })
}

func isPhrase(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return len(strings.Fields(s)) >= 2 || letters >= 10
}

func loadSwedishUI(t *testing.T) *swedishUI {
	t.Helper()
	c := i18n.MustLoad()
	u := &swedishUI{exact: map[string]string{}, long: map[string]string{}, seen: map[string]string{}}
	for _, k := range c.Keys("sv") {
		sv, en := trimText(c["sv"][k]), c["en"][k]
		if sv == trimText(en) {
			continue
		}
		pieces := verbRE.Split(sv, -1)
		literal := trimText(strings.Join(pieces, " "))
		if !isPhrase(literal) || strings.Contains(en, literal) {
			continue
		}
		u.phrase++
		if len(pieces) == 1 {
			u.exact[sv] = k
		} else {
			var b strings.Builder
			for i, p := range pieces {
				if i > 0 {
					b.WriteString(".+?")
				}
				b.WriteString(regexp.QuoteMeta(p))
			}
			u.verbs = append(u.verbs, keyRE{k, regexp.MustCompile("^" + b.String() + "$")})
		}
		for _, p := range pieces {
			if p = trimText(p); len(strings.Fields(p)) >= 6 && !strings.Contains(en, p) {
				u.long[p] = k
			}
		}
	}
	return u
}

// find returns the key of the Swedish message chunk shows, or "".
func (u *swedishUI) find(chunk string) string {
	if k, ok := u.seen[chunk]; ok {
		return k
	}
	k := u.findNew(chunk)
	u.seen[chunk] = k
	return k
}

func (u *swedishUI) findNew(chunk string) string {
	for _, seg := range append([]string{chunk}, segmentRE.Split(chunk, -1)...) {
		seg = trimText(seg)
		if k, ok := u.exact[seg]; ok {
			return k
		}
		for _, v := range u.verbs {
			if v.re.MatchString(seg) {
				return v.key
			}
		}
	}
	for p, k := range u.long {
		if strings.Contains(chunk, p) {
			return k
		}
	}
	return ""
}

// visibleText returns what a page shows or reads out: its text (not
// scripts or styles) and the attributes assistive technology and browsers
// present, each a chunk with its whitespace collapsed. Content marked in
// another language than the page (lang="sv" on user content) is left out.
func visibleText(t *testing.T, body []byte) (lang string, chunks []string) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	add := func(s string) {
		if s = strings.Join(strings.Fields(s), " "); s != "" {
			chunks = append(chunks, s)
		}
	}
	var walk func(n *html.Node, inLang string)
	walk = func(n *html.Node, inLang string) {
		if n.Type == html.TextNode {
			add(n.Data)
			return
		}
		if n.Type == html.ElementNode {
			if n.Data == "script" || n.Data == "style" || n.Data == "template" {
				return
			}
			var typ, name string
			for _, a := range n.Attr {
				switch a.Key {
				case "type":
					typ = a.Val
				case "name":
					name = a.Val
				}
			}
			for _, a := range n.Attr {
				switch {
				case a.Key == "lang" && n.Data == "html":
					lang, inLang = a.Val, a.Val
				case a.Key == "lang":
					if a.Val != lang {
						return // another language on purpose: user content or the language switch
					}
				case a.Key == "aria-label", a.Key == "title", a.Key == "placeholder", a.Key == "alt",
					a.Key == "aria-description", a.Key == "aria-roledescription", a.Key == "aria-valuetext":
					add(a.Val)
				case a.Key == "value" && n.Data == "input" && (typ == "submit" || typ == "button" || typ == "reset"):
					add(a.Val)
				case a.Key == "content" && n.Data == "meta" && (name == "description" || name == "application-name"):
					add(a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLang)
		}
	}
	walk(doc, "")
	return lang, chunks
}

// TestEnglish_Crawl: a visitor who chose English meets English on every
// page reachable from the front page – signed out, as an editor and as a
// platform administrator. No Swedish catalogue phrase is shown outside
// user content, no Swedish month or weekday name, and the page says it is
// in English.
func TestEnglish_Crawl(t *testing.T) {
	t.Parallel()
	s := mustSite(t)
	sv := loadSwedishUI(t)
	if sv.phrase < 500 {
		t.Fatalf("only %d Swedish messages: the catalogue did not load", sv.phrase)
	}
	for _, role := range englishRoles {
		t.Run(role.name, func(t *testing.T) {
			session := ""
			if role.email != "" {
				session = s.mustSession(t, role.email)
			}
			pages := crawlIn(t, s, session, "en")
			t.Logf("%s: %d pages", role.name, len(pages))
			if role.name == "Admin" && !strings.Contains(pageNames(pages), "/admin/") {
				t.Errorf("the crawl as an administrator reached no /admin page:%s", pageNames(pages))
			}
			for _, p := range pages {
				lang, chunks := visibleText(t, p.Body)
				if lang != "en" {
					t.Errorf("%s: <html lang=%q>, want en", p.URL, lang)
				}
				for _, m := range hreflangRE.FindAllSubmatch(p.Body, -1) {
					if !i18n.Supported(string(m[1])) {
						t.Errorf("%s: hreflang=%q", p.URL, m[1])
					}
				}
				checkChunks(t, sv, p.URL, chunks)
			}
			// What the pages link to that is not a page: charts,
			// feeds, calendars. Their words are the page's language too.
			files := fetchFiles(t, s, session, pages)
			t.Logf("%s: %d files:%s", role.name, len(files), pageNames(files))
			for _, f := range files {
				var chunks []string
				if strings.HasSuffix(f.URL, ".ics") {
					for _, line := range strings.Split(string(f.Body), "\n") {
						if _, v, ok := strings.Cut(line, ":"); ok {
							chunks = append(chunks, strings.TrimSpace(v))
						}
					}
				} else {
					_, chunks = visibleText(t, f.Body)
				}
				checkChunks(t, sv, f.URL, chunks)
			}
		})
	}
}

var hreflangRE = regexp.MustCompile(`hreflang="([^"]*)"`)

// checkChunks fails on each Swedish message or date in a page's chunks.
func checkChunks(t *testing.T, sv *swedishUI, url string, chunks []string) {
	t.Helper()
	reported := map[string]bool{}
	for _, c := range chunks {
		if key := sv.find(c); key != "" && !reported[key] {
			reported[key] = true
			t.Errorf("%s shows Swedish %s in %q", url, key, clip(c))
		}
		for _, seg := range append([]string{c}, segmentRE.Split(c, -1)...) {
			if m := swedishDate.FindStringSubmatch(trimText(seg)); m != nil && !reported[m[1]] {
				reported[m[1]] = true
				t.Errorf("%s shows the Swedish name %q in %q", url, m[1], clip(c))
			}
			if n := strings.TrimSpace(seg); swedishNumber.MatchString(n) && !reported[n] {
				reported[n] = true
				t.Errorf("%s shows a number with a decimal comma, %q, in %q", url, n, clip(c))
			}
		}
	}
}

var fileRE = regexp.MustCompile(`(?:href|src)="(/[^"]*)"`)

// fetchFiles gets, in English, the charts (SVG), feeds (Atom) and
// calendars (iCal) pages link to, perShape of each shape.
func fetchFiles(t *testing.T, s *site, session string, pages []crawledPage) []crawledPage {
	t.Helper()
	seen, shapes := map[string]bool{}, map[string]int{}
	var out []crawledPage
	for _, p := range pages {
		for _, m := range fileRE.FindAllSubmatch(p.Body, -1) {
			ref := html.UnescapeString(string(m[1]))
			u, err := url.Parse(ref)
			if err != nil || strings.HasPrefix(u.Path, "/static/") || seen[ref] {
				continue
			}
			if !strings.HasSuffix(u.Path, ".svg") && !strings.HasSuffix(u.Path, ".atom") && !strings.HasSuffix(u.Path, ".ics") && !strings.HasPrefix(u.Path, "/flode") {
				continue
			}
			seen[ref] = true
			if shape := crawlShape(u); shapes[shape] < perShape {
				shapes[shape]++
				out = append(out, crawledPage{URL: ref, Body: getIn(t, s, session, ref, "en")})
			}
		}
	}
	return out
}

// getIn gets path in lang as the language switch sets it, and fails on
// any answer but 200.
func getIn(t *testing.T, s *site, session, path, lang string) []byte {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), "GET", s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Language", lang)
	req.AddCookie(&http.Cookie{Name: i18n.CookieName, Value: lang})
	if session != "" {
		req.AddCookie(&http.Cookie{Name: s.Config.SessionCookie(), Value: session})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s: %d %v", path, resp.StatusCode, err)
	}
	return b
}

// clip shortens a chunk for a failure message.
func clip(s string) string {
	if r := []rune(s); len(r) > 120 {
		return string(r[:120]) + "…"
	}
	return s
}

// TestEnglish_States: what the crawl does not reach – error pages, forms
// sent back with their errors, the API's errors (language by the cookie
// or by Accept-Language) – is in English too.
func TestEnglish_States(t *testing.T) {
	t.Parallel()
	s := mustSite(t)
	sv := loadSwedishUI(t)
	editor := s.mustSession(t, demo.EditorEmail)
	form := "application/x-www-form-urlencoded"
	for _, tt := range []struct {
		name, method, path, session, body, ctype string
		header                                   map[string]string
		status                                   int
		shows                                    string // a class the answer shows its errors in
	}{
		{name: "NotFoundPage", method: "GET", path: "/finns-inte", status: 404},
		{name: "NoWork", method: "GET", path: "/bibliotek/finns-inte", status: 404},
		{name: "NoWorkshopCode", method: "GET", path: "/j/XXXXXX", status: 404},
		{name: "SignInWrong", method: "POST", path: "/logga-in", body: "email=nobody%40example.org&password=wrong", ctype: form, shows: `class="error`},
		{name: "ForgotEmpty", method: "POST", path: "/glomt-losenord", body: "email=", ctype: form},
		{name: "WorkEmpty", method: "POST", path: "/bibliotek", session: editor, body: "title=", ctype: form, shows: `class="error`},
		{name: "CrossEmpty", method: "POST", path: "/scenariekors", session: editor, body: "title=", ctype: form, shows: `class="error`},
		{name: "EventEmpty", method: "POST", path: "/evenemang", session: editor, body: "title=", ctype: form},
		{name: "AccountName", method: "POST", path: "/konto/namn", session: editor, body: "name=", ctype: form, shows: `class="error`},
		{name: "SignInNeeded", method: "GET", path: "/konto/finns-inte", status: 404},
		{name: "APINotFound", method: "GET", path: "/api/v1/organizations/finns-inte", status: 404},
		{name: "APINotFoundHeader", method: "GET", path: "/api/v1/organizations/finns-inte", header: map[string]string{"Accept-Language": "en-GB,en"}, status: 404},
		{name: "APILimit", method: "GET", path: "/api/v1/works?limit=0", status: 422},
		{name: "APISignIn", method: "POST", path: "/api/v1/works", body: "{}", ctype: "application/json", status: 401},
		{name: "APIBadJSON", method: "POST", path: "/api/v1/works", session: editor, body: "{", ctype: "application/json", status: 400},
		{name: "APIInvalid", method: "POST", path: "/api/v1/works", session: editor, body: `{"title":""}`, ctype: "application/json", status: 422},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), tt.method, s.URL+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.ctype != "" {
				req.Header.Set("Content-Type", tt.ctype)
			}
			if tt.header != nil {
				for k, v := range tt.header {
					req.Header.Set(k, v)
				}
			} else {
				req.AddCookie(&http.Cookie{Name: i18n.CookieName, Value: "en"})
			}
			if tt.session != "" {
				req.AddCookie(&http.Cookie{Name: s.Config.SessionCookie(), Value: tt.session})
			}
			c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if tt.status != 0 && resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d: %.300s", resp.StatusCode, tt.status, b)
			}
			if strings.HasPrefix(tt.path, "/api/") {
				var e struct {
					Error struct {
						Code, Message string
						Fields        map[string]string
					}
				}
				if err := json.Unmarshal(b, &e); err != nil || e.Error.Message == "" {
					t.Fatalf("no error body (%v): %.300s", err, b)
				}
				if k := sv.find(e.Error.Message); k != "" {
					t.Errorf("error message in Swedish (%s): %q", k, e.Error.Message)
				}
				for f, m := range e.Error.Fields {
					if k := sv.find(m); k != "" {
						t.Errorf("field %s: message in Swedish (%s): %q", f, k, m)
					}
				}
				return
			}
			if resp.StatusCode >= 300 && resp.StatusCode < 400 {
				t.Fatalf("redirected to %s: the form was accepted", resp.Header.Get("Location"))
			}
			lang, chunks := visibleText(t, b)
			if lang != "en" {
				t.Errorf("<html lang=%q>", lang)
			}
			checkChunks(t, sv, tt.path, chunks)
			if tt.shows != "" && !bytes.Contains(b, []byte(tt.shows)) {
				t.Errorf("the form shows no error: %.500s", b)
			}
		})
	}
}
