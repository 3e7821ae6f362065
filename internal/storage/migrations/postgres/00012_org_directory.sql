-- +goose Up
-- The directory pages and the organisation search page through
-- organisations in the database instead of sorting them all in Go:
-- sort_key is the name's Swedish collation key (å ä ö after z, made in Go
-- on save, compared as bytes on both engines), search_text the folded
-- words of name, short name and slug, each after a space, for word-prefix
-- search. storage.Migrate fills both for rows saved before this migration.
ALTER TABLE organisations ADD COLUMN sort_key BYTEA NOT NULL DEFAULT ''::bytea;
ALTER TABLE organisations ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
CREATE INDEX organisations_sort ON organisations(sort_key, id);
CREATE INDEX organisations_level_sort ON organisations(level, sort_key, id);

-- +goose Down
DROP INDEX organisations_level_sort;
DROP INDEX organisations_sort;
ALTER TABLE organisations DROP COLUMN search_text;
ALTER TABLE organisations DROP COLUMN sort_key;
