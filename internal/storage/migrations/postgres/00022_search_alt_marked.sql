-- +goose Up
-- The alternative terms of a document (compound parts, folded forms) go
-- back into tsv, each lexeme marked with a leading '~' ('~fiktion',
-- '~goteborg'), weight C, and alt_tsv goes. With them in a vector of
-- their own (00014) a term was (tsv @@ 'w:*' OR alt_tsv @@ 'w'), an OR
-- that the GIN index over (tsv, facets) could not take whole: with a
-- filter, the planner read the facet's bitmap alone and checked the words
-- of every document of that type from their out-of-line vectors (6,600
-- TOAST reads, 190 ms for a common word with a type filter at 100,000
-- works, against a few ms when the index intersects them). A term is now
-- one condition, tsv @@ ('w':* | '~w'), which the index intersects with
-- the facets and the other terms in one scan; a prefix query 'sam':*
-- still never reaches an alternative term, since no word starts with '~'.
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
UPDATE search_docs SET tsv = tsv || (SELECT string_agg('''~' || replace(replace(l, '\', '\\'), '''', '''''') || ''':1C', ' ')
	FROM unnest(tsvector_to_array(alt_tsv)) l)::tsvector
	WHERE alt_tsv <> ''::tsvector;
DROP INDEX search_docs_alt;
ALTER TABLE search_vecs DROP COLUMN alt_tsv;
ALTER TABLE search_docs DROP COLUMN alt_tsv;
ANALYZE search_docs;
ANALYZE search_vecs;

-- +goose Down
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
UPDATE search_docs SET
	alt_tsv = COALESCE((SELECT string_agg('''' || replace(replace(substr(l, 2), '\', '\\'), '''', '''''') || ''':1C', ' ')
		FROM unnest(tsvector_to_array(tsv)) l WHERE l LIKE '~%'), '')::tsvector,
	tsv = ts_delete(tsv, ARRAY(SELECT l FROM unnest(tsvector_to_array(tsv)) l WHERE l LIKE '~%'))
	WHERE EXISTS (SELECT 1 FROM unnest(tsvector_to_array(tsv)) l WHERE l LIKE '~%');
CREATE INDEX search_docs_alt ON search_docs USING GIN (alt_tsv) WITH (gin_pending_list_limit = 256);
ANALYZE search_docs;
ANALYZE search_vecs;
