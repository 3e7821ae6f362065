package app_test

import (
	"fmt"
	"testing"
)

// The organisations' cases of the authorization matrix: their pages,
// contacts, members and API.
var _ = addMatrixArea(func(t *testing.T, f *matrixFixture) []matrixCase {
	v := form
	orgForm := v("name", "Org org-a", "slug", "org-a", "kind", "other", "level", "local", "public", "on")
	return []matrixCase{
		{pattern: "GET /organisationer", method: "GET", path: "/organisationer", want: all(ok)},
		{pattern: "GET /organisationer/ny", method: "GET", path: "/organisationer/ny", want: [6]int{see, forb, forb, forb, forb, ok}},
		{pattern: "POST /organisationer", method: "POST", path: "/organisationer", form: v("name", "Ny organisation", "kind", "other", "level", "local"), want: [6]int{see, forb, forb, forb, forb, see}},
		{pattern: "GET /organisationer/{slug}", method: "GET", path: "/organisationer/org-a", want: all(ok)},
		{pattern: "GET /organisationer/{slug}", method: "GET", path: "/organisationer/org-b", want: [6]int{nf, nf, nf, nf, ok, ok}},
		{pattern: "GET /organisationer/{slug}/redigera", method: "GET", path: "/organisationer/org-a/redigera", want: [6]int{see, forb, ok, ok, forb, ok}},
		{pattern: "GET /organisationer/{slug}/redigera", method: "GET", path: "/organisationer/org-b/redigera", want: [6]int{see, nf, nf, nf, ok, ok}},
		{pattern: "POST /organisationer/{slug}", method: "POST", path: "/organisationer/org-a", form: orgForm, want: [6]int{see, forb, forb, see, forb, see}},
		{pattern: "POST /organisationer/{slug}/logotyp", method: "POST", path: "/organisationer/org-a/logotyp", multipart: true, want: [6]int{see, forb, forb, see, forb, see}},
		{pattern: "POST /organisationer/{slug}/kontakter", method: "POST", path: "/organisationer/org-a/kontakter", form: v("contact_name", "Ny Kontakt"), want: [6]int{see, forb, see, see, forb, see}},
		{pattern: "POST /organisationer/{slug}/kontakter", method: "POST", path: "/organisationer/org-b/kontakter", form: v("contact_name", "Ny Kontakt"), want: [6]int{see, nf, nf, nf, see, see}},
		{pattern: "POST /organisationer/{slug}/kontakter/{id}", method: "POST", path: fmt.Sprintf("/organisationer/org-a/kontakter/%d", f.contactA), form: v("contact_name", "Ändrad"), want: [6]int{see, forb, see, see, forb, see}},
		// A contact of B reached through A's address: never found, whoever asks.
		{pattern: "POST /organisationer/{slug}/kontakter/{id}", method: "POST", path: fmt.Sprintf("/organisationer/org-a/kontakter/%d", f.contactB), form: v("contact_name", "Kapad"), want: [6]int{see, forb, nf, nf, forb, nf}},
		{pattern: "POST /organisationer/{slug}/kontakter/{id}/ta-bort", method: "POST", path: fmt.Sprintf("/organisationer/org-a/kontakter/%d/ta-bort", f.contactAGone), want: [6]int{see, forb, see, see, forb, see}},
		{pattern: "GET /organisationer/{slug}/medlemmar", method: "GET", path: "/organisationer/org-a/medlemmar", want: [6]int{see, ok, ok, ok, forb, ok}},
		{pattern: "POST /organisationer/{slug}/medlemmar/{user}", method: "POST", path: fmt.Sprintf("/organisationer/org-a/medlemmar/%d", f.target.ID), form: v("role", "editor"), want: [6]int{see, forb, forb, see, forb, see}},
		// A non-member and an unknown id: the same 404, and nobody is added.
		{pattern: "POST /organisationer/{slug}/medlemmar/{user}", method: "POST", path: fmt.Sprintf("/organisationer/org-a/medlemmar/%d", f.users[4].ID), form: v("role", "editor"), want: [6]int{see, forb, forb, nf, forb, nf}},
		{pattern: "POST /organisationer/{slug}/medlemmar/{user}", method: "POST", path: "/organisationer/org-a/medlemmar/999999", form: v("role", "editor"), want: [6]int{see, forb, forb, nf, forb, nf}},
		{pattern: "POST /organisationer/{slug}/inbjudningar", method: "POST", path: "/organisationer/org-a/inbjudningar", form: v("email", "ny@a.se", "role", "member"), want: [6]int{see, forb, forb, ok, forb, ok}},
		{pattern: "POST /organisationer/{slug}/ta-bort", method: "POST", path: "/organisationer/org-c/ta-bort", form: v("confirm", "org-c"), want: [6]int{see, forb, forb, forb, forb, see}},
		{pattern: "GET /api/v1/organizations", method: "GET", path: "/api/v1/organizations", want: all(ok)},
		{pattern: "GET /api/v1/organizations/{slug}", method: "GET", path: "/api/v1/organizations/org-a", want: all(ok)},
		{pattern: "GET /api/v1/organizations/{slug}", method: "GET", path: "/api/v1/organizations/org-b", want: [6]int{nf, nf, nf, nf, ok, ok}},
	}
})
