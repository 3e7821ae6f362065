package storagetest

import (
	"log/slog"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/live"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/workshop"
)

// MustNotifier starts a live.Notifier for the workshops on db, a
// PostgreSQL database, as framsyn serve does for each instance: its own
// LISTEN connection and a check every poll (0: the production interval).
// It returns once the notifier listens and closes it after the test.
func MustNotifier(t testing.TB, db *storage.DB, poll time.Duration) *live.Notifier {
	t.Helper()
	n, err := live.NewNotifier(live.NotifierConfig{DSN: db.DSN, Sender: db, Logger: slog.New(slog.DiscardHandler), Poll: poll,
		Heads: map[string]live.Heads{workshop.Area: db.Workshops()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	select {
	case <-n.Ready():
	case <-time.After(10 * time.Second):
		t.Fatal("notifier not listening")
	}
	return n
}
