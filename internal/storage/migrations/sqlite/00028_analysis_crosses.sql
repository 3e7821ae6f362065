-- +goose Up
-- The scenario crosses an analysis relates to.
CREATE TABLE analysis_crosses (
    analysis_id INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
    cross_id    INTEGER NOT NULL REFERENCES crosses(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    PRIMARY KEY (analysis_id, cross_id)
);
CREATE INDEX analysis_crosses_cross ON analysis_crosses(cross_id);

-- +goose Down
DROP TABLE analysis_crosses;
