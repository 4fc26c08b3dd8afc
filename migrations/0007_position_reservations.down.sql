DROP FUNCTION historian_safe_position();
DROP FUNCTION historian_reserve_positions();
