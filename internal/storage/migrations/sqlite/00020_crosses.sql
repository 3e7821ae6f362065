-- +goose Up
-- Scenario crosses and their lineage. The axes, scenarios, authors and axis
-- changes are one JSON document (body); what lists, lineage trees and the
-- visibility rule read are columns. parent_id is cleared when the parent is
-- deleted; derived_from keeps that the cross was derived, so the child says
-- "derived from a cross you cannot see" instead of becoming a root.
CREATE TABLE crosses (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    parent_id       INTEGER REFERENCES crosses(id) ON DELETE SET NULL,
    derived_from    INTEGER NOT NULL DEFAULT 0,
    root_id         INTEGER NOT NULL DEFAULT 0,
    workshop_id     INTEGER NOT NULL DEFAULT 0,
    title           TEXT    NOT NULL,
    question        TEXT    NOT NULL,
    horizon         INTEGER NOT NULL,
    geography       TEXT    NOT NULL DEFAULT '',
    level           TEXT    NOT NULL,
    domain          TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL, -- draft | published | archived
    visibility      TEXT    NOT NULL, -- public | network | organisation | draft
    scope           TEXT    NOT NULL, -- visibility, or draft while the status is draft
    body            TEXT    NOT NULL, -- JSON: x, y, scenarios, authors
    changes         TEXT    NOT NULL DEFAULT '', -- JSON: per axis kept, renamed or replaced, and why
    source          TEXT    NOT NULL DEFAULT '',
    version         INTEGER NOT NULL,
    created_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX crosses_root ON crosses(root_id, id);
CREATE INDEX crosses_parent ON crosses(parent_id);
CREATE INDEX crosses_updated ON crosses(updated_at, id);
CREATE INDEX crosses_org ON crosses(organisation_id, updated_at, id);

CREATE TABLE cross_orgs (
    cross_id        INTEGER NOT NULL REFERENCES crosses(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    position        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (cross_id, organisation_id)
);
CREATE INDEX cross_orgs_org ON cross_orgs(organisation_id, cross_id);

CREATE TABLE cross_revisions (
    id         INTEGER PRIMARY KEY,
    cross_id   INTEGER NOT NULL REFERENCES crosses(id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    user_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    changed    TEXT    NOT NULL DEFAULT '', -- field names, comma-separated
    snapshot   TEXT    NOT NULL,            -- the cross as JSON
    UNIQUE (cross_id, version)
);

-- +goose Down
DELETE FROM search_docs WHERE kind = 'cross';
DROP TABLE cross_revisions;
DROP TABLE cross_orgs;
DROP TABLE crosses;
