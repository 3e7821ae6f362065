// Package live follows event logs in real time: the one copy of the relay,
// broker, LISTEN/NOTIFY notifier and server-sent event writer that every
// area that streams shares (the workshop board first).
//
// An area that streams its events to browsers:
//
//   - names its logs by a Topic, {Area: "workshop", ID: 42}; the area is a
//     short constant of its own, so topics of different areas never collide
//     on one broker or NOTIFY channel, and the seq is the log's own;
//   - gives its events a LogSeq method and adapts its store to Log
//     (Events after a seq, LastSeq), so the relay reads what it missed;
//   - publishes each committed event with Relay.Offer and Broker.Publish;
//     the broker is a Hub on one instance and a Notifier on PostgreSQL,
//     which needs the area's Heads for its periodic check;
//   - serves a stream with Relay.Watch, then Stream.Serve, giving the
//     event's data as the client may see it; Since reads where to resume.
//
// The log in the database is the truth; wake-ups are hints, so a lost one
// only delays delivery until the next wake-up or the periodic check.
package live
