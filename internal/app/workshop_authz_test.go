package app_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/workshop"
)

// The workshops' cases of the authorization matrix: a workshop
// facilitated by the editor of A, open, in its first stage. The other
// roles have not joined it; they join in the last cases (joining changes
// what they may do).
var _ = addMatrixArea(func(t *testing.T, f *matrixFixture) []matrixCase {
	ctx := context.Background()
	host := &account.Actor{User: f.users[2]}
	w, err := f.ta.Workshops.Create(ctx, host, workshop.Workshop{Title: "Matris", FocalQuestion: "Vem får vad?", HorizonYear: 2050})
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.ta.Workshops.Participant(ctx, host, w.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.ta.Workshops.Do(ctx, p, workshop.Command{ClientID: "matrix-open-1", Kind: workshop.WorkshopOpen}); err != nil {
		t.Fatal(err)
	}
	// The room's PC holds a projector link: it reads the projector view
	// and its stream, nothing else, and nothing once revoked.
	projToken, err := f.ta.Workshops.NewProjectorLink(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	proj := "/projektor/" + projToken
	orgA, err := f.ta.Stores.Accounts.OrganisationBySlug(ctx, "org-a")
	if err != nil {
		t.Fatal(err)
	}
	v := form
	ws := "/workshoppar/" + strconv.FormatInt(w.ID, 10)
	api := "/api/v1/workshops/" + strconv.FormatInt(w.ID, 10)
	facOnly := func(code int) [6]int { return [6]int{forb, forb, code, forb, forb, forb} }
	return []matrixCase{
		{pattern: "GET /workshoppar", method: "GET", path: "/workshoppar", want: all(ok)},
		{pattern: "POST /workshoppar", method: "POST", path: "/workshoppar", form: v("title", "Ny", "question", "Vad?", "horizon", "2050"), want: all(see)},
		{pattern: "GET /workshoppar/{id}", method: "GET", path: ws, want: facOnly(ok)},
		{pattern: "GET /workshoppar/{id}", method: "GET", path: "/workshoppar/999999", want: all(forb)},
		{pattern: "GET /workshoppar/{id}/tavla.json", method: "GET", path: ws + "/tavla.json", want: facOnly(ok)},
		{pattern: "GET /workshoppar/{id}/tavla.html", method: "GET", path: ws + "/tavla.html", want: facOnly(ok)},
		{pattern: "GET /workshoppar/{id}/tavla.html", method: "GET", path: "/workshoppar/999999/tavla.html", want: all(forb)},
		{pattern: "GET /workshoppar/{id}/strom", method: "GET", path: ws + "/strom", want: facOnly(ok)},
		{pattern: "GET /workshoppar/{id}/projektor", method: "GET", path: ws + "/projektor", want: facOnly(ok)},
		{pattern: "GET /workshoppar/{id}/projektor.html", method: "GET", path: ws + "/projektor.html", want: facOnly(ok)},
		{pattern: "GET /workshoppar/{id}/projektor", method: "GET", path: "/workshoppar/999999/projektor", want: all(forb)},
		{pattern: "GET /projektor/{token}", method: "GET", path: proj, want: all(ok)},
		{pattern: "GET /projektor/{token}/projektor.html", method: "GET", path: proj + "/projektor.html", want: all(ok)},
		{pattern: "GET /projektor/{token}/strom", method: "GET", path: proj + "/strom", want: all(ok)},
		{pattern: "GET /projektor/{token}", method: "GET", path: "/projektor/bogus-token", want: all(nf)},
		{pattern: "GET /projektor/{token}/projektor.html", method: "GET", path: "/projektor/bogus-token/projektor.html", want: all(nf)},
		{pattern: "GET /projektor/{token}/strom", method: "GET", path: "/projektor/bogus-token/strom", want: all(nf)},
		{pattern: "POST /workshoppar/{id}/projektorlank/aterkalla", method: "POST", path: ws + "/projektorlank/aterkalla", want: facOnly(see)},
		// Revoked by the facilitator (in their run only): their token is gone.
		{pattern: "GET /projektor/{token}", method: "GET", path: proj, want: [6]int{ok, ok, nf, ok, ok, ok}},
		{pattern: "GET /projektor/{token}/strom", method: "GET", path: proj + "/strom", want: [6]int{ok, ok, nf, ok, ok, ok}},
		{pattern: "POST /workshoppar/{id}/projektorlank", method: "POST", path: ws + "/projektorlank", want: facOnly(ok)},
		{pattern: "POST /workshoppar/{id}/handling", method: "POST", path: ws + "/handling", form: v("id", "matrix-note-1", "kind", "note.add", "text", "En lapp"), want: facOnly(see)},
		{pattern: "GET /workshoppar/{id}/resultat", method: "GET", path: ws + "/resultat", want: facOnly(ok)},
		{pattern: "GET /workshoppar/{id}/resultat.md", method: "GET", path: ws + "/resultat.md", want: facOnly(ok)},
		{pattern: "GET /workshoppar/{id}/resultat.json", method: "GET", path: ws + "/resultat.json", want: facOnly(ok)},
		{pattern: "POST /workshoppar/{id}/grupper-per-kvadrant", method: "POST", path: ws + "/grupper-per-kvadrant", want: facOnly(see)},
		{pattern: "POST /workshoppar/{id}/kopiera", method: "POST", path: ws + "/kopiera", want: [6]int{see, forb, see, forb, forb, forb}},
		{pattern: "POST /workshoppar/{id}/medledare", method: "POST", path: ws + "/medledare", form: v("email", "member@a.se"), want: [6]int{see, forb, see, forb, forb, forb}},
		{pattern: "POST /workshoppar/{id}/publicera", method: "POST", path: ws + "/publicera", form: v("organisation", fmt.Sprint(orgA.ID), "visibility", "draft"), want: [6]int{see, forb, see, forb, forb, forb}},
		{pattern: "GET /workshoppar/{id}/kors.svg", method: "GET", path: ws + "/kors.svg", want: facOnly(ok)},
		{pattern: "GET /workshoppar/{id}/ogonblick/{seq}", method: "GET", path: ws + "/ogonblick/2", want: facOnly(nf)},
		{pattern: "GET /j", method: "GET", path: "/j?kod=nej", want: all(nf)},
		{pattern: "GET /j/{code}", method: "GET", path: "/j/" + w.Code, want: [6]int{ok, ok, see, ok, ok, ok}},
		{pattern: "GET /j/{code}", method: "GET", path: "/j/QQQQQQ", want: all(nf)},
		{pattern: "GET /j/{code}/igen/{token}", method: "GET", path: "/j/" + w.Code + "/igen/bogus-token", want: all(nf)},
		{pattern: "POST /j/{code}/igen/{token}", method: "POST", path: "/j/" + w.Code + "/igen/bogus-token", want: all(nf)},
		{pattern: "GET /j/{code}/qr.png", method: "GET", path: "/j/" + w.Code + "/qr.png", want: all(ok)},
		{pattern: "GET /j/{code}/qr.svg", method: "GET", path: "/j/" + w.Code + "/qr.svg", want: all(ok)},

		{pattern: "GET /api/v1/workshops", method: "GET", path: "/api/v1/workshops", want: [6]int{unath, ok, ok, ok, ok, ok}},
		{pattern: "POST /api/v1/workshops", method: "POST", path: "/api/v1/workshops", form: v("title", "inte JSON"), want: [6]int{unath, malf, malf, malf, malf, malf}},
		{pattern: "GET /api/v1/workshops/{id}", method: "GET", path: api, want: facOnly(ok)},
		{pattern: "GET /api/v1/workshops/{id}", method: "GET", path: "/api/v1/workshops/x", want: all(nf)},
		{pattern: "GET /api/v1/workshops/{id}/results", method: "GET", path: api + "/results", want: facOnly(ok)},
		{pattern: "POST /api/v1/workshops/{id}/actions", method: "POST", path: api + "/actions", form: v("kind", "note.add"), want: facOnly(malf)},

		// Joining last: afterwards everyone is in the workshop.
		{pattern: "POST /j/{code}", method: "POST", path: "/j/" + w.Code, form: v("nickname", "Gäst", "id", "matrix-join-01"), want: all(see), redirect: "/workshoppar/"},
		{pattern: "GET /workshoppar/{id}", method: "GET", path: ws, want: [6]int{forb, ok, ok, ok, ok, ok}},
		{pattern: "GET /workshoppar/{id}/tavla.html", method: "GET", path: ws + "/tavla.html", want: [6]int{forb, ok, ok, ok, ok, ok}},
		// The projector is the facilitator's: a participant gets none of it.
		{pattern: "GET /workshoppar/{id}/projektor", method: "GET", path: ws + "/projektor", want: facOnly(ok)},
		{pattern: "GET /workshoppar/{id}/projektor.html", method: "GET", path: ws + "/projektor.html", want: facOnly(ok)},
	}
})
