package ui

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/i18n"
	"github.com/framsyn/framsyn/internal/live"
	"github.com/framsyn/framsyn/internal/route"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
	"github.com/framsyn/framsyn/internal/workshop"
)

// clusterNode is one `framsyn serve` on the shared PostgreSQL database:
// its own pool, its own Notifier (LISTEN connection and periodic check),
// its own service and HTTP server.
type clusterNode struct {
	*wsEnv
	n *live.Notifier
}

func newClusterNode(t *testing.T, dsn string) *clusterNode {
	t.Helper()
	db := storagetest.MustOpen(t, dsn)
	log := slog.New(slog.DiscardHandler)
	n := storagetest.MustNotifier(t, db, 0) // the production check interval
	s, err := New(Config{Catalogue: i18n.MustLoad(), Log: log})
	if err != nil {
		t.Fatal(err)
	}
	svc := workshop.NewService(db.Workshops(), n, log)
	mux := http.NewServeMux()
	s.Workshops(svc).Register(route.NewTable(mux, s.Guard))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &clusterNode{wsEnv: &wsEnv{srv: srv, svc: svc, db: db}, n: n}
}

type clusterClient struct {
	name   string
	node   *clusterNode
	cookie *http.Cookie
	s      *sse
	next   int64 // the next seq it must receive
}

// TestCluster_TwoInstances: participants split over two instances see
// every event once and in order, also when one instance's LISTEN
// connection is killed in the middle of a burst of writes on the other
// (it reconnects and catches up from the log; the periodic check covers
// what was notified while no one listened).
func TestCluster_TwoInstances(t *testing.T) {
	base := storagetest.RequirePostgres(t)
	ctx := context.Background()
	dsn := storagetest.PostgresDSN(t, base)
	a := newClusterNode(t, dsn)
	b := newClusterNode(t, dsn)

	u := &account.User{Email: "fia@example.se", Name: "Fia"}
	var err error
	if u.ID, err = a.db.Users().CreateUser(ctx, u, "x"); err != nil {
		t.Fatal(err)
	}
	actor := &account.Actor{User: u}
	w, err := a.svc.Create(ctx, actor, workshop.Workshop{Title: "Två instanser", FocalQuestion: "Syns allt överallt?", HorizonYear: 2050})
	if err != nil {
		t.Fatal(err)
	}
	a.w, b.w = w, w
	a.host, _ = a.svc.Participant(ctx, actor, w.ID, "")
	b.host = a.host
	a.do(t, a.host, workshop.Command{Kind: workshop.WorkshopOpen})
	a.do(t, a.host, workshop.Command{Kind: workshop.StageSet, Stage: "drivers"})

	// Six guests, three joining through each instance, each streaming
	// from the instance it joined.
	var clients []*clusterClient
	for i := 0; i < 6; i++ {
		node := a
		if i%2 == 1 {
			node = b
		}
		_, c := node.guest(t, fmt.Sprintf("Gäst %d", i))
		clients = append(clients, &clusterClient{name: fmt.Sprintf("gäst %d på %s", i, map[*clusterNode]string{a: "A", b: "B"}[node]), node: node, cookie: c})
	}
	start, _ := a.db.Workshops().LastSeq(ctx, w.ID)
	for _, c := range clients {
		var code int
		if c.s, code = c.node.open(t, c.cookie, "?since="+strconv.FormatInt(start, 10), ""); code != 200 {
			t.Fatalf("%s: stream %d", c.name, code)
		}
		c.next = start + 1
	}
	// catchUp has every client read up to the workshop's last event.
	catchUp := func(t *testing.T) {
		t.Helper()
		last, err := a.db.Workshops().LastSeq(ctx, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range clients {
			if c.next <= last {
				c.s.expect(t, c.next, last)
				c.next = last + 1
			}
		}
	}
	// burst has every listed client post n notes through its own
	// instance, all at once, and returns when all are acknowledged.
	burst := func(t *testing.T, who []*clusterClient, n int, during func()) {
		t.Helper()
		var wg sync.WaitGroup
		for _, c := range who {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < n; i++ {
					body := fmt.Sprintf(`{"id":"%s","kind":"note.add","steep":"social","text":"%s, anteckning %d"}`, wsCID(), c.name, i)
					if code, resp := c.node.post(t, c.cookie, body); code != 200 {
						t.Errorf("%s: %d %s", c.name, code, resp)
					}
				}
			}()
		}
		if during != nil {
			during()
		}
		wg.Wait()
	}

	t.Run("EveryEventReachesEveryone", func(t *testing.T) {
		burst(t, clients, 5, nil)
		catchUp(t)
	})

	t.Run("ListenerKilledMidBurst", func(t *testing.T) {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		pid := a.n.ListenerPID()
		var onB []*clusterClient
		for _, c := range clients {
			if c.node == b {
				onB = append(onB, c)
			}
		}
		// B's participants write while A's listening connection dies.
		burst(t, onB, 8, func() {
			var ok bool
			if err := admin.QueryRow(`SELECT pg_terminate_backend($1)`, int(pid)).Scan(&ok); err != nil || !ok {
				t.Errorf("terminate %d: %v %v", pid, ok, err)
			}
		})
		catchUp(t)
		// A listens again on a new connection, and NOTIFY carries again.
		deadline := time.Now().Add(10 * time.Second)
		for p := a.n.ListenerPID(); p == 0 || p == pid; p = a.n.ListenerPID() {
			if time.Now().After(deadline) {
				t.Fatalf("listener pid %d after the kill of %d", p, pid)
			}
			time.Sleep(10 * time.Millisecond) // polling the condition
		}
		burst(t, clients, 3, nil)
		catchUp(t)
	})

	t.Run("NothingDuplicated", func(t *testing.T) {
		// One more event must be the very next thing every stream sends:
		// a duplicate or a stray replay would come first.
		c := clients[0]
		body := fmt.Sprintf(`{"id":"%s","kind":"note.add","text":"sista"}`, wsCID())
		if code, resp := c.node.post(t, c.cookie, body); code != 200 {
			t.Fatalf("%d %s", code, resp)
		}
		catchUp(t)
		last, _ := a.db.Workshops().LastSeq(ctx, w.ID)
		for _, c := range clients {
			if c.next != last+1 {
				t.Errorf("%s at %d, log at %d", c.name, c.next-1, last)
			}
		}
	})
}
