-- +goose Up
-- A relevance search reads the tsvector of every document it walks and of
-- every candidate it ranks. In search_docs the vector lies out of line
-- (00006), which keeps the rows the GIN bitmap fetches small, but costs a
-- TOAST lookup per document: 3 µs, so walking 8,000 documents took 25 ms.
-- search_vecs holds each document's vector a second time, inline (STORAGE
-- MAIN), with what the query checks beside it: the walk reads ~1.3 kB
-- rows in key order (0.7 µs each) and ranking a bitmap's candidates reads
-- one row each. Statement triggers keep it equal to search_docs, whichever
-- code writes there; deleting a document deletes its row.
CREATE TABLE search_vecs (
	id BIGINT PRIMARY KEY REFERENCES search_docs(id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	scope TEXT NOT NULL,
	owner_org_id BIGINT,
	facets TEXT[] NOT NULL,
	tsv TSVECTOR NOT NULL
);
ALTER TABLE search_vecs ALTER COLUMN tsv SET STORAGE MAIN, ALTER COLUMN facets SET STORAGE MAIN;
INSERT INTO search_vecs (id, kind, scope, owner_org_id, facets, tsv)
	SELECT id, kind, scope, owner_org_id, facets, tsv FROM search_docs ORDER BY id;
-- Without statistics the planner takes any condition for rare and walks
-- with parallel workers, whose start alone costs 30 ms.
ANALYZE search_vecs;

-- +goose StatementBegin
CREATE FUNCTION search_vecs_put() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO search_vecs (id, kind, scope, owner_org_id, facets, tsv)
		SELECT id, kind, scope, owner_org_id, facets, tsv FROM new_docs ORDER BY id
	ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, scope = excluded.scope,
		owner_org_id = excluded.owner_org_id, facets = excluded.facets, tsv = excluded.tsv;
	RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER search_vecs_insert AFTER INSERT ON search_docs
	REFERENCING NEW TABLE AS new_docs FOR EACH STATEMENT EXECUTE FUNCTION search_vecs_put();
CREATE TRIGGER search_vecs_update AFTER UPDATE ON search_docs
	REFERENCING NEW TABLE AS new_docs FOR EACH STATEMENT EXECUTE FUNCTION search_vecs_put();

-- Every GIN search also reads the index's list of pending insertions,
-- which grew to 4 MB (its default limit) under a steady trickle of saves:
-- 2.3 ms per query. A 256 kB list is merged more often, in small batches.
ALTER INDEX search_docs_match SET (gin_pending_list_limit = 256);

-- +goose Down
ALTER INDEX search_docs_match RESET (gin_pending_list_limit);
DROP TRIGGER search_vecs_update ON search_docs;
DROP TRIGGER search_vecs_insert ON search_docs;
DROP FUNCTION search_vecs_put();
DROP TABLE search_vecs;
