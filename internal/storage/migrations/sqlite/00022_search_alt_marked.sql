-- +goose Up
-- PostgreSQL's 00022 folds the alternative terms back into tsv, each
-- marked with '~'; FTS5 keeps them in its alt column. The version is kept
-- so both engines' schemas are numbered alike.
SELECT 1;

-- +goose Down
SELECT 1;
