-- event_descendant_links (0004) returned each level as soon as it was found, which cost a second
-- query per level. This version collects positions and depths in arrays and returns them once;
-- the caller orders the rows (by depth, then occurred_at and position) when it joins them to
-- events. Same walk: one GIN lookup per level, visited events skipped, so diamonds come out once
-- at their shortest depth and cycles end; stops after max_events + 1 rows so the caller can tell
-- that the limit was passed.
DROP FUNCTION event_descendant_links(uuid, integer, integer);

CREATE FUNCTION event_descendant_links(root uuid, max_depth integer, max_events integer)
RETURNS TABLE (pos bigint, depth integer)
LANGUAGE plpgsql STABLE
-- A generic plan cannot know how many ids a frontier holds; a custom plan per level can.
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
  frontier uuid[] := ARRAY[root];
  visited uuid[] := ARRAY[root];
  found_positions bigint[] := '{}';
  found_depths integer[] := '{}';
  level_positions bigint[];
  level integer := 0;
BEGIN
  WHILE level < max_depth AND cardinality(frontier) > 0
    AND cardinality(found_positions) <= max_events LOOP
    level := level + 1;

    SELECT coalesce(array_agg(e.position), '{}'), coalesce(array_agg(e.event_id), '{}')
    INTO level_positions, frontier
    FROM events AS e
    WHERE e.parent_ids && frontier AND e.event_id <> ALL (visited);

    visited := visited || frontier;
    found_positions := found_positions || level_positions;
    found_depths := found_depths || array_fill(level, ARRAY[cardinality(level_positions)]);
  END LOOP;

  RETURN QUERY SELECT * FROM unnest(found_positions, found_depths);
END
$$;
