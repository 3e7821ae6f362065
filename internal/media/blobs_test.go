package media_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
	"github.com/framsyn/framsyn/internal/media"
	"github.com/framsyn/framsyn/internal/media/mediatest"
)

// testStore is a Store on one kind of Blobs, with a way to write a file
// into its Blobs directly, dated when (zero: now).
type testStore struct {
	*media.Store
	dataDir string
	put     func(t *testing.T, key, content string, when time.Time)
}

// eachBlobs runs fn on a fresh store in a data directory and on one in a
// fake S3 bucket.
func eachBlobs(t *testing.T, fn func(t *testing.T, s testStore)) {
	for _, name := range []string{"dir", "s3"} {
		t.Run(name, func(t *testing.T) {
			dataDir := t.TempDir()
			ts := testStore{dataDir: dataDir}
			switch name {
			case "dir":
				m, err := media.Open(dataDir)
				if err != nil {
					t.Fatal(err)
				}
				ts.Store = m
				ts.put = func(t *testing.T, key, content string, when time.Time) {
					p := filepath.Join(dataDir, "media", key)
					if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
						t.Fatal(err)
					}
					if !when.IsZero() {
						os.Chtimes(p, when, when)
					}
				}
			case "s3":
				s3 := mediatest.NewS3(t)
				m, err := media.OpenURL(context.Background(), dataDir, s3.URL)
				if err != nil {
					t.Fatal(err)
				}
				ts.Store = m
				ts.put = func(t *testing.T, key, content string, when time.Time) {
					p := filepath.Join(t.TempDir(), key)
					if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
						t.Fatal(err)
					}
					put := func() {
						if err := m.Blobs().Put(context.Background(), key, p, int64(len(content)), "application/octet-stream"); err != nil {
							t.Fatal(err)
						}
					}
					if when.IsZero() {
						put()
					} else {
						s3.At(when, put)
					}
				}
			}
			fn(t, ts)
		})
	}
}

// keys lists the keys in the store's Blobs.
func (s testStore) keys(t *testing.T) []string {
	t.Helper()
	var keys []string
	if err := s.Blobs().List(context.Background(), func(b media.BlobInfo) error {
		keys = append(keys, b.Key)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return keys
}

// temps lists the temporary files in the local media folder.
func (s testStore) temps(t *testing.T) []string {
	t.Helper()
	es, err := os.ReadDir(filepath.Join(s.dataDir, "media"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		if n := e.Name(); strings.HasPrefix(n, "upload-") || strings.HasPrefix(n, "import-") || strings.HasPrefix(n, "sweep-") {
			names = append(names, n)
		}
	}
	return names
}

// TestStore_OpenRange: a stored file is served whole and in ranges, from
// its first bytes (which Open has read to find the type) and beyond.
func TestStore_OpenRange(t *testing.T) {
	eachBlobs(t, func(t *testing.T, s testStore) {
		body := "%PDF-1.4\n" + strings.Repeat("0123456789", 300)
		st, err := s.Put(strings.NewReader(body), 1<<20, media.Attachments)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name, rng string
			want      string
		}{
			{"Whole", "", body},
			{"InHead", "bytes=100-199", body[100:200]},
			{"AcrossHead", "bytes=500-599", body[500:600]},
			{"Beyond", "bytes=2000-2099", body[2000:2100]},
			{"Tail", "bytes=-10", body[len(body)-10:]},
		} {
			t.Run(c.name, func(t *testing.T) {
				f, ctype, err := s.Open(st.Hash)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				if ctype != "application/pdf" {
					t.Errorf("type %s", ctype)
				}
				r := httptest.NewRequest("GET", "/", nil)
				if c.rng != "" {
					r.Header.Set("Range", c.rng)
				}
				w := httptest.NewRecorder()
				http.ServeContent(w, r, "", time.Time{}, f)
				if got := w.Body.String(); got != c.want {
					t.Errorf("%d: got %d bytes %.20q, want %d bytes %.20q", w.Code, len(got), got, len(c.want), c.want)
				}
			})
		}
	})
}

// TestStore_Missing: a hash not stored, or not a hash, is NotFound.
func TestStore_Missing(t *testing.T) {
	eachBlobs(t, func(t *testing.T, s testStore) {
		for _, h := range []string{strings.Repeat("a", 64), "../etc/passwd", ""} {
			if _, _, err := s.Open(h); !errs.Is(err, errs.NotFound) {
				t.Errorf("Open(%q) = %v, want NotFound", h, err)
			}
			if _, err := s.Stat(h); !errs.Is(err, errs.NotFound) {
				t.Errorf("Stat(%q) = %v, want NotFound", h, err)
			}
		}
	})
}

func TestOpenBucket_URL(t *testing.T) {
	s3 := mediatest.NewS3(t)
	host := strings.TrimPrefix(strings.Split(s3.URL, "@")[1], "")
	host = host[:strings.Index(host, "/")]
	for _, c := range []struct {
		name, url string
		wantErr   string
	}{
		{"OK", s3.URL, ""},
		{"ErrScheme", "https://k:s@" + host + "/framsyn", "must be s3://"},
		{"ErrNoBucket", "s3://k:s@" + host + "/?secure=false", "names no bucket"},
		{"ErrMissingBucket", "s3://k:s@" + host + "/nosuch?secure=false", `no bucket "nosuch"`},
		{"ErrParameter", "s3://k:s@" + host + "/framsyn?secure=false&tls=off", `unknown parameter "tls"`},
		{"ErrSecure", "s3://k:s@" + host + "/framsyn?secure=perhaps", "secure="},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := media.OpenBucket(context.Background(), c.url)
			if c.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if strings.Contains(b.String(), "secret") {
					t.Errorf("String() shows the secret: %s", b)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("err = %v, want %q", err, c.wantErr)
			}
			if strings.Contains(err.Error(), ":s@") {
				t.Errorf("the error shows the secret: %v", err)
			}
		})
	}
}
