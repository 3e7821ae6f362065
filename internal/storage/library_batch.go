package storage

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Batched writes: one INSERT with many VALUES rows instead of a round trip
// per row, so an import or a 100,000-work benchmark load stays fast on
// PostgreSQL too. Both engines take the same text.

// maxParams stays under both engines' limit on bound parameters
// (SQLite 32766, PostgreSQL 65535).
const maxParams = 30000

var paramRE = regexp.MustCompile(`\$([0-9]+)`)

// rowTemplate is a VALUES tuple whose $1..$n are renumbered per row.
type rowTemplate struct {
	parts []string // text between parameters
	nums  []int    // the parameter after each part
	n     int      // parameters per row
}

func newRowTemplate(tmpl string) rowTemplate {
	var t rowTemplate
	last := 0
	for _, m := range paramRE.FindAllStringSubmatchIndex(tmpl, -1) {
		t.parts = append(t.parts, tmpl[last:m[0]])
		k, _ := strconv.Atoi(tmpl[m[2]:m[3]])
		t.nums = append(t.nums, k)
		t.n = max(t.n, k)
		last = m[1]
	}
	t.parts = append(t.parts, tmpl[last:])
	return t
}

// write appends one row's tuple to b and its values to args: numbered
// placeholders after base for PostgreSQL; for SQLite one anonymous "?"
// per occurrence, because SQLite looks numbered and named parameters up
// in a list, which makes a statement with thousands of them quadratic.
func (t rowTemplate) write(b *strings.Builder, args []any, row []any, anon bool) []any {
	base := len(args)
	if !anon {
		args = append(args, row...)
	}
	for i, p := range t.parts {
		b.WriteString(p)
		if i == len(t.nums) {
			break
		}
		if anon {
			b.WriteByte('?')
			args = append(args, row[t.nums[i]-1])
			continue
		}
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(base + t.nums[i]))
	}
	return args
}

// insertMany runs head + VALUES rows + tail in chunks. head is e.g.
// "INSERT INTO t (a, b)", tmpl one row's tuple "($1, $2)" (expressions
// allowed), each row of rows holds the tuple's arguments in order, tail
// e.g. " RETURNING id". With scan set, it is called for every returned row.
func (db *DB) insertMany(ctx context.Context, q queryer, head, tmpl string, rows [][]any, tail string, scan func(*sql.Rows) error) error {
	if len(rows) == 0 {
		return nil
	}
	t := newRowTemplate(tmpl)
	per := max(1, min(1000, maxParams/max(t.n, 1)))
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(len(rows), start+per)]
		var b strings.Builder
		b.WriteString(head)
		b.WriteString(" VALUES ")
		args := make([]any, 0, len(chunk)*t.n)
		for i, r := range chunk {
			if len(r) != t.n {
				return fmt.Errorf("insertMany: row has %d values, template %d", len(r), t.n)
			}
			if i > 0 {
				b.WriteString(", ")
			}
			args = t.write(&b, args, r, db.Engine == SQLite)
		}
		b.WriteString(tail)
		if scan == nil {
			if _, err := q.ExecContext(ctx, b.String(), args...); err != nil {
				return err
			}
			continue
		}
		rs, err := q.QueryContext(ctx, b.String(), args...)
		if err != nil {
			return err
		}
		for rs.Next() {
			if err := scan(rs); err != nil {
				rs.Close()
				return err
			}
		}
		if err := rs.Close(); err != nil {
			return err
		}
		if err := rs.Err(); err != nil {
			return err
		}
	}
	return nil
}

// execIn runs query once per chunk of ids, with "(IDS)" in query replaced
// by the chunk's placeholders after the fixed args (anonymous on SQLite,
// as in insertMany).
func (db *DB) execIn(ctx context.Context, q queryer, query string, ids []int64, fixed ...any) error {
	const per = 1000
	for start := 0; start < len(ids); start += per {
		chunk := ids[start:min(len(ids), start+per)]
		args := append([]any{}, fixed...)
		ph := make([]string, len(chunk))
		for i, id := range chunk {
			args = append(args, id)
			ph[i] = "$" + strconv.Itoa(len(args))
			if db.Engine == SQLite {
				ph[i] = "?"
			}
		}
		if _, err := q.ExecContext(ctx, strings.Replace(query, "(IDS)", "("+strings.Join(ph, ", ")+")", 1), args...); err != nil {
			return err
		}
	}
	return nil
}

// sqlArgs collects query arguments and hands out their placeholders.
type sqlArgs []any

func (a *sqlArgs) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// in returns the placeholders of a list, "$3, $4, $5".
func (a *sqlArgs) in(ids []int64) string {
	ph := make([]string, len(ids))
	for i, id := range ids {
		ph[i] = a.add(id)
	}
	return strings.Join(ph, ", ")
}
