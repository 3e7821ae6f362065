// Package httpx is what every front end (pages, the JSON API, the
// workshop board) shares about HTTP: path values, the one table from error
// kind to status and code, the JSON error body, strict JSON decoding and
// JSON writing. One behaviour, so a client sees the same answer wherever
// it asks.
package httpx

import (
	"net/http"
	"strconv"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/route"
)

// ID reads the path value name as a positive int64; a malformed one is a
// NotFound, as an id that names nothing.
func ID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.E(errs.NotFound, "error.not_found")
	}
	return id, nil
}

// Int reads the path value name as a positive int (a revision number); a
// malformed one is a NotFound.
func Int(r *http.Request, name string) (int, error) {
	n, err := strconv.Atoi(r.PathValue(name))
	if err != nil || n <= 0 {
		return 0, errs.E(errs.NotFound, "error.not_found")
	}
	return n, nil
}

// Path reads the path value name as it is: a slug, a hash, a token, a
// join code. The domain answers NotFound for one that names nothing.
func Path(r *http.Request, name string) string { return r.PathValue(name) }

// Cookies returns a reader of the request's cookies by name, "" for one
// it does not have: what a domain is given to find a guest's token.
func Cookies(r *http.Request) func(name string) string {
	return func(name string) string {
		if c, err := r.Cookie(name); err == nil {
			return c.Value
		}
		return ""
	}
}

// ArchiveTypes are the media types an import takes a whole library as: the
// page's form and an archive sent to the API. Never a url-encoded form,
// which the middleware parses into memory before sign-in.
var ArchiveTypes = []string{"multipart/form-data", "application/zip", "application/x-zip-compressed", "application/octet-stream"}

// ImportLimits are the body limits of a route importing a whole area: a
// JSON export up to maxJSON, an archive up to maxArchive and room for the
// form around it.
func ImportLimits(maxJSON, maxArchive int64) []route.Option {
	return []route.Option{
		route.MaxBody(maxJSON, "application/json"),
		route.MaxBody(maxArchive+1<<20, ArchiveTypes...),
	}
}
