package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// actionRE is a template action; comments included.
var actionRE = regexp.MustCompile(`(?s)\{\{.*?\}\}`)

// wordRE is a word a person reads: two letters or more.
var wordRE = regexp.MustCompile(`\pL{2,}`)

// notTranslated are the words a template may write as they are: the
// product's name, the language switch's names (each in its own language,
// marked with lang), file formats and a URL scheme.
var notTranslated = []string{"framsyn", "English", "Svenska", "CSV", "JSON", "SVG", "PNG", "Excel", "XLSX", "https"}

// textAttrs are the attributes a browser shows or reads out.
var textAttrs = []string{"aria-label", "aria-description", "aria-roledescription", "title", "placeholder", "alt"}

// TestTemplates_NoLiteralText: every word a template shows – text and the
// attributes that are read out – comes from the catalogue, so a page in
// English has no Swedish written into its template.
func TestTemplates_NoLiteralText(t *testing.T) {
	root := filepath.Join("..", "..", "web", "templates")
	n := 0
	err := fs.WalkDir(os.DirFS(root), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		b, err := os.ReadFile(filepath.Join(root, path))
		if err != nil {
			return err
		}
		n++
		for _, w := range literalWords(actionRE.ReplaceAllString(string(b), "\u2063")) {
			t.Errorf("%s: %q is not from the catalogue", path, w)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 40 {
		t.Fatalf("read only %d templates", n)
	}
}

// literalWords returns the text and read-out attribute values of a page
// template (its actions replaced by a separator) that hold a word.
func literalWords(src string) []string {
	var out []string
	check := func(s string) {
		for _, w := range wordRE.FindAllString(s, -1) {
			if !slices.Contains(notTranslated, w) {
				out = append(out, strings.TrimSpace(strings.ReplaceAll(s, "\u2063", "…")))
				return
			}
		}
	}
	z := html.NewTokenizer(strings.NewReader(src))
	skip := ""
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return out
		case html.TextToken:
			if skip == "" {
				check(string(z.Text()))
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == skip {
				skip = ""
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			if tt == html.StartTagToken && (string(name) == "script" || string(name) == "style") {
				skip = string(name)
			}
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				if slices.Contains(textAttrs, string(k)) {
					check(string(v))
				}
			}
		}
	}
}

// swedishRE is a Swedish letter, or a common Swedish word a UI writes.
var swedishRE = regexp.MustCompile(`[åäöÅÄÖ]|\b(?:och|inte|för|Visa|Spara|Sök|Ändra|Ta bort|Avbryt|Skicka|Logga)\b`)

// TestHandlers_NoSwedishLiterals: the HTML and API handlers put no
// Swedish text of their own on a page or in an answer: a string literal
// with a Swedish letter or word is a path, a key or a name, never words
// for a person, which come from the catalogue.
func TestHandlers_NoSwedishLiterals(t *testing.T) {
	// Literals that hold Swedish on purpose: paths and slugs are Swedish
	// (found by the words' check only), nothing else is allowed.
	for _, dir := range []string{".", filepath.Join("..", "api")} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			fset := token.NewFileSet()
			file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(file, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "GET ") || strings.HasPrefix(s, "POST ") {
					return true // a path or a route: Swedish by design
				}
				if swedishRE.MatchString(s) {
					t.Errorf("%s: %q: Swedish text not from the catalogue", fset.Position(lit.Pos()), s)
				}
				return true
			})
		}
	}
}
