-- Back to the 0004 signature; its level-by-level body is in 0004_causation_walk.up.sql.
DROP FUNCTION event_descendant_links(uuid, integer, integer);

CREATE FUNCTION event_descendant_links(root uuid, max_depth integer, max_events integer)
RETURNS TABLE (pos bigint, id uuid, parents uuid[], depth integer)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
  frontier uuid[] := ARRAY[root];
  visited uuid[] := ARRAY[root];
  level_positions bigint[];
  level integer := 0;
  total integer := 0;
BEGIN
  WHILE level < max_depth AND cardinality(frontier) > 0 AND total <= max_events LOOP
    level := level + 1;

    SELECT coalesce(array_agg(e.position), '{}'), coalesce(array_agg(e.event_id), '{}')
    INTO level_positions, frontier
    FROM events AS e
    WHERE e.parent_ids && frontier AND e.event_id <> ALL (visited);

    visited := visited || frontier;
    total := total + cardinality(level_positions);

    RETURN QUERY
    SELECT e.position, e.event_id, e.parent_ids, level
    FROM events AS e
    WHERE e.position = ANY (level_positions)
    ORDER BY e.occurred_at, e.position;
  END LOOP;
END
$$;
