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
	Tr       *i18n.Translator
	BaseURL  string
}

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

// digestBatch is how many users one query of DigestUsers returns.
const digestBatch = 500

// Run sends the digests of mode for the period before now: each user's
// once, whichever instance claims it first (the claim is a unique row
// inserted before sending). It returns how many it sent.
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
		for _, u := range users {
			ok, err := d.sendOne(ctx, u, period, from, to, secret)
			if err != nil {
				return sent, err
			}
			if ok {
				sent++
			}
		}
	}
}

func (d *Digester) sendOne(ctx context.Context, userID int64, period string, from, to time.Time, secret []byte) (bool, error) {
	a, err := d.Accounts.ActorOf(ctx, userID)
	if err != nil || a == nil {
		return false, err
	}
	ns, err := d.Svc.store.Since(ctx, userID, from, to, InboxMax)
	if err != nil {
		return false, err
	}
	ns = d.Svc.visible(ctx, a, ns)
	if len(ns) == 0 {
		return false, nil
	}
	claimed, err := d.Svc.store.Claim(ctx, userID, period, d.Svc.now().UTC())
	if err != nil || !claimed {
		return false, err
	}
	var b strings.Builder
	b.WriteString(d.Tr.T("notify.digest_intro", a.User.Name) + "\n\n")
	for _, n := range ns {
		b.WriteString("- " + n.Item.Text(d.Tr) + "\n  " + d.BaseURL + n.Item.Path + "\n")
	}
	unsub := d.BaseURL + UnsubscribePath(userID, secret)
	b.WriteString("\n" + d.Tr.T("notify.digest_unsubscribe") + " " + unsub + "\n")
	headers := map[string]string{"List-Unsubscribe": "<" + unsub + ">", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
	if err := d.Mail.SendWithHeaders(ctx, a.User.Email, d.Tr.T("notify.digest_subject", len(ns)), b.String(), headers); err != nil {
		return false, err
	}
	return true, nil
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
