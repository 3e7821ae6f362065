-- +goose Up
-- The analysis area: datasets of indicator values per län (never changed
-- once imported; a missing figure is no row, never zero), index models
-- with every version kept, and published analyses (search kind
-- 'analysis').
CREATE TABLE datasets (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    author_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    name            TEXT    NOT NULL,
    description     TEXT    NOT NULL DEFAULT '',
    source          TEXT    NOT NULL DEFAULT '',
    licence         TEXT    NOT NULL DEFAULT '',
    source_url      TEXT    NOT NULL DEFAULT '',
    fetched_at      INTEGER NOT NULL,
    example         INTEGER NOT NULL DEFAULT 0,
    visibility      TEXT    NOT NULL,
    value_count     INTEGER NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX datasets_org ON datasets(organisation_id, id);

CREATE TABLE dataset_indicators (
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    name       TEXT    NOT NULL,
    unit       TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (dataset_id, position),
    UNIQUE (dataset_id, name)
);

CREATE TABLE dataset_values (
    dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    indicator   TEXT    NOT NULL,
    region_code TEXT    NOT NULL,
    year        INTEGER NOT NULL,
    value       REAL    NOT NULL,
    PRIMARY KEY (dataset_id, indicator, region_code, year)
);

CREATE TABLE index_models (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    author_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    visibility      TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    name            TEXT    NOT NULL,
    dataset_id      INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX index_models_org ON index_models(organisation_id, id);

CREATE TABLE index_model_versions (
    model_id   INTEGER NOT NULL REFERENCES index_models(id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    spec       TEXT    NOT NULL, -- analysis.Spec as JSON
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    author_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (model_id, version)
);

CREATE TABLE analyses (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    author_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    title           TEXT    NOT NULL,
    body_md         TEXT    NOT NULL,
    visibility      TEXT    NOT NULL,
    dataset_id      INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
    model_id        INTEGER REFERENCES index_models(id) ON DELETE SET NULL,
    model_version   INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX analyses_org ON analyses(organisation_id, id);

-- +goose Down
DELETE FROM search_docs WHERE kind = 'analysis';
DROP TABLE analyses;
DROP TABLE index_model_versions;
DROP TABLE index_models;
DROP TABLE dataset_values;
DROP TABLE dataset_indicators;
DROP TABLE datasets;
