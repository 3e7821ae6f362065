package live

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

var sseTopic = Topic{"workshop", 1}

// sseEnv serves one topic's stream with a short server WriteTimeout, so a
// stream that did not lift it would die within the test.
type sseEnv struct {
	*node
	srv *httptest.Server
}

func newSSEEnv(t *testing.T, keepalive, writeTimeout time.Duration) *sseEnv {
	return newSSEEnvBuffer(t, keepalive, writeTimeout, 256)
}

// newSSEEnvBuffer is newSSEEnv whose streams may lag by buffer events.
func newSSEEnvBuffer(t *testing.T, keepalive, writeTimeout time.Duration, buffer int) *sseEnv {
	t.Helper()
	e := &sseEnv{node: newNode(buffer)}
	log := slog.New(slog.DiscardHandler)
	e.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		since, err := Since(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		watch, err := e.relay.Watch(r.Context(), sseTopic)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer watch.Close()
		Stream[*testEvent]{Watch: watch, Since: since, Keepalive: keepalive, WriteTimeout: writeTimeout, Logger: log,
			Data: func(ev *testEvent) ([]byte, bool) { return ev.data, ev.end }}.Serve(w, r)
	}))
	e.srv.Config.WriteTimeout = time.Second
	e.srv.Start()
	t.Cleanup(e.srv.Close)
	return e
}

func (e *sseEnv) publish(text string) int64 { return e.node.publish(sseTopic, text).seq }

type sseEvent struct {
	ID    int64
	Type  string
	Data  string
	Frame struct {
		Seq  int64  `json:"seq"`
		Text string `json:"text"`
	}
}

// sse is an open stream read by a goroutine.
type sse struct {
	res      *http.Response
	events   chan sseEvent
	comments chan string
	retry    chan string
}

func (e *sseEnv) open(t testing.TB, query, lastID string) (*sse, int) {
	t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+"/"+query, nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		res.Body.Close()
		return nil, res.StatusCode
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream; charset=utf-8" {
		t.Fatalf("content type %q", ct)
	}
	s := &sse{res: res, events: make(chan sseEvent, 1000), comments: make(chan string, 100), retry: make(chan string, 1)}
	go func() {
		defer close(s.events)
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(nil, 1<<20)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.Data != "" {
					if ev.Type == "" {
						_ = json.Unmarshal([]byte(ev.Data), &ev.Frame)
					}
					s.events <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, ":"):
				select {
				case s.comments <- line:
				default:
				}
			case strings.HasPrefix(line, "retry: "):
				select {
				case s.retry <- line[7:]:
				default:
				}
			case strings.HasPrefix(line, "id: "):
				ev.ID, _ = strconv.ParseInt(line[4:], 10, 64)
			case strings.HasPrefix(line, "event: "):
				ev.Type = line[7:]
			case strings.HasPrefix(line, "data: "):
				ev.Data = line[6:]
			}
		}
	}()
	t.Cleanup(func() { res.Body.Close() })
	return s, res.StatusCode
}

// expect reads events from through to, in order, each once.
func (s *sse) expect(t testing.TB, from, to int64) []sseEvent {
	t.Helper()
	var out []sseEvent
	for want := from; want <= to; want++ {
		select {
		case ev, ok := <-s.events:
			if !ok {
				t.Fatalf("stream ended before seq %d", want)
			}
			if ev.ID != want || ev.Frame.Seq != want {
				t.Fatalf("got id %d (seq %d), want %d", ev.ID, ev.Frame.Seq, want)
			}
			out = append(out, ev)
		case <-time.After(5 * time.Second):
			t.Fatalf("no seq %d within 5 s", want)
		}
	}
	return out
}

// quiet checks that nothing more arrives for a moment (no duplicates).
func (s *sse) quiet(t testing.TB) {
	t.Helper()
	select {
	case ev, ok := <-s.events:
		if ok {
			t.Fatalf("unexpected event %d %s", ev.ID, ev.Data)
		}
	case <-time.After(150 * time.Millisecond):
	}
}

// ended checks that the server ended the stream.
func (s *sse) ended(t testing.TB) {
	t.Helper()
	select {
	case ev, ok := <-s.events:
		if ok {
			t.Fatalf("stream still sending: %d", ev.ID)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("stream still open")
	}
}

func TestSince(t *testing.T) {
	for _, tt := range []struct {
		name, lastID, query string
		want                int64
		err                 error
	}{
		{"OKNeither", "", "", 0, nil},
		{"OKQuery", "", "since=7", 7, nil},
		{"OKLastEventIDWins", "9", "since=7", 9, nil},
		{"ErrNonNumericID", "abc", "", 0, ErrBadEventID},
		{"ErrNegativeID", "-1", "", 0, ErrBadEventID},
		{"ErrHugeID", "9223372036854775808", "", 0, ErrBadEventID},
		{"Err10kBID", strings.Repeat("9", 10<<10), "", 0, ErrBadEventID},
		{"ErrBadQuery", "", "since=x", 0, ErrBadEventID},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/?"+tt.query, nil)
			if tt.lastID != "" {
				r.Header.Set("Last-Event-ID", tt.lastID)
			}
			got, err := Since(r)
			if got != tt.want || !errors.Is(err, tt.err) {
				t.Fatalf("got %d %v, want %d %v", got, err, tt.want, tt.err)
			}
		})
	}
}

func TestStream_ReplayThenLive(t *testing.T) {
	e := newSSEEnv(t, time.Hour, 0)
	for i := 0; i < 3; i++ {
		e.publish("före")
	}
	s, code := e.open(t, "?since=0", "")
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	if r, err := strconv.ParseInt(<-s.retry, 10, 64); err != nil || r < RetryMin.Milliseconds() || r >= RetryMax.Milliseconds() {
		t.Fatalf("retry %d %v, want in [%v, %v)", r, err, RetryMin, RetryMax)
	}
	s.expect(t, 1, 3)
	// Live, and past the 1 s server WriteTimeout, which the stream lifted.
	time.Sleep(1200 * time.Millisecond)
	seq := e.publish("live")
	if ev := s.expect(t, seq, seq)[0]; ev.Frame.Text != "live" {
		t.Fatalf("live event %s", ev.Data)
	}
	s.quiet(t)
}

func TestStream_ResumeWithoutDuplicates(t *testing.T) {
	e := newSSEEnv(t, time.Hour, 0)
	mid := e.publish("ett")
	s, _ := e.open(t, "?since="+strconv.FormatInt(mid, 10), "")
	a := e.publish("två")
	s.expect(t, mid+1, a)
	s.res.Body.Close() // connection drops
	var last int64
	for i := 0; i < 4; i++ {
		last = e.publish("medan borta")
	}
	s2, _ := e.open(t, "?since=0", strconv.FormatInt(a, 10)) // Last-Event-ID wins
	s2.expect(t, a+1, last)
	next := e.publish("tillbaka")
	s2.expect(t, next, next)
	s2.quiet(t)
}

// An event whose Data ends the stream is its last.
func TestStream_DataEnds(t *testing.T) {
	e := newSSEEnv(t, time.Hour, 0)
	s, _ := e.open(t, "", "")
	ev := e.log.append(sseTopic, "sista", true)
	e.relay.Offer(sseTopic, ev)
	s.expect(t, ev.seq, ev.seq)
	e.publish("efter")
	s.ended(t)
}

// A watch the relay closes (a shutdown) ends the stream.
func TestStream_RelayClosed(t *testing.T) {
	e := newSSEEnv(t, time.Hour, 0)
	seq := e.publish("ett")
	s, _ := e.open(t, "", "")
	s.expect(t, 1, seq)
	waitStreams(t, e, 1)
	e.relay.Close()
	s.ended(t)
}

func TestStream_Keepalive(t *testing.T) {
	e := newSSEEnv(t, 50*time.Millisecond, 0)
	s, _ := e.open(t, "", "")
	select {
	case c := <-s.comments:
		if c != ": keepalive" {
			t.Fatalf("comment %q", c)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no keepalive")
	}
}

// An id beyond the log (a client from before a restore, or a forged one)
// gets a reset event and the whole log.
func TestStream_FutureIDResets(t *testing.T) {
	e := newSSEEnv(t, time.Hour, 0)
	e.publish("ett")
	seq := e.publish("två")
	s, code := e.open(t, "", "999999")
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	select {
	case ev := <-s.events:
		if ev.Type != "reset" {
			t.Fatalf("first event %q", ev.Type)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no reset")
	}
	s.expect(t, 1, seq)
}

// An event bigger than the stream's write buffer, after the stream idled
// past its last write deadline, still goes out on the same stream. (The
// deadline was set only at the flush, so such a write met the deadline
// left from the last flush and cut the stream.)
func TestStream_BigEventAfterIdle(t *testing.T) {
	const timeout = 100 * time.Millisecond
	e := newSSEEnv(t, time.Hour, timeout)
	seq := e.publish("ett")
	s, _ := e.open(t, "", "")
	s.expect(t, 1, seq)
	time.Sleep(3 * timeout) // the stream idles past its last deadline
	big := e.publish(strings.Repeat("ö", 20<<10))
	if got := s.expect(t, big, big)[0]; len(got.Data) <= 8<<10 {
		t.Fatalf("event of %d bytes; the test needs one bigger than the write buffer", len(got.Data))
	}
	next := e.publish("efter")
	s.expect(t, next, next)
}

// A client that stops reading is cut off once its writes stall, without
// holding up anyone else; it then resumes by Last-Event-ID and misses
// nothing.
func TestStream_SlowClientCutOffAndResumes(t *testing.T) {
	// The relay would drop the stalled stream once it lags by its buffer:
	// a buffer larger than the test's events leaves only the write deadline.
	e := newSSEEnvBuffer(t, time.Hour, 200*time.Millisecond, 4000)
	start := e.publish("före")
	fs, _ := e.open(t, "?since="+strconv.FormatInt(start, 10), "")

	// The slow client opens its stream with a small receive window and
	// then reads nothing.
	conn, err := net.Dial("tcp", e.srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.(*net.TCPConn).SetReadBuffer(128 << 10) // small, but above the loopback MSS so reading resumes at once
	req, _ := http.NewRequest("GET", e.srv.URL+"/?since="+strconv.FormatInt(start, 10), nil)
	if err := req.Write(conn); err != nil {
		t.Fatal(err)
	}
	waitStreams(t, e, 2)

	// Big events until the kernel's buffers are full and the slow
	// stream's write stalls past its deadline.
	story := strings.Repeat("ö", 20<<10)
	last, next := start, start+1
	for i := 0; e.relay.Streams() == 2; i++ {
		if i == 2000 {
			t.Fatal("the stalled stream was never cut off")
		}
		last = e.publish(story)
		if i%50 == 49 {
			fs.expect(t, next, last) // the others get everything meanwhile
			next = last + 1
		}
		time.Sleep(time.Millisecond) // as commits take time: the fast client keeps within its buffer
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
	s2, code := e.open(t, "", strconv.FormatInt(seen, 10))
	if code != 200 {
		t.Fatalf("resume: %d", code)
	}
	s2.expect(t, seen+1, last)
	after := e.publish("och sedan")
	s2.expect(t, after, after)
	fs.expect(t, after, after)
}

// waitStreams waits until the relay has n open streams.
func waitStreams(t *testing.T, e *sseEnv, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for e.relay.Streams() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d streams, want %d", e.relay.Streams(), n)
		}
		time.Sleep(5 * time.Millisecond) // polling the condition
	}
}

// TestRetryFrame_Spread guards the restart herd: every stream's retry is
// in the window, and the draws cover it rather than repeating one value.
func TestRetryFrame_Spread(t *testing.T) {
	lo, hi := RetryMax.Milliseconds(), int64(0)
	for range 1000 {
		f := retryFrame()
		ms, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(f, "retry: "), "\n\n"), 10, 64)
		if err != nil || ms < RetryMin.Milliseconds() || ms >= RetryMax.Milliseconds() {
			t.Fatalf("frame %q: want retry in [%v, %v)", f, RetryMin, RetryMax)
		}
		lo, hi = min(lo, ms), max(hi, ms)
	}
	if span := time.Duration(hi-lo) * time.Millisecond; span < (RetryMax-RetryMin)*9/10 {
		t.Fatalf("1000 draws span %v of the %v window", span, RetryMax-RetryMin)
	}
}

// A stream resuming within what the relay holds (a restart's clients, a
// dropped slow one) replays from memory, each event once; one further
// behind, or with no stream open to keep the relay's feed, reads the log.
func TestStream_ResumeFromRelay(t *testing.T) {
	e := newSSEEnvBuffer(t, time.Hour, 0, 4) // the relay holds the last 4–8 events
	keep, _ := e.open(t, "", "")             // keeps the feed, and what it holds, alive
	waitStreams(t, e, 1)
	var last int64
	for range 10 { // one at a time: the stream's channel holds 4
		last = e.publish("händelse")
		keep.expect(t, last, last)
	}
	for _, tt := range []struct {
		name     string
		since    int64
		fromLog  bool
		wantFrom int64
	}{
		{"OKHeld", last - 3, false, last - 2},
		{"OKCaughtUp", last, false, last + 1},
		{"OKTooFarBehindReadsLog", 0, true, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			reads := e.log.readCount()
			s, _ := e.open(t, "", strconv.FormatInt(tt.since, 10))
			s.expect(t, tt.wantFrom, last)
			waitStreams(t, e, 2)
			if got := e.log.readCount() > reads; got != tt.fromLog {
				t.Fatalf("read the log: %v, want %v", got, tt.fromLog)
			}
			seq := e.publish("live")
			s.expect(t, seq, seq)
			keep.expect(t, seq, seq)
			last = seq
			s.quiet(t)
			s.res.Body.Close()
			waitStreams(t, e, 1)
		})
	}
}

// TestApart: fn's result comes back once fn has run.
func TestApart(t *testing.T) {
	ran := false
	if got := Apart(func() int { ran = true; return 42 }); got != 42 || !ran {
		t.Errorf("Apart = %d (ran %v), want 42", got, ran)
	}
}
