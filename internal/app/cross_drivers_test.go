package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// driverRoom is a finished workshop with three drivers, its axes drawn
// from the first two, published as a cross of region-x by its
// facilitator, who edits for region-x; a second editor of region-x and
// a signed-in outsider take no part in the workshop.
type driverRoom struct {
	*wsRoom
	fia, other, outsider *account.Actor
	otherSess, outSess   string
	org                  *account.Organisation
	drivers              map[string]int64 // by text
	crossID              int64
}

func newDriverRoom(t *testing.T, dsn string) *driverRoom {
	r := &driverRoom{wsRoom: newWSRoom(t, dsn), drivers: map[string]int64{}}
	ctx := t.Context()
	r.org = r.ta.mustOrg("region-x", true)
	u, _ := r.ta.Accounts.UserByEmail(ctx, "fia@example.se")
	r.ta.mustMember(u, r.org, account.RoleEditor)
	r.fia = &account.Actor{User: u, Memberships: []account.Membership{{OrganisationID: r.org.ID, Role: account.RoleEditor}}}
	other := r.ta.mustUser("olle@example.se", "Olle Redaktör", false)
	r.ta.mustMember(other, r.org, account.RoleEditor)
	r.other = &account.Actor{User: other, Memberships: []account.Membership{{OrganisationID: r.org.ID, Role: account.RoleEditor}}}
	r.otherSess = r.ta.mintSession(other)
	out := r.ta.mustUser("ute@example.se", "Ute Utanför", false)
	r.outsider, r.outSess = &account.Actor{User: out}, r.ta.mintSession(out)
	r.fac.mustCmd(r.id, map[string]any{"kind": "stage.set", "stage": "drivers"})
	for _, text := range []string{"Digitalisering", "Åldrande befolkning", "Hemlig drivkraft om klimatet"} {
		r.fac.mustCmd(r.id, map[string]any{"kind": "note.add", "text": text})
	}
	_, ds, err := r.ta.Workshops.Drivers(ctx, r.fia, r.id)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		r.drivers[d.Name] = d.ID
	}
	if len(r.drivers) != 3 {
		t.Fatalf("drivers %v", r.drivers)
	}
	r.fac.mustCmd(r.id, map[string]any{"kind": "axis.set", "axis": "x", "note": r.drivers["Digitalisering"], "text": "Teknik", "low": "Långsam", "high": "Snabb"})
	r.fac.mustCmd(r.id, map[string]any{"kind": "axis.set", "axis": "y", "note": r.drivers["Åldrande befolkning"], "text": "Demografi", "low": "Unga", "high": "Äldre"})
	r.fac.mustCmd(r.id, map[string]any{"kind": "stage.set", "stage": "scenarios"})
	for q, name := range []string{"Region Vänern", "Snabba städer", "Ensamma byar", "Tröga nätverk"} {
		r.fac.mustCmd(r.id, map[string]any{"kind": "scenario.edit", "quadrant": q + 1, "name": name})
	}
	r.fac.mustCmd(r.id, map[string]any{"kind": "workshop.close"})
	resp := r.fac.req("POST", fmt.Sprintf("/workshoppar/%d/publicera-kors", r.id),
		url.Values{"organisation": {strconv.FormatInt(r.org.ID, 10)}, "visibility": {"public"}}, "")
	m := locCross.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("publish: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	r.crossID, _ = strconv.ParseInt(m[1], 10, 64)
	return r
}

// editForm is the cross's edit form as saved, with the fields in kv.
func (r *driverRoom) editForm(t *testing.T, kv ...string) url.Values {
	c, err := r.ta.Crosses.Get(t.Context(), r.fia, r.crossID)
	if err != nil {
		t.Fatal(err)
	}
	v := form("title", "Korset från dagen", "question", c.Question, "horizon", strconv.Itoa(c.Horizon), "level", string(c.Level),
		"organisation", strconv.FormatInt(c.OrganisationID, 10), "status", string(c.Status), "visibility", string(c.Visibility),
		"version", strconv.Itoa(c.Version),
		"x_name", c.X.Name, "x_low", c.X.Low, "x_high", c.X.High, "y_name", c.Y.Name, "y_low", c.Y.Low, "y_high", c.Y.High)
	for _, s := range c.Scenarios {
		v.Set(fmt.Sprintf("s%d_name", s.Quadrant), s.Name)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

func ids(vs ...int64) string {
	var s []string
	for _, v := range vs {
		s = append(s, strconv.FormatInt(v, 10))
	}
	return strings.Join(s, ",")
}

// TestCrossDrivers_Publish: a cross published from a workshop links each
// axis to the driver it was drawn from; its page and API name them, with
// the workshop, only to those who take part in it.
func TestCrossDrivers_Publish(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			r := newDriverRoom(t, dsn)
			ctx := t.Context()
			c, err := r.ta.Crosses.Get(ctx, nil, r.crossID)
			if err != nil {
				t.Fatal(err)
			}
			if c.DriverWorkshopID != r.id || ids(c.X.DriverIDs...) != ids(r.drivers["Digitalisering"]) || ids(c.Y.DriverIDs...) != ids(r.drivers["Åldrande befolkning"]) {
				t.Fatalf("links: workshop %d x %v y %v, want %d, %v", c.DriverWorkshopID, c.X.DriverIDs, c.Y.DriverIDs, r.id, r.drivers)
			}
			// Fia links the third driver to x as well, and renames the cross
			// so that nothing of the workshop is in its own words.
			resp := r.fac.req("POST", "/scenariekors/"+strconv.FormatInt(r.crossID, 10), r.editForm(t, "drivers_workshop", strconv.FormatInt(r.id, 10),
				"x_drivers", strconv.FormatInt(r.drivers["Digitalisering"], 10), "x_drivers", strconv.FormatInt(r.drivers["Hemlig drivkraft om klimatet"], 10),
				"y_drivers", strconv.FormatInt(r.drivers["Åldrande befolkning"], 10)), "")
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("edit: %d %s", resp.StatusCode, readBody(t, resp))
			}
			page := "/scenariekors/" + strconv.FormatInt(r.crossID, 10)
			api := "/api/v1/crosses/" + strconv.FormatInt(r.crossID, 10)
			body := readBody(t, r.fac.req("GET", page, nil, ""))
			for _, want := range []string{"Hemlig drivkraft om klimatet", `class="drivers"`, "Välfärd 2050"} {
				if !strings.Contains(body, want) {
					t.Errorf("the facilitator's page lacks %q", want)
				}
			}
			var got struct {
				Drivers *struct {
					Workshop struct{ ID int64 }
					X        []struct{ Name string }
				}
				X struct {
					DriverIDs []int64 `json:"driver_ids"`
				}
			}
			if err := json.Unmarshal([]byte(readBody(t, r.fac.req("GET", api, nil, ""))), &got); err != nil {
				t.Fatal(err)
			}
			if got.Drivers == nil || got.Drivers.Workshop.ID != r.id || len(got.Drivers.X) != 2 || got.Drivers.X[1].Name != "Hemlig drivkraft om klimatet" {
				t.Errorf("the facilitator's API: %+v", got.Drivers)
			}
			// A viewer who may not see the workshop sees no driver names,
			// on the page, the printable page or in the API: only the ids.
			for _, who := range []struct{ name, session string }{{"anonymous", ""}, {"outsider", r.outSess}, {"editor not in the workshop", r.otherSess}} {
				for _, path := range []string{page, page + "/utskrift", api, page + "/kors.json"} {
					resp := r.ta.do(req{method: "GET", path: path, session: who.session})
					body := readBody(t, resp)
					if resp.StatusCode != http.StatusOK {
						t.Fatalf("%s %s: %d", who.name, path, resp.StatusCode)
					}
					for _, secret := range []string{"Hemlig drivkraft om klimatet", "Välfärd 2050", `class="drivers"`, `"drivers":`} {
						if strings.Contains(body, secret) {
							t.Errorf("%s sees %q at %s", who.name, secret, path)
						}
					}
				}
			}
			if !strings.Contains(readBody(t, r.ta.do(req{method: "GET", path: api})), `"driver_ids":[`) {
				t.Error("the API does not carry the axes' driver ids")
			}
			// The revision keeps the links.
			_, revs, err := r.ta.Crosses.Revisions(ctx, r.fia, r.crossID)
			if err != nil || len(revs) != 2 || !slices.Contains(revs[0].Changed, "x") || !strings.Contains(string(revs[0].Snapshot), `"driver_ids":[`) {
				t.Errorf("revisions: %v %+v", err, revs)
			}
		})
	}
}

// TestCrossDrivers_Form: the edit form, without JavaScript, chooses a
// workshop the editor takes part in and ticks its drivers per axis; an
// editor who does not take part keeps or drops the links without seeing
// them, and cannot add any; nothing is half-saved.
func TestCrossDrivers_Form(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			r := newDriverRoom(t, dsn)
			ctx := t.Context()
			page := "/scenariekors/" + strconv.FormatInt(r.crossID, 10)
			wid := strconv.FormatInt(r.id, 10)
			secret := strconv.FormatInt(r.drivers["Hemlig drivkraft om klimatet"], 10)

			edit := readBody(t, r.fac.req("GET", page+"/redigera", nil, ""))
			for _, want := range []string{`name="drivers_workshop"`, `<option value="` + wid + `" selected>Välfärd 2050</option>`,
				`name="x_drivers" value="` + strconv.FormatInt(r.drivers["Digitalisering"], 10) + `" checked`,
				`name="x_drivers" value="` + secret + `">`, "Hemlig drivkraft om klimatet", `name="load_drivers"`} {
				if !strings.Contains(edit, want) {
					t.Errorf("the facilitator's form lacks %q", want)
				}
			}
			// Enter in a field submits with the form's first button, which
			// must save, not show the drivers.
			form := edit[strings.Index(edit, `<form method="post" action="`+page+`"`):]
			if b := form[strings.Index(form, "<button"):]; strings.HasPrefix(b[:strings.Index(b, ">")], `<button name="load_drivers"`) {
				t.Error(`the form's first button is "show the drivers": Enter would not save`)
			}
			// Showing a workshop's drivers saves nothing.
			resp := r.fac.req("POST", page, r.editForm(t, "drivers_workshop", wid, "load_drivers", "1", "x_drivers", secret), "")
			body := readBody(t, resp)
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="x_drivers" value="`+secret+`" checked`) || !strings.Contains(body, "Korset från dagen") {
				t.Errorf("load drivers: %d", resp.StatusCode)
			}
			if c, _ := r.ta.Crosses.Get(ctx, nil, r.crossID); c.Version != 1 {
				t.Errorf("showing the drivers saved version %d", c.Version)
			}
			// A new cross's form shows them too.
			resp = r.fac.req("POST", "/scenariekors", url.Values{"drivers_workshop": {wid}, "load_drivers": {"1"}, "title": {"Nytt"}}, "")
			if body := readBody(t, resp); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Hemlig drivkraft om klimatet") {
				t.Errorf("new form, load drivers: %d", resp.StatusCode)
			}

			// Fia renames the cross (it took the workshop's title).
			if resp := r.fac.req("POST", page, r.editForm(t, "drivers_workshop", wid, "x_drivers", strconv.FormatInt(r.drivers["Digitalisering"], 10),
				"y_drivers", strconv.FormatInt(r.drivers["Åldrande befolkning"], 10)), ""); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("rename: %d", resp.StatusCode)
			}
			// The other editor takes no part: the form names nothing of the
			// workshop (the forces are the cross's own words), and saving
			// keeps the links.
			other := &wsUser{ta: r.ta, session: r.otherSess, cookies: map[string]string{}}
			edit = readBody(t, other.req("GET", page+"/redigera", nil, ""))
			for _, secret := range []string{"Välfärd 2050", "Hemlig drivkraft om klimatet", `name="x_drivers" value="` + secret + `"`, `type="checkbox" name="x_drivers"`} {
				if strings.Contains(edit, secret) {
					t.Errorf("the other editor's form names %q", secret)
				}
			}
			if !strings.Contains(edit, `name="drivers_drop"`) {
				t.Error("the other editor's form offers no way to drop the links")
			}
			keep := r.editForm(t, "drivers_workshop", wid, "x_drivers", strconv.FormatInt(r.drivers["Digitalisering"], 10), "y_drivers", strconv.FormatInt(r.drivers["Åldrande befolkning"], 10), "x_description", "Hur snabbt tekniken når ut.")
			if resp := other.req("POST", page, keep, ""); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("other editor saves: %d %s", resp.StatusCode, readBody(t, resp))
			}
			c, _ := r.ta.Crosses.Get(ctx, nil, r.crossID)
			if c.Version != 3 || c.DriverWorkshopID != r.id || len(c.X.DriverIDs) != 1 || len(c.Y.DriverIDs) != 1 || c.Title != "Korset från dagen" {
				t.Fatalf("after the other editor: %+v", c)
			}
			// ... but cannot add a driver of the workshop: refused in Swedish,
			// nothing saved.
			add := r.editForm(t, "drivers_workshop", wid, "x_drivers", secret)
			add.Set("title", "Ändrat")
			resp = other.req("POST", page, add, "")
			body = readBody(t, resp)
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Workshoppen finns inte, eller så deltar du inte i den.") ||
				strings.Contains(body, "Hemlig drivkraft om klimatet") {
				t.Errorf("other editor adds a driver: %d", resp.StatusCode)
			}
			// A driver of no workshop the facilitator may link: refused.
			resp = r.fac.req("POST", page, r.editForm(t, "drivers_workshop", wid, "x_drivers", "987654"), "")
			if body := readBody(t, resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "En vald drivkraft finns inte i workshoppen.") {
				t.Errorf("unknown driver: %d", resp.StatusCode)
			}
			if c2, _ := r.ta.Crosses.Get(ctx, nil, r.crossID); c2.Version != 3 || c2.Title != "Korset från dagen" {
				t.Errorf("a refused save changed the cross: %+v", c2)
			}
			// Dropping them.
			if resp := other.req("POST", page, r.editForm(t, "drivers_workshop", wid, "x_drivers", "1", "drivers_drop", "1"), ""); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("drop: %d %s", resp.StatusCode, readBody(t, resp))
			}
			if c, _ := r.ta.Crosses.Get(ctx, nil, r.crossID); c.HasDrivers() || c.DriverWorkshopID != 0 {
				t.Errorf("after dropping: workshop %d x %v y %v", c.DriverWorkshopID, c.X.DriverIDs, c.Y.DriverIDs)
			}
		})
	}
}

// TestCrossDrivers_DeriveAndImport: a derived cross keeps the parent's
// links it repeats, even for a deriver outside the workshop, and drops
// the others; an export carries the links, and an import naming a
// driver the importer cannot link is refused whole, in Swedish.
func TestCrossDrivers_DeriveAndImport(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			r := newDriverRoom(t, dsn)
			ctx := t.Context()
			parent, err := r.ta.Crosses.Get(ctx, nil, r.crossID)
			if err != nil {
				t.Fatal(err)
			}
			// The derive form starts from the parent's links.
			d := cross.DeriveDraft(parent)
			if d.DriverWorkshopID != r.id || len(d.X.DriverIDs) != 1 {
				t.Errorf("derive draft: %d %v", d.DriverWorkshopID, d.X.DriverIDs)
			}
			d.Title = "Härlett"
			d.Y = cross.Axis{Name: "Kompetens", Low: "Brist", High: "Överskott"}
			d.AxisChanges = []cross.AxisChange{{Axis: "x", Change: cross.Kept}, {Axis: "y", Change: cross.Replaced, Why: "Vår fråga."}}
			kept, err := r.ta.Crosses.Derive(ctx, r.other, parent.ID, d)
			if err != nil {
				t.Fatal(err)
			}
			if kept.DriverWorkshopID != r.id || ids(kept.X.DriverIDs...) != ids(parent.X.DriverIDs...) || len(kept.Y.DriverIDs) != 0 {
				t.Errorf("derived keeps x's link: %d %v %v", kept.DriverWorkshopID, kept.X.DriverIDs, kept.Y.DriverIDs)
			}
			// A driver the parent does not link, from outside the workshop: refused.
			d2 := cross.DeriveDraft(parent)
			d2.AxisChanges = []cross.AxisChange{{Axis: "x", Change: cross.Kept}, {Axis: "y", Change: cross.Kept}}
			d2.X.DriverIDs = append(d2.X.DriverIDs, r.drivers["Hemlig drivkraft om klimatet"])
			if _, err := r.ta.Crosses.Derive(ctx, r.other, parent.ID, d2); err == nil || errs.As(err).Key != "cross.drivers_workshop_unknown" {
				t.Errorf("derive adding a driver from outside: %v", err)
			}
			// Dropping them through the API.
			body := `{"organisation_id": ` + strconv.FormatInt(r.org.ID, 10) + `, "title": "Utan drivkrafter", "question": "Hur?", "horizon": 2050,
				"x": {"name": ""}, "y": {"name": ""}, "axis_changes": [{"axis": "x", "change": "kept"}, {"axis": "y", "change": "kept"}]}`
			resp := r.ta.do(req{method: "POST", path: "/api/v1/crosses/" + strconv.FormatInt(parent.ID, 10) + "/derive", body: strings.NewReader(body),
				ctype: "application/json", session: r.otherSess})
			out := readBody(t, resp)
			if resp.StatusCode != http.StatusCreated || strings.Contains(out, "driver_ids") {
				t.Errorf("API derive without links: %d %s", resp.StatusCode, out)
			}

			// Export carries the links; an import of them here by the
			// facilitator works, by the outsider editor of another
			// organisation it is refused whole.
			exp := readBody(t, r.ta.do(req{method: "GET", path: "/api/v1/crosses/export?organization_id=" + strconv.FormatInt(r.org.ID, 10), session: r.fac.session}))
			if !strings.Contains(exp, `"driver_workshop_id":`+strconv.FormatInt(r.id, 10)) {
				t.Fatalf("the export lacks the links")
			}
			before, _ := r.ta.Crosses.List(ctx, r.fia, cross.ListQuery{Limit: 100})
			resp = r.ta.do(req{method: "POST", path: "/api/v1/crosses/import", body: strings.NewReader(exp), ctype: "application/json", session: r.fac.session})
			if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
				t.Fatalf("import by the facilitator: %d %s", resp.StatusCode, readBody(t, resp))
			}
			mid, _ := r.ta.Crosses.List(ctx, r.fia, cross.ListQuery{Limit: 100})
			if len(mid) != 2*len(before) {
				t.Errorf("import made %d crosses, want %d", len(mid)-len(before), len(before))
			}
			// The same file with a driver unknown here.
			bad := strings.Replace(exp, `"driver_ids":[`+strconv.FormatInt(r.drivers["Digitalisering"], 10), `"driver_ids":[424242`, 1)
			if bad == exp {
				t.Fatal("the export does not name the driver")
			}
			resp = r.ta.do(req{method: "POST", path: "/api/v1/crosses/import", body: strings.NewReader(bad), ctype: "application/json",
				session: r.fac.session, header: map[string]string{"Accept-Language": "sv"}})
			if out := readBody(t, resp); resp.StatusCode != http.StatusUnprocessableEntity && resp.StatusCode != http.StatusBadRequest ||
				!strings.Contains(out, "länkar till en drivkraft i en workshop som inte finns här") {
				t.Errorf("import with an unknown driver: %d %s", resp.StatusCode, out)
			}
			// By an editor who takes no part in the workshop: refused too.
			resp = r.ta.do(req{method: "POST", path: "/api/v1/crosses/import", body: strings.NewReader(exp), ctype: "application/json", session: r.otherSess})
			if out := readBody(t, resp); resp.StatusCode != http.StatusUnprocessableEntity && resp.StatusCode != http.StatusBadRequest {
				t.Errorf("import by a non-participant: %d %s", resp.StatusCode, out)
			}
			after, _ := r.ta.Crosses.List(ctx, r.fia, cross.ListQuery{Limit: 100})
			if len(after) != len(mid) {
				t.Errorf("a refused import saved %d crosses", len(after)-len(mid))
			}
		})
	}
}
