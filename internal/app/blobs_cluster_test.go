package app_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/app"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/media/mediatest"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// TestTwoInstances_SharedBucket: two instances on one PostgreSQL database
// and one S3 bucket, each with a data directory of its own, as behind a
// load balancer. An attachment uploaded through A is served by B, whole
// and in a range, and is in neither data directory.
func TestTwoInstances_SharedBucket(t *testing.T) {
	dsn := storagetest.PostgresDSN(t, storagetest.RequirePostgres(t))
	s3 := mediatest.NewS3(t)
	inBucket := func(c *app.Config) { c.BlobURL = s3.URL }
	a, b := mustApp(t, dsn, inBucket), mustApp(t, dsn, inBucket)
	if a.Config.DataDir == b.Config.DataDir {
		t.Fatal("the instances share a data directory")
	}

	u := a.mustUser("redaktor@region.se", "Redaktör", false)
	o := a.mustOrg("region-a", true)
	a.mustMember(u, o, account.RoleEditor)
	w := a.mustWork(a.actorOf(u), o.ID, "Delad fil", library.Public)
	expect(t, upload(t, a, a.mintSession(u), w.Slug, "rapport.pdf", []byte(testPDF)), http.StatusSeeOther)

	link := attachmentLinkRE.FindString(expect(t, b.do(req{method: "GET", path: "/bibliotek/" + w.Slug}), http.StatusOK))
	if link == "" {
		t.Fatal("B's work page does not list the attachment uploaded through A")
	}
	resp := b.do(req{method: "GET", path: link})
	if body := expect(t, resp, http.StatusOK); body != testPDF || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("B serves %q as %s", body, resp.Header.Get("Content-Type"))
	}
	resp = b.do(req{method: "GET", path: link, header: map[string]string{"Range": "bytes=9-13"}})
	if body := expect(t, resp, http.StatusPartialContent); body != testPDF[9:14] {
		t.Errorf("B serves the range as %q, want %q", body, testPDF[9:14])
	}
	hash := link[strings.LastIndex(link, "/")+1:]
	for name, ta := range map[string]*testApp{"A": a, "B": b} {
		if _, err := os.Stat(filepath.Join(ta.Config.DataDir, "media", hash)); !os.IsNotExist(err) {
			t.Errorf("the file is in %s's data directory: %v", name, err)
		}
	}
}
