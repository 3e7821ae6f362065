-- +goose Up
-- The collaboration board (issue 23): needs and offers of organisations,
-- interests of others, and the partners picked. Each post is a search
-- document of kind 'board'.
CREATE TABLE board_posts (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    author_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    kind            TEXT    NOT NULL, -- need | offer
    topic           TEXT    NOT NULL,
    title           TEXT    NOT NULL,
    body_md         TEXT    NOT NULL DEFAULT '',
    visibility      TEXT    NOT NULL, -- public | network
    status          TEXT    NOT NULL, -- open | matched | done
    source          TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX board_posts_created ON board_posts(id);

CREATE TABLE board_interests (
    id              INTEGER PRIMARY KEY,
    post_id         INTEGER NOT NULL REFERENCES board_posts(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    user_id         INTEGER REFERENCES users(id) ON DELETE SET NULL,
    message         TEXT    NOT NULL,
    chosen          INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    UNIQUE (post_id, organisation_id)
);

-- +goose Down
DELETE FROM search_docs WHERE kind = 'board';
DROP TABLE board_interests;
DROP TABLE board_posts;
