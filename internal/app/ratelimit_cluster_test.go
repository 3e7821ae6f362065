package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// TestTwoInstances_SharedRateLimits: two instances on one PostgreSQL
// database, as behind a load balancer, give a client one allowance for
// sign-in, join codes and workshop commands, not one per instance. The
// clocks stand still, so the buckets do not refill while the test runs.
func TestTwoInstances_SharedRateLimits(t *testing.T) {
	dsn := storagetest.PostgresDSN(t, storagetest.RequirePostgres(t))
	r := newWSRoom(t, dsn)
	a, b := r.ta, mustApp(t, dsn)
	now := time.Now()
	for _, ta := range []*testApp{a, b} {
		ta.Accounts.SetClock(func() time.Time { return now })
		ta.Workshops.SetClock(func() time.Time { return now })
	}
	instances := []*testApp{a, b}

	t.Run("SignIn", func(t *testing.T) {
		// One client (127.0.0.1 on both): a burst of 10, five on each.
		login := func(ta *testApp, i int) int {
			return ta.do(req{method: "POST", path: "/logga-in",
				form: url.Values{"email": {fmt.Sprintf("nobody-%d@x.se", i)}, "password": {"wrong password!!"}}}).StatusCode
		}
		for i := range 10 {
			if got := login(instances[i%2], i); got != http.StatusUnprocessableEntity {
				t.Fatalf("attempt %d: status %d", i+1, got)
			}
		}
		for i, ta := range instances {
			if got := login(ta, 10+i); got != http.StatusTooManyRequests {
				t.Errorf("11th attempt from one client on instance %d: %d, want 429", i, got)
			}
		}
	})
	t.Run("JoinCodes", func(t *testing.T) {
		// Unknown codes from one client: 20, then refused on both.
		for i := range 20 {
			if got := instances[i%2].do(req{method: "GET", path: "/j/ZZZZZ" + fmt.Sprint(i%10)}).StatusCode; got != http.StatusNotFound {
				t.Fatalf("unknown code %d: %d, want 404", i+1, got)
			}
		}
		for i, ta := range instances {
			if got := ta.do(req{method: "GET", path: "/j/ZZZZZZ"}).StatusCode; got != http.StatusTooManyRequests {
				t.Errorf("21st unknown code on instance %d: %d, want 429", i, got)
			}
		}
	})
	t.Run("WorkshopCommands", func(t *testing.T) {
		r.fac.mustCmd(r.id, map[string]any{"kind": "stage.set", "stage": "drivers", "seconds": 300})
		g := r.guest(t, "Alva")
		onB := &wsUser{ta: b, cookies: g.cookies}
		guests := []*wsUser{g, onB}
		// A participant's burst of 30, fifteen through each instance.
		for i := range 30 {
			if st, body := guests[i%2].cmd(r.id, map[string]any{"kind": "note.add", "text": fmt.Sprintf("Idé %d", i)}); st != http.StatusOK {
				t.Fatalf("command %d: %d %s", i+1, st, body)
			}
		}
		for i, u := range guests {
			if st, _ := u.cmd(r.id, map[string]any{"kind": "note.add", "text": "En för mycket"}); st != http.StatusTooManyRequests {
				t.Errorf("31st command on instance %d: %d, want 429", i, st)
			}
		}
	})
}
