-- +goose Up
-- The works of the library an analysis relates to.
CREATE TABLE analysis_works (
    analysis_id INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
    work_id     INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    PRIMARY KEY (analysis_id, work_id)
);
CREATE INDEX analysis_works_work ON analysis_works(work_id);

-- +goose Down
DROP TABLE analysis_works;
