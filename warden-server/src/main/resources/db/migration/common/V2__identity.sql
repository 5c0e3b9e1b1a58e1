-- Identity (issue 3). Secrets are never stored in the clear: passwords as Argon2id PHC
-- strings, session ids, API tokens and the setup token as SHA-256 hex.

CREATE TABLE users (
    id            VARCHAR(36)  NOT NULL PRIMARY KEY,
    username      VARCHAR(64)  NOT NULL UNIQUE,
    password_hash VARCHAR(256) NOT NULL,
    disabled      BOOLEAN      NOT NULL,
    created_at    BIGINT       NOT NULL,
    updated_at    BIGINT       NOT NULL,
    last_login_at BIGINT
);

CREATE TABLE sessions (
    id_hash      CHAR(64)    NOT NULL PRIMARY KEY,
    user_id      VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT      NOT NULL,
    last_seen_at BIGINT      NOT NULL,
    expires_at   BIGINT      NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           VARCHAR(36) NOT NULL PRIMARY KEY,
    token_hash   CHAR(64)    NOT NULL UNIQUE,
    name         VARCHAR(64) NOT NULL UNIQUE,
    owner_id     VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    personal     BOOLEAN     NOT NULL,
    role         VARCHAR(63),
    namespace    VARCHAR(63),
    created_at   BIGINT      NOT NULL,
    expires_at   BIGINT      NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX api_tokens_by_owner ON api_tokens (owner_id);

-- At most one setup token, usable once: the row whose used_at is set wins the race.
CREATE TABLE setup_token (
    id         INTEGER  NOT NULL PRIMARY KEY CHECK (id = 1),
    token_hash CHAR(64) NOT NULL,
    created_at BIGINT   NOT NULL,
    used_at    BIGINT
);

-- Failed logins per (username, client address): backoff for one attacker never locks the
-- account for everyone else.
CREATE TABLE login_failures (
    username        VARCHAR(64) NOT NULL,
    client          VARCHAR(64) NOT NULL,
    failures        INTEGER     NOT NULL,
    last_failure_at BIGINT      NOT NULL,
    locked_until    BIGINT      NOT NULL,
    PRIMARY KEY (username, client)
);
