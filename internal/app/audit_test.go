package app_test

import "testing"

// The audit log's cases of the authorization matrix: platform admins only.
var _ = addMatrixArea(func(t *testing.T, f *matrixFixture) []matrixCase {
	return []matrixCase{
		{pattern: "GET /admin/logg", method: "GET", path: "/admin/logg", want: [6]int{see, forb, forb, forb, forb, ok}},
		{pattern: "GET /admin/logg", method: "GET", path: "/admin/logg?typ=work", want: [6]int{see, forb, forb, forb, forb, ok}},
		{pattern: "GET /api/v1/audit-events", method: "GET", path: "/api/v1/audit-events", want: [6]int{unath, forb, forb, forb, forb, ok}},
		{pattern: "GET /api/v1/audit-events", method: "GET", path: "/api/v1/audit-events?kind=membership&limit=5", want: [6]int{unath, forb, forb, forb, forb, ok}},
		{pattern: "GET /api/v1/audit-events", method: "GET", path: "/api/v1/audit-events?kind=nope", want: [6]int{unath, forb, forb, forb, forb, bad}},
	}
})
