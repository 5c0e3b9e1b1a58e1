package io.warden.server.identity;

import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The single setup token row. */
@Repository
class SetupStore {

    record SetupRow(String tokenHash, Instant usedAt) {
    }

    private final JdbcClient jdbc;

    SetupStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<SetupRow> row() {
        return jdbc.sql("SELECT token_hash, used_at FROM setup_token WHERE id = 1")
                .query((rs, i) -> new SetupRow(rs.getString(1), UserStore.instant(rs.getObject(2)))).optional();
    }

    void replace(String tokenHash, Instant at) {
        jdbc.sql("DELETE FROM setup_token WHERE id = 1").update();
        jdbc.sql("INSERT INTO setup_token (id, token_hash, created_at, used_at) VALUES (1, ?, ?, NULL)")
                .params(tokenHash, at.toEpochMilli()).update();
    }

    /** Marks the token used; true for exactly one caller however many race. */
    boolean consume(String tokenHash, Instant at) {
        return jdbc.sql("UPDATE setup_token SET used_at = ? WHERE id = 1 AND used_at IS NULL AND token_hash = ?")
                .params(at.toEpochMilli(), tokenHash).update() == 1;
    }
}
