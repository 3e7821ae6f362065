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
// (Swedish until they choose), with the event's time as when writes it
// (the pages' own words, ui.EventWhen) and a link to the event; nil when
// there is no SMTP server, and then the page alone says so.
func MailPromoted(m Sender, cat i18n.Catalogue, baseURL string, when func(*i18n.Translator, *Event) string) func(ctx context.Context, e *Event, r *Registration) error {
	if m == nil {
		return nil
	}
	return func(ctx context.Context, e *Event, r *Registration) error {
		tr := cat.For(r.UserLanguage)
		url := baseURL + "/evenemang/" + strconv.FormatInt(e.ID, 10)
		return m.Send(ctx, r.UserEmail, tr.T("event.mail.promoted_subject", e.Title),
			tr.T("event.mail.promoted_body", r.UserName, e.Title, when(tr, e), url))
	}
}
