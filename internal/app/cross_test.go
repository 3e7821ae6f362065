package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/workshop"
)

// crossOf is a complete cross of org, named after tag.
func crossOf(org int64, tag string, vis library.Visibility, status cross.Status) *cross.Cross {
	c := &cross.Cross{OrganisationID: org, Title: "Kors " + tag, Question: "Hur ser välfärden ut 2050?", Horizon: 2050,
		Level: cross.LevelRegional, Domain: "välfärd", Status: status, Visibility: vis,
		X: cross.Axis{Name: "Teknik", Low: "Långsam", High: "Snabb"}, Y: cross.Axis{Name: "Tillit", Low: "Låg", High: "Hög"}}
	for q := 1; q <= 4; q++ {
		c.Scenarios = append(c.Scenarios, cross.Scenario{Quadrant: q, Name: fmt.Sprintf("Framtid %d", q)})
	}
	return c
}

// crossForm is the page form of a complete cross of org.
func crossForm(org int64, extra ...string) url.Values {
	v := form("title", "Kors i formulär", "question", "Hur ser det ut 2050?", "horizon", "2050", "level", "regional",
		"organisation", strconv.FormatInt(org, 10), "status", "published", "visibility", "public",
		"x_name", "Teknik", "x_low", "Långsam", "x_high", "Snabb", "y_name", "Tillit", "y_low", "Låg", "y_high", "Hög")
	for q := 1; q <= 4; q++ {
		v.Set(fmt.Sprintf("s%d_name", q), fmt.Sprintf("Framtid %d", q))
	}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return v
}

func crossJSON(t *testing.T, c *cross.Cross) string {
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The crosses' and method guides' cases of the authorization matrix: a
// public cross of A, an organisation cross of hidden B, a draft of A, a
// cross of A to delete, and a workshop facilitated by A's editor.
var _ = addMatrixArea(func(t *testing.T, f *matrixFixture) []matrixCase {
	ctx := context.Background()
	admin := &account.Actor{User: f.users[5]}
	a, b := f.orgs["org-a"].ID, f.orgs["org-b"].ID
	mk := func(c *cross.Cross) int64 {
		saved, err := f.ta.Crosses.Create(ctx, admin, c)
		if err != nil {
			t.Fatal(err)
		}
		return saved.ID
	}
	pubA := mk(crossOf(a, "A", library.Public, cross.StatusPublished))
	orgB := mk(crossOf(b, "B", library.Organisation, cross.StatusPublished))
	draftA := mk(crossOf(a, "utkast", library.Public, cross.StatusDraft))
	goneA := mk(crossOf(a, "bort", library.Public, cross.StatusPublished))
	goneAPI := mk(crossOf(a, "bort API", library.Public, cross.StatusPublished))
	goneB := mk(crossOf(b, "bort B", library.Organisation, cross.StatusPublished))
	revA := mk(crossOf(a, "versioner", library.Public, cross.StatusPublished))         // two versions, to restore the first
	revB := mk(crossOf(b, "versioner B", library.Organisation, cross.StatusPublished)) // hidden from A, one version
	second := crossOf(a, "versioner två", library.Public, cross.StatusPublished)
	second.ID = revA
	if _, err := f.ta.Crosses.Update(ctx, admin, second, 0); err != nil {
		t.Fatal(err)
	}
	host := &account.Actor{User: f.users[2]}
	w, err := f.ta.Workshops.Create(ctx, host, workshop.Workshop{Title: "Korsmatris", FocalQuestion: "Vad?", HorizonYear: 2050})
	if err != nil {
		t.Fatal(err)
	}
	// A driver in the workshop, for linking an axis to: only its host
	// (A's editor) takes part in it.
	hostP, err := f.ta.Workshops.Participant(ctx, host, w.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range []workshop.Command{{Kind: workshop.WorkshopOpen}, {Kind: workshop.StageSet, Stage: "drivers"}, {Kind: workshop.NoteAdd, Text: "Digitalisering"}} {
		c.ClientID = "matrix-driver-" + strconv.Itoa(i)
		if _, err := f.ta.Workshops.Do(ctx, hostP, c); err != nil {
			t.Fatal(err)
		}
	}
	_, ds, err := f.ta.Workshops.Drivers(ctx, host, w.ID)
	if err != nil || len(ds) != 1 {
		t.Fatal(ds, err)
	}
	linked := []string{"drivers_workshop", strconv.FormatInt(w.ID, 10), "x_drivers", strconv.FormatInt(ds[0].ID, 10)}
	withDrivers := crossOf(a, "API drivkrafter", library.Public, cross.StatusPublished)
	withDrivers.DriverWorkshopID, withDrivers.X.DriverIDs = w.ID, []int64{ds[0].ID}
	if err := f.ta.Crosses.AddActions(ctx, admin, pubA, "Bygg ut kollektivtrafiken\nStärk vården i hemmet"); err != nil {
		t.Fatal(err)
	}
	st, err := f.ta.Crosses.Stress(ctx, admin, pubA)
	if err != nil {
		t.Fatal(err)
	}
	act, actGone := st.Rows[0].Action.ID, st.Rows[1].Action.ID
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	page := func(n int64) string { return "/scenariekors/" + id(n) }
	api := func(n int64) string { return "/api/v1/crosses/" + id(n) }
	seeA, seeB := [6]int{see, forb, see, see, forb, see}, [6]int{see, nf, nf, nf, see, see}
	onlyB := [6]int{nf, nf, nf, nf, ok, ok}
	editA := [6]int{see, forb, ok, ok, forb, ok}
	created, gone := http.StatusCreated, http.StatusNoContent
	fifth := crossOf(a, "fem", library.Public, cross.StatusPublished)
	fifth.Scenarios = append(fifth.Scenarios, cross.Scenario{Quadrant: 5, Name: "Femte"})
	derived := crossOf(a, "härlett", library.Public, cross.StatusPublished)
	derived.AxisChanges = []cross.AxisChange{{Axis: "x", Change: cross.Kept}, {Axis: "y", Change: cross.Kept}}
	return []matrixCase{
		{pattern: "GET /scenariekors", method: "GET", path: "/scenariekors", want: all(ok)},
		{pattern: "GET /scenariokors", method: "GET", path: "/scenariokors", want: all(http.StatusMovedPermanently)},
		{pattern: "GET /scenariokors/{rest...}", method: "GET", path: "/scenariokors/" + id(pubA), want: all(http.StatusMovedPermanently)},
		{pattern: "GET /scenariekors/nytt", method: "GET", path: "/scenariekors/nytt", want: [6]int{see, forb, ok, ok, ok, ok}},
		{pattern: "POST /scenariekors", method: "POST", path: "/scenariekors", form: crossForm(a), want: seeA},
		{pattern: "GET /scenariekors/import", method: "GET", path: "/scenariekors/import", want: [6]int{see, forb, ok, ok, ok, ok}},
		// A form without the file: refused, nothing saved.
		{pattern: "POST /scenariekors/import", method: "POST", path: "/scenariekors/import", form: form("x", "y"), want: [6]int{see, forb, bad, bad, bad, bad}},
		{pattern: "POST /scenariekors", method: "POST", path: "/scenariekors", form: crossForm(a, "x_low", ""), want: [6]int{see, forb, bad, bad, forb, bad}},
		// Axes linked to a workshop's drivers: only one who takes part in
		// the workshop may link them; to the others it is unknown.
		{pattern: "POST /scenariekors", method: "POST", path: "/scenariekors", form: crossForm(a, linked...), want: [6]int{see, forb, see, bad, forb, bad}},
		// Showing a workshop's drivers in the form saves nothing.
		{pattern: "POST /scenariekors", method: "POST", path: "/scenariekors", form: crossForm(a, append(linked, "load_drivers", "1")...), want: [6]int{see, forb, ok, ok, ok, ok}},
		{pattern: "GET /scenariekors/jamfor", method: "GET", path: "/scenariekors/jamfor?id=" + id(pubA) + "&id=" + id(orgB), want: onlyB},
		{pattern: "GET /scenariekors/jamfor", method: "GET", path: "/scenariekors/jamfor?id=" + id(pubA), want: all(bad)},
		{pattern: "GET /scenariekors/{id}", method: "GET", path: page(pubA), want: all(ok)},
		{pattern: "GET /scenariekors/{id}", method: "GET", path: page(orgB), want: onlyB},
		{pattern: "GET /scenariekors/{id}", method: "GET", path: page(draftA), want: [6]int{nf, nf, ok, ok, nf, ok}},
		{pattern: "GET /scenariekors/{id}", method: "GET", path: "/scenariekors/inte-ett-id", want: all(nf)},
		{pattern: "GET /scenariekors/{id}/redigera", method: "GET", path: page(pubA) + "/redigera", want: editA},
		{pattern: "GET /scenariekors/{id}/redigera", method: "GET", path: page(orgB) + "/redigera", want: [6]int{see, nf, nf, nf, ok, ok}},
		{pattern: "POST /scenariekors/{id}", method: "POST", path: page(pubA), form: crossForm(a, "title", "Nytt namn"), want: seeA},
		{pattern: "POST /scenariekors/{id}", method: "POST", path: page(orgB), form: crossForm(b), want: seeB},
		{pattern: "POST /scenariekors/{id}/ta-bort", method: "POST", path: page(goneA) + "/ta-bort", want: seeA},
		{pattern: "GET /scenariekors/{id}/anpassa", method: "GET", path: page(pubA) + "/anpassa", want: [6]int{see, forb, ok, ok, ok, ok}},
		{pattern: "GET /scenariekors/{id}/anpassa", method: "GET", path: page(orgB) + "/anpassa", want: [6]int{see, nf, nf, nf, ok, ok}},
		{pattern: "POST /scenariekors/{id}/anpassa", method: "POST", path: page(pubA) + "/anpassa", form: crossForm(a, "x_change", "kept", "y_change", "kept"), want: seeA},
		// Deriving from a cross the caller cannot see: as if it did not exist.
		{pattern: "POST /scenariekors/{id}/anpassa", method: "POST", path: page(orgB) + "/anpassa", form: crossForm(b, "x_change", "kept", "y_change", "kept"), want: seeB},
		{pattern: "GET /scenariekors/{id}/slakttrad", method: "GET", path: page(pubA) + "/slakttrad", want: all(ok)},
		{pattern: "GET /scenariekors/{id}/slakttrad", method: "GET", path: page(orgB) + "/slakttrad", want: onlyB},
		{pattern: "GET /scenariekors/{id}/versioner", method: "GET", path: page(pubA) + "/versioner", want: editA},
		// The form sends the version it showed; one long gone is a conflict
		// for those who may restore, and nothing is saved.
		{pattern: "POST /scenariekors/{id}/versioner/{n}/aterstall", method: "POST", path: page(revA) + "/versioner/1/aterstall", form: form("version", "99"),
			want: [6]int{see, forb, http.StatusConflict, http.StatusConflict, forb, http.StatusConflict}},
		{pattern: "POST /scenariekors/{id}/versioner/{n}/aterstall", method: "POST", path: page(revB) + "/versioner/1/aterstall", form: form("version", "1"),
			want: [6]int{see, nf, nf, nf, bad, bad}},
		{pattern: "GET /scenariekors/{id}/kors.svg", method: "GET", path: page(pubA) + "/kors.svg", want: all(ok)},
		{pattern: "GET /scenariekors/{id}/kors.svg", method: "GET", path: page(orgB) + "/kors.svg", want: onlyB},
		{pattern: "GET /scenariekors/{id}/kors.png", method: "GET", path: page(pubA) + "/kors.png", want: all(ok)},
		{pattern: "GET /scenariekors/{id}/kors.json", method: "GET", path: page(orgB) + "/kors.json", want: onlyB},
		{pattern: "GET /scenariekors/{id}/utskrift", method: "GET", path: page(pubA) + "/utskrift", want: all(ok)},
		{pattern: "POST /scenariekors/{id}/workshop", method: "POST", path: page(pubA) + "/workshop", form: form("stage", "backcasting"), want: all(see)},
		{pattern: "POST /scenariekors/{id}/workshop", method: "POST", path: page(orgB) + "/workshop", form: form("stage", "scenarios"), want: seeB},
		{pattern: "POST /workshoppar/{id}/publicera-kors", method: "POST", path: "/workshoppar/" + id(w.ID) + "/publicera-kors",
			form: form("organisation", id(a), "visibility", "public"), want: [6]int{see, forb, see, forb, forb, forb}},
		{pattern: "GET /scenariekors/{id}/stresstest", method: "GET", path: page(pubA) + "/stresstest", want: all(ok)},
		{pattern: "GET /scenariekors/{id}/stresstest", method: "GET", path: page(orgB) + "/stresstest", want: onlyB},
		{pattern: "GET /scenariekors/{id}/stresstest/utskrift", method: "GET", path: page(pubA) + "/stresstest/utskrift", want: all(ok)},
		{pattern: "GET /scenariekors/{id}/stresstest.csv", method: "GET", path: page(pubA) + "/stresstest.csv", want: all(ok)},
		{pattern: "POST /scenariekors/{id}/stresstest/atgarder", method: "POST", path: page(pubA) + "/stresstest/atgarder", form: form("actions", "Ny åtgärd"), want: seeA},
		{pattern: "POST /scenariekors/{id}/stresstest/atgarder", method: "POST", path: page(pubA) + "/stresstest/atgarder", form: form("actions", ""), want: [6]int{see, forb, bad, bad, forb, bad}},
		{pattern: "POST /scenariekors/{id}/stresstest/atgarder/{aid}/ta-bort", method: "POST", path: page(pubA) + "/stresstest/atgarder/" + id(actGone) + "/ta-bort", want: seeA},
		// Members of the cross's organisations judge; others may not.
		{pattern: "POST /scenariekors/{id}/stresstest/bedomning", method: "POST", path: page(pubA) + "/stresstest/bedomning", form: form("v_"+id(act)+"_1", "robust"), want: [6]int{see, see, see, see, forb, see}},
		{pattern: "POST /scenariekors/{id}/stresstest/bedomning", method: "POST", path: page(pubA) + "/stresstest/bedomning", form: form("v_"+id(act)+"_1", "kanske"), want: [6]int{see, bad, bad, bad, forb, bad}},
		{pattern: "GET /metoder", method: "GET", path: "/metoder", want: all(ok)},
		{pattern: "GET /metoder/{slug}", method: "GET", path: "/metoder/framtidshjul", want: all(ok)},
		{pattern: "GET /metoder/{slug}", method: "GET", path: "/metoder/finns-inte", want: all(nf)},

		{pattern: "GET /api/v1/crosses", method: "GET", path: "/api/v1/crosses?level=regional", want: all(ok)},
		{pattern: "POST /api/v1/crosses", method: "POST", path: "/api/v1/crosses", json: crossJSON(t, crossOf(a, "API", library.Public, cross.StatusPublished)), want: [6]int{unath, forb, created, created, forb, created}},
		{pattern: "POST /api/v1/crosses", method: "POST", path: "/api/v1/crosses", json: crossJSON(t, fifth), want: [6]int{unath, forb, bad, bad, forb, bad}},
		{pattern: "POST /api/v1/crosses", method: "POST", path: "/api/v1/crosses", json: crossJSON(t, withDrivers), want: [6]int{unath, forb, created, bad, forb, bad}},
		{pattern: "GET /api/v1/crosses/compare", method: "GET", path: "/api/v1/crosses/compare?id=" + id(pubA) + "&id=" + id(orgB), want: onlyB},
		{pattern: "GET /api/v1/crosses/export", method: "GET", path: "/api/v1/crosses/export", want: all(ok)},
		{pattern: "POST /api/v1/crosses/import", method: "POST", path: "/api/v1/crosses/import", json: `{"format": "inte det"}`, want: [6]int{unath, bad, bad, bad, bad, bad}},
		{pattern: "GET /api/v1/crosses/{id}", method: "GET", path: api(pubA), want: all(ok)},
		{pattern: "GET /api/v1/crosses/{id}", method: "GET", path: api(orgB), want: onlyB},
		{pattern: "PUT /api/v1/crosses/{id}", method: "PUT", path: api(pubA), json: crossJSON(t, crossOf(a, "ändrat", library.Public, cross.StatusPublished)), want: [6]int{unath, forb, ok, ok, forb, ok}},
		{pattern: "DELETE /api/v1/crosses/{id}", method: "DELETE", path: api(goneAPI), want: [6]int{unath, forb, gone, gone, forb, gone}},
		{pattern: "DELETE /api/v1/crosses/{id}", method: "DELETE", path: api(goneB), want: [6]int{unath, nf, nf, nf, gone, gone}},
		{pattern: "POST /api/v1/crosses/{id}/derive", method: "POST", path: api(pubA) + "/derive", json: crossJSON(t, derived), want: [6]int{unath, forb, created, created, forb, created}},
		{pattern: "POST /api/v1/crosses/{id}/derive", method: "POST", path: api(orgB) + "/derive", json: crossJSON(t, derived), want: [6]int{unath, nf, nf, nf, forb, created}},
		{pattern: "GET /api/v1/crosses/{id}/lineage", method: "GET", path: api(pubA) + "/lineage", want: all(ok)},
		{pattern: "GET /api/v1/crosses/{id}/lineage", method: "GET", path: api(orgB) + "/lineage", want: onlyB},
		{pattern: "GET /api/v1/crosses/{id}/revisions", method: "GET", path: api(revA) + "/revisions", want: [6]int{unath, forb, ok, ok, forb, ok}},
		{pattern: "GET /api/v1/crosses/{id}/revisions", method: "GET", path: api(orgB) + "/revisions", want: [6]int{unath, nf, nf, nf, ok, ok}},
		{pattern: "POST /api/v1/crosses/{id}/revisions/{version}/restore", method: "POST", path: api(revA) + "/revisions/1/restore", json: `{"version": 0}`,
			want: [6]int{unath, forb, ok, ok, forb, ok}},
		{pattern: "POST /api/v1/crosses/{id}/revisions/{version}/restore", method: "POST", path: api(revB) + "/revisions/1/restore", json: `{"version": 0}`,
			want: [6]int{unath, nf, nf, nf, bad, bad}},
		{pattern: "GET /api/v1/methods", method: "GET", path: "/api/v1/methods", want: all(ok)},
		{pattern: "GET /api/v1/methods/{slug}", method: "GET", path: "/api/v1/methods/backcasting", want: all(ok)},
	}
})
