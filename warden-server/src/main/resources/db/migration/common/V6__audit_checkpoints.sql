-- Audit ledger, part two (docs/reference/audit.md, docs/decisions/0004).
-- The public link: every event also carries prev_digest and digest, so an export can be verified
-- with the checkpoints' public key alone. Events written before this migration have none and
-- will not verify; the ledger was not released before it.
ALTER TABLE audit_events ADD COLUMN prev_digest CHAR(64);
ALTER TABLE audit_events ADD COLUMN digest CHAR(64);

-- The head of each chain, with the digest, the time of its last event (event times never go
-- backwards within a chain) and the seq of its last checkpoint.
ALTER TABLE audit_chains ADD COLUMN last_digest CHAR(64) NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000';
ALTER TABLE audit_chains ADD COLUMN last_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_chains ADD COLUMN checkpoint_seq BIGINT NOT NULL DEFAULT 0;

-- Signed checkpoints: chain had (hash, digest) at seq, signed at `at` with the Ed25519 key.
CREATE TABLE audit_checkpoints (
    chain     VARCHAR(80) NOT NULL,
    seq       BIGINT      NOT NULL,
    hash      CHAR(64)    NOT NULL,
    digest    CHAR(64)    NOT NULL,
    at        BIGINT      NOT NULL,
    signature CHAR(128)   NOT NULL,
    PRIMARY KEY (chain, seq)
);

-- Where retention cut a chain: a copy of the signed checkpoint the chain now starts after.
-- Events (and checkpoints) at or before an anchor may be deleted; nothing else may.
CREATE TABLE audit_anchors (
    chain     VARCHAR(80) NOT NULL,
    seq       BIGINT      NOT NULL,
    hash      CHAR(64)    NOT NULL,
    digest    CHAR(64)    NOT NULL,
    at        BIGINT      NOT NULL,
    signature CHAR(128)   NOT NULL,
    PRIMARY KEY (chain, seq)
);
