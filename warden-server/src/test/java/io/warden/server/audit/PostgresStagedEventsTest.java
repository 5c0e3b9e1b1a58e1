package io.warden.server.audit;

import static io.warden.server.testing.Api.manifest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.warden.core.audit.AuditRecord;
import io.warden.core.audit.ChainVerifier;
import io.warden.server.testing.Api;
import io.warden.server.testing.EnabledIfPostgres;
import io.warden.server.testing.MutableClock;
import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Staged events on PostgreSQL, which the appender seals a moment after their change commits: an
 * event that can never be sealed holds up no other, is kept as evidence, and is set aside and
 * reported; a sealed event keeps the time it was staged.
 */
@EnabledIfPostgres
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class PostgresStagedEventsTest {

    private static final String ZEROS = "0".repeat(64);
    private static final String CANARY = "staged-canary-5c1e";

    private TestDatabase db;
    private TestServer server;
    private Api api;
    private AuditLog audit;
    private MutableClock clock;

    @BeforeAll
    void start() {
        db = TestDatabase.postgres();
        server = TestServer.start(db, List.of(MutableClock.Config.class));
        api = server.api();
        audit = server.bean(AuditLog.class);
        clock = server.bean(MutableClock.class);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void aStagedEventIsDatedWhenItWasStagedNotWhenItWasSealed() throws SQLException {
        long now = clock.millis(); // the clock stands still unless a test moves it
        try (Connection c = db.connect()) {
            // Left staged by a server that stopped before sealing them (no owner: anyone seals them).
            stage(c, "dated", now - 3_000, "{\"n\":1}");
            stage(c, "dated", now + 3_600_000, "{\"n\":2}"); // by a server whose clock ran an hour ahead
            stage(c, "dated", now - 5_000, "{\"n\":3}"); // staged earlier than the one sealed before it
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> audit.records("dated", 0, 10).size() == 3);

        // Its own time, but never after it was sealed, and never before the event sealed ahead of it.
        assertThat(audit.records("dated", 0, 10)).extracting(AuditRecord::time).containsExactly(now - 3_000, now, now);
        assertThat(server.bean(AuditVerification.class).verify("dated", n -> { })).isInstanceOf(ChainVerifier.Ok.class);
    }

    @Test
    void anEventThatCannotBeSealedHoldsUpNoOtherAndIsKeptSetAsideAndReported(CapturedOutput output) throws SQLException {
        long now = clock.millis();
        long blocked;
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // The append-only triggers refuse UPDATE and DELETE, not INSERT: whoever may insert into
                // audit_events can take the next seq of a chain, and then no event of that chain seals.
                s.executeUpdate("INSERT INTO audit_events (chain, seq, at, action, outcome, prev_hash, hash, prev_digest, digest)"
                        + " VALUES ('blocked', 1, 0, 'forged', 'success', '" + ZEROS + "', '" + ZEROS + "', '" + ZEROS
                        + "', '" + ZEROS + "')");
            }
            // Left staged by a server that stopped, committed together, so the appender takes all
            // three in one batch: the one that cannot be sealed is in the middle.
            stage(c, "crashed", now, "{\"n\":1}");
            blocked = stage(c, "blocked", now, "{\"note\":\"" + CANARY + "\"}");
            stage(c, "crashed", now, "{\"n\":2}");
            c.commit();
        }

        // The others are sealed; the blocked one is kept, its failure noted, and waits to be tried again.
        await().atMost(Duration.ofSeconds(10)).until(() -> audit.records("crashed", 0, 10).size() == 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> failedAttempts(blocked) == 1);
        assertThat(lastFailure(blocked)).isEqualTo("org.springframework.dao.DuplicateKeyException");

        // Changes are answered once their events are sealed, while the blocked event is retried.
        double unsealed = metric("warden_audit_unsealed_answers_total");
        for (int attempt = 2; attempt <= 3; attempt++) {
            clock.advance(Duration.ofSeconds(6));
            int expected = attempt;
            await().atMost(Duration.ofSeconds(10)).until(() -> failedAttempts(blocked) == expected);
            createNamespace("after-" + attempt);
            assertThat(clusterEventFor("after-" + attempt)).as("sealed before the answer").isTrue();
        }
        assertThat(metric("warden_audit_unsealed_answers_total")).isEqualTo(unsealed);

        // Three failures: set aside and reported, by its staging id and the failure's class only.
        assertThat(metric("warden_audit_unsealable_events")).isEqualTo(1);
        assertThat(output.getAll())
                .contains("AUDIT EVENT SET ASIDE: staged audit event " + blocked
                        + " failed to seal 3 times (org.springframework.dao.DuplicateKeyException)")
                .doesNotContain(CANARY);

        // Set aside, it is no longer tried with every batch (it would fail again and be counted).
        clock.advance(Duration.ofSeconds(6));
        createNamespace("after-4");
        createNamespace("after-5"); // a batch after the one that would have tried it, and noted its failure
        assertThat(failedAttempts(blocked)).isEqualTo(3);
        assertThat(clusterEventFor("after-5")).isTrue();
        assertThat(metric("warden_audit_unsealed_answers_total")).isEqualTo(unsealed);

        // Nothing was lost or broken: the event is still staged, and every chain sealed around it verifies.
        assertThat(stagedChain(blocked)).isEqualTo("blocked");
        for (String chain : List.of("crashed", "")) {
            assertThat(server.bean(AuditVerification.class).verify(chain, n -> { })).as(chain).isInstanceOf(ChainVerifier.Ok.class);
        }
    }

    private static long stage(Connection c, String chain, long at, String details) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO audit_pending (chain, at, actor_kind, actor_id,"
                + " action, target_kind, target_name, outcome, details) VALUES (?, ?, 'user', 'alice', 'resource.apply',"
                + " 'Tool', 't', 'success', ?) RETURNING id")) {
            insert.setString(1, chain);
            insert.setLong(2, at);
            insert.setString(3, details);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private int failedAttempts(long id) throws SQLException {
        return Integer.parseInt(staged(id, "failed_attempts"));
    }

    private String lastFailure(long id) throws SQLException {
        return staged(id, "last_failure");
    }

    private String stagedChain(long id) throws SQLException {
        return staged(id, "chain");
    }

    private String staged(long id, String column) throws SQLException {
        try (Connection c = db.connect();
                PreparedStatement q = c.prepareStatement("SELECT " + column + " FROM audit_pending WHERE id = ?")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("staged event " + id + " is gone");
                }
                return rs.getString(1);
            }
        }
    }

    private void createNamespace(String name) {
        assertThat(api.put("/v1/namespaces/" + name,
                manifest("{'apiVersion':'warden.dev/v1','kind':'Namespace','metadata':{'name':'" + name + "'}}")).status())
                .isEqualTo(201);
    }

    private boolean clusterEventFor(String namespace) {
        return audit.records("", 0, 100_000).stream().anyMatch(r -> "resource.create".equals(r.action())
                && "Namespace".equals(r.targetKind()) && namespace.equals(r.targetName()));
    }

    /** A metric's value, as GET /v1/metrics states it. */
    private double metric(String name) {
        return api.get("/v1/metrics").body().lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(name.length() + 1)))
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }
}
