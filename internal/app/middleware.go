package app

import (
	"crypto/subtle"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/api"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/route"
	"github.com/framsyn/framsyn/internal/ui"
)

// authenticate puts the caller's actor in the request context: from an
// API token (Authorization: Bearer) or the session cookie. A token that
// does not work is refused, rather than quietly treated as the public.
func (a *App) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := withVersionMemo(r.Context())
		var actor *account.Actor
		var err error
		if h := r.Header.Get("Authorization"); h != "" && r.URL.Path != "/metrics" {
			token, ok := strings.CutPrefix(h, "Bearer ")
			if ok {
				actor, err = a.Accounts.TokenActor(ctx, strings.TrimSpace(token))
			}
			if err == nil && actor == nil {
				err = errs.E(errs.Unauthorized, "api.token_invalid")
			}
		} else if c, cerr := r.Cookie(a.Config.SessionCookie()); cerr == nil {
			actor, err = a.Accounts.SessionActor(ctx, c.Value)
		}
		if err != nil {
			if errs.KindOf(err) == errs.Internal && !httpx.Gone(r) {
				a.Config.Log.Error("authenticate", "err", err)
			}
			a.apiError(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(account.WithActor(ctx, actor)))
	})
}

// apiError writes an error in the shape the API uses, also for pages: it
// is only used before a route is reached.
func (a *App) apiError(w http.ResponseWriter, r *http.Request, err error) {
	a.api.WriteError(w, r, err)
}

// Body limits of every route that declares none (route.MaxBody): forms
// and JSON are small, a multipart upload (a logo) a little larger.
const (
	maxBody   = 1 << 20
	maxUpload = 3 << 20
)

// limitBody caps request bodies at the matched route's limit for the
// body's media type, and parses url-encoded forms up front, so a body
// that is too large gets a clear 413 instead of an empty form.
func limitBody(next http.Handler, mux *http.ServeMux, routes []route.Route, jsonAPI *api.Server) http.Handler {
	byPattern := make(map[string]route.Route, len(routes))
	for _, rt := range routes {
		byPattern[rt.Pattern] = rt
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctype := r.Header.Get("Content-Type")
		mt, _, _ := mime.ParseMediaType(ctype)
		limit := int64(maxBody)
		if mt == "multipart/form-data" {
			limit = maxUpload
		}
		_, pattern := mux.Handler(r)
		if n, ok := byPattern[pattern].MaxBody(mt); ok {
			limit = n
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if r.Method == http.MethodPost && strings.HasPrefix(ctype, "application/x-www-form-urlencoded") {
			if err := r.ParseForm(); err != nil {
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) {
					jsonAPI.WriteError(w, r, errs.Wrap(errs.TooLarge, "error.body_too_large", err))
					return
				}
				jsonAPI.WriteError(w, r, errs.Wrap(errs.Invalid, "error.invalid", err))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// csrf refuses cross-origin state-changing browser requests
// (Sec-Fetch-Site, or Origin against Host), in JSON for the API's routes
// and as a page for the rest. Non-browser API clients send
// neither header and authenticate with a token, which a browser never
// attaches on its own.
func csrf(next http.Handler, mux *http.ServeMux, apiRoutes []route.Route, pages *ui.Server, jsonAPI *api.Server) http.Handler {
	isAPI := map[string]bool{}
	for _, rt := range apiRoutes {
		isAPI[rt.Pattern] = true
	}
	c := http.NewCrossOriginProtection()
	c.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); isAPI[pattern] {
			jsonAPI.WriteError(w, r, errs.E(errs.Forbidden, "error.csrf"))
			return
		}
		pages.ErrorPage(w, r, http.StatusForbidden, "error.csrf")
	}))
	return c.Handler(next)
}

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler, secure bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if secure {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// statusWriter records the status for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer (flush,
// deadlines for streams).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (a *App) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
			return
		}
		a.Config.Log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", sw.status), slog.Int("bytes", sw.bytes),
			slog.Duration("took", time.Since(start)))
	})
}

func recoverPanics(next http.Handler, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("panic", "path", r.URL.Path, "value", v, "stack", string(debug.Stack()))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// opsGuard protects operational routes: /metrics is for platform admins
// or a scraper holding the metrics token.
func opsGuard(metricsToken string, jsonAPI *api.Server) route.Guard {
	return func(access route.Access, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if access == route.Public {
				next.ServeHTTP(w, r)
				return
			}
			if metricsToken != "" {
				got, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
				if subtle.ConstantTimeCompare([]byte(got), []byte(metricsToken)) == 1 {
					next.ServeHTTP(w, r)
					return
				}
			}
			jsonAPI.Guard(access, next).ServeHTTP(w, r)
		})
	}
}
