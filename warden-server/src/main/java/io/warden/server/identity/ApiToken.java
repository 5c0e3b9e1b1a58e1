package io.warden.server.identity;

import java.time.Instant;

/** A stored API token (its SHA-256, never the token). */
record ApiToken(String id, String tokenHash, String name, String ownerId, String ownerName, boolean personal,
        String role, String namespace, Instant createdAt, Instant expiresAt, Instant lastUsedAt, Instant revokedAt,
        boolean ownerDisabled) {
}
