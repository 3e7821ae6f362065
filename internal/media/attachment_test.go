package media_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/media"
)

func TestDetect(t *testing.T) {
	for _, c := range []struct {
		name string
		head string
		want string
	}{
		{"PDF", "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf"},
		{"PNG", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"},
		{"MP3WithID3", "ID3\x04\x00\x00\x00\x00\x00\x00", "audio/mpeg"},
		{"MP3Frame", "\xff\xfb\x90\x64\x00\x00", "audio/mpeg"},
		{"Ogg", "OggS\x00\x02\x00\x00", "audio/ogg"},
		{"FLAC", "fLaC\x00\x00\x00\x22", "audio/flac"},
		{"M4A", "\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00", "audio/mp4"},
		{"WAV", "RIFF\x24\x08\x00\x00WAVEfmt ", "audio/wave"},
		{"UTF16Text", "\xff\xfeH\x00e\x00j\x00", "text/plain; charset=utf-16le"},
		{"HTML", "<!doctype html><script>alert(1)</script>", "text/html; charset=utf-8"},
		{"SVG", `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`, "text/plain; charset=utf-8"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := media.Detect([]byte(c.head)); got != c.want {
				t.Errorf("Detect = %q, want %q", got, c.want)
			}
		})
	}
}

func TestStore_PutAttachments(t *testing.T) {
	eachBlobs(t, testPutAttachments)
	if media.IsImage("application/pdf") || !media.IsImage("image/png") {
		t.Error("IsImage wrong")
	}
}

func testPutAttachments(t *testing.T, s testStore) {
	pdf := "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
	for _, c := range []struct {
		name    string
		body    string
		limit   int64
		wantKey string
	}{
		{"OK", pdf, 1 << 20, ""},
		{"ErrHTML", "<html><body>hej</body></html>", 1 << 20, "media.bad_type"},
		{"ErrTooLarge", pdf, 10, "media.too_large"},
		{"ErrEmpty", "", 1 << 20, "media.empty"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := s.Put(strings.NewReader(c.body), c.limit, media.Attachments)
			if c.wantKey != "" {
				if e := errs.As(err); err == nil || e.Kind != errs.Invalid || e.Key != c.wantKey {
					t.Fatalf("Put: %v, want Invalid %s", err, c.wantKey)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Type != "application/pdf" || got.Size != int64(len(c.body)) || len(got.Hash) != 64 {
				t.Fatalf("Put = %+v", got)
			}
			f, ctype, err := s.Open(got.Hash)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var buf bytes.Buffer
			buf.ReadFrom(f)
			if ctype != "application/pdf" || buf.String() != c.body {
				t.Errorf("Open: %s %q", ctype, buf.String())
			}
		})
	}
}

// TestStore_Stage: a staged file is checked like an upload but is not in
// the store until kept; a dropped one leaves nothing behind.
func TestStore_Stage(t *testing.T) {
	eachBlobs(t, testStage)
}

func testStage(t *testing.T, s testStore) {
	pdf := "%PDF-1.4\n%%EOF\n"
	count := func() int { return len(s.keys(t)) + len(s.temps(t)) }
	st, err := s.Stage(strings.NewReader(pdf), 1<<20, media.Attachments)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stat(st.Hash); !errs.Is(err, errs.NotFound) {
		t.Fatalf("a staged file is in the store: %v", err)
	}
	if keys := s.keys(t); len(keys) != 0 {
		t.Fatalf("staged file listed: %v", keys)
	}
	st.Discard()
	if n := count(); n != 0 {
		t.Errorf("%d files after Discard", n)
	}
	if _, err := s.Stage(strings.NewReader("<html></html>"), 1<<20, media.Attachments); errs.As(err).Key != "media.bad_type" {
		t.Errorf("Stage html: %v", err)
	}
	if n := count(); n != 0 {
		t.Errorf("%d files after a refused Stage", n)
	}
	st, err = s.Stage(strings.NewReader(pdf), 1<<20, media.Attachments)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Keep(); err != nil {
		t.Fatal(err)
	}
	st.Discard() // after Keep: nothing to drop
	got, err := s.Stat(st.Hash)
	if err != nil || *got != st.Stored || got.Type != "application/pdf" || got.Size != int64(len(pdf)) {
		t.Fatalf("Stat = %+v, %v", got, err)
	}
	if keys := s.keys(t); len(keys) != 1 || keys[0] != st.Hash {
		t.Errorf("keys after Keep = %v, want [%s]", keys, st.Hash)
	}
	if n := count(); n != 1 {
		t.Errorf("%d files after Keep, want 1", n)
	}
	if err := st.Keep(); err == nil {
		t.Error("a second Keep succeeded")
	}
}
