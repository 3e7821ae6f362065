package app

import (
	"context"
	"strconv"
	"time"

	"github.com/framsyn/framsyn/internal/board"
	"github.com/framsyn/framsyn/internal/comment"
	"github.com/framsyn/framsyn/internal/event"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/mail"
	"github.com/framsyn/framsyn/internal/notify"
)

// wireNotifications makes the areas tell the followers: a new event its
// hosts' followers and the followers of events; a new board post its
// organisation's and the board's; a comment its thread's.
func (a *App) wireNotifications() {
	tell := func(ctx context.Context, h notify.Happening) {
		if _, err := a.Notify.Happened(ctx, h); err != nil {
			a.Config.Log.Error("notify", "kind", h.Kind, "id", h.RefID, "err", err)
		}
	}
	a.Events.OnCreated(func(ctx context.Context, e *event.Event) {
		tell(ctx, notify.Happening{Kind: event.Kind, RefID: e.ID, OrgIDs: e.HostIDs(), ActorID: e.CreatedBy})
	})
	a.Board.OnCreated(func(ctx context.Context, p *board.Post) {
		tell(ctx, notify.Happening{Kind: board.Kind, RefID: p.ID, OrgIDs: []int64{p.OrganisationID}, ActorID: p.AuthorID})
	})
	a.Notify.OnHappened(a.mailNow)
	// The mentioned hear of it as mentioned, not again as the thread's
	// followers; comment.Service checks each may see the target.
	a.Comments.SetPeople(a.Accounts.UsersByHandles, a.Accounts.ActorOf)
	a.Comments.OnMentioned(func(ctx context.Context, c *comment.Comment, users []int64) {
		tell(ctx, notify.Happening{Kind: "comment", RefID: c.ID, Users: users, ActorID: c.AuthorID})
	})
	a.Comments.OnAdded(func(ctx context.Context, c *comment.Comment, _ *comment.Target, mentioned []int64) {
		tell(ctx, notify.Happening{Kind: "comment", RefID: c.ID, Thread: c.Kind + ":" + strconv.FormatInt(c.TargetID, 10), ActorID: c.AuthorID, Except: mentioned})
	})
}

// digester is the notifications' mailer over the configured SMTP server;
// nil without one (in-app only).
func (a *App) digester() (*notify.Digester, error) {
	if a.Config.SMTPAddr == "" {
		return nil, nil
	}
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	return &notify.Digester{Svc: a.Notify, Accounts: a.Accounts, Cat: cat, BaseURL: a.Config.BaseURL,
		Mail: &mail.SMTP{Addr: a.Config.SMTPAddr, From: a.Config.SMTPFrom, Username: a.Config.SMTPUser, Password: a.Config.SMTPPassword}}, nil
}

// Digest sends the digests of mode (daily, weekly) for the period before
// now; without SMTP it sends nothing. Every instance may run it: a
// user's digest of a period goes out once.
func (a *App) Digest(ctx context.Context, mode string, now time.Time) (int, error) {
	d, err := a.digester()
	if d == nil || err != nil {
		return 0, err
	}
	return d.Run(ctx, mode, now, event.Stockholm)
}

// mailNow sends the immediate e-mail of a fan-out's notifications after
// its commit, in the background (a fan-out may reach thousands); Close
// waits for it. Without SMTP nothing is sent.
func (a *App) mailNow(ctx context.Context, ns []notify.Notification) {
	d, err := a.digester()
	if d == nil || err != nil {
		return
	}
	a.mailing.Add(1)
	go func() {
		defer a.mailing.Done()
		if _, err := d.MailNow(context.WithoutCancel(ctx), ns); err != nil {
			a.Config.Log.Error("immediate mail", "err", err)
		}
	}()
}

// SweepMail sends the immediate e-mail of the last day's notifications
// that no instance claimed (one stopped between its commit and its
// sends); every instance runs it with the digests, and a claim keeps any
// mail from going out twice.
func (a *App) SweepMail(ctx context.Context, now time.Time) (int, error) {
	d, err := a.digester()
	if d == nil || err != nil {
		return 0, err
	}
	return d.Sweep(ctx, now.Add(-24*time.Hour))
}

// WaitMail waits for the immediate e-mail being sent in the background.
func (a *App) WaitMail() { a.mailing.Wait() }

// digestEvery is how often a serving instance looks for digests to send.
const digestEvery = 10 * time.Minute

// digestLoop runs the daily and weekly digests while ctx lasts; claims
// make repeated runs (and other instances' runs) send nothing twice.
func (a *App) digestLoop(ctx context.Context) {
	if a.Config.SMTPAddr == "" {
		return
	}
	t := time.NewTicker(digestEvery)
	defer t.Stop()
	for {
		if n, err := a.SweepMail(ctx, time.Now()); err != nil {
			a.Config.Log.Error("immediate mail sweep", "err", err)
		} else if n > 0 {
			a.Config.Log.Info("immediate mail swept", "count", n)
		}
		for _, mode := range []string{notify.EmailDaily, notify.EmailWeekly} {
			if n, err := a.Digest(ctx, mode, time.Now()); err != nil {
				a.Config.Log.Error("digest", "mode", mode, "err", err)
			} else if n > 0 {
				a.Config.Log.Info("digest sent", "mode", mode, "count", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
