-- +goose Up
-- The inbox as an event log (issue 23, network item 2) and its reads:
-- each notification gets its recipient's own sequence number, 1, 2, 3…
-- without gaps in commit order (notification_heads.last_seq is bumped,
-- and its row locked, in the fan-out's transaction), so the inbox streams
-- through internal/live and resumes by Last-Event-ID. The digest's reads
-- go by (user_id, created_at): the index on (created_at, user_id) made
-- PostgreSQL scan a whole period's entries for each user.
ALTER TABLE notifications ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE notifications SET seq = (SELECT COUNT(*) FROM notifications n WHERE n.user_id = notifications.user_id AND n.id <= notifications.id);
CREATE UNIQUE INDEX notifications_user_seq ON notifications(user_id, seq);
CREATE INDEX notifications_user_created ON notifications(user_id, created_at);
DROP INDEX notifications_created;

CREATE TABLE notification_heads (
    user_id  INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    last_seq INTEGER NOT NULL
);
INSERT INTO notification_heads (user_id, last_seq) SELECT user_id, MAX(seq) FROM notifications GROUP BY user_id;

-- +goose Down
DROP TABLE notification_heads;
CREATE INDEX notifications_created ON notifications(created_at, user_id);
DROP INDEX notifications_user_created;
DROP INDEX notifications_user_seq;
ALTER TABLE notifications DROP COLUMN seq;
