-- +goose Up
-- How much of its date a work's source gives (day, month, year, unknown):
-- a seed's "november 2017" is shown as that, not as 1 November. Rows
-- from before had a day or no date.
ALTER TABLE works ADD COLUMN date_precision TEXT NOT NULL DEFAULT 'unknown'
    CHECK (date_precision IN ('day', 'month', 'year', 'unknown'));
UPDATE works SET date_precision = 'day' WHERE date_ms <> 0;
-- The front page's news orders works by when they were added.
CREATE INDEX works_created ON works(created_at, id);

-- +goose Down
DROP INDEX works_created;
ALTER TABLE works DROP COLUMN date_precision;
