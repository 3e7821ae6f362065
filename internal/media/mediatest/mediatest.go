// Package mediatest serves an S3-compatible object store in the test
// process (gofakes3, in memory, behind httptest), so that the tests of
// media and of the app run on both kinds of Blobs, as storagetest runs
// them on both engines.
package mediatest

import (
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// Bucket is the bucket every S3 server here holds.
const Bucket = "framsyn"

// S3 is a running fake S3 server.
type S3 struct {
	// URL is the --blob-url of its bucket, keys included.
	URL   string
	clock *clock
}

// NewS3 starts a fake S3 server with an empty bucket, stopped when the
// test ends.
func NewS3(t testing.TB) *S3 {
	t.Helper()
	c := &clock{}
	backend := s3mem.New(s3mem.WithTimeSource(c))
	if err := backend.CreateBucket(Bucket); err != nil {
		t.Fatal(err)
	}
	// The server dates objects by the clock too; a client signs by the real
	// time, so the skew check is off.
	srv := httptest.NewServer(gofakes3.New(backend, gofakes3.WithTimeSource(c), gofakes3.WithTimeSkewLimit(0)).Server())
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	return &S3{URL: "s3://test-access:test-secret@" + host + "/" + Bucket + "?secure=false&region=us-east-1", clock: c}
}

// At runs put with the server's clock at when: what it writes is dated
// then (a file uploaded days ago, for a sweep).
func (s *S3) At(when time.Time, put func()) {
	s.clock.set(when)
	defer s.clock.set(time.Time{})
	put()
}

// BlobURLs are the --blob-url of each kind of Blobs: "" for the data
// directory, and a fresh fake S3 bucket.
func BlobURLs(t testing.TB) map[string]string {
	return map[string]string{"dir": "", "s3": NewS3(t).URL}
}

// clock is the server's time: now, or a time set for a while.
type clock struct {
	mu sync.Mutex
	at time.Time
}

func (c *clock) set(at time.Time) { c.mu.Lock(); c.at = at; c.mu.Unlock() }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() {
		return c.at
	}
	return time.Now()
}

func (c *clock) Since(t time.Time) time.Duration { return c.Now().Sub(t) }
