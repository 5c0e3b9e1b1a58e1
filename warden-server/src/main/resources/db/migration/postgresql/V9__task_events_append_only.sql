-- Task history is append-only, like the audit ledger.
CREATE FUNCTION task_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'task events are append-only';
END;
$$;

CREATE TRIGGER task_events_no_update_or_delete BEFORE UPDATE OR DELETE ON task_events
    FOR EACH ROW EXECUTE FUNCTION task_events_append_only();
