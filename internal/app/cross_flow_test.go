package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

var locCross = regexp.MustCompile(`^/scenariekors/(\d+)$`)

// TestCrossWorkshops: a finished workshop publishes its cross, which links
// back to it, and that cross starts a new workshop at the backcasting
// stage with its axes and scenarios loaded.
func TestCrossWorkshops(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			r := newWSRoom(t, dsn)
			ctx := t.Context()
			org := r.ta.mustOrg("region-x", true)
			u, _ := r.ta.Accounts.UserByEmail(ctx, "fia@example.se")
			r.ta.mustMember(u, org, account.RoleEditor)
			back := fmt.Sprintf("/workshoppar/%d", r.id)
			publish := url.Values{"organisation": {strconv.FormatInt(org.ID, 10)}, "visibility": {"public"}}

			// Without axes the cross is incomplete: nothing is made.
			resp := r.fac.req("POST", back+"/publicera-kors", publish, "")
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != back+"/resultat" {
				t.Fatalf("incomplete publish: %d %s", resp.StatusCode, resp.Header.Get("Location"))
			}
			if cs, _ := r.ta.Crosses.List(ctx, &account.Actor{User: u}, cross.ListQuery{}); len(cs) != 0 {
				t.Fatalf("an incomplete workshop made %d crosses", len(cs))
			}

			r.fac.mustCmd(r.id, map[string]any{"kind": "axis.set", "axis": "x", "text": "Teknik", "low": "Långsam", "high": "Snabb"})
			r.fac.mustCmd(r.id, map[string]any{"kind": "axis.set", "axis": "y", "text": "Tillit", "low": "Låg", "high": "Hög"})
			r.fac.mustCmd(r.id, map[string]any{"kind": "stage.set", "stage": "scenarios"})
			for q, name := range []string{"Region Vänern", "Snabba städer", "Ensamma byar", "Tröga nätverk"} {
				r.fac.mustCmd(r.id, map[string]any{"kind": "scenario.edit", "quadrant": q + 1, "name": name, "story": "Berättelse " + name, "signs": "Tecken " + name})
			}
			r.fac.mustCmd(r.id, map[string]any{"kind": "workshop.close"})
			resp = r.fac.req("POST", back+"/publicera-kors", publish, "")
			m := locCross.FindStringSubmatch(resp.Header.Get("Location"))
			if resp.StatusCode != http.StatusSeeOther || m == nil {
				t.Fatalf("publish: %d %s", resp.StatusCode, resp.Header.Get("Location"))
			}
			crossID, _ := strconv.ParseInt(m[1], 10, 64)
			page := readBody(t, r.fac.req("GET", "/scenariekors/"+m[1], nil, ""))
			for _, want := range []string{"Region Vänern", "Tröga nätverk", `href="` + back + `/resultat"`, "Långsam"} {
				if !strings.Contains(page, want) {
					t.Errorf("the cross's page lacks %q", want)
				}
			}

			// The cross starts a workshop at backcasting.
			resp = r.fac.req("POST", "/scenariekors/"+m[1]+"/workshop", url.Values{"stage": {"backcasting"}}, "")
			wm := locID.FindStringSubmatch(resp.Header.Get("Location"))
			if resp.StatusCode != http.StatusSeeOther || wm == nil {
				t.Fatalf("start workshop: %d %s %s", resp.StatusCode, resp.Header.Get("Location"), readBody(t, resp))
			}
			wid, _ := strconv.ParseInt(wm[1], 10, 64)
			host, err := r.ta.Workshops.Participant(ctx, &account.Actor{User: u}, wid, "")
			if err != nil {
				t.Fatal(err)
			}
			b, err := r.ta.Workshops.Board(ctx, host)
			if err != nil {
				t.Fatal(err)
			}
			if b.Workshop.Template != workshop.BackcastingTemplate || b.Template.Stage(b.Workshop.Stage).Key != "backcasting" {
				t.Errorf("new workshop: template %q at stage %q, want backcasting", b.Workshop.Template, b.Template.Stage(b.Workshop.Stage).Key)
			}
			res := workshop.ResultsOf(b)
			if x := res.Axis("x"); x.Label != "Teknik" || x.Low != "Långsam" || x.High != "Snabb" {
				t.Errorf("axis x %+v", x)
			}
			names := map[int]string{}
			for _, s := range res.Scenarios {
				names[s.Quadrant] = s.Name
			}
			if names[1] != "Region Vänern" || names[4] != "Tröga nätverk" {
				t.Errorf("scenarios %v", names)
			}
			board := readBody(t, r.fac.req("GET", "/workshoppar/"+wm[1], nil, ""))
			if !strings.Contains(board, "Region Vänern") {
				t.Error("the new board does not show the cross's scenarios")
			}
			c, err := r.ta.Crosses.Get(ctx, nil, crossID)
			if err != nil || c.WorkshopID != r.id {
				t.Errorf("cross %+v, %v: want its workshop %d", c, err, r.id)
			}
		})
	}
}

// TestCrossHiddenParent: a child of a cross the viewer may not see, or of
// one deleted, renders its page, lineage and exports, and says it is
// derived from a cross the viewer cannot see, naming nothing of it.
func TestCrossHiddenParent(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			ta := mustApp(t, dsn)
			ctx := t.Context()
			hidden, open := ta.mustOrg("dold", false), ta.mustOrg("oppen", true)
			admin := &account.Actor{User: ta.mustUser("admin@x.se", "Admin", true)}
			parent, err := ta.Crosses.Create(ctx, admin, crossOf(hidden.ID, "Hemligt ursprung", library.Organisation, cross.StatusPublished))
			if err != nil {
				t.Fatal(err)
			}
			d := crossOf(open.ID, "Öppet barn", library.Public, cross.StatusPublished)
			d.Y = cross.Axis{Name: "Kompetens", Low: "Brist", High: "Överskott"}
			d.AxisChanges = []cross.AxisChange{{Axis: "x", Change: cross.Kept}, {Axis: "y", Change: cross.Replaced, Why: "Vår fråga."}}
			child, err := ta.Crosses.Derive(ctx, admin, parent.ID, d)
			if err != nil {
				t.Fatal(err)
			}
			check := func(when string) {
				base := "/scenariekors/" + strconv.FormatInt(child.ID, 10)
				for _, path := range []string{base, base + "/slakttrad", base + "/utskrift", base + "/kors.json", "/api/v1/crosses/" + strconv.FormatInt(child.ID, 10),
					"/api/v1/crosses/" + strconv.FormatInt(child.ID, 10) + "/lineage", "/sok?q=barn", "/api/v1/crosses"} {
					resp := ta.do(req{method: "GET", path: path})
					body := readBody(t, resp)
					if resp.StatusCode != http.StatusOK {
						t.Errorf("%s: %s: status %d", when, path, resp.StatusCode)
					}
					if strings.Contains(body, "Hemligt ursprung") || strings.Contains(body, `"parent_id"`) || strings.Contains(body, `"derived_from"`) ||
						strings.Contains(body, "/scenariekors/"+strconv.FormatInt(parent.ID, 10)+`"`) {
						t.Errorf("%s: %s shows the hidden parent", when, path)
					}
				}
				page := readBody(t, ta.do(req{method: "GET", path: base}))
				if !strings.Contains(page, "Härlett från ett kors du inte kan se.") {
					t.Errorf("%s: the child's page does not say it is derived from a cross you cannot see", when)
				}
			}
			check("hidden parent")
			if err := ta.Crosses.Delete(ctx, admin, parent.ID); err != nil {
				t.Fatal(err)
			}
			check("deleted parent")
		})
	}
}

// TestCrossSearch: crosses and method guides are found by search in
// their own kinds, with Swedish inflections.
func TestCrossSearch(t *testing.T) {
	ta := mustApp(t, sqliteDSN(t))
	org := ta.mustOrg("region-x", true)
	admin := &account.Actor{User: ta.mustUser("admin@x.se", "Admin", true)}
	c, err := ta.Crosses.Create(t.Context(), admin, crossOf(org.ID, "Kompetensförsörjningen", library.Public, cross.StatusPublished))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ q, kind, want string }{
		{"kompetensförsörjning", "cross", "/scenariekors/" + strconv.FormatInt(c.ID, 10)},
		{"framtidshjulet", "method", "/metoder/framtidshjul"},
		{"backcasting", "method", "/metoder/backcasting"},
	} {
		body := readBody(t, ta.do(req{method: "GET", path: "/api/v1/search?q=" + url.QueryEscape(tc.q) + "&kind=" + tc.kind}))
		if !strings.Contains(body, tc.want) {
			t.Errorf("search %q in %s: no %s in %s", tc.q, tc.kind, tc.want, body)
		}
	}
}

// TestCrossElsewhere: a published public cross shows on the front page,
// on its organisation's page and in the site's and the organisation's
// Atom feeds; a draft shows nowhere for the public.
func TestCrossElsewhere(t *testing.T) {
	ta := mustApp(t, sqliteDSN(t))
	org := ta.mustOrg("region-x", true)
	admin := &account.Actor{User: ta.mustUser("admin@x.se", "Admin", true)}
	pub, err := ta.Crosses.Create(t.Context(), admin, crossOf(org.ID, "Offentligt kors", library.Public, cross.StatusPublished))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ta.Crosses.Create(t.Context(), admin, crossOf(org.ID, "Hemligt utkast", library.Public, cross.StatusDraft)); err != nil {
		t.Fatal(err)
	}
	link := "/scenariekors/" + strconv.FormatInt(pub.ID, 10)
	for _, path := range []string{"/", "/organisationer/region-x", "/flode.atom", "/organisationer/region-x/flode.atom"} {
		resp := ta.do(req{method: "GET", path: path})
		body := readBody(t, resp)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, link) || !strings.Contains(body, "Kors Offentligt kors") {
			t.Errorf("%s: status %d, no link to the cross", path, resp.StatusCode)
		}
		if strings.Contains(body, "Hemligt utkast") {
			t.Errorf("%s shows the draft", path)
		}
	}
}
