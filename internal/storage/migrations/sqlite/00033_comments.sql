-- +goose Up
-- Comments of every kind of target (issue 23): works, events, board
-- posts, and kinds registered later. One level of replies; a deleted
-- comment with replies stays as a stub; a hidden one keeps the reason.
CREATE TABLE comments (
    id            INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL,
    target_id     INTEGER NOT NULL,
    parent_id     INTEGER REFERENCES comments(id) ON DELETE CASCADE,
    author_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    body_md       TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    edited_at     INTEGER NOT NULL DEFAULT 0,
    deleted       INTEGER NOT NULL DEFAULT 0,
    hidden_reason TEXT    NOT NULL DEFAULT '',
    hidden_by     INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX comments_target ON comments(kind, target_id, id);
CREATE INDEX comments_author ON comments(author_id);

-- +goose Down
DROP TABLE comments;
