package io.warden.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.core.audit.AuditRecord;
import io.warden.core.audit.ChainVerifier;
import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The ledger on a real database: concurrent appends form intact chains; the database refuses
 * updates and deletes; and a rogue DBA who drops those triggers is still caught by verify.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class AuditLedgerContract {

    private TestDatabase db;
    private TestServer server;
    private AuditLog audit;

    abstract TestDatabase database();

    @BeforeAll
    void start() {
        db = database();
        // A checkpoint every 5 events, so tails can be cut under a checkpoint.
        server = TestServer.start(db, "--warden.audit.checkpoint-every=5");
        audit = server.bean(AuditLog.class);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** An event of a tool's change, the {@code i}th of its chain. */
    static AuditLog.Event event(String chain, int i) {
        return new AuditLog.Event(chain, "user", "alice", "token", "resource.apply", "Tool", chain, "tool-" + i,
                "success", "req-" + i, "127.0.0.1", "{\"i\":" + i + ",\"secretLength\":12}");
    }

    private List<AuditRecord> chain(String name) {
        return audit.records(name, 0, 100_000);
    }

    /** What {@code GET /v1/audit/verify} and the sweep run: chain key, stored checkpoints, anchor. */
    private ChainVerifier.Result verify(String name) {
        return server.bean(AuditVerification.class).verify(name, n -> { });
    }

    private void appendMany(String chain, int n) {
        for (int i = 0; i < n; i++) {
            audit.append(event(chain, i));
        }
    }

    @Test
    @Order(1)
    void concurrentProducersBuildUnbrokenChains() throws Exception {
        int producers = 8;
        int each = 40;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(producers)) {
            for (int p = 0; p < producers; p++) {
                String chain = p % 2 == 0 ? "busy-a" : "busy-b";
                int base = p * 1000;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        AuditRecord r = audit.append(event(chain, base + i));
                        assertThat(r.seq()).isPositive();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        }
        for (String chain : List.of("busy-a", "busy-b")) {
            assertThat(verify(chain)).isInstanceOfSatisfying(ChainVerifier.Ok.class,
                    ok -> assertThat(ok.count()).isEqualTo(producers / 2 * each));
        }
    }

    @Test
    @Order(2)
    void theDatabaseRefusesUpdatesAndDeletes() throws Exception {
        appendMany("guarded", 3);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("UPDATE audit_events SET outcome = 'denied' WHERE chain = 'guarded'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM audit_events WHERE chain = 'guarded'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
        }
        assertThat(chain("guarded")).hasSize(3);
        assertThat(verify("guarded")).isInstanceOf(ChainVerifier.Ok.class);
    }

    /** Dropping the triggers, as a DBA with full rights could, then tampering: verify names each change. */
    @Test
    @Order(3) // last: it drops the triggers
    void aRogueDbaWhoDropsTheTriggersIsStillCaught() throws Exception {
        for (String chain : List.of("modify", "delete", "swap", "forge", "insert", "truncate", "digest")) {
            appendMany(chain, 12);
            assertThat(verify(chain)).isInstanceOf(ChainVerifier.Ok.class);
        }
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            if (db.vendor().equals("sqlite")) {
                s.execute("DROP TRIGGER audit_events_no_update");
                s.execute("DROP TRIGGER audit_events_no_delete");
            } else {
                s.execute("DROP TRIGGER audit_events_no_update_or_delete ON audit_events");
            }
            s.executeUpdate("UPDATE audit_events SET outcome = 'denied' WHERE chain = 'modify' AND seq = 4");
            s.executeUpdate("DELETE FROM audit_events WHERE chain = 'delete' AND seq = 6");
            s.executeUpdate("UPDATE audit_events SET seq = -1 WHERE chain = 'swap' AND seq = 3");
            s.executeUpdate("UPDATE audit_events SET seq = 3 WHERE chain = 'swap' AND seq = 4");
            s.executeUpdate("UPDATE audit_events SET seq = 4 WHERE chain = 'swap' AND seq = -1");
            s.executeUpdate("INSERT INTO audit_events (chain, seq, at, action, outcome, details, prev_hash, hash, prev_digest, digest)"
                    + " SELECT chain, 13, at, 'user.create', 'success', '{}', hash, hash, digest, digest FROM audit_events"
                    + " WHERE chain = 'forge' AND seq = 12");
            // A forged event slipped in at 7, the real 7.. renumbered 8..
            s.executeUpdate("UPDATE audit_events SET seq = seq + 100 WHERE chain = 'insert' AND seq >= 7");
            s.executeUpdate("UPDATE audit_events SET seq = seq - 99 WHERE chain = 'insert' AND seq >= 107");
            s.executeUpdate("INSERT INTO audit_events (chain, seq, at, action, outcome, details, prev_hash, hash, prev_digest, digest)"
                    + " SELECT chain, 7, at, 'user.create', 'success', '{}', hash, hash, digest, digest FROM audit_events"
                    + " WHERE chain = 'insert' AND seq = 6");
            // The tail cut under the checkpoint at 10 (the checkpoint rows left alone, or published).
            s.executeUpdate("DELETE FROM audit_events WHERE chain = 'truncate' AND seq >= 9");
            // Only the public link rewritten.
            s.executeUpdate("UPDATE audit_events SET digest = prev_digest WHERE chain = 'digest' AND seq = 5");
        }
        assertProblem("modify", ChainVerifier.Problem.MODIFIED, 4);
        assertProblem("delete", ChainVerifier.Problem.DELETED, 6);
        assertProblem("swap", ChainVerifier.Problem.REORDERED, 3);
        assertProblem("forge", ChainVerifier.Problem.MODIFIED, 13); // appended at the tail: see docs/reference/audit.md
        assertProblem("insert", ChainVerifier.Problem.INSERTED, 7);
        assertProblem("truncate", ChainVerifier.Problem.TRUNCATED, 9);
        assertProblem("digest", ChainVerifier.Problem.MODIFIED, 5);
    }

    private void assertProblem(String chain, ChainVerifier.Problem problem, long seq) {
        assertThat(verify(chain)).as(chain).isInstanceOfSatisfying(ChainVerifier.Failed.class, f -> {
            assertThat(f.problem()).isEqualTo(problem);
            assertThat(f.seq()).isEqualTo(seq);
        });
    }
}
