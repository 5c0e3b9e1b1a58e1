package io.warden.server.identity;

import static io.warden.server.identity.UserStore.instant;
import static io.warden.server.identity.UserStore.millis;

import io.warden.server.resources.Resources;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for sessions and API tokens, looked up by the SHA-256 of the presented secret. */
@Repository
class CredentialStore {

    record SessionRow(String idHash, String userId, Instant createdAt, Instant lastSeenAt, Instant expiresAt) {
    }

    private static final String TOKEN_COLUMNS = "t.id, t.token_hash, t.name, t.owner_id, u.username, t.personal, t.role,"
            + " t.namespace, t.created_at, t.expires_at, t.last_used_at, t.revoked_at, u.disabled";
    private static final RowMapper<ApiToken> TOKENS = (rs, i) -> new ApiToken(rs.getString(1), rs.getString(2),
            rs.getString(3), rs.getString(4), rs.getString(5), rs.getBoolean(6), rs.getString(7), rs.getString(8),
            Instant.ofEpochMilli(rs.getLong(9)), Instant.ofEpochMilli(rs.getLong(10)), instant(rs.getObject(11)),
            instant(rs.getObject(12)), rs.getBoolean(13));

    private final JdbcClient jdbc;

    CredentialStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insertSession(SessionRow s) {
        jdbc.sql("INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)")
                .params(s.idHash(), s.userId(), s.createdAt().toEpochMilli(), s.lastSeenAt().toEpochMilli(),
                        s.expiresAt().toEpochMilli())
                .update();
    }

    Optional<SessionRow> session(String idHash) {
        return jdbc.sql("SELECT id_hash, user_id, created_at, last_seen_at, expires_at FROM sessions WHERE id_hash = ?")
                .param(idHash)
                .query((rs, i) -> new SessionRow(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                        Instant.ofEpochMilli(rs.getLong(4)), Instant.ofEpochMilli(rs.getLong(5))))
                .optional();
    }

    void touchSession(String idHash, Instant at) {
        jdbc.sql("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?").params(at.toEpochMilli(), idHash).update();
    }

    void deleteSession(String idHash) {
        jdbc.sql("DELETE FROM sessions WHERE id_hash = ?").param(idHash).update();
    }

    void deleteSessionsOf(String userId) {
        jdbc.sql("DELETE FROM sessions WHERE user_id = ?").param(userId).update();
    }

    void insertToken(ApiToken t) {
        jdbc.sql("INSERT INTO api_tokens (id, token_hash, name, owner_id, personal, role, namespace, created_at,"
                        + " expires_at, last_used_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(t.id(), t.tokenHash(), t.name(), t.ownerId(), t.personal(), t.role(), t.namespace(),
                        t.createdAt().toEpochMilli(), t.expiresAt().toEpochMilli(), millis(t.lastUsedAt()),
                        millis(t.revokedAt()))
                .update();
    }

    /**
     * The token whose secret hashes to {@code tokenHash}; the same statement reads the
     * resourceVersion, handed to {@code versionSeen} (see {@link Resources#versionSighting()}).
     */
    Optional<ApiToken> tokenByHash(String tokenHash, LongConsumer versionSeen) {
        return jdbc.sql("SELECT " + TOKEN_COLUMNS + ", " + Resources.VERSION_COLUMN
                        + " FROM api_tokens t JOIN users u ON u.id = t.owner_id WHERE t.token_hash = ?")
                .param(tokenHash).query((rs, i) -> {
                    versionSeen.accept(rs.getLong(14));
                    return TOKENS.mapRow(rs, i);
                }).optional();
    }

    Optional<ApiToken> tokenById(String id) {
        return jdbc.sql("SELECT " + TOKEN_COLUMNS + " FROM api_tokens t JOIN users u ON u.id = t.owner_id"
                + " WHERE t.id = ?").param(id).query(TOKENS).optional();
    }

    List<ApiToken> tokens(String ownerIdOrNull) {
        String where = ownerIdOrNull == null ? "" : " WHERE t.owner_id = ?";
        var spec = jdbc.sql("SELECT " + TOKEN_COLUMNS + " FROM api_tokens t JOIN users u ON u.id = t.owner_id" + where
                + " ORDER BY t.created_at, t.name");
        return (ownerIdOrNull == null ? spec : spec.param(ownerIdOrNull)).query(TOKENS).list();
    }

    boolean tokenNameTaken(String name) {
        return jdbc.sql("SELECT COUNT(*) FROM api_tokens WHERE name = ?").param(name).query(Long.class).single() > 0;
    }

    void tokenUsed(String id, Instant at) {
        jdbc.sql("UPDATE api_tokens SET last_used_at = ? WHERE id = ?").params(at.toEpochMilli(), id).update();
    }

    boolean revokeToken(String id, Instant at) {
        return jdbc.sql("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                .params(at.toEpochMilli(), id).update() == 1;
    }

    void revokeTokensOf(String userId, boolean personalOnly, Instant at) {
        jdbc.sql("UPDATE api_tokens SET revoked_at = ? WHERE owner_id = ? AND revoked_at IS NULL"
                        + (personalOnly ? " AND personal = ?" : " AND (personal = ? OR personal = ?)"))
                .params(personalOnly ? new Object[] {at.toEpochMilli(), userId, true}
                        : new Object[] {at.toEpochMilli(), userId, true, false})
                .update();
    }
}
