-- +goose Up
-- Rate limits held in the database, so that several instances give a
-- client one allowance (storage.RateLimits): one token bucket per key as
-- its theoretical arrival time (GCRA), in Unix milliseconds. A row whose
-- tat has passed is a full bucket, the same as no row, and is swept.
CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    tat INTEGER NOT NULL
);
CREATE INDEX rate_limits_tat ON rate_limits(tat);

-- +goose Down
DROP TABLE rate_limits;
