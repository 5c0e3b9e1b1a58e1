-- A staged event the appender could not seal on its own (docs/reference/audit.md#events-that-cannot-be-sealed):
-- how often it failed, the class of the last failure (never its message, which may quote the
-- event), when, and when it is tried again (NULL: now). After three failures it is set aside: tried
-- once an hour, reported, and never deleted. Other events are sealed around it.
ALTER TABLE audit_pending ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_pending ADD COLUMN last_failure VARCHAR(200);
ALTER TABLE audit_pending ADD COLUMN last_failure_at BIGINT;
ALTER TABLE audit_pending ADD COLUMN retry_at BIGINT;
