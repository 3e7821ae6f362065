package live

import (
	"strconv"
	"strings"
)

// Topic names one event log: an area ("workshop") and an id in it. The
// area keeps topics of different areas apart on one broker and one
// NOTIFY channel; it must not be empty or contain ':'.
type Topic struct {
	Area string
	ID   int64
}

// String returns "area:id".
func (t Topic) String() string { return t.Area + ":" + strconv.FormatInt(t.ID, 10) }

// valid reports whether t can travel in a notification.
func (t Topic) valid() bool { return t.Area != "" && !strings.Contains(t.Area, ":") && t.ID > 0 }

// payload encodes a wake-up as "area:id:seq".
func payload(t Topic, seq int64) string { return t.String() + ":" + strconv.FormatInt(seq, 10) }

// parsePayload decodes "area:id:seq".
func parsePayload(s string) (Topic, int64, bool) {
	area, rest, ok1 := strings.Cut(s, ":")
	a, b, ok2 := strings.Cut(rest, ":")
	if !ok1 || !ok2 {
		return Topic{}, 0, false
	}
	id, err1 := strconv.ParseInt(a, 10, 64)
	seq, err2 := strconv.ParseInt(b, 10, 64)
	t := Topic{Area: area, ID: id}
	return t, seq, err1 == nil && err2 == nil && t.valid() && seq > 0
}
