-- Events written in the same transaction as the change they describe, waiting for the appender
-- to seal them into their chain (docs/reference/audit.md). The id orders them.
CREATE TABLE audit_pending (
    id               INTEGER      PRIMARY KEY AUTOINCREMENT,
    chain            VARCHAR(80)  NOT NULL,
    at               BIGINT       NOT NULL,
    actor_kind       VARCHAR(32),
    actor_id         VARCHAR(128),
    actor_via        VARCHAR(32),
    action           VARCHAR(128) NOT NULL,
    target_kind      VARCHAR(64),
    target_namespace VARCHAR(63),
    target_name      VARCHAR(253),
    outcome          VARCHAR(32)  NOT NULL,
    request_id       VARCHAR(64),
    client_address   VARCHAR(64),
    details          TEXT
);
