-- Which server staged an event (a random id per server run), so each server's appender seals its
-- own events, whose requests it is answering, and another's only once they are orphaned
-- (docs/reference/audit.md#replicas). NULL: staged before this column existed; anyone seals it.
ALTER TABLE audit_pending ADD COLUMN owner VARCHAR(64);
