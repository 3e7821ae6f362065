-- +goose Up
-- The works of the library an analysis relates to.
CREATE TABLE analysis_works (
    analysis_id BIGINT  NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
    work_id     BIGINT  NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    position    BIGINT  NOT NULL,
    PRIMARY KEY (analysis_id, work_id)
);
CREATE INDEX analysis_works_work ON analysis_works(work_id);

-- +goose Down
DROP TABLE analysis_works;
