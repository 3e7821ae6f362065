package main

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/app"
	"github.com/framsyn/framsyn/internal/library"
	"github.com/framsyn/framsyn/internal/media"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestHelp(t *testing.T) {
	out, err := runCmd(t, "--help")
	if err != nil || !strings.Contains(out, "serve") || !strings.Contains(out, "FRAMSYN_DATA_DIR") {
		t.Fatalf("help: %v\n%s", err, out)
	}
	for _, c := range commands {
		args := []string{c.name, "--help"}
		if c.name == "user" {
			args = []string{"user", "add", "--help"}
		}
		out, _ := runCmd(t, args...)
		if !strings.Contains(out, "--db (FRAMSYN_DB)") {
			t.Errorf("%s --help lacks the flags with their variables:\n%s", c.name, out)
		}
	}
	if _, err := runCmd(t, "nonsense"); err == nil {
		t.Error("unknown command accepted")
	}
}

func TestEnvFallback(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("FRAMSYN_DB", filepath.Join(dir, "env.db"))
	out, err := runCmd(t, "migrate", "up")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "env.db")); err != nil {
		t.Fatalf("FRAMSYN_DB was not used: %v", err)
	}
	// The command line wins over the environment.
	out, err = runCmd(t, "migrate", "--db", filepath.Join(dir, "flag.db"), "status")
	if err != nil || !strings.Contains(out, "pending") {
		t.Fatalf("flag db: %v\n%s", err, out)
	}
}

// TestCommands runs migrate, demo, sweep, user and backup against each engine.
func TestCommands(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			data := t.TempDir()
			out, err := runCmd(t, "migrate", "--db", dsn, "up")
			if err != nil || !strings.Contains(out, "applied") {
				t.Fatalf("migrate up: %v\n%s", err, out)
			}
			out, err = runCmd(t, "demo", "--db", dsn, "--data-dir", data, "--no-serve")
			if err != nil || !strings.Contains(out, "admin@framsyn.example") {
				t.Fatalf("demo: %v\n%s", err, out)
			}
			// The open example workshop's join code and link are printed.
			joinRe := regexp.MustCompile(`join code ([A-Z0-9]{6}), \S+/j/([A-Z0-9]{6})`)
			join := joinRe.FindStringSubmatch(out)
			if join == nil || join[1] != join[2] {
				t.Fatalf("demo does not print the join code and link:\n%s", out)
			}
			// A second run refreshes rather than duplicates.
			if out, err = runCmd(t, "demo", "--db", dsn, "--data-dir", data, "--no-serve"); err != nil {
				t.Fatalf("demo again: %v\n%s", err, out)
			}
			if again := joinRe.FindStringSubmatch(out); again == nil || again[1] != join[1] {
				t.Errorf("the join code changed on the second run:\n%s", out)
			}
			// sweep removes a stored file nothing names, once old enough, and
			// keeps the demo's own files.
			orphan := filepath.Join(data, "media", strings.Repeat("ab", 32))
			if err := os.WriteFile(orphan, []byte("%PDF-1.4\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			long := time.Now().Add(-48 * time.Hour)
			os.Chtimes(orphan, long, long)
			if out, err = runCmd(t, "sweep", "--db", dsn, "--data-dir", data, "--dry-run"); err != nil || !strings.Contains(out, "would remove 1 unused") {
				t.Fatalf("sweep --dry-run: %v\n%s", err, out)
			}
			if out, err = runCmd(t, "sweep", "--db", dsn, "--data-dir", data); err != nil || !strings.Contains(out, "removed 1 unused") {
				t.Fatalf("sweep: %v\n%s", err, out)
			}
			if _, err := os.Stat(orphan); !os.IsNotExist(err) {
				t.Errorf("swept file still there: %v", err)
			}
			if out, err = runCmd(t, "sweep", "--db", dsn, "--data-dir", data, "--older-than", "1m"); err == nil {
				t.Errorf("sweep --older-than 1m accepted:\n%s", out)
			}
			// The search index's Go migration goes down and up again over the
			// demo library; a bad version number is refused.
			if out, err = runCmd(t, "migrate", "--db", dsn, "down-to", "5"); err != nil || !strings.Contains(out, "00006  pending") {
				t.Fatalf("migrate down-to 5: %v\n%s", err, out)
			}
			if out, err = runCmd(t, "migrate", "--db", dsn, "up"); err != nil || !strings.Contains(out, "00006  applied  00006_search_facets.go") {
				t.Fatalf("migrate up after down-to: %v\n%s", err, out)
			}
			if out, err = runCmd(t, "migrate", "--db", dsn, "down-to", "sex"); err == nil {
				t.Fatalf("migrate down-to sex accepted:\n%s", out)
			}
			out, err = runCmd(t, "user", "add", "--db", dsn, "--email", "Ny@Region.se", "--name", "Ny Användare", "--admin")
			if err != nil || !regexp.MustCompile(`password: \S{20}`).MatchString(out) {
				t.Fatalf("user add: %v\n%s", err, out)
			}
			if out, err = runCmd(t, "user", "add", "--db", dsn, "--email", "ny@region.se", "--name", "Igen"); err == nil {
				t.Fatalf("duplicate user accepted:\n%s", out)
			}
			out, err = runCmd(t, "user", "list", "--db", dsn)
			if err != nil || strings.Count(out, "\n") != 3 || !strings.Contains(out, "ny@region.se") || !strings.Contains(out, "admin") {
				t.Fatalf("user list: %v\n%s", err, out)
			}
			if out, err = runCmd(t, "user", "passwd", "--db", dsn, "--email", "ny@region.se"); err != nil || !strings.Contains(out, "password:") {
				t.Fatalf("user passwd: %v\n%s", err, out)
			}
			if _, err = runCmd(t, "user", "passwd", "--db", dsn, "--email", "ingen@region.se"); err == nil {
				t.Fatal("passwd for unknown user accepted")
			}
			backup := filepath.Join(t.TempDir(), "copy.db")
			out, err = runCmd(t, "backup", "--db", dsn, "--to", backup)
			if engine == "postgres" {
				if err == nil || !strings.Contains(err.Error(), "pg_dump") {
					t.Fatalf("backup on postgres: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("backup: %v\n%s", err, out)
			}
			out, err = runCmd(t, "user", "list", "--db", backup)
			if err != nil || !strings.Contains(out, "ny@region.se") {
				t.Fatalf("backup does not hold the users: %v\n%s", err, out)
			}
		})
	}
}

// TestServe_GracefulShutdown serves, answers, and stops on cancel.
func TestServe_GracefulShutdown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out bytes.Buffer
	go func() {
		done <- run(ctx, []string{"serve", "--addr", addr, "--db", filepath.Join(t.TempDir(), "s.db"), "--data-dir", t.TempDir(), "--log-format", "json"}, &out, &bytes.Buffer{})
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("readyz %d", resp.StatusCode)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not come up: %v", err)
		}
		time.Sleep(20 * time.Millisecond) // polling for the listener, not timing a result
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// seedLibrary makes an installation on dsn and data with the organisation
// org-a, a platform admin and a member, and, unless bare, a public work
// with a PDF and a PNG cover and a draft podcast; it returns the hashes.
func seedLibrary(t *testing.T, dsn, data string, bare bool) (pdf, png string) {
	t.Helper()
	return seedLibraryWith(t, app.Config{DB: dsn, DataDir: data}, bare)
}

// seedLibraryWith is seedLibrary on an installation configured by cfg.
func seedLibraryWith(t *testing.T, cfg app.Config, bare bool) (pdf, png string) {
	t.Helper()
	ctx := context.Background()
	cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.Accounts.PutOrganisations(ctx, []account.Organisation{{Slug: "org-a", Name: "Region A", Kind: account.KindOther,
		Level: account.LevelRegional, Public: true}}); err != nil {
		t.Fatal(err)
	}
	o, err := a.Stores.Accounts.OrganisationBySlug(ctx, "org-a")
	if err != nil {
		t.Fatal(err)
	}
	admin, err := a.Accounts.CreateUser(ctx, "admin@region.se", "Admin", "correct horse battery", true)
	if err != nil {
		t.Fatal(err)
	}
	member, err := a.Accounts.CreateUser(ctx, "medlem@region.se", "Medlem", "correct horse battery", false)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Stores.Accounts.SetMembership(ctx, member.ID, o.ID, account.RoleMember); err != nil {
		t.Fatal(err)
	}
	if bare {
		return "", ""
	}
	put := func(name, content string) library.Attachment {
		st, err := a.Media.Put(strings.NewReader(content), library.MaxAttachmentBytes, media.Attachments)
		if err != nil {
			t.Fatal(err)
		}
		return library.Attachment{Hash: st.Hash, Name: name, MediaType: st.Type, Size: st.Size}
	}
	p, g := put("rapport.pdf", "%PDF-1.4\n%%EOF\n"), put("omslag.png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	as := &account.Actor{User: admin}
	for _, w := range []*library.Work{
		{Slug: "region-artica", Type: library.TypeScenario, Title: "Region Artica", OrganisationID: o.ID, Visibility: library.Public,
			Attachments: []library.Attachment{p, g}, CoverImage: g.Hash, Experience: &library.ExperienceReport{Purpose: "Pröva", Count: 12}},
		{Slug: "podden", Type: library.TypePodcast, Title: "Historiepodden", OrganisationID: o.ID, Visibility: library.Draft},
	} {
		if _, err := a.Library.Create(ctx, as, w); err != nil {
			t.Fatal(err)
		}
	}
	return p.Hash, g.Hash
}

// TestExportImport moves a library with its files from one installation
// to another through the commands, on each engine; a file with problems
// names each and changes nothing.
func TestExportImport(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			srcData, dir := t.TempDir(), t.TempDir()
			pdf, png := seedLibrary(t, dsn, srcData, false)
			arc := filepath.Join(dir, "bibliotek.zip")
			out, err := runCmd(t, "export", "--db", dsn, "--data-dir", srcData, "--to", arc)
			if err != nil || !strings.Contains(out, "exported the library to "+arc) {
				t.Fatalf("export: %v\n%s", err, out)
			}
			if _, err := runCmd(t, "export", "--db", dsn, "--data-dir", srcData, "--to", arc); err == nil || !strings.Contains(err.Error(), "exists") {
				t.Errorf("export over a file: %v", err)
			}
			for _, bad := range [][]string{{"--to", filepath.Join(dir, "x.txt")}, {"--to", filepath.Join(dir, "x.csv"), "--type", "roman"},
				{"--to", filepath.Join(dir, "x.csv"), "--organisation", "finns-inte"}} {
				if _, err := runCmd(t, append([]string{"export", "--db", dsn, "--data-dir", srcData}, bad...)...); err == nil {
					t.Errorf("export %v accepted", bad)
				}
			}
			csvPath := filepath.Join(dir, "poddar.csv")
			t.Setenv("FRAMSYN_TYPE", "podcast")
			if out, err := runCmd(t, "export", "--db", dsn, "--data-dir", srcData, "--to", csvPath); err != nil {
				t.Fatalf("export csv: %v\n%s", err, out)
			}
			if b, _ := os.ReadFile(csvPath); !strings.Contains(string(b), "Historiepodden") || strings.Contains(string(b), "Region Artica") {
				t.Errorf("FRAMSYN_TYPE=podcast export:\n%s", b)
			}
			t.Setenv("FRAMSYN_TYPE", "")
			jsonPath := filepath.Join(dir, "bibliotek.json")
			if out, err := runCmd(t, "export", "--db", dsn, "--data-dir", srcData, "--to", jsonPath, "--as", "medlem@region.se"); err != nil {
				t.Fatalf("export json: %v\n%s", err, out)
			}
			if b, _ := os.ReadFile(jsonPath); strings.Contains(string(b), "Historiepodden") || !strings.Contains(string(b), pdf) {
				t.Errorf("the member's export holds the draft or lacks the file:\n%s", b)
			}

			dst, dstData := storagetest.DSNs(t)[engine], t.TempDir()
			seedLibrary(t, dst, dstData, true)
			// The archive without the PDF: refused, named, nothing written.
			broken := filepath.Join(dir, "trasigt.zip")
			rewriteZip(t, arc, broken, func(name string) bool { return name != "files/"+pdf })
			out, err = runCmd(t, "import", broken, "--db", dst, "--data-dir", dstData)
			if err == nil || !strings.Contains(out, `Verk 2 ("Region Artica"), bilaga "rapport.pdf": Filen saknas i arkivet.`) {
				t.Fatalf("import of a broken archive: %v\n%s", err, out)
			}
			if _, err := runCmd(t, "import", arc, "--db", dst, "--data-dir", dstData, "--as", "medlem@region.se"); err == nil {
				t.Error("a member imported")
			}
			out, err = runCmd(t, "import", "--db", dst, arc, "--data-dir", dstData)
			if err != nil || !strings.Contains(out, "as admin@region.se: 2 new, 0 updated, 0 unchanged") {
				t.Fatalf("import: %v\n%s", err, out)
			}
			files, err := media.Open(dstData)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range []string{pdf, png} {
				if _, err := files.Stat(h); err != nil {
					t.Errorf("file %s not imported: %v", h, err)
				}
			}
			out, err = runCmd(t, "import", jsonPath, "--db", dst, "--data-dir", dstData)
			if err != nil || !strings.Contains(out, "0 new, 0 updated, 1 unchanged") {
				t.Errorf("import of the JSON export: %v\n%s", err, out)
			}
		})
	}
}

// rewriteZip copies the entries of the archive src that keep accepts to dst.
func rewriteZip(t *testing.T, src, dst string, keep func(name string) bool) {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	zw := zip.NewWriter(out)
	for _, zf := range zr.File {
		if keep(zf.Name) {
			if err := zw.Copy(zf); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}
