package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/library"
)

// Exporting and importing the library over the API: JSON, CSV or an
// archive out, JSON or an archive in.

// lazyWriter sets the headers of a download on its first write, so an
// error before any output can still be answered as an API error.
type lazyWriter struct {
	w       http.ResponseWriter
	headers map[string]string
	started bool
}

func (l *lazyWriter) Write(b []byte) (int, error) {
	if !l.started {
		l.started = true
		for k, v := range l.headers {
			l.w.Header().Set(k, v)
		}
		l.w.WriteHeader(http.StatusOK)
	}
	return l.w.Write(b)
}

func (s *worksAPI) exportWorks(w http.ResponseWriter, r *http.Request) error {
	f, err := s.workFilter(r)
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "json"
	}
	a := account.ActorFrom(r.Context())
	out := &lazyWriter{w: w, headers: map[string]string{"Cache-Control": "no-store"}}
	switch format {
	case "json":
		out.headers["Content-Type"] = "application/json; charset=utf-8"
		out.headers["Content-Disposition"] = `attachment; filename="framsyn-bibliotek.json"`
		err = s.svc.ExportJSON(r.Context(), a, f, out)
	case "csv":
		out.headers["Content-Type"] = "text/csv; charset=utf-8"
		out.headers["Content-Disposition"] = `attachment; filename="framsyn-bibliotek.csv"`
		err = s.svc.ExportCSV(r.Context(), a, f, out)
	case "zip":
		// An archive of a whole library outlasts the server's write timeout.
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(transferTimeout))
		out.headers["Content-Type"] = "application/zip"
		out.headers["Content-Disposition"] = `attachment; filename="framsyn-bibliotek.zip"`
		err = s.svc.ExportArchive(r.Context(), a, f, out)
	default:
		return errs.Fields{"format": "error.choose"}.Err()
	}
	if err != nil && out.started {
		// Too late for an error response: the client sees a cut file.
		if httpx.Gone(r) {
			s.log.Info("client went away", "path", r.URL.Path, "err", err)
		} else {
			s.log.Error("export failed", "err", err)
		}
		return nil
	}
	return err
}

// ImportResult counts what an import did.
type ImportResult struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// transferTimeout is how long an import may take to arrive and an
// archive to download, past the server's timeouts for ordinary requests.
const transferTimeout = 30 * time.Minute

// importWorks imports a JSON export or an archive (application/zip), told
// apart by content; the library copies the body to the data directory
// as it arrives.
func (s *worksAPI) importWorks(w http.ResponseWriter, r *http.Request) error {
	a := account.ActorFrom(r.Context())
	if !library.CanImport(a) {
		return errs.E(errs.Forbidden, "library.forbidden") // before reading a byte
	}
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(transferTimeout))
	_ = rc.SetWriteDeadline(time.Now().Add(transferTimeout))
	res, err := s.svc.ImportUpload(r.Context(), a, r.Body)
	var tooBig *http.MaxBytesError
	var ie *library.ImportError
	switch {
	case errors.As(err, &tooBig):
		return errs.Wrap(errs.TooLarge, "library.import_too_large", err)
	case errors.As(err, &ie):
		s.writeImportError(w, r, ie)
		return nil
	case err != nil:
		return err
	}
	writeJSON(w, http.StatusOK, ImportResult{Created: res.Created, Updated: res.Updated, Unchanged: res.Unchanged})
	return nil
}

// writeImportError answers a refused import with each problem said in
// full under its field: `Verk 3 ("Region Artica"), bilaga "rapport.pdf":
// Filen saknas i arkivet.`
func (s *worksAPI) writeImportError(w http.ResponseWriter, r *http.Request, ie *library.ImportError) {
	tr := s.cat.For(i18n.NegotiateHeader(r))
	body := httpx.Body(tr, errs.E(errs.Invalid, "library.import_invalid"))
	body.Error.Fields = map[string]string{}
	for _, p := range ie.Problems {
		body.Error.Fields[p.Name()] = p.Text(tr)
	}
	writeJSON(w, httpx.Status(errs.Invalid), body)
}
