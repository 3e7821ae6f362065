-- +goose Up
-- Where a work's or a post's facts come from ("Källa"): the document and
-- the sentence it quotes, or "" for a user's own text.
ALTER TABLE works ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN source TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE posts DROP COLUMN source;
ALTER TABLE works DROP COLUMN source;
