package app_test

import (
	"net/http"
	"regexp"
	"testing"
)

// TestNavigation_OnlyAreasThatExist is issue 21 item 11: the menu and the
// front page's areas link only to areas that are mounted, every link
// answers with a page, and an area not built yet has no page.
func TestNavigation_OnlyAreasThatExist(t *testing.T) {
	ta := mustApp(t, sqliteDSN(t))
	body := readBody(t, ta.do(req{method: "GET", path: "/"}))
	nav := regexp.MustCompile(`(?s)<nav aria-label="[^"]*">(.*?)</nav>`).FindStringSubmatch(body)
	if nav == nil {
		t.Fatal("no navigation on the front page")
	}
	links := regexp.MustCompile(`href="([^"]+)"`).FindAllStringSubmatch(nav[1], -1)
	var got []string
	for _, l := range links {
		got = append(got, l[1])
		if resp := ta.do(req{method: "GET", path: l[1]}); resp.StatusCode != http.StatusOK {
			t.Errorf("the menu links to %s, which answers %d", l[1], resp.StatusCode)
		}
	}
	for _, want := range []string{"/bibliotek", "/workshoppar", "/natverket"} {
		if !regexp.MustCompile(`href="` + want + `"`).MatchString(nav[1]) {
			t.Errorf("menu %v lacks %s", got, want)
		}
	}
	for _, path := range []string{"/scenariekors", "/signaler", "/analys"} {
		linked := regexp.MustCompile(`href="` + path + `"`).MatchString(body)
		status := ta.do(req{method: "GET", path: path}).StatusCode
		if linked != (status == http.StatusOK) {
			t.Errorf("%s: linked from the front page %v, answers %d: a link only to an area that is there", path, linked, status)
		}
	}
}
