-- +goose Up
-- Audit log for platform admins (issue 23 item 6): who changed roles,
-- memberships, organisations and visibility. Written in the transaction of
-- the change it records. actor_id is unset and actor_name emptied when the
-- account is deleted (shown as a former member); no secrets are kept.
CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY,
    created_at  INTEGER NOT NULL,
    actor_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    actor_name  TEXT NOT NULL DEFAULT '',
    actor_gone  INTEGER NOT NULL DEFAULT 0, -- the account was deleted
    action      TEXT NOT NULL,
    target_kind TEXT NOT NULL, -- user | membership | organisation | work
    target_id   INTEGER NOT NULL,
    summary     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_kind ON audit_events(target_kind, id);
CREATE INDEX audit_events_actor ON audit_events(actor_id);

-- +goose Down
DROP TABLE audit_events;
