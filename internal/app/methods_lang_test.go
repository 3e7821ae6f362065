package app_test

import (
	"net/http"
	"testing"

	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// TestMethodsAPI_Language: the guides answer in English when asked, by
// lang or as the rest of the API picks (Accept-Language, the cookie), in
// Swedish otherwise; an unknown lang is refused; search finds a guide by
// its English name, on both engines.
func TestMethodsAPI_Language(t *testing.T) {
	type guide struct {
		Slug, Name, Purpose string
		Steps               []struct{ Title string }
	}
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			ta := mustApp(t, dsn)
			tests := []struct {
				name, path string
				header     map[string]string
				want       string // the name of the futures wheel
				lang       string
			}{
				{"Swedish", "/api/v1/methods/framtidshjul", nil, "Framtidshjul", "sv"},
				{"LangParam", "/api/v1/methods/framtidshjul?lang=en", nil, "Futures wheel", "en"},
				{"AcceptLanguage", "/api/v1/methods/framtidshjul", map[string]string{"Accept-Language": "en-GB,en;q=0.8"}, "Futures wheel", "en"},
				{"Cookie", "/api/v1/methods/framtidshjul", map[string]string{"Cookie": "framsyn_lang=en"}, "Futures wheel", "en"},
				{"LangOverHeader", "/api/v1/methods/framtidshjul?lang=sv", map[string]string{"Accept-Language": "en"}, "Framtidshjul", "sv"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					var g guide
					resp := ta.do(req{method: "GET", path: tt.path, header: tt.header})
					if got := resp.Header.Get("Content-Language"); got != tt.lang {
						t.Errorf("Content-Language %q, want %q", got, tt.lang)
					}
					decode(t, resp, http.StatusOK, &g)
					if g.Name != tt.want || g.Slug != "framtidshjul" || len(g.Steps) == 0 {
						t.Errorf("got %q (%s), want %q", g.Name, g.Slug, tt.want)
					}
				})
			}
			var list struct{ Items []guide }
			decode(t, ta.do(req{method: "GET", path: "/api/v1/methods?lang=en"}), http.StatusOK, &list)
			names := map[string]string{}
			for _, g := range list.Items {
				names[g.Slug] = g.Name
			}
			if len(list.Items) != 7 || names["tre-horisonter"] != "Three horizons" || names["backcasting"] != "Backcasting" {
				t.Errorf("English list: %v", names)
			}
			if resp := ta.do(req{method: "GET", path: "/api/v1/methods?lang=de"}); resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("lang=de: %d", resp.StatusCode)
			}
			for q, slug := range map[string]string{"futures+wheel": "framtidshjul", "three+horizons": "tre-horisonter", "framtidshjulet": "framtidshjul"} {
				var res struct {
					Items []struct{ Kind, URL string }
				}
				decode(t, ta.do(req{method: "GET", path: "/api/v1/search?kind=method&q=" + q}), http.StatusOK, &res)
				if len(res.Items) == 0 || res.Items[0].Kind != "method" || res.Items[0].URL[len(res.Items[0].URL)-len(slug):] != slug {
					t.Errorf("search %q: %+v", q, res.Items)
				}
			}
		})
	}
}
