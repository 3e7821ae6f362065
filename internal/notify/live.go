package notify

import (
	"context"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/live"
)

// Area names the inboxes' topics on the shared broker: one log per user,
// its id the user's, so a stream can only be of its own signed-in user.
const Area = "inbox"

// Topic is a user's inbox log.
func Topic(userID int64) live.Topic { return live.Topic{Area: Area, ID: userID} }

// LogSeq returns the notification's place in its recipient's inbox log.
func (n Notification) LogSeq() int64 { return n.Seq }

// StreamBuffer is how many notifications a stream may lag before it is
// dropped (it then resumes from the log).
const StreamBuffer = 64

type inboxLog struct{ store Store }

var _ live.Log[Notification] = inboxLog{}

func (l inboxLog) Events(ctx context.Context, t live.Topic, after int64, limit int) ([]Notification, error) {
	return l.store.InboxLog(ctx, t.ID, after, limit)
}

func (l inboxLog) LastSeq(ctx context.Context, t live.Topic) (int64, error) {
	return l.store.LastSeq(ctx, t.ID)
}

// SetBroker makes the inbox live over broker (the workshop's: a
// live.Notifier on PostgreSQL, so every instance's streams hear of every
// instance's notifications). Without it the inbox is live on one
// instance through an in-process hub.
func (s *Service) SetBroker(b live.Broker, relay *live.Relay[Notification]) {
	s.broker, s.relay = b, relay
}

// NewRelay returns the relay of the inboxes over broker, for SetBroker.
func (s *Service) NewRelay(b live.Broker) *live.Relay[Notification] {
	return live.NewRelay[Notification](inboxLog{s.store}, b, nil, StreamBuffer)
}

// Relay returns the inboxes' relay (closed on shutdown).
func (s *Service) Relay() *live.Relay[Notification] { return s.relay }

// Watch starts following a's own inbox; a live.Stream of it replays from
// the log after the seq the client has.
func (s *Service) Watch(ctx context.Context, a *account.Actor) (*live.Watch[Notification], error) {
	if !a.SignedIn() {
		return nil, errs.E(errs.Unauthorized, "error.sign_in")
	}
	return s.relay.Watch(ctx, Topic(a.UserID()))
}

// LastSeq returns the seq of a's last notification: where the inbox
// page's stream starts.
func (s *Service) LastSeq(ctx context.Context, a *account.Actor) (int64, error) {
	if !a.SignedIn() {
		return 0, errs.E(errs.Unauthorized, "error.sign_in")
	}
	return s.store.LastSeq(ctx, a.UserID())
}

// Unread counts a's unread notifications among those the inbox shows.
func (s *Service) Unread(ctx context.Context, a *account.Actor) (int, error) {
	ns, err := s.Inbox(ctx, a)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, x := range ns {
		if x.ReadAt.IsZero() {
			n++
		}
	}
	return n, nil
}

// announce hands just-committed notifications to this instance's streams
// and wakes the other instances' (one round trip for the lot when the
// broker can); a lost wake-up is caught by the broker's periodic check.
func (s *Service) announce(ctx context.Context, ns []Notification) error {
	wakes := make([]live.Wake, len(ns))
	for i, n := range ns {
		s.relay.Offer(Topic(n.UserID), n)
		wakes[i] = live.Wake{Topic: Topic(n.UserID), Seq: n.Seq}
	}
	return live.PublishAll(context.WithoutCancel(ctx), s.broker, wakes)
}
