-- GET /stats counts events per time bucket and type, agent or source. Carrying those three
-- columns in the time index lets each bucket be counted from the index alone, instead of one
-- heap visit per event. It replaces the plain time index (same key, so every plan that used it
-- still can), which keeps the number of indexes an insert maintains unchanged.
DROP INDEX events_occurred_idx;
CREATE INDEX events_occurred_idx ON events (occurred_at, position)
  INCLUDE (event_type, agent_name, source_app);
