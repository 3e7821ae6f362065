package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

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

// TestCommands runs migrate, demo, user and backup against each engine.
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
