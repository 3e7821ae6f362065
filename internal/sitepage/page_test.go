package sitepage

import (
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/i18n"
)

// TestDefault: every page has a text shipped in every language, with a
// title and a body.
func TestDefault(t *testing.T) {
	for _, slug := range Slugs {
		for _, lang := range i18n.Languages {
			p, err := Default(slug, lang)
			if err != nil {
				t.Errorf("%s.%s: %v", slug, lang, err)
				continue
			}
			if p.Title == "" || strings.HasPrefix(p.Title, "#") || len(p.Body) < 100 {
				t.Errorf("%s.%s: title %q, body of %d bytes", slug, lang, p.Title, len(p.Body))
			}
		}
	}
	if _, err := Default("finns-inte", "sv"); err == nil {
		t.Error("a page that is not one has a default")
	}
}
