-- Gap-free positions without serialising writers (DESIGN 5).
--
-- Until now every batch took one transaction-scoped advisory lock before inserting, so batches
-- committed one at a time in position order. That made the insert, the projections and the
-- commit of every batch a single queue: two ingest transactions could never use two cores.
--
-- Instead, a writer now announces the lowest position it may commit before it takes any: under
-- a short session lock it draws one value of the position sequence and takes a transaction
-- lock keyed by minus that value, which Postgres releases when the transaction ends. Every
-- position the transaction then gets is greater. A reader asks `historian_safe_position()`:
-- the highest position below every announced, unfinished transaction and no higher than the
-- sequence. Every row at or below it has committed (or never will), so a reader that reads up
-- to it, in a later statement, can never pass a row that commits afterwards.
--
-- Key 7203114005 is the short lock; negative bigint keys are announcements. Other advisory
-- locks of the Historian (migrations, projection rebuilds) use positive keys.

CREATE FUNCTION historian_reserve_positions() RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  lowest bigint;
BEGIN
  PERFORM pg_advisory_lock(7203114005);
  BEGIN
    lowest := nextval(pg_get_serial_sequence('events', 'position'));
    PERFORM pg_advisory_xact_lock(-lowest);
  EXCEPTION WHEN OTHERS OR query_canceled THEN
    -- A session lock outlives an error; left held, it would stop every writer.
    PERFORM pg_advisory_unlock(7203114005);
    RAISE;
  END;
  PERFORM pg_advisory_unlock(7203114005);
  RETURN lowest;
END
$$;

CREATE FUNCTION historian_safe_position() RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  head bigint;
  announced bigint;
BEGIN
  -- Shared: readers do not wait for each other, only for a writer halfway through announcing.
  PERFORM pg_advisory_lock_shared(7203114005);
  BEGIN
    head := coalesce(pg_sequence_last_value(pg_get_serial_sequence('events', 'position')), 0);
    -- A bigint key shows as its high and low 32 bits (classid, objid) with objsubid 1.
    SELECT min(-((l.classid::bigint << 32) | l.objid::bigint)) INTO announced
    FROM pg_locks AS l
    WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.classid::bigint >= 2147483648
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database());
  EXCEPTION WHEN OTHERS OR query_canceled THEN
    PERFORM pg_advisory_unlock_shared(7203114005);
    RAISE;
  END;
  PERFORM pg_advisory_unlock_shared(7203114005);
  RETURN least(head, coalesce(announced - 1, head));
END
$$;
