package app_test

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/paths"
)

// An analysis relates to scenario crosses: the form offers only crosses
// the author may see and refuses a hidden one; the analysis page links
// only the crosses the visitor may see and never names a hidden one.
func TestAnalysis_RelatedCrossesHideHidden(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		x := newAnalysisApp(t, dsn)
		ctx := context.Background()
		orgB := x.ta.mustOrg("region-b", true)
		editorB := x.ta.mustUser("redaktor@b.se", "Redaktör B", false)
		x.ta.mustMember(editorB, orgB, account.RoleEditor)
		sessionB := x.ta.mintSession(editorB)
		shown, err := x.ta.Crosses.Create(ctx, x.ta.actorOf(x.editor), crossOf(x.org.ID, "synligt", library.Public, cross.StatusPublished))
		if err != nil {
			t.Fatal(err)
		}
		hidden, err := x.ta.Crosses.Create(ctx, x.ta.actorOf(editorB), crossOf(orgB.ID, "hemligt", library.Organisation, cross.StatusPublished))
		if err != nil {
			t.Fatal(err)
		}
		id := func(n int64) string { return strconv.FormatInt(n, 10) }
		body := func(resp *http.Response) string {
			b, _ := io.ReadAll(resp.Body)
			return string(b)
		}

		// The form offers A's cross, not B's organisation-only one.
		resp := x.ta.do(req{method: "GET", path: "/analys", session: x.session})
		page := body(resp)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, `name="crosses"`) || !strings.Contains(page, shown.Title) || strings.Contains(page, hidden.Title) {
			t.Fatalf("form: %d, offers the visible cross and not the hidden one?\n%s", resp.StatusCode, page)
		}
		// A hidden cross is refused, and nothing is saved.
		resp = x.ta.do(req{method: "POST", path: "/analys", session: x.session, form: form("title", "Analys", "body", "Text.",
			"organisation", id(x.org.ID), "visibility", "public", "crosses", id(hidden.ID))})
		if page := body(resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "Ett av scenariokorsen finns inte") || strings.Contains(page, hidden.Title) {
			t.Fatalf("hidden cross: %d\n%s", resp.StatusCode, page)
		}
		if list, err := x.ta.Analysis.Analyses(ctx, x.ta.actorOf(x.editor), 0, 0, 10); err != nil || len(list) != 0 {
			t.Fatalf("a refused analysis was saved: %v %v", list, err)
		}

		// B's editor relates a public analysis to both crosses.
		v := form("title", "Analys B", "body", "Text.", "organisation", id(orgB.ID), "visibility", "public")
		v.Add("crosses", id(hidden.ID))
		v.Add("crosses", id(shown.ID))
		resp = x.ta.do(req{method: "POST", path: "/analys", session: sessionB, form: v})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish with crosses: %d\n%s", resp.StatusCode, body(resp))
		}
		an := resp.Header.Get("Location")
		anID, _ := strconv.ParseInt(strings.TrimPrefix(an, "/analys/"), 10, 64)
		stored, err := x.ta.Analysis.Analysis(ctx, x.ta.actorOf(editorB), anID)
		if err != nil || len(stored.CrossIDs) != 2 || stored.CrossIDs[0] != hidden.ID || stored.CrossIDs[1] != shown.ID {
			t.Fatalf("stored crosses: %+v %v", stored, err)
		}
		// B's editor sees both; A's editor and a visitor only A's cross.
		resp = x.ta.do(req{method: "GET", path: an, session: sessionB})
		if page := body(resp); !strings.Contains(page, `href="`+paths.Cross(hidden.ID)+`"`) || !strings.Contains(page, `href="`+paths.Cross(shown.ID)+`"`) {
			t.Errorf("B's editor does not see both related crosses:\n%s", page)
		}
		for _, session := range []string{x.session, ""} {
			resp = x.ta.do(req{method: "GET", path: an, session: session})
			page := body(resp)
			if resp.StatusCode != http.StatusOK || !strings.Contains(page, `href="`+paths.Cross(shown.ID)+`"`) {
				t.Errorf("session %q: the visible cross is not linked: %d\n%s", session, resp.StatusCode, page)
			}
			if strings.Contains(page, hidden.Title) || strings.Contains(page, `href="`+paths.Cross(hidden.ID)+`"`) {
				t.Errorf("session %q: the hidden cross is revealed:\n%s", session, page)
			}
		}
	})
}
