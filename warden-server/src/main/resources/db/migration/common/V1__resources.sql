-- Declarative resources (DESIGN.md: stored generically). Cluster kinds use namespace ''.
-- Timestamps are epoch milliseconds so the same SQL runs on SQLite and PostgreSQL.

-- One row: the last resourceVersion handed out. Every resource write increments it in its own
-- transaction, which serializes resource writes and makes versions commit in order
-- (docs/decisions/0002-resource-versions.md).
CREATE TABLE resource_version_counter (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value BIGINT  NOT NULL
);
INSERT INTO resource_version_counter (id, value) VALUES (1, 0);

CREATE TABLE resources (
    kind             VARCHAR(64)  NOT NULL,
    namespace        VARCHAR(63)  NOT NULL,
    name             VARCHAR(63)  NOT NULL,
    uid              VARCHAR(36)  NOT NULL UNIQUE,
    labels           TEXT         NOT NULL,
    annotations      TEXT         NOT NULL,
    spec             TEXT         NOT NULL,
    status           TEXT,
    resource_version BIGINT       NOT NULL,
    generation       BIGINT       NOT NULL,
    created_at       BIGINT       NOT NULL,
    updated_at       BIGINT       NOT NULL,
    PRIMARY KEY (kind, namespace, name)
);
CREATE INDEX resources_by_namespace ON resources (namespace);

-- Every change, in version order: what watches read and resume from.
CREATE TABLE resource_changes (
    resource_version BIGINT      NOT NULL PRIMARY KEY,
    kind             VARCHAR(64) NOT NULL,
    namespace        VARCHAR(63) NOT NULL,
    name             VARCHAR(63) NOT NULL,
    change_type      VARCHAR(16) NOT NULL CHECK (change_type IN ('ADDED', 'MODIFIED', 'DELETED')),
    object           TEXT        NOT NULL,
    changed_at       BIGINT      NOT NULL
);
CREATE INDEX resource_changes_by_kind ON resource_changes (kind, namespace, resource_version);
