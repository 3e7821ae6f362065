package ui

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

// An event bigger than the stream's write buffer, after the stream idled
// past its last write deadline, still goes out on the same stream. (The
// deadline was set only at the flush, so such a write met the deadline
// left from the last flush and cut the stream.)
func TestStream_BigEventAfterIdle(t *testing.T) {
	oldTimeout, oldKeepalive := streamWriteTimeout, streamKeepalive
	streamWriteTimeout, streamKeepalive = 100*time.Millisecond, time.Hour
	defer func() { streamWriteTimeout, streamKeepalive = oldTimeout, oldKeepalive }()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		e := newWSEnv(t, db)
		_, gc := e.guest(t, "Tove")
		s, code := e.open(t, gc, "", "")
		if code != 200 {
			t.Fatalf("status %d", code)
		}
		seq, _ := db.LastSeq(context.Background(), e.w.ID)
		s.expect(t, 1, seq)
		time.Sleep(3 * streamWriteTimeout) // the stream idles past its last deadline
		ev := e.do(t, e.host, workshop.Command{Kind: workshop.ScenarioEdit, Quadrant: 1, Name: "Stor",
			Story: strings.Repeat("ö", workshop.MaxStory), Life: strings.Repeat("å", workshop.MaxParagraph)})
		got := s.expect(t, ev.Seq, ev.Seq)[0]
		if len(got.Data) <= 8<<10 {
			t.Fatalf("event of %d bytes; the test needs one bigger than the write buffer", len(got.Data))
		}
		next := e.do(t, e.host, workshop.Command{Kind: workshop.NoteAdd, Text: "efter"})
		s.expect(t, next.Seq, next.Seq)
	})
}

// A client that stops reading is cut off once its writes stall, without
// holding up anyone else; it then resumes by Last-Event-ID and misses
// nothing (INV-8).
func TestStream_SlowClientCutOffAndResumes(t *testing.T) {
	oldTimeout, oldKeepalive := streamWriteTimeout, streamKeepalive
	streamWriteTimeout, streamKeepalive = 200*time.Millisecond, time.Hour
	defer func() { streamWriteTimeout, streamKeepalive = oldTimeout, oldKeepalive }()
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		e := newWSEnv(t, db)
		_, fast := e.guest(t, "Snabb")
		_, slow := e.guest(t, "Långsam")
		start, _ := db.LastSeq(context.Background(), e.w.ID)
		fs, _ := e.open(t, fast, "?since="+strconv.FormatInt(start, 10), "")

		// The slow client opens its stream with a small receive window and
		// then reads nothing.
		conn, err := net.Dial("tcp", e.srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		_ = conn.(*net.TCPConn).SetReadBuffer(128 << 10) // small, but above the loopback MSS so reading resumes at once
		req, _ := http.NewRequest("GET", e.url("/strom?since="+strconv.FormatInt(start, 10)), nil)
		req.AddCookie(slow)
		if err := req.Write(conn); err != nil {
			t.Fatal(err)
		}
		waitStreams(t, e, 2)

		// Big events until the kernel's buffers are full and the slow
		// stream's write stalls past its deadline (the facilitator's rate
		// limit is lifted by a clock that runs a second per command).
		var tick atomic.Int64
		t0 := time.Now()
		e.svc.SetClock(func() time.Time { return t0.Add(time.Duration(tick.Add(1)) * time.Second) })
		last, next := start, start+1
		for i := 0; e.svc.Relay().Streams() == 2; i++ {
			if i == 2000 {
				t.Fatal("the stalled stream was never cut off")
			}
			last = e.do(t, e.host, workshop.Command{Kind: workshop.ScenarioEdit, Quadrant: 1 + i%4, Name: fmt.Sprintf("Scenario %d", i),
				Story: strings.Repeat("ö", workshop.MaxStory), Life: strings.Repeat("å", workshop.MaxParagraph)}).Seq
			if i%50 == 49 {
				fs.expect(t, next, last) // the others get everything meanwhile
				next = last + 1
			}
		}
		if next <= last {
			fs.expect(t, next, last)
		}

		// It reads what reached it, then resumes after its last whole event.
		res, err := http.ReadResponse(bufio.NewReader(conn), req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(res.Body)
		seen := start
		for _, frame := range strings.Split(string(got), "\n\n") {
			if id, ok := strings.CutPrefix(frame, "id: "); ok && strings.Contains(frame, "\ndata: {") && strings.HasSuffix(frame, "}") {
				n, _ := strconv.ParseInt(id[:strings.IndexByte(id, '\n')], 10, 64)
				if n != seen+1 {
					t.Fatalf("slow client got seq %d after %d", n, seen)
				}
				seen = n
			}
		}
		if seen >= last {
			t.Fatalf("the slow client was not held back (it had %d of %d)", seen, last)
		}
		s2, code := e.open(t, slow, "", strconv.FormatInt(seen, 10))
		if code != 200 {
			t.Fatalf("resume: %d", code)
		}
		s2.expect(t, seen+1, last)
		after := e.do(t, e.host, workshop.Command{Kind: workshop.NoteAdd, Text: "och sedan"}).Seq
		s2.expect(t, after, after)
		fs.expect(t, after, after)
	})
}

// waitStreams waits until the workshop has n open streams.
func waitStreams(t *testing.T, e *wsEnv, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for e.svc.Relay().Streams() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d streams, want %d", e.svc.Relay().Streams(), n)
		}
		time.Sleep(5 * time.Millisecond) // polling the condition
	}
}
