package ui

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/web"
)

// TestAssets_FontsByHashedURL: the stylesheet names its fonts by their
// hashed URLs (cached for a year like the stylesheet), its own hash covers
// the rewritten text, and a font is served as font/woff2.
func TestAssets_FontsByHashedURL(t *testing.T) {
	a, err := loadAssets()
	if err != nil {
		t.Fatal(err)
	}
	css := a.body["style.css"]
	if css == nil {
		t.Fatal("style.css is not rewritten")
	}
	if a.hash["style.css"] != contentHash(css) {
		t.Error("style.css's hash is not that of the text served")
	}
	if bytes.Contains(css, []byte("url(fonts/")) {
		t.Error("style.css still names a font by its bare path")
	}
	urls := regexp.MustCompile(`url\((/static/fonts/[^)]+)\)`).FindAllSubmatch(css, -1)
	if len(urls) < 2 {
		t.Fatalf("style.css names %d fonts by hashed URL, want the normal and italic at least", len(urls))
	}
	for _, u := range urls {
		name, h, _ := strings.Cut(strings.TrimPrefix(string(u[1]), "/static/"), "?v=")
		if a.hash[name] != h {
			t.Errorf("%s: hash %s, want %s", u[1], h, a.hash[name])
		}
	}
	for _, tt := range []struct{ name, wantType, wantBody string }{
		{"style.css", "text/css; charset=utf-8", "/static/fonts/"},
		{"fonts/source-sans-3-latin-wght-normal.woff2", "font/woff2", "wOF2"},
		{"icons.svg", "image/svg+xml", "<symbol"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			a.serve(rec, httptest.NewRequest(http.MethodGet, "/static/"+tt.name, nil), tt.name)
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != tt.wantType || !strings.Contains(rec.Body.String(), tt.wantBody) {
				t.Errorf("GET %s: %d %q, want 200 %q with %q", tt.name, rec.Code, rec.Header().Get("Content-Type"), tt.wantType, tt.wantBody)
			}
		})
	}
	if _, err := web.Static.ReadFile("static/fonts/OFL.txt"); err != nil {
		t.Errorf("the font's licence is not beside it: %v", err)
	}
}

// TestIcons_EveryWorkType: each work type has its icon in the sprite.
func TestIcons_EveryWorkType(t *testing.T) {
	svg, err := web.Static.ReadFile("static/icons.svg")
	if err != nil {
		t.Fatal(err)
	}
	for _, ty := range library.Types {
		if !bytes.Contains(svg, []byte(`<symbol id="type-`+string(ty)+`"`)) {
			t.Errorf("icons.svg has no symbol type-%s", ty)
		}
	}
}

// TestLibraryCard_Cover: a work whose editors chose a cover shows it on its
// card, decorative (its title is beside it) and sized before it loads; a
// work without one, or whose cover is not an image, shows none.
func TestLibraryCard_Cover(t *testing.T) {
	a, err := loadAssets()
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := parseTemplates(a)
	if err != nil {
		t.Fatal(err)
	}
	hash := strings.Repeat("ab", 32)
	img := library.Attachment{Hash: hash, Name: "omslag.png", MediaType: "image/png", Size: 10}
	pdf := library.Attachment{Hash: hash, Name: "rapport.pdf", MediaType: "application/pdf", Size: 10}
	for _, tt := range []struct {
		name      string
		work      library.Work
		wantCover bool
	}{
		{"Chosen", library.Work{Attachments: []library.Attachment{img}, CoverImage: hash}, true},
		{"NotChosen", library.Work{Attachments: []library.Attachment{img}}, false},
		{"NotAnImage", library.Work{Attachments: []library.Attachment{pdf}, CoverImage: hash}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.work
			w.Slug, w.Title, w.Type, w.Visibility = "vastra-scenarier", "Västra scenarier", library.TypeScenario, library.Public
			p := &libraryPage{Items: []workItem{{Work: w}}, First: 1, Last: 1}
			p.Translator, p.Path, p.Actor = i18n.MustLoad().For("sv"), "/bibliotek", &account.Actor{}
			var buf bytes.Buffer
			if err := tmpl["library"].ExecuteTemplate(&buf, "base", p); err != nil {
				t.Fatal(err)
			}
			html := buf.String()
			want := `<img class="card-cover" src="/bibliotek/vastra-scenarier/bilagor/` + hash + `" alt="" width="480" height="270"`
			if got := strings.Contains(html, want); got != tt.wantCover {
				t.Errorf("cover shown %v, want %v", got, tt.wantCover)
			}
			if !strings.Contains(html, `<use href="`+a.url("icons.svg")+`#type-scenario">`) {
				t.Error("the card has no icon of its type")
			}
		})
	}
}
