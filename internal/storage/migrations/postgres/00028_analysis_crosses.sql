-- +goose Up
-- The scenario crosses an analysis relates to.
CREATE TABLE analysis_crosses (
    analysis_id BIGINT NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
    cross_id    BIGINT NOT NULL REFERENCES crosses(id) ON DELETE CASCADE,
    position    BIGINT NOT NULL,
    PRIMARY KEY (analysis_id, cross_id)
);
CREATE INDEX analysis_crosses_cross ON analysis_crosses(cross_id);

-- +goose Down
DROP TABLE analysis_crosses;
