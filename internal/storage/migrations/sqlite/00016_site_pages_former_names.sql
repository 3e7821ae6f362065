-- +goose Up
-- The pages a public service has beside its areas (internal/sitepage):
-- about, contact, personal data, cookies, per language, as platform admins
-- edited them; a page without a row shows the text shipped with framsyn.
CREATE TABLE site_pages (
    slug       TEXT    NOT NULL,
    lang       TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    body_md    TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (slug, lang)
);

-- An organisation's former names, one a line: kept, shown and searchable
-- under its current name (SKR, formerly SKL).
ALTER TABLE organisations ADD COLUMN former_names TEXT NOT NULL DEFAULT '';

-- Whether a contact person's e-mail and phone are shown to everyone, as
-- the organisation chooses; otherwise only to the signed-in network.
ALTER TABLE contacts ADD COLUMN details_public INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE contacts DROP COLUMN details_public;
ALTER TABLE organisations DROP COLUMN former_names;
DROP TABLE site_pages;
