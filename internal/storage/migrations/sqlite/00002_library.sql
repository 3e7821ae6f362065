-- +goose Up
-- The library's works, and the search index every area registers into.
-- doc/search.md explains the search design.
CREATE TABLE works (
    id              INTEGER PRIMARY KEY,
    slug            TEXT    NOT NULL UNIQUE,
    type            TEXT    NOT NULL,
    title           TEXT    NOT NULL,
    sort_key        TEXT    NOT NULL, -- Swedish collation key of the title, hex
    summary         TEXT    NOT NULL DEFAULT '',
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    horizon_year    INTEGER NOT NULL DEFAULT 0,
    date_ms         INTEGER NOT NULL DEFAULT 0, -- the work's day; 0: unknown
    language        TEXT    NOT NULL DEFAULT 'sv',
    licence         TEXT    NOT NULL DEFAULT 'CC BY 4.0',
    links           TEXT    NOT NULL DEFAULT '[]', -- JSON
    experience      TEXT    NOT NULL DEFAULT '',   -- JSON, '' for none
    attachments     TEXT    NOT NULL DEFAULT '[]', -- JSON
    cover_image     TEXT    NOT NULL DEFAULT '',
    visibility      TEXT    NOT NULL,
    author_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    body_md         TEXT    NOT NULL DEFAULT '' -- last: lists rarely read it
);
CREATE INDEX works_date ON works(date_ms, id);
CREATE INDEX works_type_date ON works(type, date_ms, id);
CREATE INDEX works_title ON works(sort_key, id);
CREATE INDEX works_org ON works(organisation_id, date_ms);

-- The owning organisation (owner = 1) and the co-organisations.
CREATE TABLE work_orgs (
    work_id         INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    owner           INTEGER NOT NULL DEFAULT 0,
    position        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (work_id, organisation_id)
) WITHOUT ROWID;
CREATE INDEX work_orgs_org ON work_orgs(organisation_id, work_id);

CREATE TABLE work_contacts (
    work_id    INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (work_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX work_contacts_contact ON work_contacts(contact_id);

-- Methods and themes; norm is the case-folded value filters match.
CREATE TABLE work_tags (
    work_id  INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    kind     TEXT    NOT NULL, -- method | theme
    value    TEXT    NOT NULL,
    norm     TEXT    NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (work_id, kind, norm)
) WITHOUT ROWID;
CREATE INDEX work_tags_norm ON work_tags(kind, norm, work_id);

CREATE TABLE work_revisions (
    id            INTEGER PRIMARY KEY,
    work_id       INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    version       INTEGER NOT NULL,
    user_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at    INTEGER NOT NULL,
    changed       TEXT    NOT NULL DEFAULT '', -- field names, comma-separated
    restored_from INTEGER NOT NULL DEFAULT 0,
    snapshot      TEXT    NOT NULL, -- the work as JSON
    UNIQUE (work_id, version)
);

-- The search index. search_docs holds each document's original text (for
-- snippets) and what visibility and filters need; search_fts holds the
-- Swedish stems, computed in Go, contentless.
CREATE TABLE search_docs (
    id           INTEGER PRIMARY KEY, -- the rowid of search_fts
    kind         TEXT    NOT NULL,
    ref_id       INTEGER NOT NULL,
    scope        TEXT    NOT NULL, -- public | network | organisation | draft
    owner_org_id INTEGER REFERENCES organisations(id) ON DELETE CASCADE,
    date_ms      INTEGER NOT NULL DEFAULT 0,
    updated_at   INTEGER NOT NULL,
    title        TEXT    NOT NULL,
    body         TEXT    NOT NULL DEFAULT '',
    UNIQUE (kind, ref_id)
);
CREATE INDEX search_docs_date ON search_docs(date_ms, id);

-- Organisations whose members see an organisation-scoped document.
CREATE TABLE search_doc_orgs (
    doc_id INTEGER NOT NULL REFERENCES search_docs(id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    PRIMARY KEY (org_id, doc_id)
) WITHOUT ROWID;
CREATE INDEX search_doc_orgs_doc ON search_doc_orgs(doc_id);

CREATE TABLE search_doc_tags (
    doc_id INTEGER NOT NULL REFERENCES search_docs(id) ON DELETE CASCADE,
    tag    TEXT    NOT NULL,
    PRIMARY KEY (tag, doc_id)
) WITHOUT ROWID;
CREATE INDEX search_doc_tags_doc ON search_doc_tags(doc_id);

-- remove_diacritics 0: å, ä and ö are letters of their own in Swedish.
-- prefix '2 3': every term is matched as a prefix of a stem.
CREATE VIRTUAL TABLE search_fts USING fts5(
    title, body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '2 3'
);

-- +goose StatementBegin
CREATE TRIGGER search_docs_delete AFTER DELETE ON search_docs BEGIN
    DELETE FROM search_fts WHERE rowid = old.id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER search_docs_delete;
DROP TABLE search_fts;
DROP TABLE search_doc_tags;
DROP TABLE search_doc_orgs;
DROP TABLE search_docs;
DROP TABLE work_revisions;
DROP TABLE work_tags;
DROP TABLE work_contacts;
DROP TABLE work_orgs;
DROP TABLE works;
