-- +goose Up
-- API tokens carry the expiry their owner chose (issue 18); tokens made
-- before it get the default of 90 days from their creation.
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
UPDATE api_tokens SET expires_at = created_at + 7776000000;

-- +goose Down
ALTER TABLE api_tokens DROP COLUMN expires_at;
