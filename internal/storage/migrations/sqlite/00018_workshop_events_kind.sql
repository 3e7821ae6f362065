-- +goose Up
-- The facilitator's page lists the stage changes (its snapshots) on every
-- render: found by kind, not by reading the whole log.
CREATE INDEX workshop_events_kind ON workshop_events (workshop_id, kind, seq);

-- +goose Down
DROP INDEX workshop_events_kind;
