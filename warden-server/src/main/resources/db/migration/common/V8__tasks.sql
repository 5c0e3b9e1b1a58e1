-- Tasks, the durable queue and worker credentials (issue 5; docs/reference/tasks.md).

-- One row per task. `attempt` is the fencing token: it grows by one at every claim, and only
-- the holder of the current attempt's lease may report on it. Times are epoch milliseconds.
CREATE TABLE tasks (
    id               VARCHAR(36)  NOT NULL PRIMARY KEY,
    namespace        VARCHAR(63)  NOT NULL,
    form             VARCHAR(8)   NOT NULL,          -- job | agent
    tool             VARCHAR(253),
    tool_spec        TEXT,                            -- the Tool's spec when the task was submitted
    agent            VARCHAR(253),
    args             TEXT,
    input            TEXT,
    phase            VARCHAR(20)  NOT NULL,
    priority         INTEGER      NOT NULL,
    deadline         BIGINT,
    max_attempts     INTEGER      NOT NULL,
    backoff_base_ms  BIGINT       NOT NULL,
    backoff_max_ms   BIGINT       NOT NULL,
    non_retryable    TEXT         NOT NULL,          -- JSON array of error classes
    selector         TEXT         NOT NULL,          -- JSON object of labels a worker must carry
    labels           TEXT         NOT NULL,          -- JSON object
    idempotency_key  VARCHAR(128),
    request_hash     CHAR(64)     NOT NULL,
    submitter        VARCHAR(160) NOT NULL,
    attempt          INTEGER      NOT NULL,
    retry_base       INTEGER      NOT NULL,          -- attempts before the last manual retry
    worker           VARCHAR(63),
    lease_expires_at BIGINT,
    run_after        BIGINT       NOT NULL,
    cancel_requested BOOLEAN      NOT NULL,
    timeout_seconds  INTEGER      NOT NULL,
    exit_code        INTEGER,
    result           TEXT,
    error_class      VARCHAR(64),
    error            TEXT,
    last_event       BIGINT       NOT NULL,
    created_at       BIGINT       NOT NULL,
    updated_at       BIGINT       NOT NULL,
    started_at       BIGINT,
    finished_at      BIGINT
);
CREATE UNIQUE INDEX tasks_by_idempotency_key ON tasks (namespace, idempotency_key);
-- The claim query: queued tasks of one namespace, highest priority first, then oldest.
CREATE INDEX tasks_queue ON tasks (namespace, phase, priority DESC, created_at, id);
CREATE INDEX tasks_leases ON tasks (phase, lease_expires_at);
CREATE INDEX tasks_by_namespace ON tasks (namespace, created_at);

-- A task's history, append-only: every transition and the output its runs streamed.
CREATE TABLE task_events (
    task_id  VARCHAR(36) NOT NULL,
    seq      BIGINT      NOT NULL,
    at       BIGINT      NOT NULL,
    type     VARCHAR(32) NOT NULL,
    attempt  INTEGER     NOT NULL,
    data     TEXT        NOT NULL,
    PRIMARY KEY (task_id, seq)
);

-- Credentials of Worker resources (stored as SHA-256, like API tokens). A credential stops
-- working when it is revoked or its Worker resource is deleted.
CREATE TABLE worker_credentials (
    id          VARCHAR(36) NOT NULL PRIMARY KEY,
    token_hash  CHAR(64)    NOT NULL UNIQUE,
    namespace   VARCHAR(63) NOT NULL,
    worker      VARCHAR(63) NOT NULL,
    created_at  BIGINT      NOT NULL,
    revoked_at  BIGINT
);
CREATE INDEX worker_credentials_by_worker ON worker_credentials (namespace, worker);
