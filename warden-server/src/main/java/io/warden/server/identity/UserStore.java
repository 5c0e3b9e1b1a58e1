package io.warden.server.identity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for users and failed-login counters; the same on SQLite and PostgreSQL. */
@Repository
class UserStore {

    private static final String COLUMNS = "id, username, password_hash, disabled, created_at, updated_at, last_login_at";
    private static final RowMapper<User> ROWS = (rs, i) -> new User(rs.getString("id"), rs.getString("username"),
            rs.getString("password_hash"), rs.getBoolean("disabled"), Instant.ofEpochMilli(rs.getLong("created_at")),
            Instant.ofEpochMilli(rs.getLong("updated_at")), instant(rs.getObject("last_login_at")));

    private final JdbcClient jdbc;

    UserStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    static Instant instant(Object epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(((Number) epochMillis).longValue());
    }

    static Long millis(Instant i) {
        return i == null ? null : i.toEpochMilli();
    }

    long count() {
        return jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single();
    }

    Optional<User> byUsername(String username) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE username = ?").param(username).query(ROWS).optional();
    }

    Optional<User> byId(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE id = ?").param(id).query(ROWS).optional();
    }

    List<User> all() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users ORDER BY username").query(ROWS).list();
    }

    void insert(User u) {
        jdbc.sql("INSERT INTO users (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(u.id(), u.username(), u.passwordHash(), u.disabled(), u.createdAt().toEpochMilli(),
                        u.updatedAt().toEpochMilli(), millis(u.lastLoginAt()))
                .update();
    }

    boolean setPassword(String id, String hash, Instant at) {
        return jdbc.sql("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?").params(hash, at.toEpochMilli(), id)
                .update() == 1;
    }

    boolean setDisabled(String id, boolean disabled, Instant at) {
        return jdbc.sql("UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?").params(disabled, at.toEpochMilli(), id)
                .update() == 1;
    }

    void loggedIn(String id, Instant at) {
        jdbc.sql("UPDATE users SET last_login_at = ? WHERE id = ?").params(at.toEpochMilli(), id).update();
    }

    boolean delete(String id) {
        return jdbc.sql("DELETE FROM users WHERE id = ?").param(id).update() == 1;
    }

    /** When the (username, client) pair may try again, if it is locked now. */
    Optional<Instant> lockedUntil(String username, String client) {
        return jdbc.sql("SELECT locked_until FROM login_failures WHERE username = ? AND client = ?")
                .params(username, client).query(Long.class).optional().map(Instant::ofEpochMilli);
    }

    int failures(String username, String client) {
        return jdbc.sql("SELECT failures FROM login_failures WHERE username = ? AND client = ?")
                .params(username, client).query(Integer.class).optional().orElse(0);
    }

    void recordFailure(String username, String client, int failures, Instant at, Instant lockedUntil) {
        int updated = jdbc.sql("UPDATE login_failures SET failures = ?, last_failure_at = ?, locked_until = ?"
                        + " WHERE username = ? AND client = ?")
                .params(failures, at.toEpochMilli(), lockedUntil.toEpochMilli(), username, client).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO login_failures (username, client, failures, last_failure_at, locked_until)"
                            + " VALUES (?, ?, ?, ?, ?)")
                    .params(username, client, failures, at.toEpochMilli(), lockedUntil.toEpochMilli()).update();
        }
    }

    void clearFailures(String username, String client) {
        jdbc.sql("DELETE FROM login_failures WHERE username = ? AND client = ?").params(username, client).update();
    }
}
