-- +goose Up
-- The Atom feeds list public works and posts by their last change
-- (library.SortUpdated, post feeds): walking these indexes backwards stops
-- after one page instead of sorting every row (65–130 ms at 100,000 works).
CREATE INDEX works_updated ON works(updated_at, id);
CREATE INDEX posts_updated ON posts(updated_at, id);

-- +goose Down
DROP INDEX posts_updated;
DROP INDEX works_updated;
