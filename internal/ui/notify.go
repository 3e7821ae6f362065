package ui

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/live"
	"github.com/framsyn/framsyn/internal/notify"
	"github.com/framsyn/framsyn/internal/route"
)

// notifyPages serve the inbox, follows, the e-mail choice and the
// one-click unsubscribe.
type notifyPages struct {
	*Server
	svc *notify.Service

	mu      sync.Mutex
	streams map[int64]int // open inbox streams per user on this instance
}

// Notifications returns the inbox pages over svc.
func (s *Server) Notifications(svc *notify.Service) route.Area {
	return &notifyPages{Server: s, svc: svc, streams: map[int64]int{}}
}

// Register adds the inbox pages to t; unsubscribing needs no sign-in (the
// signed token is the proof).
func (np *notifyPages) Register(t *route.Table) {
	s, P, U := np.Server, route.Public, route.SignedIn
	t.Handle(U, "GET /notiser", s.h(np.showInbox))
	t.Handle(U, "GET /notiser/strom", np.stream)
	t.Handle(U, "POST /notiser/las", s.h(np.markRead))
	t.Handle(U, "POST /notiser/folj", s.h(np.follow))
	t.Handle(U, "POST /notiser/folj/{id}/ta-bort", s.h(np.unfollow))
	t.Handle(U, "POST /notiser/epost", s.h(np.setMode))
	t.Handle(P, "GET /avregistrera/{user}/{token}", s.h(np.showUnsubscribe))
	t.Handle(P, "POST /avregistrera/{user}/{token}", s.h(np.unsubscribe))
}

type inboxPage struct {
	base
	Items   []notify.Notification
	Follows []notify.Follow
	Mode    string
	Modes   []string
	Seq     int64 // the inbox log's head when rendered: where the live stream starts
	Unread  int
}

// Text is an item's title in the page's language.
func (p *inboxPage) Text(n notify.Notification) string { return n.Item.Text(p.Translator) }

func (np *notifyPages) showInbox(w http.ResponseWriter, r *http.Request) error {
	p := &inboxPage{base: np.base(r, "notify.title"), Modes: notify.EmailModes}
	var err error
	// The head first: a notification committed between the two reads is
	// then both listed and streamed, never neither.
	if p.Seq, err = np.svc.LastSeq(r.Context(), p.Actor); err != nil {
		return err
	}
	if p.Items, err = np.svc.Inbox(r.Context(), p.Actor); err != nil {
		return err
	}
	for _, n := range p.Items {
		if n.ReadAt.IsZero() {
			p.Unread++
		}
	}
	if p.Follows, err = np.svc.Follows(r.Context(), p.Actor); err != nil {
		return err
	}
	if p.Mode, err = np.svc.EmailMode(r.Context(), p.Actor); err != nil {
		return err
	}
	np.render(w, r, http.StatusOK, "inbox", p)
	return nil
}

func (np *notifyPages) markRead(w http.ResponseWriter, r *http.Request) error {
	if err := np.svc.MarkRead(r.Context(), account.ActorFrom(r.Context())); err != nil {
		return err
	}
	np.redirect(w, r, "/notiser", "notify.read")
	return nil
}

func (np *notifyPages) follow(w http.ResponseWriter, r *http.Request) error {
	if _, err := np.svc.Follow(r.Context(), account.ActorFrom(r.Context()), r.PostFormValue("what"), r.PostFormValue("ref")); err != nil {
		return err
	}
	np.redirect(w, r, safeReturn(r.PostFormValue("return"), "/notiser"), "notify.following")
	return nil
}

func (np *notifyPages) unfollow(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	if err := np.svc.Unfollow(r.Context(), account.ActorFrom(r.Context()), id); err != nil {
		return err
	}
	np.redirect(w, r, "/notiser", "notify.unfollowed")
	return nil
}

func (np *notifyPages) setMode(w http.ResponseWriter, r *http.Request) error {
	if err := np.svc.SetEmailMode(r.Context(), account.ActorFrom(r.Context()), r.PostFormValue("mode")); err != nil {
		return err
	}
	np.redirect(w, r, "/notiser", "notify.mode_saved")
	return nil
}

type unsubscribePage struct {
	base
	Action string
}

func (np *notifyPages) showUnsubscribe(w http.ResponseWriter, r *http.Request) error {
	p := &unsubscribePage{base: np.base(r, "notify.unsubscribe_title"),
		Action: "/avregistrera/" + httpx.Path(r, "user") + "/" + httpx.Path(r, "token")}
	np.render(w, r, http.StatusOK, "unsubscribe", p)
	return nil
}

// unsubscribe is RFC 8058's one-click POST (List-Unsubscribe=One-Click),
// and the form's; a forged token is 404 and changes nothing.
func (np *notifyPages) unsubscribe(w http.ResponseWriter, r *http.Request) error {
	user, err := httpx.ID(r, "user")
	if err != nil {
		return err
	}
	if err := np.svc.Unsubscribe(r.Context(), user, strings.TrimSpace(httpx.Path(r, "token"))); err != nil {
		return err
	}
	p := &unsubscribePage{base: np.base(r, "notify.unsubscribe_title")}
	p.Flash = "notify.unsubscribed"
	np.render(w, r, http.StatusOK, "unsubscribe", p)
	return nil
}

// maxInboxStreams bounds one user's open inbox streams on an instance
// (tabs; more is a client gone wrong).
const maxInboxStreams = 8

// inboxStreamLife is how long one inbox stream lasts before it ends and
// the browser reconnects (Last-Event-ID): every reconnect passes the
// session check again, so a signed-out or deleted user's stream ends
// within it.
const inboxStreamLife = 5 * time.Minute

// stream sends the signed-in user's own inbox as server-sent events
// (live.Stream: replay after Last-Event-ID or ?since=, then live, each
// once and in order). The topic is the session's user, never a
// parameter, so nobody can follow another's inbox. Each notification
// is resolved as the user sees it when it is sent (an actor read
// afresh); one they may not see goes out as the unread count alone.
func (np *notifyPages) stream(w http.ResponseWriter, r *http.Request) {
	a := account.ActorFrom(r.Context())
	tr := np.cat.For(i18n.Negotiate(r))
	since, err := live.Since(r)
	if err != nil {
		httpx.WriteError(w, tr, errs.E(errs.Invalid, "notify.bad_event_id"))
		return
	}
	np.mu.Lock()
	if np.streams[a.UserID()] >= maxInboxStreams {
		np.mu.Unlock()
		httpx.WriteError(w, tr, errs.E(errs.TooMany, "notify.too_many_streams"))
		return
	}
	np.streams[a.UserID()]++
	np.mu.Unlock()
	defer func() {
		np.mu.Lock()
		if np.streams[a.UserID()]--; np.streams[a.UserID()] <= 0 {
			delete(np.streams, a.UserID())
		}
		np.mu.Unlock()
	}()
	ctx, cancel := context.WithTimeout(r.Context(), inboxStreamLife)
	defer cancel()
	r = r.WithContext(ctx)
	// Watch before reading the log, so nothing commits unseen in between.
	watch, err := np.svc.Watch(ctx, a)
	if err != nil {
		httpx.WriteError(w, tr, errs.As(err))
		return
	}
	defer watch.Close()
	live.Stream[notify.Notification]{Watch: watch, Since: since, Logger: np.log,
		Data: func(n notify.Notification) ([]byte, bool) { return np.streamData(ctx, a.UserID(), tr, n) }}.Serve(w, r)
}

// inboxEvent is one streamed notification: its line as the inbox shows
// it (empty when the user may not see it) and the unread count.
type inboxEvent struct {
	Title      string `json:"title,omitempty"`
	Path       string `json:"path,omitempty"`
	At         string `json:"at,omitempty"`
	Unread     int    `json:"unread"`
	UnreadText string `json:"unread_text"`
}

func (np *notifyPages) streamData(ctx context.Context, userID int64, tr *i18n.Translator, n notify.Notification) ([]byte, bool) {
	a, err := np.cfg.Accounts.ActorOf(ctx, userID)
	if err != nil || a == nil || a.UserID() != n.UserID {
		return []byte(`{}`), true // gone (or a read failed): end; a reconnect checks the session
	}
	var ev inboxEvent
	if vs := np.svc.Visible(ctx, a, []notify.Notification{n}); len(vs) == 1 {
		ev.Title, ev.Path, ev.At = vs[0].Item.Text(tr), vs[0].Item.Path, dateTimeText(tr, vs[0].CreatedAt)
	}
	if ev.Unread, err = np.svc.Unread(ctx, a); err != nil {
		return []byte(`{}`), true
	}
	ev.UnreadText = tr.T("notify.unread", ev.Unread)
	b, _ := json.Marshal(ev)
	return b, false
}
