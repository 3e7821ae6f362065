package app_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/framsyn/framsyn/internal/app"
	"github.com/framsyn/framsyn/internal/httpx"
)

// TestClientGoneIsQuiet is issue 21 item 18: a request whose client went
// away before the answer (its context cancelled) is logged at INFO as
// such, recorded as 499, never an ERROR and never a 500, on pages and the
// API alike.
func TestClientGoneIsQuiet(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	ta := mustApp(t, sqliteDSN(t), func(c *app.Config) {
		c.Log = slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &mu}, nil))
	})
	for _, path := range []string{"/bibliotek?q=scenario", "/sok?q=framsyn", "/api/v1/works", "/api/v1/search?q=framsyn"} {
		t.Run(strings.ReplaceAll(path, "/", "_"), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			rec := httptest.NewRecorder()
			ta.Handler().ServeHTTP(rec, httptest.NewRequest("GET", path, nil).WithContext(ctx))
			if rec.Code != httpx.StatusClientClosed {
				t.Errorf("status %d, want %d", rec.Code, httpx.StatusClientClosed)
			}
		})
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("a client that went away was logged as an error:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "client went away") {
		t.Errorf("the log does not say the client went away:\n%s", logs.String())
	}
}
