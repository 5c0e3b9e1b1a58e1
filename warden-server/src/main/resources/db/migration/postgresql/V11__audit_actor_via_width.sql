-- actorVia names the credential itself (token:<id>, worker-credential:<id>, session:<hash prefix>),
-- longer than the 32 characters first allowed. SQLite does not enforce VARCHAR lengths.
ALTER TABLE audit_events ALTER COLUMN actor_via TYPE VARCHAR(80);
ALTER TABLE audit_pending ALTER COLUMN actor_via TYPE VARCHAR(80);
