-- +goose Up
-- The scenario cross a work shows on its page (its SVG and text
-- alternative, to those who may see the cross). Deleting the cross
-- clears it.
ALTER TABLE works ADD COLUMN cross_id BIGINT REFERENCES crosses(id) ON DELETE SET NULL;
CREATE INDEX works_cross ON works(cross_id);

-- +goose Down
DROP INDEX works_cross;
ALTER TABLE works DROP COLUMN cross_id;
