-- +goose Up
-- Immediate e-mail per notification (issue 23, network item 3): an
-- instance claims a notification's mail by setting mailed_at where it is
-- 0, so with several instances on one database each goes out once.
ALTER TABLE notifications ADD COLUMN mailed_at INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE notifications DROP COLUMN mailed_at;
