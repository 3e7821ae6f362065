-- +goose Up
-- Notifications (issue 23): follows, inbox entries holding only a
-- reference (resolved for the recipient when shown), e-mail modes, digest
-- claims (one row per user and period, inserted before sending, so two
-- instances send a digest once) and the installation's secret for
-- unsubscribe tokens.
CREATE TABLE follows (
    id      INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    what    TEXT    NOT NULL, -- org | kind | thread
    ref     TEXT    NOT NULL,
    UNIQUE (user_id, what, ref)
);
CREATE INDEX follows_target ON follows(what, ref);

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    ref_id     INTEGER NOT NULL,
    reason     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    read_at    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_created ON notifications(created_at, user_id);

CREATE TABLE notification_prefs (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    email_mode TEXT    NOT NULL
);

CREATE TABLE digest_claims (
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    period     TEXT    NOT NULL,
    claimed_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, period)
);

CREATE TABLE app_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE app_secrets;
DROP TABLE digest_claims;
DROP TABLE notification_prefs;
DROP TABLE notifications;
DROP TABLE follows;
