package workshop

import (
	"context"

	"github.com/framsyn/framsyn/internal/live"
)

// The workshop imports live rather than app wiring it in through an
// interface here: live imports nothing of ours, and the Watch a stream
// reads is live's type, so an interface of our own would only rename it.

// Area names the workshops' event logs among live's topics.
const Area = "workshop"

// Topic returns the live topic of a workshop's event log.
func Topic(workshopID int64) live.Topic { return live.Topic{Area: Area, ID: workshopID} }

// LogSeq returns the event's sequence number, for live.
func (e *Event) LogSeq() int64 { return e.Seq }

// eventLog reads the store's event logs for the relay and the streams,
// folding what it reads into the service's boards (another instance's
// commands reach this one only through the log).
type eventLog struct {
	store  Store
	boards *boardCache
}

var _ live.Log[*Event] = eventLog{}

// Events reads a page of the log, each event prepared (see prepare): the
// relay sends them to streams, which then only write them.
func (l eventLog) Events(ctx context.Context, t live.Topic, after int64, limit int) ([]*Event, error) {
	evs, err := l.store.Events(ctx, t.ID, after, limit)
	for _, ev := range evs {
		ev.prepare()
		if l.boards != nil {
			l.boards.foldLogged(ev)
		}
	}
	return evs, err
}

func (l eventLog) LastSeq(ctx context.Context, t live.Topic) (int64, error) {
	return l.store.LastSeq(ctx, t.ID)
}
