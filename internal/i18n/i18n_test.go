package i18n

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestCatalogues_SameKeys(t *testing.T) {
	c := MustLoad()
	ref := c.Keys("sv")
	if len(ref) == 0 {
		t.Fatal("sv.json is empty")
	}
	for _, lang := range Languages[1:] {
		have := map[string]bool{}
		for _, k := range c.Keys(lang) {
			have[k] = true
			if _, ok := c["sv"][k]; !ok {
				t.Errorf("%s.json has %q, sv.json does not", lang, k)
			}
		}
		for _, k := range ref {
			if !have[k] {
				t.Errorf("%s.json lacks %q", lang, k)
			}
		}
		for _, k := range ref {
			if strings.Count(c["sv"][k], "%") != strings.Count(c[lang][k], "%") {
				t.Errorf("%s: %q has other format verbs than in sv.json", lang, k)
			}
		}
	}
}

func TestNegotiate(t *testing.T) {
	tests := []struct {
		name, cookie, accept, want, wantHeader string
	}{
		{"Default", "", "", "sv", "sv"},
		{"EnglishBrowserGetsSwedish", "", "en-GB,en;q=0.9", "sv", "en"},
		{"AcceptSwedishFirst", "", "sv-SE,en;q=0.5", "sv", "sv"},
		{"AcceptUnknown", "", "fi-FI", "sv", "sv"},
		{"ChosenEnglish", "en", "sv-SE", "en", "en"},
		{"ChosenSwedish", "sv", "en", "sv", "sv"},
		{"BadCookieIgnored", "xx", "en", "sv", "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			if tt.accept != "" {
				r.Header.Set("Accept-Language", tt.accept)
			}
			if tt.cookie != "" {
				r.Header.Set("Cookie", CookieName+"="+tt.cookie)
			}
			if got := Negotiate(r); got != tt.want {
				t.Errorf("Negotiate = %q, want %q", got, tt.want)
			}
			if got := NegotiateHeader(r); got != tt.wantHeader {
				t.Errorf("NegotiateHeader = %q, want %q", got, tt.wantHeader)
			}
		})
	}
}

func TestTranslator_FallsBack(t *testing.T) {
	c := MustLoad()
	tr := c.For("xx")
	if tr.Lang != "sv" {
		t.Fatalf("unknown language gave %q", tr.Lang)
	}
	if got := tr.T("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key gave %q", got)
	}
}
