-- +goose Up
-- The index's vocabulary, read to expand a query's stems into the terms
-- they prefix: FTS5 builds a prefix query's whole doclist before the first
-- row, while an OR of exact terms is read lazily and stops after the
-- candidates a page needs (48 → 10 ms for a common word at 100,000 works;
-- doc/search.md). A view over the FTS index: it stores nothing.
CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row');

-- +goose Down
DROP TABLE search_vocab;
