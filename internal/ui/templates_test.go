package ui

import (
	"html/template"
	"io"
	"reflect"
	"slices"
	"sync"
	"testing"
	"text/template/parse"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/i18n"
)

// signedInPages are only ever shown to a signed-in user.
var signedInPages = map[string]bool{"account": true}

// pageTypes is the data type each page template is executed with. A page
// without an entry fails TestTemplates_EveryPage; a new area adds its
// pages from its own test file with addPageType.
var pageTypes = map[string]pageData{
	"accessibility":     &struct{ base }{},
	"account":           &accountPage{},
	"error":             &errorPage{},
	"forgot":            &forgotPage{},
	"home":              &homePage{},
	"invitation":        &invitationPage{},
	"library":           &libraryPage{},
	"library_form":      &workFormPage{},
	"library_import":    &importPage{},
	"library_revisions": &revisionsPage{},
	"library_work":      &workPage{},
	"login":             &loginPage{},
	"members":           &membersPage{},
	"network":           &orgsPage{},
	"organisation":      &orgShowPage{},
	"organisation_form": &orgFormPage{},
	"organisations":     &orgsPage{},
	"reset":             &resetPage{},
	"search":            &searchPage{},
	"users":             &usersPage{},
}

// addPageType adds a page template and its data type to the check (as a
// package variable's initialiser, so it runs before the tests).
func addPageType(name string, zero pageData) bool {
	pageTypes[name] = zero
	return true
}

// TestTemplates_EveryPage executes every page template with a filled value
// of its page type, in each language, as a signed-in user and as the
// public: a field or method a template names that the type lacks, or one
// that fails on data, fails here rather than on a page in production.
func TestTemplates_EveryPage(t *testing.T) {
	a, err := loadAssets()
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := parseTemplates(a)
	if err != nil {
		t.Fatal(err)
	}
	cat := i18n.MustLoad()
	for name := range tmpl {
		if _, ok := pageTypes[name]; !ok {
			t.Errorf("page template %q has no entry in pageTypes", name)
		}
	}
	for name, zero := range pageTypes {
		if tmpl[name] == nil {
			t.Errorf("pageTypes names %q, which is no page template", name)
			continue
		}
		for _, lang := range i18n.Languages {
			for _, signedIn := range []bool{false, true} {
				if !signedIn && signedInPages[name] {
					continue
				}
				data := filled(reflect.TypeOf(zero).Elem(), 0).Addr().Interface().(pageData)
				b := data.page()
				b.Translator, b.Path, b.Errors, b.Form = cat.For(lang), "/", nil, nil
				b.Actor = &account.Actor{}
				if signedIn {
					b.Actor = &account.Actor{User: &account.User{ID: 1, Name: "Fia", Email: "fia@example.se"}}
				}
				if err := tmpl[name].ExecuteTemplate(io.Discard, "base", data); err != nil {
					t.Errorf("%s (%s, signed in %v): %v", name, lang, signedIn, err)
				}
			}
		}
	}
}

// filled returns a value of type t with every pointer set, every slice of
// one element and every string, number and time non-zero, so a template
// reaches every field it names. Interfaces and funcs stay nil.
func filled(t reflect.Type, depth int) reflect.Value {
	v := reflect.New(t).Elem()
	if depth > 6 {
		return v
	}
	switch t.Kind() {
	case reflect.Pointer:
		v.Set(filled(t.Elem(), depth+1).Addr())
	case reflect.Struct:
		if t == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)))
			break
		}
		for i := range t.NumField() {
			if f := v.Field(i); f.CanSet() {
				f.Set(filled(t.Field(i).Type, depth+1))
			} else if t.Field(i).Type.Kind() != reflect.Func {
				// Unexported fields: set through an addressable copy.
				reflect.NewAt(f.Type(), f.Addr().UnsafePointer()).Elem().Set(filled(f.Type(), depth+1))
			}
		}
	case reflect.Slice:
		v.Set(reflect.Append(reflect.MakeSlice(t, 0, 1), filled(t.Elem(), depth+1)))
	case reflect.Map:
		v.Set(reflect.MakeMap(t))
	case reflect.String:
		v.SetString("x")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1)
	case reflect.Bool:
		v.SetBool(true)
	}
	return v
}

// TestTemplates_CatalogueKeys fails for a catalogue key a template names
// literally ({{.T "library.title"}}) that the catalogue lacks, on any page
// or partial.
func TestTemplates_CatalogueKeys(t *testing.T) {
	a, err := loadAssets()
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := parseTemplates(a)
	if err != nil {
		t.Fatal(err)
	}
	cat := i18n.MustLoad()
	keys := map[string]bool{}
	for _, lang := range i18n.Languages {
		for _, k := range cat.Keys(lang) {
			keys[lang+" "+k] = true
		}
	}
	seen := 0
	for page, pt := range tmpl {
		for _, def := range pt.Templates() {
			if def.Tree == nil {
				continue
			}
			for _, key := range literalKeys(def.Tree.Root) {
				seen++
				for _, lang := range i18n.Languages {
					if !keys[lang+" "+key] {
						t.Errorf("%s (template %q) names %q, missing from %s.json", page, def.Name(), key, lang)
					}
				}
			}
		}
	}
	if seen < 100 {
		t.Fatalf("found only %d literal keys: the walk misses calls of T", seen)
	}
}

// literalKeys returns the string literals a template passes as the first
// argument of T: .T "key", $.T "key", (.T "key" .Arg).
func literalKeys(n parse.Node) []string {
	var out []string
	var walk func(parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case nil:
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(c)
				}
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.TemplateNode:
			walk(n.Pipe)
		case *parse.PipeNode:
			if n != nil {
				for _, c := range n.Cmds {
					walk(c)
				}
			}
		case *parse.CommandNode:
			if len(n.Args) >= 2 && isT(n.Args[0]) {
				if s, ok := n.Args[1].(*parse.StringNode); ok {
					out = append(out, s.Text)
				}
			}
			for _, a := range n.Args {
				walk(a)
			}
		case *parse.ChainNode:
			walk(n.Node)
		}
	}
	walk(n)
	return out
}

func isT(n parse.Node) bool {
	var ident []string
	switch n := n.(type) {
	case *parse.FieldNode:
		ident = n.Ident
	case *parse.VariableNode:
		ident = n.Ident
	}
	return len(ident) > 0 && ident[len(ident)-1] == "T" && !slices.Contains(ident[:len(ident)-1], "")
}

// Pages are parsed when first rendered, by whichever requests come first:
// many at once, for every page, get each page's one template (run with
// -race).
func TestTemplates_FirstRendersAtOnce(t *testing.T) {
	a, err := loadAssets()
	if err != nil {
		t.Fatal(err)
	}
	ts, err := newTemplates(a)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]map[string]*template.Template, 8)
	var wg sync.WaitGroup
	for i := range got {
		got[i] = map[string]*template.Template{}
		wg.Go(func() {
			for name := range ts.pages {
				pt, err := ts.page(name)
				if err != nil {
					t.Error(err)
					return
				}
				got[i][name] = pt
			}
		})
	}
	wg.Wait()
	for name := range ts.pages {
		for i := range got {
			if got[i][name] != got[0][name] {
				t.Fatalf("page %s parsed more than once", name)
			}
		}
	}
	if _, err := ts.page("no-such-page"); err == nil {
		t.Fatal("a page that does not exist has a template")
	}
}
