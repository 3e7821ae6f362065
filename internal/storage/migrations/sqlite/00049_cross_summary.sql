-- +goose Up
-- A cross's summary (ListQuery.Summary: the axes' names and poles, the
-- scenarios' quadrants and names) as small JSON, so a list does not read
-- and decode four stories per cross. SQLite cannot add a STORED generated
-- column with ALTER TABLE, and rebuilding crosses would mean turning
-- foreign keys off outside a transaction (seven tables point at it); so
-- the column is plain and two triggers keep it equal to body on every
-- write. A cross has four scenarios (cross.Validate), named one by one
-- because a trigger's expression here is easier read than a json_each;
-- one missing is {"quadrant":null,"name":null}, which the read skips.
ALTER TABLE crosses ADD COLUMN summary TEXT NOT NULL DEFAULT '{}';

-- +goose StatementBegin
CREATE TRIGGER crosses_summary_insert AFTER INSERT ON crosses BEGIN
    UPDATE crosses SET summary = json_object(
        'x', json_object('name', NEW.body ->> '$.x.name', 'low', NEW.body ->> '$.x.low', 'high', NEW.body ->> '$.x.high'),
        'y', json_object('name', NEW.body ->> '$.y.name', 'low', NEW.body ->> '$.y.low', 'high', NEW.body ->> '$.y.high'),
        'scenarios', json_array(
            json_object('quadrant', NEW.body ->> '$.scenarios[0].quadrant', 'name', NEW.body ->> '$.scenarios[0].name'),
            json_object('quadrant', NEW.body ->> '$.scenarios[1].quadrant', 'name', NEW.body ->> '$.scenarios[1].name'),
            json_object('quadrant', NEW.body ->> '$.scenarios[2].quadrant', 'name', NEW.body ->> '$.scenarios[2].name'),
            json_object('quadrant', NEW.body ->> '$.scenarios[3].quadrant', 'name', NEW.body ->> '$.scenarios[3].name')))
    WHERE id = NEW.id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER crosses_summary_update AFTER UPDATE OF body ON crosses BEGIN
    UPDATE crosses SET summary = json_object(
        'x', json_object('name', NEW.body ->> '$.x.name', 'low', NEW.body ->> '$.x.low', 'high', NEW.body ->> '$.x.high'),
        'y', json_object('name', NEW.body ->> '$.y.name', 'low', NEW.body ->> '$.y.low', 'high', NEW.body ->> '$.y.high'),
        'scenarios', json_array(
            json_object('quadrant', NEW.body ->> '$.scenarios[0].quadrant', 'name', NEW.body ->> '$.scenarios[0].name'),
            json_object('quadrant', NEW.body ->> '$.scenarios[1].quadrant', 'name', NEW.body ->> '$.scenarios[1].name'),
            json_object('quadrant', NEW.body ->> '$.scenarios[2].quadrant', 'name', NEW.body ->> '$.scenarios[2].name'),
            json_object('quadrant', NEW.body ->> '$.scenarios[3].quadrant', 'name', NEW.body ->> '$.scenarios[3].name')))
    WHERE id = NEW.id;
END;
-- +goose StatementEnd

-- The crosses there are: writing body runs crosses_summary_update.
UPDATE crosses SET body = body;

-- +goose Down
DROP TRIGGER crosses_summary_update;
DROP TRIGGER crosses_summary_insert;
ALTER TABLE crosses DROP COLUMN summary;
