package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/analysis"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/paths"
)

// The comment kinds of crosses and analyses in the authorization matrix:
// a public cross and analysis of A, an organisation-only cross and a
// draft analysis of B. A comment on one the caller cannot see is refused
// with 404, and its thread is not listed.
var _ = addMatrixArea(func(t *testing.T, f *matrixFixture) []matrixCase {
	ctx := context.Background()
	ta, admin := f.ta, f.users[5] // the platform admin, who may publish anywhere
	a, b := f.orgs["org-a"].ID, f.orgs["org-b"].ID
	pubCross, err := ta.Crosses.Create(ctx, ta.actorOf(admin), crossOf(a, "kommenterat", library.Public, cross.StatusPublished))
	if err != nil {
		t.Fatal(err)
	}
	hidCross, err := ta.Crosses.Create(ctx, ta.actorOf(admin), crossOf(b, "internt", library.Organisation, cross.StatusPublished))
	if err != nil {
		t.Fatal(err)
	}
	pubAn, err := ta.Analysis.Publish(ctx, ta.actorOf(admin), &analysis.Analysis{OrganisationID: a, Title: "Kommenterad analys", Body: "Text.", Visibility: analysis.Public})
	if err != nil {
		t.Fatal(err)
	}
	hidAn, err := ta.Analysis.Publish(ctx, ta.actorOf(admin), &analysis.Analysis{OrganisationID: b, Title: "Utkast till analys", Body: "Text.", Visibility: analysis.Draft})
	if err != nil {
		t.Fatal(err)
	}
	ta.mustComment(admin, cross.Kind, hidCross.ID, 0, "Om det interna korset")
	ta.mustComment(admin, analysis.KindAnalysis, hidAn.ID, 0, "Om utkastet")
	add := func(kind string, target int64) url.Values {
		return form("kind", kind, "target", fmt.Sprint(target), "body", "Tänkvärt!")
	}
	list := func(kind string, target int64) string {
		return fmt.Sprintf("/api/v1/comments?kind=%s&target=%d", kind, target)
	}
	hidden := [6]int{see, nf, nf, nf, see, see}
	hiddenList := [6]int{nf, nf, nf, nf, ok, ok}
	var cases []matrixCase
	for _, k := range []struct {
		kind     string
		pub, hid int64
	}{{cross.Kind, pubCross.ID, hidCross.ID}, {analysis.KindAnalysis, pubAn.ID, hidAn.ID}} {
		cases = append(cases,
			matrixCase{pattern: "POST /kommentarer", method: "POST", path: "/kommentarer", form: add(k.kind, k.pub), want: all(see)},
			matrixCase{pattern: "POST /kommentarer", method: "POST", path: "/kommentarer", form: add(k.kind, k.hid), want: hidden},
			matrixCase{pattern: "GET /api/v1/comments", method: "GET", path: list(k.kind, k.pub), want: all(ok)},
			matrixCase{pattern: "GET /api/v1/comments", method: "GET", path: list(k.kind, k.hid), want: hiddenList},
		)
	}
	return cases
})

// Comments show on a cross's and an analysis's page; on ones the caller
// cannot see, a comment is refused with 404 and nothing is saved or listed.
func TestComments_CrossesAndAnalyses(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		x := newAnalysisApp(t, dsn)
		ctx := context.Background()
		orgB := x.ta.mustOrg("region-b", true)
		editorB := x.ta.mustUser("redaktor@b.se", "Redaktör B", false)
		x.ta.mustMember(editorB, orgB, account.RoleEditor)
		pubCross, err := x.ta.Crosses.Create(ctx, x.ta.actorOf(x.editor), crossOf(x.org.ID, "öppet", library.Public, cross.StatusPublished))
		if err != nil {
			t.Fatal(err)
		}
		hidCross, err := x.ta.Crosses.Create(ctx, x.ta.actorOf(editorB), crossOf(orgB.ID, "internt", library.Organisation, cross.StatusPublished))
		if err != nil {
			t.Fatal(err)
		}
		pubAn, err := x.ta.Analysis.Publish(ctx, x.ta.actorOf(x.editor), &analysis.Analysis{OrganisationID: x.org.ID, Title: "Öppen analys", Body: "Text.", Visibility: analysis.Public})
		if err != nil {
			t.Fatal(err)
		}
		hidAn, err := x.ta.Analysis.Publish(ctx, x.ta.actorOf(editorB), &analysis.Analysis{OrganisationID: orgB.ID, Title: "Utkast", Body: "Text.", Visibility: analysis.Draft})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []struct {
			kind     string
			pub, hid int64
			page     string
		}{{cross.Kind, pubCross.ID, hidCross.ID, paths.Cross(pubCross.ID)}, {analysis.KindAnalysis, pubAn.ID, hidAn.ID, fmt.Sprintf("/analys/%d", pubAn.ID)}} {
			resp := x.ta.do(req{method: "POST", path: "/kommentarer", session: x.session, form: form("kind", k.kind, "target", fmt.Sprint(k.pub), "body", "En **synpunkt** om "+k.kind)})
			expect(t, resp, http.StatusSeeOther)
			if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, k.page+"#comment-") {
				t.Errorf("%s: back to %q, want %s", k.kind, loc, k.page)
			}
			page := expect(t, x.ta.do(req{method: "GET", path: k.page}), http.StatusOK)
			if !strings.Contains(page, `id="comments"`) || !strings.Contains(page, "<strong>synpunkt</strong> om "+k.kind) {
				t.Errorf("%s: the page does not show the comment:\n%s", k.kind, page)
			}
			// A's editor cannot see B's: refused 404, nothing saved, not listed.
			expect(t, x.ta.do(req{method: "POST", path: "/kommentarer", session: x.session, form: form("kind", k.kind, "target", fmt.Sprint(k.hid), "body", "Hej")}), http.StatusNotFound)
			x.ta.mustComment(editorB, k.kind, k.hid, 0, "Bara för B")
			thread, _, err := x.ta.Comments.Thread(ctx, x.ta.actorOf(editorB), k.kind, k.hid)
			if err != nil || len(thread) != 1 || thread[0].Body != "Bara för B" {
				t.Fatalf("%s: B's thread %+v %v", k.kind, thread, err)
			}
			for _, s := range []string{x.session, ""} {
				body := expect(t, x.ta.do(req{method: "GET", path: fmt.Sprintf("/api/v1/comments?kind=%s&target=%d", k.kind, k.hid), session: s}), http.StatusNotFound)
				if strings.Contains(body, "Bara för B") {
					t.Errorf("%s: a hidden target's comment is listed", k.kind)
				}
			}
		}
	})
}
