package notify

import (
	"context"
	"strings"
	"time"
)

// MailNow sends immediate e-mail: one mail per notification to each
// recipient who chose EmailImmediate, right after the fan-out's commit.
// Each is claimed in the database before it is sent (mailed_at), so with
// several instances on one PostgreSQL (the fan-out's and the others'
// sweeps) it goes out once, and at most once: a send that fails after the
// claim is not retried. It is built as the recipient sees the thing when
// it is sent; one they may not see is not mailed.
func (d *Digester) MailNow(ctx context.Context, ns []Notification) (int, error) {
	users := make([]int64, 0, len(ns))
	for _, n := range ns {
		users = append(users, n.UserID)
	}
	modes, err := d.Svc.store.EmailModes(ctx, users)
	if err != nil {
		return 0, err
	}
	var secret []byte
	sent := 0
	for _, n := range ns {
		if modes[n.UserID] != EmailImmediate {
			continue
		}
		ok, err := d.Svc.store.ClaimMail(ctx, n.ID, d.Svc.now().UTC())
		if err != nil {
			return sent, err
		}
		if !ok {
			continue // another instance has it
		}
		a, err := d.Accounts.ActorOf(ctx, n.UserID)
		if err != nil {
			return sent, err
		}
		if a == nil {
			continue
		}
		vs := d.Svc.visible(ctx, a, []Notification{n})
		if len(vs) == 0 {
			continue
		}
		if secret == nil {
			if secret, err = d.Svc.store.Secret(ctx); err != nil {
				return sent, err
			}
		}
		tr := d.tr(a)
		text := vs[0].Item.Text(tr)
		var b strings.Builder
		b.WriteString(tr.T("notify.immediate_intro", a.User.Name) + "\n\n- " + text + "\n  " + d.BaseURL + vs[0].Item.Path + "\n")
		if err := d.mail(ctx, a, tr.T("notify.immediate_subject", text), &b, secret); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}

// SweepAfter is how old an unmailed immediate notification must be before
// a sweep sends it: the fan-out's own instance has had its turn.
const SweepAfter = time.Minute

// Sweep mails the immediate notifications made in [since, now-SweepAfter)
// that no instance claimed (the instance that made them stopped before
// sending), at most 500 per call.
func (d *Digester) Sweep(ctx context.Context, since time.Time) (int, error) {
	ns, err := d.Svc.store.Unmailed(ctx, since, d.Svc.now().UTC().Add(-SweepAfter), 500)
	if err != nil {
		return 0, err
	}
	return d.MailNow(ctx, ns)
}
