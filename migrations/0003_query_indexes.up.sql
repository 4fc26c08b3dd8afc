-- Every event type ever stored, so that an `event_type` pattern such as `agent.*` resolves to
-- a handful of exact names and each name is read through events_type_idx in order, instead of
-- scanning events with LIKE. A trigram index on events.event_type would answer the same
-- question but costs a GIN update per inserted row.
CREATE TABLE event_types (
  event_type  text PRIMARY KEY,
  first_seen  timestamptz NOT NULL DEFAULT now()
);

INSERT INTO event_types (event_type) SELECT DISTINCT event_type FROM events;

-- One statement-level trigger per INSERT (ingest writes a batch in one statement), reading the
-- transition table: a DISTINCT over the batch and a probe per new type, not a trigger per row.
-- Rows skipped by ON CONFLICT DO NOTHING are not in the transition table.
CREATE FUNCTION events_record_types() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO event_types (event_type)
  SELECT DISTINCT inserted.event_type
  FROM inserted_events AS inserted
  WHERE NOT EXISTS (
    SELECT 1 FROM event_types AS known WHERE known.event_type = inserted.event_type
  )
  ON CONFLICT (event_type) DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER events_record_types
AFTER INSERT ON events
REFERENCING NEW TABLE AS inserted_events
FOR EACH STATEMENT EXECUTE FUNCTION events_record_types();
