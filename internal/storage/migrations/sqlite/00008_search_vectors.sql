-- +goose Up
-- PostgreSQL's 00008 adds search_vecs, an inline copy of the document
-- vectors; FTS5 needs none. The version is kept so both engines' schemas
-- are numbered alike.
SELECT 1;

-- +goose Down
SELECT 1;
