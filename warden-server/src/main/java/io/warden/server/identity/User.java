package io.warden.server.identity;

import java.time.Instant;

/** A human user. {@code passwordHash} is an Argon2id PHC string and never leaves this package. */
record User(String id, String username, String passwordHash, boolean disabled, Instant createdAt,
        Instant updatedAt, Instant lastLoginAt) {
}
