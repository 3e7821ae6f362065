package app_test

import (
	"fmt"
	"testing"
)

// The accounts' cases of the authorization matrix: signing in, the
// account page, the platform admin.
var _ = addMatrixArea(func(t *testing.T, f *matrixFixture) []matrixCase {
	v := form
	return []matrixCase{
		{pattern: "GET /logga-in", method: "GET", path: "/logga-in", want: [6]int{ok, see, see, see, see, see}},
		{pattern: "POST /logga-in", method: "POST", path: "/logga-in", form: v("email", "nobody@x.se", "password", "wrong password!!"), want: all(bad)},
		{pattern: "GET /glomt-losenord", method: "GET", path: "/glomt-losenord", want: all(ok)},
		{pattern: "POST /glomt-losenord", method: "POST", path: "/glomt-losenord", form: v("email", "nobody@x.se"), want: all(ok)},
		{pattern: "GET /aterstall/{token}", method: "GET", path: "/aterstall/bogus", want: all(ok)},
		{pattern: "POST /aterstall/{token}", method: "POST", path: "/aterstall/bogus", form: v("password", "a long new password", "confirm", "a long new password"), want: all(bad)},
		{pattern: "GET /inbjudan/{token}", method: "GET", path: "/inbjudan/bogus", want: all(nf)},
		{pattern: "POST /inbjudan/{token}", method: "POST", path: "/inbjudan/bogus", form: v("name", "X"), want: all(nf)},
		{pattern: "GET /konto", method: "GET", path: "/konto", want: [6]int{see, ok, ok, ok, ok, ok}},
		{pattern: "POST /konto/namn", method: "POST", path: "/konto/namn", form: v("name", "Nytt Namn"), want: [6]int{see, see, see, see, see, see}},
		{pattern: "POST /konto/losenord", method: "POST", path: "/konto/losenord", form: v("current", "wrong", "password", "another long password", "confirm", "another long password"), want: [6]int{see, bad, bad, bad, bad, bad}},
		{pattern: "POST /konto/nycklar", method: "POST", path: "/konto/nycklar", form: v("token_name", "skript"), want: [6]int{see, ok, ok, ok, ok, ok}},
		{pattern: "POST /konto/nycklar", method: "POST", path: "/konto/nycklar", form: v("token_name", "skript", "token_days", "9999"), want: [6]int{see, bad, bad, bad, bad, bad}},
		{pattern: "POST /konto/nycklar/{id}/ta-bort", method: "POST", path: "/konto/nycklar/999999/ta-bort", want: [6]int{see, nf, nf, nf, nf, nf}},
		{pattern: "POST /konto/sessioner/{hash}/avsluta", method: "POST", path: "/konto/sessioner/bogus/avsluta", want: [6]int{see, nf, nf, nf, nf, nf}},
		{pattern: "GET /admin/anvandare", method: "GET", path: "/admin/anvandare", want: [6]int{see, forb, forb, forb, forb, ok}},
		{pattern: "POST /admin/inbjudningar", method: "POST", path: "/admin/inbjudningar", form: v("email", "ny@framsyn.se"), want: [6]int{see, forb, forb, forb, forb, ok}},
		{pattern: "POST /admin/anvandare/{id}", method: "POST", path: fmt.Sprintf("/admin/anvandare/%d", f.target.ID), form: v("action", "disable"), want: [6]int{see, forb, forb, forb, forb, see}},
		{pattern: "POST /admin/anvandare/{id}/aterstallning", method: "POST", path: fmt.Sprintf("/admin/anvandare/%d/aterstallning", f.target.ID), want: [6]int{see, forb, forb, forb, forb, ok}},
	}
})
