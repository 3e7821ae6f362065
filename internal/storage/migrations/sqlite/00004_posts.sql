-- +goose Up
-- Organisations' activity posts ("På gång"). Each post is also a search
-- document of kind 'post'; organisations become documents of kind
-- 'organisation' (indexed from Go at start: the stems are computed there).
CREATE TABLE posts (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    author_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    visibility      TEXT    NOT NULL, -- public | network
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    body_md         TEXT    NOT NULL
);
CREATE INDEX posts_org ON posts(organisation_id, created_at, id);
CREATE INDEX posts_created ON posts(created_at, id);

-- +goose Down
DELETE FROM search_docs WHERE kind IN ('post', 'organisation');
DROP TABLE posts;
