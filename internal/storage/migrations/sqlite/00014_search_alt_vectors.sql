-- +goose Up
-- PostgreSQL's 00014 moves the alternative terms into a vector of their
-- own; FTS5 has had them in a column of their own (alt) since 00011, and
-- a query restricts its prefixes to the words' columns. The version is
-- kept so both engines' schemas are numbered alike.
SELECT 1;

-- +goose Down
SELECT 1;
