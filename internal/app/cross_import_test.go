package app_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// uploadCrosses is a multipart form with file as its "file".
func uploadCrosses(t *testing.T, path, session, file string) req {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile("file", "kors.json")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte(file))
	mw.Close()
	return req{method: "POST", path: path, body: &b, ctype: mw.FormDataContentType(), session: session}
}

// TestCrossImportPage: the import page saves every cross of a file or
// none, naming each bad cross by number and title and each field in
// Swedish. Both engines.
func TestCrossImportPage(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			ta := mustApp(t, dsn)
			ctx := context.Background()
			org := ta.mustOrg("region-x", true)
			u := ta.mustUser("red@x.se", "Redaktör", false)
			ta.mustMember(u, org, account.RoleEditor)
			ed := &account.Actor{User: u, Memberships: []account.Membership{{OrganisationID: org.ID, Role: account.RoleEditor}}}
			session := ta.mintSession(u)
			count := func() int {
				cs, err := ta.Crosses.List(ctx, ed, cross.ListQuery{})
				if err != nil {
					t.Fatal(err)
				}
				return len(cs)
			}
			body := expect(t, ta.do(req{method: "GET", path: "/scenariekors/import", session: session}), http.StatusOK)
			if !strings.Contains(body, `enctype="multipart/form-data"`) {
				t.Fatal("no upload form")
			}
			one := crossOf(org.ID, "rot", "public", cross.StatusPublished)
			one.ID = 1
			two := crossOf(org.ID, "barn", "public", cross.StatusPublished)
			two.ID, two.ParentID = 2, 1
			two.AxisChanges = []cross.AxisChange{{Axis: "x", Change: cross.Kept}, {Axis: "y", Change: cross.Kept}}
			bad := crossOf(org.ID, "utan poler", "public", cross.StatusPublished)
			bad.ID, bad.X.Low, bad.X.High = 3, "", ""
			file := func(cs ...*cross.Cross) string {
				var parts []string
				for _, c := range cs {
					parts = append(parts, crossJSON(t, c))
				}
				return `{"format":"framsyn.crosses/1","crosses":[` + strings.Join(parts, ",") + `]}`
			}
			tests := []struct {
				name, file string
				want       []string
			}{
				{"ErrAxisWithoutPoles", file(one, two, bad), []string{"Kors nr 3", "Kors utan poler", "x_poles", "Inget har importerats"}},
				{"ErrParentUnknown", file(one, &cross.Cross{ID: 4, ParentID: 999, OrganisationID: org.ID, Title: "Föräldralös", Question: "Vad?", Horizon: 2050,
					Level: cross.LevelRegional, Status: cross.StatusPublished, Visibility: "public", X: one.X, Y: one.Y, Scenarios: one.Scenarios}),
					[]string{"Kors nr 2", "Föräldralös", "parent_id", "varken finns i filen eller som du kan se"}},
				{"ErrCycle", file(&cross.Cross{ID: 5, ParentID: 6, OrganisationID: org.ID, Title: "A", Question: "Vad?", Horizon: 2050, Level: cross.LevelRegional,
					Status: cross.StatusPublished, Visibility: "public", X: one.X, Y: one.Y, Scenarios: one.Scenarios, AxisChanges: two.AxisChanges},
					&cross.Cross{ID: 6, ParentID: 5, OrganisationID: org.ID, Title: "B", Question: "Vad?", Horizon: 2050, Level: cross.LevelRegional,
						Status: cross.StatusPublished, Visibility: "public", X: one.X, Y: one.Y, Scenarios: one.Scenarios, AxisChanges: two.AxisChanges}),
					[]string{"Inget har importerats"}},
				{"ErrNotAnExport", `{"format":"något annat"}`, []string{"inte en export av scenariekors"}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					body := expect(t, ta.do(uploadCrosses(t, "/scenariekors/import", session, tt.file)), http.StatusUnprocessableEntity)
					for _, w := range tt.want {
						if !strings.Contains(body, w) {
							t.Errorf("the report lacks %q", w)
						}
					}
					if n := count(); n != 0 {
						t.Fatalf("a refused import saved %d crosses", n)
					}
				})
			}
			body = expect(t, ta.do(uploadCrosses(t, "/scenariekors/import", session, file(one, two))), http.StatusOK)
			if !strings.Contains(body, "2 kors är importerade") || count() != 2 {
				t.Fatalf("import: %d crosses", count())
			}
			cs, _ := ta.Crosses.List(ctx, ed, cross.ListQuery{})
			var root, child *cross.Cross
			for i := range cs {
				switch cs[i].Title {
				case "Kors rot":
					root = &cs[i]
				case "Kors barn":
					child = &cs[i]
				}
			}
			if root == nil || child == nil || child.ParentID != root.ID || !strings.Contains(body, fmt.Sprintf(`href="/scenariekors/%d"`, child.ID)) {
				t.Fatalf("the imported lineage: %+v %+v", root, child)
			}
		})
	}
}
