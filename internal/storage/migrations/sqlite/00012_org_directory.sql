-- +goose Up
-- The directory pages and the organisation search page through
-- organisations in the database instead of sorting them all in Go:
-- sort_key is the name's Swedish collation key (å ä ö after z, made in Go
-- on save, compared as bytes on both engines), search_text the folded
-- words of name, short name and slug, each after a space, for word-prefix
-- search, dir_key the directory's order (the level's rank in
-- account.Levels, then sort_key). storage.Migrate fills them for rows
-- saved before this migration.
ALTER TABLE organisations ADD COLUMN sort_key BLOB NOT NULL DEFAULT x'';
ALTER TABLE organisations ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN dir_key BLOB NOT NULL DEFAULT x'';
-- Each covers every column a list filters on, so a page's ids are found
-- in order, stopping at the page's end, without reading the rows (and
-- their descriptions).
CREATE INDEX organisations_sort ON organisations(sort_key, id, public, level, kind, lan_code, search_text);
CREATE INDEX organisations_dir ON organisations(dir_key, id, public, level, kind, lan_code, search_text);

-- +goose Down
DROP INDEX organisations_dir;
DROP INDEX organisations_sort;
ALTER TABLE organisations DROP COLUMN dir_key;
ALTER TABLE organisations DROP COLUMN search_text;
ALTER TABLE organisations DROP COLUMN sort_key;
