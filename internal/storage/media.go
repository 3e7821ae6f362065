package storage

import (
	"context"
	"fmt"
	"regexp"
)

// Media answers which stored files something still names.
type Media struct{ db *DB }

// mediaHashRE finds stored files' names (hex SHA-256) in a column's text:
// a logo or cover is one, attachments and revision snapshots are JSON that
// name them among other fields.
var mediaHashRE = regexp.MustCompile(`[0-9a-f]{64}`)

// MediaHashes returns every stored file's hash that something still
// names: organisations' logos, works' attachments and covers, and every
// revision of every work, since restoring an old revision brings its
// files back. Any 64-hex run counts; reading too much keeps a file longer,
// never too short.
func (s *Media) MediaHashes(ctx context.Context) (map[string]bool, error) {
	out := map[string]bool{}
	for _, q := range []string{
		`SELECT logo FROM organisations WHERE logo <> ''`,
		`SELECT attachments || ' ' || cover_image FROM works`,
		`SELECT snapshot FROM work_revisions`,
	} {
		err := eachString(ctx, s.db.ro, q, nil, func(s string) {
			for _, h := range mediaHashRE.FindAllString(s, -1) {
				out[h] = true
			}
		})
		if err != nil {
			return nil, fmt.Errorf("storage: media in use: %w", err)
		}
	}
	return out, nil
}
