-- +goose Up
-- Whether groups work apart: while set, a group's notes and scenario reach
-- only that group and the facilitators.
ALTER TABLE workshops ADD COLUMN apart INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE workshops DROP COLUMN apart;
