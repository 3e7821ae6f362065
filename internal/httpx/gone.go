package httpx

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
)

// StatusClientClosed is what the logs and metrics record for a request
// whose client went away before the answer (nginx's 499): not an error of
// the server's, and never a 500.
const StatusClientClosed = 499

// Gone reports whether a request failed because its client went away: the
// request's context is cancelled (the connection closed, or the client
// gave up), whatever error the database or a write returned for it.
func Gone(r *http.Request) bool {
	return errors.Is(r.Context().Err(), context.Canceled)
}

// Abandon answers a request whose client went away (Gone): one line at
// INFO, the status StatusClientClosed for the logs, nothing else, since
// nobody is there to read it.
func Abandon(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	log.Info("client went away", "method", r.Method, "path", r.URL.Path, "err", err)
	w.WriteHeader(StatusClientClosed)
}
