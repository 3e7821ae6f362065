package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// Notify reaches a listener on PostgreSQL (the live.Notifier's Sender;
// the notifier itself is tested in live) and is refused on SQLite.
func TestDB_Notify(t *testing.T) {
	ctx := context.Background()
	t.Run("ErrSQLite", func(t *testing.T) {
		db := storagetest.MustOpen(t, storagetest.DSNs(t)["sqlite"])
		if err := db.Notify(ctx, "framsyn_live", "x"); err == nil {
			t.Fatal("notify on SQLite succeeded")
		}
	})
	base := storagetest.RequirePostgres(t)
	t.Run("OK", func(t *testing.T) {
		dsn := storagetest.PostgresDSN(t, base)
		db := storagetest.MustOpen(t, dsn)
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `LISTEN framsyn_test`); err != nil {
			t.Fatal(err)
		}
		if err := db.Notify(ctx, "framsyn_test", "workshop:1:2"); err != nil {
			t.Fatal(err)
		}
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		note, err := conn.WaitForNotification(wctx)
		if err != nil {
			t.Fatal(err)
		}
		if note.Channel != "framsyn_test" || note.Payload != "workshop:1:2" {
			t.Fatalf("got %s %q", note.Channel, note.Payload)
		}
	})
}
