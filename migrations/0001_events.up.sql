-- The append-only history. `position` is the global commit order; ingest assigns it under a
-- transaction-scoped advisory lock so that positions become visible in order (DESIGN 5).
CREATE TABLE events (
  position        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id        uuid        NOT NULL,
  event_type      text        NOT NULL,
  routing_key     text        NOT NULL,
  exchange        text        NOT NULL,
  occurred_at     timestamptz NOT NULL,
  received_at     timestamptz NOT NULL,
  parent_ids      uuid[]      NOT NULL DEFAULT '{}',
  correlation_id  text,
  workflow_id     text,
  session_id      text,
  agent_name      text,
  source_app      text,
  format          text        NOT NULL,
  flags           text[]      NOT NULL DEFAULT '{}',
  body            text        NOT NULL,
  amqp            jsonb,
  CONSTRAINT events_event_id_key UNIQUE (event_id)
);

-- Bodies of a few kilobytes are compressed when stored; lz4 costs a fraction of the default
-- pglz's CPU, which is most of what an insert costs here. A server built without lz4 keeps pglz.
DO $$
BEGIN
  ALTER TABLE events ALTER COLUMN body SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
  RAISE NOTICE 'lz4 is not available; bodies use the default compression';
END
$$;

-- Every list is ordered by (occurred_at, position); each filter gets a matching composite index
-- so that a page is an index range scan, whichever direction it is read in.
CREATE INDEX events_occurred_idx ON events (occurred_at, position);
CREATE INDEX events_type_idx ON events (event_type, occurred_at, position);
CREATE INDEX events_routing_key_idx ON events (routing_key, occurred_at, position);
CREATE INDEX events_workflow_idx ON events (workflow_id, occurred_at, position)
  WHERE workflow_id IS NOT NULL;
CREATE INDEX events_session_idx ON events (session_id, occurred_at, position)
  WHERE session_id IS NOT NULL;
CREATE INDEX events_correlation_idx ON events (correlation_id, occurred_at, position)
  WHERE correlation_id IS NOT NULL;
CREATE INDEX events_agent_idx ON events (agent_name, occurred_at, position)
  WHERE agent_name IS NOT NULL;
CREATE INDEX events_source_idx ON events (source_app, occurred_at, position)
  WHERE source_app IS NOT NULL;
CREATE INDEX events_parent_ids_idx ON events USING gin (parent_ids);
