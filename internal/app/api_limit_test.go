package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// TestAPI_LimitRefused: the analysis and audit lists refuse a limit that
// is not a whole number from 1 to 200 with 422 api.limit_invalid, as every
// other list does, instead of quietly using their default.
func TestAPI_LimitRefused(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			ta := mustApp(t, dsn)
			admin := ta.mintSession(ta.mustUser("admin@example.se", "Admin", true))
			for _, path := range []string{"/api/v1/datasets", "/api/v1/index-models", "/api/v1/audit-events"} {
				for _, c := range []struct {
					query string
					want  int
				}{{"", http.StatusOK}, {"?limit=5", http.StatusOK}, {"?limit=200", http.StatusOK},
					{"?limit=0", http.StatusUnprocessableEntity}, {"?limit=abc", http.StatusUnprocessableEntity},
					{"?limit=-3", http.StatusUnprocessableEntity}, {"?limit=201", http.StatusUnprocessableEntity}} {
					resp := ta.do(req{method: "GET", path: path + c.query, session: admin})
					body := readBody(t, resp)
					if resp.StatusCode != c.want {
						t.Errorf("GET %s%s = %d, want %d (%s)", path, c.query, resp.StatusCode, c.want, body)
						continue
					}
					if c.want == http.StatusUnprocessableEntity && !strings.Contains(body, "1 till 200") {
						t.Errorf("GET %s%s: %s, want the limit's message", path, c.query, body)
					}
				}
			}
		})
	}
}
