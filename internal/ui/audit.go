package ui

import (
	"net/http"
	"strconv"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/audit"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/route"
)

// auditPages serve /admin/logg: the audit log, for platform admins.
type auditPages struct {
	*Server
	svc *audit.Service
}

// Audit returns the audit log's page over svc.
func (s *Server) Audit(svc *audit.Service) route.Area { return &auditPages{Server: s, svc: svc} }

// Register adds the audit log's page to t.
func (ap *auditPages) Register(t *route.Table) {
	t.Handle(route.Admin, "GET /admin/logg", ap.h(ap.show))
}

// auditPage is a page of the log, newest first, filtered by target kind.
type auditPage struct {
	base
	Events []audit.Event
	Kinds  []string
	Kind   string
	Next   string // the next page's link, or ""
}

func (ap *auditPages) show(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var before int64
	if c := q.Get("fore"); c != "" {
		var err error
		if before, err = strconv.ParseInt(c, 10, 64); err != nil || before <= 0 {
			return errs.E(errs.NotFound, "error.not_found")
		}
	}
	p := &auditPage{base: ap.base(r, "audit.title"), Kinds: audit.Kinds, Kind: q.Get("typ")}
	evs, next, err := ap.svc.Events(r.Context(), account.ActorFrom(r.Context()),
		audit.Filter{Kind: p.Kind, BeforeID: before, Limit: 50})
	if err != nil {
		return err
	}
	p.Events = evs
	if next != 0 {
		v := q
		v.Set("fore", strconv.FormatInt(next, 10))
		p.Next = "/admin/logg?" + v.Encode()
	}
	ap.render(w, r, http.StatusOK, "audit", p)
	return nil
}
