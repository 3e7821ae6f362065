package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/audit"
	"github.com/framsyn/framsyn/internal/route"
)

// auditAPI serves the audit log to platform admins.
type auditAPI struct {
	*Server
	svc *audit.Service
}

// Audit returns the audit log's API over svc.
func (s *Server) Audit(svc *audit.Service) route.Area { return &auditAPI{Server: s, svc: svc} }

// Register adds the audit log's API to t.
func (s *auditAPI) Register(t *route.Table) {
	t.Handle(route.Admin, "GET /api/v1/audit-events", s.h(s.list))
}

// AuditEventOut is one recorded change.
type AuditEventOut struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	ActorID    *int64    `json:"actor_id"` // null: no user, or a former member
	ActorName  string    `json:"actor_name"`
	Action     string    `json:"action"`
	TargetKind string    `json:"target_kind"`
	TargetID   int64     `json:"target_id"`
	Summary    string    `json:"summary"`
}

func (s *auditAPI) list(w http.ResponseWriter, r *http.Request) error {
	before, err := cursor(r)
	if err != nil {
		return err
	}
	limit, err := limitOrDefault(r)
	if err != nil {
		return err
	}
	evs, nextID, err := s.svc.Events(r.Context(), account.ActorFrom(r.Context()),
		audit.Filter{Kind: r.URL.Query().Get("kind"), BeforeID: before, Limit: limit})
	if err != nil {
		return err
	}
	out := List[AuditEventOut]{Items: []AuditEventOut{}}
	for _, e := range evs {
		o := AuditEventOut{ID: e.ID, At: e.At, ActorName: e.ActorName, Action: e.Action, TargetKind: e.TargetKind,
			TargetID: e.TargetID, Summary: e.Summary}
		if e.ActorID != 0 {
			id := e.ActorID
			o.ActorID = &id
		}
		out.Items = append(out.Items, o)
	}
	if nextID != 0 {
		c := strconv.FormatInt(nextID, 10)
		out.Next = &c
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
