package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/post"
	"github.com/framsyn/framsyn/internal/search"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// matrixPosts are the posts the authorization matrix edits and deletes.
type matrixPosts struct {
	a, aGone, b int64 // a post of A, one of A to delete, one of B
}

func newMatrixPosts(t *testing.T, ta *testApp, a, b *account.Organisation, admin *account.User) matrixPosts {
	t.Helper()
	return matrixPosts{
		a:     ta.mustPost(admin, a.ID, "En post om scenarier.", post.Public).ID,
		aGone: ta.mustPost(admin, a.ID, "En post att ta bort.", post.Network).ID,
		b:     ta.mustPost(admin, b.ID, "En post i en dold organisation.", post.Public).ID,
	}
}

// The posts' cases of the authorization matrix: writing, editing and
// deleting posts of A and B.
var _ = addMatrixArea(func(t *testing.T, f *matrixFixture) []matrixCase {
	v := form
	posts := newMatrixPosts(t, f.ta, f.orgs["org-a"], f.orgs["org-b"], f.users[5])
	postForm := v("body", "Vi planerar en framsynsdag.", "visibility", "public")
	return []matrixCase{
		{pattern: "POST /organisationer/{slug}/poster", method: "POST", path: "/organisationer/org-a/poster", form: postForm, want: [6]int{see, forb, see, see, forb, see}},
		{pattern: "POST /organisationer/{slug}/poster", method: "POST", path: "/organisationer/org-b/poster", form: postForm, want: [6]int{see, nf, nf, nf, see, see}},
		{pattern: "POST /organisationer/{slug}/poster", method: "POST", path: "/organisationer/org-a/poster", form: v("body", ""), want: [6]int{see, forb, bad, bad, forb, bad}},
		{pattern: "POST /organisationer/{slug}/poster/{id}", method: "POST", path: fmt.Sprintf("/organisationer/org-a/poster/%d", posts.a), form: postForm, want: [6]int{see, forb, see, see, forb, see}},
		// A post of B reached through A's address: never found, whoever asks.
		{pattern: "POST /organisationer/{slug}/poster/{id}", method: "POST", path: fmt.Sprintf("/organisationer/org-a/poster/%d", posts.b), form: postForm, want: [6]int{see, nf, nf, nf, nf, nf}},
		{pattern: "POST /organisationer/{slug}/poster/{id}", method: "POST", path: "/organisationer/org-a/poster/inte-ett-id", form: postForm, want: [6]int{see, nf, nf, nf, nf, nf}},
		{pattern: "POST /organisationer/{slug}/poster/{id}/ta-bort", method: "POST", path: fmt.Sprintf("/organisationer/org-a/poster/%d/ta-bort", posts.aGone), want: [6]int{see, forb, see, see, forb, see}},
		{pattern: "POST /organisationer/{slug}/poster/{id}/ta-bort", method: "POST", path: fmt.Sprintf("/organisationer/org-b/poster/%d/ta-bort", posts.b), want: [6]int{see, nf, nf, nf, see, see}},
	}
})

// mustPost publishes a post as u through the service.
func (ta *testApp) mustPost(u *account.User, orgID int64, body string, vis post.Visibility) *post.Post {
	ta.t.Helper()
	a, err := ta.Accounts.SessionActor(context.Background(), ta.mintSession(u))
	if err != nil {
		ta.t.Fatal(err)
	}
	p, err := ta.Posts.Create(context.Background(), a, &post.Post{OrganisationID: orgID, Body: body, Visibility: vis})
	if err != nil {
		ta.t.Fatalf("create post: %v", err)
	}
	return p
}

// postFixture: public org A with a member, an editor; hidden org B with
// an editor; a platform admin; a signed-in user of no organisation.
type postFixture struct {
	ta                                    *testApp
	a, b                                  *account.Organisation
	sMember, sEditor, sEditorB, sOutsider string
	editor                                *account.User
}

func newPostFixture(t *testing.T, dsn string) *postFixture {
	ta := mustApp(t, dsn)
	f := &postFixture{ta: ta, a: ta.mustOrg("org-a", true), b: ta.mustOrg("org-b", false)}
	member := ta.mustUser("member@a.se", "Medlem A", false)
	f.editor = ta.mustUser("editor@a.se", "Redaktör A", false)
	editorB := ta.mustUser("editor@b.se", "Redaktör B", false)
	outsider := ta.mustUser("utan@org.se", "Utan Organisation", false)
	ta.mustMember(member, f.a, account.RoleMember)
	ta.mustMember(f.editor, f.a, account.RoleEditor)
	ta.mustMember(editorB, f.b, account.RoleEditor)
	f.sMember, f.sEditor, f.sEditorB, f.sOutsider = ta.mintSession(member), ta.mintSession(f.editor), ta.mintSession(editorB), ta.mintSession(outsider)
	return f
}

// TestPosts_CreateEditDelete: the editor posts, edits and deletes; a
// member and another organisation's editor cannot; the page shows the
// result each time.
func TestPosts_CreateEditDelete(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		f := newPostFixture(t, dsn)
		ta := f.ta
		form := func(body, vis string) url.Values { return url.Values{"body": {body}, "visibility": {vis}} }

		resp := ta.do(req{method: "POST", path: "/organisationer/org-a/poster", session: f.sMember, form: form("Medlemmen skriver.", "public")})
		expect(t, resp, http.StatusForbidden)
		resp = ta.do(req{method: "POST", path: "/organisationer/org-a/poster", session: f.sEditorB, form: form("Fel organisation.", "public")})
		expect(t, resp, http.StatusForbidden)
		resp = ta.do(req{method: "POST", path: "/organisationer/org-a/poster", session: f.sEditor, form: form("Vi har **hållit** en workshop om designfiktioner.", "public")})
		expect(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/organisationer/org-a#pa-gang" {
			t.Errorf("redirect to %q", loc)
		}
		posts, err := ta.Posts.List(context.Background(), nil, f.a.ID, 10)
		if err != nil || len(posts) != 1 {
			t.Fatalf("posts = %+v, %v", posts, err)
		}
		p := posts[0]
		if p.AuthorID != f.editor.ID || p.Visibility != post.Public {
			t.Errorf("post = %+v", p)
		}
		page := expect(t, ta.do(req{method: "GET", path: "/organisationer/org-a"}), http.StatusOK)
		if !strings.Contains(page, "<strong>hållit</strong> en workshop") || !strings.Contains(page, fmt.Sprintf(`id="post-%d"`, p.ID)) {
			t.Errorf("the page does not show the post:\n%.3000s", page)
		}
		if strings.Contains(page, `action="/organisationer/org-a/poster"`) {
			t.Error("the public sees the post form")
		}
		page = expect(t, ta.do(req{method: "GET", path: "/organisationer/org-a", session: f.sEditor}), http.StatusOK)
		if !strings.Contains(page, `action="/organisationer/org-a/poster"`) || !strings.Contains(page, fmt.Sprintf(`action="/organisationer/org-a/poster/%d"`, p.ID)) {
			t.Error("the editor sees no post form or edit form")
		}
		page = expect(t, ta.do(req{method: "GET", path: "/organisationer/org-a", session: f.sMember}), http.StatusOK)
		if strings.Contains(page, `action="/organisationer/org-a/poster"`) {
			t.Error("a member sees the post form")
		}

		edit := fmt.Sprintf("/organisationer/org-a/poster/%d", p.ID)
		expect(t, ta.do(req{method: "POST", path: edit, session: f.sMember, form: form("Ändrat av medlem.", "public")}), http.StatusForbidden)
		expect(t, ta.do(req{method: "POST", path: edit, session: f.sEditorB, form: form("Ändrat av B.", "public")}), http.StatusForbidden)
		expect(t, ta.do(req{method: "POST", path: edit, session: f.sEditor, form: form("Bara för nätverket nu.", "network")}), http.StatusSeeOther)
		got, err := ta.Posts.Get(context.Background(), nil, p.ID)
		if err == nil {
			t.Errorf("the public sees a network post: %+v", got)
		}

		del := edit + "/ta-bort"
		expect(t, ta.do(req{method: "POST", path: del, session: f.sMember}), http.StatusForbidden)
		expect(t, ta.do(req{method: "POST", path: del, session: f.sEditorB}), http.StatusForbidden)
		expect(t, ta.do(req{method: "POST", path: del, session: f.sEditor}), http.StatusSeeOther)
		expect(t, ta.do(req{method: "POST", path: del, session: f.sEditor}), http.StatusNotFound)
	})
}

// TestPosts_FormErrors: an empty or too long post shows the page again
// with the input, an error summary and the field's message.
func TestPosts_FormErrors(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		f := newPostFixture(t, dsn)
		tests := []struct {
			name, body, vis, want string
		}{
			{"ErrBodyRequired", "   ", "public", "Skriv något i posten."},
			{"ErrBodyTooLong", strings.Repeat("å", post.MaxBodyLen+1), "public", "Posten är för lång."},
			{"ErrVisibility", "Hej", "draft", "Välj vem som får läsa posten."},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				resp := f.ta.do(req{method: "POST", path: "/organisationer/org-a/poster", session: f.sEditor,
					form: url.Values{"body": {tc.body}, "visibility": {tc.vis}}})
				page := expect(t, resp, http.StatusUnprocessableEntity)
				if !strings.Contains(page, tc.want) || !strings.Contains(page, `class="errors" role="alert"`) {
					t.Errorf("page lacks %q or the error summary", tc.want)
				}
				if tc.name == "ErrBodyTooLong" && !strings.Contains(page, strings.Repeat("å", 100)) {
					t.Error("the input is lost")
				}
			})
		}
		posts, err := f.ta.Posts.List(context.Background(), &account.Actor{User: &account.User{ID: 1, IsAdmin: true}}, 0, 10)
		if err != nil || len(posts) != 0 {
			t.Errorf("posts after invalid input = %d, %v", len(posts), err)
		}
		t.Run("ErrEditShowsItsForm", func(t *testing.T) {
			p := f.ta.mustPost(f.editor, f.a.ID, "Första versionen.", post.Public)
			resp := f.ta.do(req{method: "POST", path: fmt.Sprintf("/organisationer/org-a/poster/%d", p.ID), session: f.sEditor,
				form: url.Values{"body": {""}, "visibility": {"network"}}})
			page := expect(t, resp, http.StatusUnprocessableEntity)
			for _, want := range []string{fmt.Sprintf(`id="body-%d-error"`, p.ID), fmt.Sprintf(`href="#body-%d"`, p.ID), "<details open>",
				fmt.Sprintf(`id="visibility-%d-network" value="network" checked`, p.ID)} {
				if !strings.Contains(page, want) {
					t.Errorf("page lacks %s", want)
				}
			}
			if strings.Contains(page, `id="body-error"`) {
				t.Error("the error shows on the new post's form")
			}
		})
	})
}

// TestPosts_Visibility: a network post is invisible to the public on the
// organisation page, the front page and in search; a hidden
// organisation's posts only reach its members. Markdown is sanitised.
func TestPosts_Visibility(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		f := newPostFixture(t, dsn)
		ta := f.ta
		ta.mustPost(f.editor, f.a.ID, "Öppen nyhet: vi skrev scenarier <script>alert(1)</script>[x](javascript:alert(2)).", post.Public)
		ta.mustPost(f.editor, f.a.ID, "Intern nyhet: designfiktionerna är klara.", post.Network)
		admin := ta.mustUser("admin@framsyn.se", "Admin", true)
		ta.mustPost(admin, f.b.ID, "Dold nyhet: backcastingen gick bra.", post.Public)

		viewers := []struct {
			name    string
			session string
			see     []string
			notSee  []string
		}{
			{"Public", "", []string{"Öppen nyhet"}, []string{"Intern nyhet", "Dold nyhet"}},
			{"SignedIn", f.sOutsider, []string{"Öppen nyhet", "Intern nyhet"}, []string{"Dold nyhet"}},
			{"MemberOfHidden", f.sEditorB, []string{"Öppen nyhet", "Intern nyhet", "Dold nyhet"}, nil},
		}
		for _, v := range viewers {
			t.Run(v.name, func(t *testing.T) {
				home := expect(t, ta.do(req{method: "GET", path: "/", session: v.session}), http.StatusOK)
				orgA := expect(t, ta.do(req{method: "GET", path: "/organisationer/org-a", session: v.session}), http.StatusOK)
				for _, s := range v.see {
					if !strings.Contains(home, s) {
						t.Errorf("front page lacks %q", s)
					}
				}
				for _, s := range v.notSee {
					if strings.Contains(home, s) || strings.Contains(orgA, s) {
						t.Errorf("%q shown", s)
					}
				}
				if strings.Contains(orgA, "<script>alert") || strings.Contains(orgA, "javascript:alert") {
					t.Error("unsanitised Markdown on the organisation page")
				}
				a, err := ta.Accounts.SessionActor(context.Background(), v.session)
				if v.session == "" {
					a, err = nil, nil
				}
				if err != nil {
					t.Fatal(err)
				}
				res, err := ta.Stores.Index.Search(context.Background(), search.Query{Text: "nyheter", Kinds: []string{post.Kind}, Viewer: account.ViewerOf(a)})
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Hits) != len(v.see) {
					t.Errorf("search for an inflected word finds %d posts, want %d: %+v", len(res.Hits), len(v.see), res.Hits)
				}
			})
		}
	})
}

// TestFrontPage_News: the front page lists the newest works and posts
// with links, and leaves out what the viewer may not see.
func TestFrontPage_News(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			f := newPostFixture(t, dsn)
			ta := f.ta
			admin := ta.mustUser("admin@framsyn.se", "Admin", true)
			aa, err := ta.Accounts.SessionActor(context.Background(), ta.mintSession(admin))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range []library.Work{
				{Title: "Region Artica", Type: library.TypeScenario, OrganisationID: f.a.ID, Visibility: library.Public},
				{Title: "Hemligt utkast", Type: library.TypeScenario, OrganisationID: f.a.ID, Visibility: library.Draft},
				{Title: "Dold organisations scenario", Type: library.TypeScenario, OrganisationID: f.b.ID, Visibility: library.Organisation},
			} {
				if _, err := ta.Library.Create(context.Background(), aa, &w); err != nil {
					t.Fatal(err)
				}
			}
			p := ta.mustPost(f.editor, f.a.ID, "Trendworkshop på gång i Östersund.", post.Public)
			home := expect(t, ta.do(req{method: "GET", path: "/"}), http.StatusOK)
			for _, s := range []string{"Nytt i nätverket", `href="/bibliotek/region-artica"`, "Region Artica", "Org org-a",
				fmt.Sprintf(`href="/organisationer/org-a#post-%d"`, p.ID), "Trendworkshop på gång i Östersund."} {
				if !strings.Contains(home, s) {
					t.Errorf("front page lacks %q", s)
				}
			}
			for _, s := range []string{"Hemligt utkast", "Dold organisations scenario"} {
				if strings.Contains(home, s) {
					t.Errorf("front page shows %q to the public", s)
				}
			}
			home = expect(t, ta.do(req{method: "GET", path: "/", session: f.sEditorB}), http.StatusOK)
			if !strings.Contains(home, "Dold organisations scenario") || strings.Contains(home, "Hemligt utkast") {
				t.Error("a member of B: wrong works on the front page")
			}
			orgPage := expect(t, ta.do(req{method: "GET", path: "/organisationer/org-a"}), http.StatusOK)
			if !strings.Contains(orgPage, `href="/bibliotek/region-artica"`) || strings.Contains(orgPage, "Hemligt utkast") {
				t.Error("the organisation page shows the wrong works to the public")
			}
			orgPage = expect(t, ta.do(req{method: "GET", path: "/organisationer/org-a", session: f.sEditor}), http.StatusOK)
			if !strings.Contains(orgPage, "Hemligt utkast") {
				t.Error("the editor does not see the organisation's draft on its page")
			}
		})
	}
}

// TestPosts_FeedsAndSiteSearch: public posts are in the site's and the
// organisation's Atom feeds and found on /sok by an inflected word; a
// network post is in neither for the public, and /sok shows it to the
// signed in.
func TestPosts_FeedsAndSiteSearch(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		f := newPostFixture(t, dsn)
		ta := f.ta
		pub := ta.mustPost(f.editor, f.a.ID, "Vi har gjort ett regionalt scenario om vården.", post.Public)
		ta.mustPost(f.editor, f.a.ID, "Internt om designfiktionerna och scenariot för skolan.", post.Network)
		link := fmt.Sprintf("/organisationer/org-a#post-%d", pub.ID)
		for _, path := range []string{"/flode.atom", "/organisationer/org-a/flode.atom"} {
			body := expect(t, ta.do(req{method: "GET", path: path}), http.StatusOK)
			if !strings.Contains(body, link) || !strings.Contains(body, "ett regionalt scenario") {
				t.Errorf("%s lacks the public post", path)
			}
			if strings.Contains(body, "Internt om") {
				t.Errorf("%s carries the network post", path)
			}
		}
		body := expect(t, ta.do(req{method: "GET", path: "/bibliotek/typ/scenario/flode.atom"}), http.StatusOK)
		if strings.Contains(body, "regionalt scenario") {
			t.Error("a feed of one work type carries a post")
		}
		page := expect(t, ta.do(req{method: "GET", path: "/sok?q=scenarier"}), http.StatusOK)
		if !strings.Contains(page, link) || strings.Contains(page, "Internt om") {
			t.Errorf("/sok as the public: want the public post only\n%.3000s", page)
		}
		page = expect(t, ta.do(req{method: "GET", path: "/sok?q=scenarier", session: f.sOutsider}), http.StatusOK)
		if !strings.Contains(page, "designfiktionerna") {
			t.Error("/sok signed in: the network post is missing")
		}
	})
}
