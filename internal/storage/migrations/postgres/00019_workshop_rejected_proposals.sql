-- +goose Up
-- The proposed clusters a facilitator rejected (cluster.reject): their
-- keys (the notes' ids joined by '-'), separated by spaces, the newest last.
ALTER TABLE workshops ADD COLUMN rejected_proposals TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE workshops DROP COLUMN rejected_proposals;
