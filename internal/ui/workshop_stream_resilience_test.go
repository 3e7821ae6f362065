package ui

import (
	"context"
	"strings"
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
