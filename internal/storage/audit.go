package storage

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/audit"
)

// Audit reads the audit log; the adapters write it (writeAudit) in the
// transaction of each change.
type Audit struct{ db *DB }

// Audit returns the audit log's reader.
func (db *DB) Audit() *Audit { return &Audit{db: db} }

// writeAudit records a change made by the actor in ctx (account.WithActor),
// in tx, so it is kept exactly when the change is.
func writeAudit(ctx context.Context, tx *sql.Tx, now int64, action, kind string, targetID int64, summary string) error {
	a := account.ActorFrom(ctx)
	var name string
	if a.SignedIn() {
		name = a.User.Name
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_events (created_at, actor_id, actor_name, action, target_kind, target_id, summary)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, now, nullID(a.UserID()), name, action, kind, targetID, summary)
	if err != nil {
		return fmt.Errorf("write audit: %w", err)
	}
	return nil
}

// Events lists a page of events, newest first.
func (s *Audit) Events(ctx context.Context, f audit.Filter) ([]audit.Event, error) {
	if f.Limit <= 0 || f.Limit > audit.MaxLimit {
		f.Limit = audit.MaxLimit
	}
	q := `SELECT id, created_at, COALESCE(actor_id, 0), actor_name, actor_gone, action, target_kind, target_id, summary
		FROM audit_events WHERE ($1 = '' OR target_kind = $1) AND ($2 = 0 OR id < $2) ORDER BY id DESC LIMIT $3`
	rows, err := s.db.ro.QueryContext(ctx, q, f.Kind, f.BeforeID, f.Limit)
	return collect("audit events", rows, err, func(r scanner) (*audit.Event, error) {
		var e audit.Event
		var at int64
		err := r.Scan(&e.ID, &at, &e.ActorID, &e.ActorName, &e.ActorGone, &e.Action, &e.TargetKind, &e.TargetID, &e.Summary)
		e.At = fromMS(at)
		return &e, err
	})
}
