-- +goose Up
-- Who clusters the notes: 0 everyone (the default), 1 facilitators only.
ALTER TABLE workshops ADD COLUMN cluster_facilitators INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE workshops DROP COLUMN cluster_facilitators;
