package storage_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/framsyn/framsyn/internal/ratelimit"
	"github.com/framsyn/framsyn/internal/storage"
	"github.com/framsyn/framsyn/internal/storage/storagetest"
)

// TestRateLimits holds the database limiter to the in-memory one: the
// same calls get the same answers.
func TestRateLimits(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		for name, lim := range map[string]ratelimit.Limiter{"memory": ratelimit.NewMemory(), "database": db.RateLimits()} {
			t.Run(name, func(t *testing.T) {
				ctx := t.Context()
				t0 := time.UnixMilli(1_800_000_000_000)
				allow := func(t *testing.T, at time.Duration, rules ...ratelimit.Rule) bool {
					t.Helper()
					ok, err := lim.Allow(ctx, t0.Add(at), rules...)
					if err != nil {
						t.Fatal(err)
					}
					return ok
				}
				a := ratelimit.Rule{Key: name + ":a", Every: time.Second, Burst: 3}
				b := ratelimit.Rule{Key: name + ":b", Every: 10 * time.Second, Burst: 1}
				t.Run("BurstThenRate", func(t *testing.T) {
					var got []bool
					for range 4 {
						got = append(got, allow(t, 0, a))
					}
					got = append(got, allow(t, time.Second, a), allow(t, time.Second, a), allow(t, 3500*time.Millisecond, a), allow(t, 3500*time.Millisecond, a))
					want := []bool{true, true, true, false, true, false, true, true}
					for i := range want {
						if got[i] != want[i] {
							t.Fatalf("got %v, want %v", got, want)
						}
					}
				})
				t.Run("RefusedSpendsNothing", func(t *testing.T) {
					if !allow(t, time.Hour, b) {
						t.Fatal("b's first call refused")
					}
					// a is full at +1h; b is empty, so neither is spent.
					for range 5 {
						if allow(t, time.Hour, a, b) {
							t.Fatal("allowed with b empty")
						}
					}
					for i := range 3 {
						if !allow(t, time.Hour, a) {
							t.Fatalf("a drained by refused calls: call %d refused", i)
						}
					}
				})
				t.Run("Reset", func(t *testing.T) {
					if allow(t, time.Hour, b) {
						t.Fatal("b not empty")
					}
					if err := lim.Reset(ctx, b.Key); err != nil {
						t.Fatal(err)
					}
					if !allow(t, time.Hour, b) {
						t.Error("b still empty after Reset")
					}
				})
			})
		}
	})
}

// TestRateLimits_Concurrent: calls at once from many connections get the
// burst between them, no more.
func TestRateLimits_Concurrent(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, db *storage.DB) {
		if err := storage.Warm(t.Context(), db, 8); err != nil {
			t.Fatal(err)
		}
		lim := db.RateLimits()
		now := time.Now()
		rules := []ratelimit.Rule{{Key: "c:x", Every: time.Hour, Burst: 5}, {Key: "p:x", Every: time.Hour, Burst: 50}}
		var ok atomic.Int32
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				// Opposite orders would deadlock without the sorted locking.
				rs := rules
				if ok.Load()%2 == 1 {
					rs = []ratelimit.Rule{rules[1], rules[0]}
				}
				allowed, err := lim.Allow(context.Background(), now, rs...)
				if err != nil {
					t.Error(err)
				}
				if allowed {
					ok.Add(1)
				}
			})
		}
		wg.Wait()
		if n := ok.Load(); n != 5 {
			t.Errorf("%d calls allowed, want 5", n)
		}
	})
}
