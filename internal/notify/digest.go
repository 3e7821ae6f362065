package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/i18n"
)

// Mailer sends one e-mail with extra headers (List-Unsubscribe).
type Mailer interface {
	SendWithHeaders(ctx context.Context, to, subject, body string, headers map[string]string) error
}

// Digester sends digests: the account service finds each recipient's
// actor, so each digest holds only what they may see when it is built.
type Digester struct {
	Svc      *Service
	Accounts *account.Service
	Mail     Mailer
	Cat      i18n.Catalogue // each mail is written in its recipient's language (account.User.Language)
	BaseURL  string
}

// tr is the translator of a's mail: their chosen language, else Swedish.
func (d *Digester) tr(a *account.Actor) *i18n.Translator { return d.Cat.For(a.User.Language) }

// Period names a digest period: "daily:2026-12-01" (the Stockholm day
// before now) or "weekly:2026-W48", with its bounds.
func Period(mode string, now time.Time, loc *time.Location) (name string, from, to time.Time) {
	l := now.In(loc)
	day := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	switch mode {
	case EmailWeekly:
		monday := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
		from, to = monday.AddDate(0, 0, -7), monday
		y, w := from.ISOWeek()
		return fmt.Sprintf("weekly:%d-W%02d", y, w), from, to
	default:
		from, to = day.AddDate(0, 0, -1), day
		return "daily:" + from.Format("2006-01-02"), from, to
	}
}

// digestBatch is how many users one round of a run claims, reads and
// resolves together: a handful of statements per round, not per user.
const digestBatch = 500

// Run sends the digests of mode for the period before now: each user's
// once, whichever instance claims it first (the claim is a unique row
// inserted before anything is read or sent, a batch in one statement).
// It returns how many it sent. A user claimed with nothing they may see
// gets no mail that period.
func (d *Digester) Run(ctx context.Context, mode string, now time.Time, loc *time.Location) (int, error) {
	period, from, to := Period(mode, now, loc)
	secret, err := d.Svc.store.Secret(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	var after int64
	for {
		users, err := d.Svc.store.DigestUsers(ctx, mode, from, digestBatch, after)
		if err != nil {
			return sent, err
		}
		if len(users) == 0 {
			return sent, nil
		}
		after = users[len(users)-1]
		claimed, err := d.Svc.store.ClaimDigests(ctx, users, period, d.Svc.now().UTC())
		if err != nil {
			return sent, err
		}
		if len(claimed) == 0 {
			continue
		}
		ns, err := d.Svc.store.Since(ctx, claimed, from, to, InboxMax)
		if err != nil {
			return sent, err
		}
		actors := make(map[int64]*account.Actor, len(claimed))
		for _, u := range claimed {
			a, err := d.Accounts.ActorOf(ctx, u)
			if err != nil {
				return sent, err
			}
			if a != nil {
				actors[u] = a
			}
		}
		byUser := map[int64][]Notification{}
		for _, n := range d.Svc.visibleTo(ctx, actors, ns) {
			byUser[n.UserID] = append(byUser[n.UserID], n)
		}
		for _, u := range claimed {
			if len(byUser[u]) == 0 {
				continue
			}
			if err := d.send(ctx, actors[u], byUser[u], secret); err != nil {
				return sent, err
			}
			sent++
		}
	}
}

// send mails a's digest of ns (resolved for a).
func (d *Digester) send(ctx context.Context, a *account.Actor, ns []Notification, secret []byte) error {
	tr := d.tr(a)
	var b strings.Builder
	b.WriteString(tr.T("notify.digest_intro", a.User.Name) + "\n\n")
	for _, n := range ns {
		b.WriteString("- " + n.Item.Text(tr) + "\n  " + d.BaseURL + n.Item.Path + "\n")
	}
	return d.mail(ctx, a, tr.T("notify.digest_subject", len(ns)), &b, secret)
}

// mail sends body to a with the unsubscribe link and RFC 8058's headers.
func (d *Digester) mail(ctx context.Context, a *account.Actor, subject string, b *strings.Builder, secret []byte) error {
	unsub := d.BaseURL + UnsubscribePath(a.UserID(), secret)
	b.WriteString("\n" + d.tr(a).T("notify.digest_unsubscribe") + " " + unsub + "\n")
	headers := map[string]string{"List-Unsubscribe": "<" + unsub + ">", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
	return d.Mail.SendWithHeaders(ctx, a.User.Email, subject, b.String(), headers)
}

// token signs the unsubscribe of userID.
func token(userID int64, secret []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("unsubscribe:" + strconv.FormatInt(userID, 10)))
	return hex.EncodeToString(m.Sum(nil))
}

// UnsubscribePath is a user's one-click unsubscribe address (RFC 8058).
func UnsubscribePath(userID int64, secret []byte) string {
	return "/avregistrera/" + strconv.FormatInt(userID, 10) + "/" + token(userID, secret)
}

// Unsubscribe turns off e-mail for userID if tok is theirs: no sign-in,
// a forged token changes nothing (NotFound).
func (s *Service) Unsubscribe(ctx context.Context, userID int64, tok string) error {
	secret, err := s.store.Secret(ctx)
	if err != nil {
		return err
	}
	if !hmac.Equal([]byte(tok), []byte(token(userID, secret))) {
		return errs.E(errs.NotFound, "notify.token_invalid")
	}
	return s.store.SetEmailMode(ctx, userID, EmailNone)
}
