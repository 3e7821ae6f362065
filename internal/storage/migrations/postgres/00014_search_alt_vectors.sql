-- +goose Up
-- The alternative terms of a document (compound parts, folded forms:
-- weight C since 00011) move out of tsv into alt_tsv, with a GIN index of
-- their own. In one vector a query's prefix reached them too: "sam:*"
-- unioned the postings of every part and folded form beginning with
-- "sam", and the 3-character prefix class went from 31 / 95 to 171 / 1071
-- ms (p50 / p95, 20,000 works). A query now matches each term as a prefix
-- of the words (tsv) or as a whole word among the alternative terms
-- (alt_tsv), the same rule as FTS5's on SQLite (search_query.go).
ALTER TABLE search_docs ADD COLUMN alt_tsv TSVECTOR NOT NULL DEFAULT '';
ALTER TABLE search_vecs ADD COLUMN alt_tsv TSVECTOR NOT NULL DEFAULT '';
ALTER TABLE search_vecs ALTER COLUMN alt_tsv SET STORAGE MAIN;

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION search_vecs_put() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO search_vecs (id, kind, scope, owner_org_id, facets, tsv, alt_tsv)
		SELECT id, kind, scope, owner_org_id, facets, tsv, alt_tsv FROM new_docs ORDER BY id
	ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, scope = excluded.scope,
		owner_org_id = excluded.owner_org_id, facets = excluded.facets, tsv = excluded.tsv,
		alt_tsv = excluded.alt_tsv;
	RETURN NULL;
END
$$;
-- +goose StatementEnd

-- The positions weighted C are the alternative terms (00011 appended them
-- after the title's A and the body's B); the trigger copies both vectors
-- to search_vecs.
UPDATE search_docs SET alt_tsv = ts_filter(tsv, '{c}'), tsv = ts_filter(tsv, '{a,b}');
CREATE INDEX search_docs_alt ON search_docs USING GIN (alt_tsv) WITH (gin_pending_list_limit = 256);
ANALYZE search_docs;
ANALYZE search_vecs;

-- +goose Down
UPDATE search_docs SET tsv = tsv || alt_tsv;
DROP INDEX search_docs_alt;

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION search_vecs_put() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO search_vecs (id, kind, scope, owner_org_id, facets, tsv)
		SELECT id, kind, scope, owner_org_id, facets, tsv FROM new_docs ORDER BY id
	ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, scope = excluded.scope,
		owner_org_id = excluded.owner_org_id, facets = excluded.facets, tsv = excluded.tsv;
	RETURN NULL;
END
$$;
-- +goose StatementEnd
ALTER TABLE search_vecs DROP COLUMN alt_tsv;
ALTER TABLE search_docs DROP COLUMN alt_tsv;
