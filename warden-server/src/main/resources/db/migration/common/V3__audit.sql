-- Audit ledger (issue 4). One hash chain per namespace ('' is the cluster chain); the format of
-- a record and of its hash is docs/reference/audit.md. Rows are never updated or deleted: the
-- per-database V4 migrations add triggers that refuse it.

CREATE TABLE audit_chains (
    chain     VARCHAR(80) NOT NULL PRIMARY KEY,
    last_seq  BIGINT      NOT NULL,
    last_hash CHAR(64)    NOT NULL
);

CREATE TABLE audit_events (
    chain            VARCHAR(80)  NOT NULL,
    seq              BIGINT       NOT NULL,
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
    details          TEXT,
    prev_hash        CHAR(64)     NOT NULL,
    hash             CHAR(64)     NOT NULL,
    PRIMARY KEY (chain, seq)
);
CREATE INDEX audit_events_by_time ON audit_events (at);
