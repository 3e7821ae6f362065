package ui

import (
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/framsyn/framsyn/internal/api"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/i18n"
)

// TestErrors_OneAnswerPerKind checks that the API and the workshop board
// answer every error kind with the same status, headers and body, and that
// pages answer with the same status (a sign-in redirect for Unauthorized).
func TestErrors_OneAnswerPerKind(t *testing.T) {
	cat := i18n.MustLoad()
	log := slog.New(slog.DiscardHandler)
	s, err := New(Config{Catalogue: cat, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	wp := &workshopPages{Server: s}
	jsonAPI := api.New(api.Config{Catalogue: cat, Log: log})
	tests := []struct {
		name       string
		err        error
		status     int
		code, page string // the JSON code; page is the page's status if not status
	}{
		{"Internal", errors.New("disk on fire"), 500, "internal", ""},
		{"Invalid", errs.Fields{"title": "error.required"}.Err(), 422, "invalid", ""},
		{"NotFound", errs.E(errs.NotFound, "error.not_found"), 404, "not_found", ""},
		{"Unauthorized", errs.E(errs.Unauthorized, "error.sign_in"), 401, "unauthorized", "303"},
		{"Forbidden", errs.E(errs.Forbidden, "error.forbidden"), 403, "forbidden", ""},
		{"Conflict", errs.E(errs.Conflict, "error.conflict"), 409, "conflict", ""},
		{"TooMany", errs.E(errs.TooMany, "workshop.too_many_streams"), 429, "too_many_requests", ""},
		{"Malformed", errs.E(errs.Malformed, "error.json_invalid"), 400, "bad_request", ""},
		{"TooLarge", errs.E(errs.TooLarge, "error.body_too_large"), 413, "too_large", ""},
		{"MethodNotAllowed", errs.E(errs.MethodNotAllowed, "error.method_not_allowed"), 405, "method_not_allowed", ""},
	}
	if len(tests) != len(httpx.Kinds()) {
		t.Fatalf("%d cases for %d kinds: add the new kind here", len(tests), len(httpx.Kinds()))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/workshoppar/1/handling", nil)
			r.Header.Set("Accept-Language", "sv")
			fromAPI, fromBoard, fromPage := httptest.NewRecorder(), httptest.NewRecorder(), httptest.NewRecorder()
			jsonAPI.WriteError(fromAPI, r, tt.err)
			wp.plainError(fromBoard, r, tt.err)
			s.fail(fromPage, r, tt.err)

			if fromAPI.Code != tt.status || fromBoard.Code != tt.status {
				t.Errorf("status: API %d, board %d, want %d", fromAPI.Code, fromBoard.Code, tt.status)
			}
			if a, b := fromAPI.Body.String(), fromBoard.Body.String(); a != b {
				t.Errorf("bodies differ:\nAPI   %s\nboard %s", a, b)
			}
			for _, h := range []string{"Content-Type", "Cache-Control", "WWW-Authenticate", "Connection"} {
				if a, b := fromAPI.Header().Get(h), fromBoard.Header().Get(h); a != b {
					t.Errorf("%s: API %q, board %q", h, a, b)
				}
			}
			if got := httpx.Body(cat.For("sv"), tt.err); got.Error.Code != tt.code || got.Error.Message == "" || got.Error.Key == "" {
				t.Errorf("body %+v, want code %q with a key and a message", got, tt.code)
			}
			page := tt.status
			if tt.page == "303" {
				page = http.StatusSeeOther
			}
			if fromPage.Code != page {
				t.Errorf("page status %d, want %d", fromPage.Code, page)
			}
		})
	}
}
