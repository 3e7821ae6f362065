-- +goose Up
-- The lineage tree reads every cross of one root without its body. In
-- SQLite a body larger than a page spills into overflow pages and the
-- columns stored after it (changes) are read through that chain; this
-- index holds every column the tree reads, so the read never touches the
-- table (500 crosses with 8 kB bodies: see BenchmarkCrossTree).
CREATE INDEX crosses_tree ON crosses(root_id, id, parent_id, derived_from, organisation_id, status, visibility,
    level, domain, geography, title, changes);

-- A restored revision records the version it brought back, as works' do.
ALTER TABLE cross_revisions ADD COLUMN restored_from INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE cross_revisions DROP COLUMN restored_from;
DROP INDEX crosses_tree;
