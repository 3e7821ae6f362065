package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/framsyn/framsyn/internal/ratelimit"
)

// RateLimits keeps token buckets in the database (migration 00015), so
// that every instance on one database spends from the same allowance.
// Each bucket is its theoretical arrival time (GCRA, equal to a token
// bucket): a call at now is allowed when max(tat, now) - now is at most
// (burst-1)·every, and moves tat on by every. One conditional upsert per
// rule, in one transaction that rolls back when any rule refuses, so a
// refused call spends nothing (one rule is one statement, atomic by
// itself); rows are taken in key order, so two calls never deadlock. Rows of full buckets are swept once a minute. Keys are
// stored as their SHA-256: they hold what clients type (addresses,
// emails), of any length and byte.
type RateLimits struct {
	db    *DB
	mu    sync.Mutex
	swept time.Time
}

var _ ratelimit.Limiter = (*RateLimits)(nil)

// RateLimits returns the database's rate limiter.
func (db *DB) RateLimits() *RateLimits { return db.rateLimits }

var errRefused = errors.New("rate limited")

// Allow implements ratelimit.Limiter. One rule (a workshop command's, a
// join's) is one statement on its own, committed by itself: a round trip
// instead of three (begin, upsert, commit) on the path of every command,
// where a round trip to a loaded server costs milliseconds.
func (l *RateLimits) Allow(ctx context.Context, now time.Time, rules ...ratelimit.Rule) (bool, error) {
	ms := now.UnixMilli()
	hashed := make([]ratelimit.Rule, len(rules))
	for i, r := range rules {
		r.Key = rateKey(r.Key)
		hashed[i] = r
	}
	var err error
	if len(hashed) == 1 {
		err = spend(ctx, l.db.lazy, hashed[0], ms)
	} else {
		err = l.spendAll(ctx, ratelimit.Sorted(hashed), ms)
	}
	if errors.Is(err, errRefused) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	l.sweep(ctx, now)
	return true, nil
}

// spendAll takes a token of every rule's bucket, in one transaction.
func (l *RateLimits) spendAll(ctx context.Context, rules []ratelimit.Rule, ms int64) error {
	tx, err := l.db.lazy.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("rate limit: begin: %w", err)
	}
	for _, r := range rules {
		if err := spend(ctx, tx, r, ms); err != nil {
			_ = tx.Rollback()
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("rate limit: commit: %w", err)
	}
	return nil
}

// spend takes one token of r's bucket at ms, or refuses (errRefused) and
// changes nothing.
func spend(ctx context.Context, q queryer, r ratelimit.Rule, ms int64) error {
	var tat int64
	err := q.QueryRowContext(ctx, spendSQL, spendArgs(r, ms)...).Scan(&tat)
	if errors.Is(err, sql.ErrNoRows) {
		return errRefused
	}
	if err != nil {
		return fmt.Errorf("rate limit: %w", err)
	}
	return nil
}

// spendSQL takes a token of a bucket (spendArgs), answering the bucket's
// new tat, or no row when it refuses.
const spendSQL = `INSERT INTO rate_limits (key, tat) VALUES ($1, CAST($2 AS BIGINT))
		ON CONFLICT (key) DO UPDATE SET tat = (CASE WHEN rate_limits.tat > CAST($3 AS BIGINT) THEN rate_limits.tat ELSE CAST($3 AS BIGINT) END) + CAST($4 AS BIGINT)
		WHERE (CASE WHEN rate_limits.tat > CAST($3 AS BIGINT) THEN rate_limits.tat ELSE CAST($3 AS BIGINT) END) - CAST($3 AS BIGINT) <= CAST($5 AS BIGINT)
		RETURNING tat`

// spendArgs are spendSQL's arguments for r, its Key already hashed
// (rateKey), at ms.
func spendArgs(r ratelimit.Rule, ms int64) []any {
	every := max(r.Every.Milliseconds(), 1)
	tau := int64(max(r.Burst-1, 0)) * every
	return []any{r.Key, ms + every, ms, every, tau}
}

// Reset implements ratelimit.Limiter.
func (l *RateLimits) Reset(ctx context.Context, key string) error {
	if _, err := l.db.lazy.ExecContext(ctx, `DELETE FROM rate_limits WHERE key = $1`, rateKey(key)); err != nil {
		return fmt.Errorf("rate limit reset: %w", err)
	}
	return nil
}

// sweep deletes the rows of full buckets, at most once a minute per
// instance; a failure only waits for the next minute.
func (l *RateLimits) sweep(ctx context.Context, now time.Time) {
	l.mu.Lock()
	due := now.Sub(l.swept) >= time.Minute
	if due {
		l.swept = now
	}
	l.mu.Unlock()
	if due {
		_, _ = l.db.lazy.ExecContext(ctx, `DELETE FROM rate_limits WHERE tat < $1`, now.UnixMilli())
	}
}

func rateKey(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:])
}
