-- +goose Up
-- The language a user chose for the site ("sv", "en"; '' until they
-- choose): their notification e-mails, digests and waiting-list mails are
-- written in it (Swedish while '').
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN language;
