-- +goose Up
-- SQLite's 00005 adds an FTS5 vocabulary view; PostgreSQL expands prefixes
-- in its GIN index and needs nothing. Kept so the versions match.
SELECT 1;

-- +goose Down
SELECT 1;
