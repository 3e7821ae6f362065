-- +goose Up
-- SQLite gets crosses_tree, an index covering what the lineage tree reads,
-- because there a large body spills into overflow pages in front of the
-- columns stored after it. PostgreSQL moves large values out of the row
-- (TOAST), so its crosses_root index already reads narrow rows: nothing
-- to do here.
-- A restored revision records the version it brought back, as works' do.
ALTER TABLE cross_revisions ADD COLUMN restored_from INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE cross_revisions DROP COLUMN restored_from;
