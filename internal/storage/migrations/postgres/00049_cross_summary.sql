-- +goose Up
-- A cross's summary (ListQuery.Summary: the axes' names and poles, the
-- scenarios' quadrants and names) as small JSON, computed from body by
-- the database, so a list reads neither the body (moved out of the row,
-- TOAST) nor its four stories. jsonb_build_object is STABLE only because
-- it takes "any" (a timestamptz argument would depend on settings); with
-- jsonb arguments alone it is immutable, which a generated column needs,
-- so cross_summary says so.
-- +goose StatementBegin
CREATE FUNCTION cross_summary(body jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN jsonb_build_object(
    'x', jsonb_build_object('name', body -> 'x' -> 'name', 'low', body -> 'x' -> 'low', 'high', body -> 'x' -> 'high'),
    'y', jsonb_build_object('name', body -> 'y' -> 'name', 'low', body -> 'y' -> 'low', 'high', body -> 'y' -> 'high'),
    'scenarios', CASE WHEN jsonb_typeof(body -> 'scenarios') = 'array' THEN
        (SELECT jsonb_agg(jsonb_build_object('quadrant', s -> 'quadrant', 'name', s -> 'name') ORDER BY i)
         FROM jsonb_array_elements(body -> 'scenarios') WITH ORDINALITY AS e(s, i)) END);
-- +goose StatementEnd

ALTER TABLE crosses ADD COLUMN summary jsonb NOT NULL GENERATED ALWAYS AS (cross_summary(body::jsonb)) STORED;

-- +goose Down
ALTER TABLE crosses DROP COLUMN summary;
DROP FUNCTION cross_summary(jsonb);
