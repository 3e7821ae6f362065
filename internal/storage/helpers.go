package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/framsyn/framsyn/internal/errs"
)

// Helpers every adapter shares: times as Unix ms, nullable ids, errors.

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// notFound turns sql.ErrNoRows into errs.NotFound and wraps other errors.
func notFound(op string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return errs.Wrap(errs.NotFound, "error.not_found", fmt.Errorf("%s: %w", op, err))
	}
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// mustAffect returns NotFound when a write touched no row.
func mustAffect(op string, res sql.Result, err error) error {
	if err != nil {
		if isUnique(err) {
			return errs.Wrap(errs.Conflict, "error.conflict", fmt.Errorf("%s: %w", op, err))
		}
		return fmt.Errorf("%s: %w", op, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return errs.Wrap(errs.NotFound, "error.not_found", fmt.Errorf("%s: no row", op))
	}
	return nil
}

// nullID stores 0 as NULL.
func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// scanner is a *sql.Row or *sql.Rows.
type scanner = interface{ Scan(...any) error }

// collect reads every row of a query with scan and closes rows; err is the
// query's own, so a call follows QueryContext directly. op names the read
// in errors.
func collect[T any](op string, rows *sql.Rows, err error, scan func(scanner) (*T, error)) ([]T, error) {
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	return readRows(op, rows, scan)
}

// rowReader is what readRows reads: database/sql's rows or a pgx batch's.
type rowReader interface {
	scanner
	Next() bool
	Err() error
}

// readRows reads every row with scan; the caller closes rows.
func readRows[T any](op string, rows rowReader, scan func(scanner) (*T, error)) ([]T, error) {
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		out = append(out, *v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

// indexEach indexes, with index and in q, every id the query selects
// (rows and err are the query's own, as for collect).
func indexEach(ctx context.Context, q queryer, op string, rows *sql.Rows, err error, index func(context.Context, queryer, int64) error) error {
	ids, err := collect(op, rows, err, func(r scanner) (*int64, error) {
		var id int64
		return &id, r.Scan(&id)
	})
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := index(ctx, q, id); err != nil {
			return err
		}
	}
	return nil
}
