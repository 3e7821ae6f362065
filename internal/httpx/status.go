package httpx

import (
	"net/http"

	"github.com/framsyn/framsyn/internal/errs"
)

// Kind is what an error kind answers over HTTP.
type Kind struct {
	Status int
	Code   string // the stable code of the JSON error body
}

// kinds is the one table from error kind to status and code: pages take
// the status, the API and the board the status and the code.
var kinds = map[errs.Kind]Kind{
	errs.Internal:         {http.StatusInternalServerError, "internal"},
	errs.Invalid:          {http.StatusUnprocessableEntity, "invalid"},
	errs.NotFound:         {http.StatusNotFound, "not_found"},
	errs.Unauthorized:     {http.StatusUnauthorized, "unauthorized"},
	errs.Forbidden:        {http.StatusForbidden, "forbidden"},
	errs.Conflict:         {http.StatusConflict, "conflict"},
	errs.TooMany:          {http.StatusTooManyRequests, "too_many_requests"},
	errs.Malformed:        {http.StatusBadRequest, "bad_request"},
	errs.TooLarge:         {http.StatusRequestEntityTooLarge, "too_large"},
	errs.MethodNotAllowed: {http.StatusMethodNotAllowed, "method_not_allowed"},
}

// KindOf returns the status and code of an error kind; an unknown kind is
// internal.
func KindOf(k errs.Kind) Kind {
	if c, ok := kinds[k]; ok {
		return c
	}
	return kinds[errs.Internal]
}

// Status returns the HTTP status of an error kind.
func Status(k errs.Kind) int { return KindOf(k).Status }

// Kinds returns every error kind the table knows, for tests.
func Kinds() []errs.Kind {
	out := make([]errs.Kind, 0, len(kinds))
	for k := range kinds {
		out = append(out, k)
	}
	return out
}
