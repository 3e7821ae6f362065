package event

import (
	"context"
	"strconv"

	"github.com/framsyn/framsyn/internal/i18n"
)

// Sender sends one plain-text e-mail (internal/mail.SMTP).
type Sender interface {
	Send(ctx context.Context, to, subject, body string) error
}

// MailPromoted returns an OnPromoted hook that e-mails the one who moved
// up from the waiting list, in the language they chose for the site
// (Swedish until they choose), with a link to the event; nil when there
// is no SMTP server, and then the page alone says so.
func MailPromoted(m Sender, cat i18n.Catalogue, baseURL string) func(ctx context.Context, e *Event, r *Registration) error {
	if m == nil {
		return nil
	}
	return func(ctx context.Context, e *Event, r *Registration) error {
		tr := cat.For(r.UserLanguage)
		url := baseURL + "/evenemang/" + strconv.FormatInt(e.ID, 10)
		when := e.LocalStart().Format("2006-01-02 15:04")
		if e.AllDay {
			when = e.LocalStart().Format("2006-01-02")
		}
		return m.Send(ctx, r.UserEmail, tr.T("event.mail.promoted_subject", e.Title),
			tr.T("event.mail.promoted_body", r.UserName, e.Title, when, url))
	}
}
