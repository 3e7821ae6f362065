package app_test

import (
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/library"
)

// TestLibraryPages_WorksWithoutContent is issue 21 item 8: a work without
// a link or a file says so to everyone, prompts its editors to add one,
// and the library's filter lists exactly such works, browsing and
// searching.
func TestLibraryPages_WorksWithoutContent(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		f := newLibFixture(t, dsn)
		f.mustWork(t, "podden", "Podden om framtiden", library.Public)
		f.mustWork(t, "rapporten", "Rapporten om framtiden", library.Public, func(w *library.Work) {
			w.Links = []library.Link{{Kind: library.LinkWeb, URL: "https://example.se/rapport"}}
		})
		public := readBody(t, f.ta.do(req{method: "GET", path: "/bibliotek/podden"}))
		if !strings.Contains(public, `id="innehall-saknas"`) || strings.Contains(public, "/bibliotek/podden/redigera#links") {
			t.Error("the public does not see that the content is missing, or is asked to add it")
		}
		editor := readBody(t, f.ta.do(req{method: "GET", path: "/bibliotek/podden", session: f.sEditor}))
		if !strings.Contains(editor, "/bibliotek/podden/redigera#links") || !strings.Contains(editor, `href="#file"`) {
			t.Error("the editor is not asked to add the link or file")
		}
		if linked := readBody(t, f.ta.do(req{method: "GET", path: "/bibliotek/rapporten"})); strings.Contains(linked, `id="innehall-saknas"`) {
			t.Error("a work with a link says its content is missing")
		}
		for _, path := range []string{"/bibliotek?innehall=saknas", "/bibliotek?innehall=saknas&q=framtiden"} {
			body := readBody(t, f.ta.do(req{method: "GET", path: path}))
			if !strings.Contains(body, `href="/bibliotek/podden"`) || strings.Contains(body, `href="/bibliotek/rapporten"`) {
				t.Errorf("%s does not list exactly the work without content", path)
			}
			if !strings.Contains(body, `id="innehall" name="innehall" value="saknas" checked`) {
				t.Errorf("%s: the filter is not shown as chosen", path)
			}
		}
	})
}
