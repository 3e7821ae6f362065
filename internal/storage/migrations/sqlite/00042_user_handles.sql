-- +goose Up
-- A handle per user for @mentions in comments (issue 23, comments item):
-- 3–30 of a-z 0-9 - _, unique. Existing users get theirs from their name
-- in Go right after the migrations (Migrate: fillHandles), as the folding
-- and the numbered suffixes on collision are Go's; until then the column
-- is '' and the partial index lets many be empty.
ALTER TABLE users ADD COLUMN handle TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX users_handle ON users(handle) WHERE handle <> '';

-- +goose Down
DROP INDEX users_handle;
ALTER TABLE users DROP COLUMN handle;
