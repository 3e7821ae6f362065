package app_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

// TestServe_ShutdownWithClientsHoldingOn: Serve returns within a second
// of being told to stop while an idle keep-alive connection, a connection
// that never sent a byte, one that sent half a request header and a
// workshop stream are all open, and none of them is left open. Without
// the forced close, net/http waits 5 s for the first two kinds and the
// header timeout for the third.
func TestServe_ShutdownWithClientsHoldingOn(t *testing.T) {
	for engine, dsn := range storagetest.DSNs(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			run := startRun(t, dsn, filepath.Join(t.TempDir(), "data"), "")
			base := "http://" + run.addr

			u, err := run.app.Accounts.CreateUser(ctx, "fia@example.se", "Fia Facilitator", "correct horse battery", false)
			if err != nil {
				t.Fatal(err)
			}
			actor := &account.Actor{User: u}
			w, err := run.app.Workshops.Create(ctx, actor, workshop.Workshop{Title: "Omstart", FocalQuestion: "Stänger allt?", HorizonYear: 2050})
			if err != nil {
				t.Fatal(err)
			}
			host, _ := run.app.Workshops.Participant(ctx, actor, w.ID, "")
			if _, err := run.app.Workshops.Do(ctx, host, workshop.Command{Kind: workshop.WorkshopOpen, ClientID: "shutdown-open-1"}); err != nil {
				t.Fatal(err)
			}
			session := account.NewToken()
			now := time.Now()
			if err := run.app.Stores.Accounts.CreateSession(ctx, account.Session{Hash: account.HashToken(session), UserID: u.ID,
				CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
			stream := &wsClient{t: t, name: "Fia", notes: map[int64]map[string]any{},
				cookie: &http.Cookie{Name: run.app.Config.SessionCookie(), Value: session},
				base:   func() string { return base + "/workshoppar/" + strconv.FormatInt(w.ID, 10) }}
			stream.connect()
			stream.waitFor(2) // the stream is serving

			// An idle keep-alive connection: one answered request, then
			// the connection waits in the transport's pool.
			idle := &http.Transport{}
			defer idle.CloseIdleConnections()
			res, err := (&http.Client{Transport: idle}).Get(base + "/healthz")
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()

			silent := dial(t, run.addr, "")
			half := dial(t, run.addr, "GET /healthz HTTP/1.1\r\nHost: "+run.addr+"\r\nUser-Agent: half")
			time.Sleep(50 * time.Millisecond) // every connection accepted

			start := time.Now()
			run.cancel()
			err = <-run.done
			took := time.Since(start)
			run.cancel = nil
			run.app.Close()
			if err != nil {
				t.Fatalf("Serve: %v", err)
			}
			t.Logf("%s: Serve returned %v after its context ended (idle, silent, half-open and streaming clients)", engine, took.Round(time.Millisecond))
			if took > 1500*time.Millisecond {
				t.Errorf("shutdown took %v, want within 1 s", took)
			}
			select {
			case <-stream.streamEnded():
			case <-time.After(time.Second):
				t.Error("the workshop stream is still open")
			}
			for name, c := range map[string]net.Conn{"silent": silent, "half-open": half} {
				c.SetReadDeadline(time.Now().Add(time.Second))
				if _, err := io.ReadAll(c); err != nil {
					t.Errorf("%s connection not closed by the server: %v", name, err)
				}
			}
		})
	}
}

// dial opens a TCP connection to addr and sends send, nothing more.
func dial(t *testing.T, addr, send string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if send != "" {
		if _, err := io.WriteString(c, send); err != nil {
			t.Fatal(err)
		}
	}
	return c
}
