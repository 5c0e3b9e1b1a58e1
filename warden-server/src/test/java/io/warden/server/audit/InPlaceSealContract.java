package io.warden.server.audit;

import static io.warden.server.audit.AuditLedgerContract.event;
import static io.warden.server.testing.Api.manifest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.warden.core.audit.AuditRecord;
import io.warden.core.audit.ChainVerifier;
import io.warden.server.testing.Api;
import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A change's events are sealed by its own commit when nobody else holds their chain's head, and
 * staged for the appender otherwise: what either way yields is one unbroken chain, an export sink
 * in sequence order, and a change that is never refused because a forged row sits where its event
 * belongs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class InPlaceSealContract {

    private static final String ZEROS = "0".repeat(64);

    TestDatabase db;
    TestServer server;
    private Api api;
    AuditLog audit;
    TransactionTemplate tx;
    private Path sinkFile;

    abstract TestDatabase database();

    /** The last staging id handed out: it moves whenever an event is staged, even if sealed since. */
    private long stagingIds() throws SQLException {
        String sql = db.vendor().equals("sqlite")
                ? "SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'audit_pending'"
                : "SELECT last_value FROM audit_pending_id_seq";
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @BeforeAll
    void start() throws Exception {
        db = database();
        sinkFile = Files.createTempDirectory("warden-sink-").resolve("audit.jsonl");
        server = TestServer.start(db, "--warden.audit.export-file=" + sinkFile, "--warden.audit.checkpoint-every=7");
        api = server.api();
        audit = server.bean(AuditLog.class);
        tx = server.bean(TransactionTemplate.class);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** Seals the chain's first event (on PostgreSQL through the appender: a new chain's head row is the appender's to make). */
    void startChain(String chain) throws Exception {
        CompletableFuture<AuditRecord> first = tx.execute(s -> audit.record(event(chain, 0)));
        assertThat(first.get(10, TimeUnit.SECONDS).seq()).isEqualTo(1);
    }

    @Test
    void aLoneChangesEventIsSealedInTheChangesOwnTransaction() throws Exception {
        startChain("lone");
        long stagingIds = stagingIds();
        CompletableFuture<AuditRecord> sealed = tx.execute(s -> {
            CompletableFuture<AuditRecord> f = audit.record(event("lone", 1));
            assertThat(f).as("not announced before the commit").isNotDone();
            return f;
        });
        assertThat(sealed).as("sealed by the commit itself, not by the appender later").isCompleted();
        assertThat(sealed.join().seq()).isEqualTo(2);
        assertThat(stagingIds()).as("never staged").isEqualTo(stagingIds);

        // Rolled back, the event goes with its change, and the next one takes its place.
        tx.executeWithoutResult(s -> {
            audit.record(event("lone", 2));
            s.setRollbackOnly();
        });
        CompletableFuture<AuditRecord> next = tx.execute(s -> audit.record(event("lone", 3)));
        assertThat(next.join().seq()).isEqualTo(3);
        assertThat(audit.records("lone", 0, 10)).extracting(AuditRecord::targetName)
                .containsExactly("tool-0", "tool-1", "tool-3");
        assertThat(server.bean(AuditVerification.class).verify("lone", n -> { })).isInstanceOf(ChainVerifier.Ok.class);
    }

    @Test
    void aForgedRowWhereTheEventBelongsDoesNotRefuseTheChange() throws Exception {
        namespace("forged");
        put("forged", "first");
        await().atMost(Duration.ofSeconds(10)).until(() -> staged("forged") == 0 && !audit.records("forged", 0, 10).isEmpty());
        long head = audit.records("forged", 0, 10).getLast().seq();
        forge("forged", head + 1);
        // The change is made; its event is kept staged (the appender isolates what cannot be sealed).
        put("forged", "second");
        assertThat(api.get("/v1/namespaces/forged/tools/second").status()).isEqualTo(200);
        assertThat(staged("forged")).isEqualTo(1);
    }

    @Test
    void eventsBeforeAForgedRowAreSealedAndThoseFromItOnStaged() throws Exception {
        startChain("split");
        forge("split", 3);
        List<CompletableFuture<AuditRecord>> recorded = tx.execute(s -> List.of(
                audit.record(event("split", 1)), audit.record(event("split", 2))));
        assertThat(recorded.get(0)).isCompleted();
        assertThat(recorded.get(0).join().seq()).isEqualTo(2);
        // The second is staged (and kept there: the appender cannot seal it either).
        assertThat(staged("split")).isEqualTo(1);
    }

    @Test
    void concurrentChangesMakeOneChainAndTheSinkHasItInOrder() throws Exception {
        startChain("busy");
        int threads = 16;
        int each = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        int n = thread * 1000 + i;
                        CompletableFuture<AuditRecord> f = tx.execute(s -> audit.record(event("busy", n)));
                        audit.settle(List.of(f));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long total = 1 + (long) threads * each;
        await().atMost(Duration.ofSeconds(10)).until(() -> audit.records("busy", 0, 1000).size() == total);
        assertThat(server.bean(AuditVerification.class).verify("busy", n -> { })).isInstanceOf(ChainVerifier.Ok.class);

        List<Long> sunk = new ArrayList<>();
        for (String line : Files.readAllLines(sinkFile)) {
            JsonNode r = Api.JSON.readTree(line);
            if (r.path("chain").asString().equals("busy")) {
                sunk.add(r.path("seq").asLong());
            }
        }
        assertThat(sunk).as("every record once, in sequence order").isEqualTo(LongStream.rangeClosed(1, total).boxed().toList());
    }

    /** Takes a place in a chain, as whoever may insert into audit_events can. */
    private void forge(String chain, long seq) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO audit_events (chain, seq, at, action, outcome, prev_hash, hash, prev_digest, digest)"
                    + " VALUES ('" + chain + "', " + seq + ", 0, 'forged', 'success', '" + ZEROS + "', '" + ZEROS + "', '"
                    + ZEROS + "', '" + ZEROS + "')");
        }
    }

    long staged(String chain) throws SQLException {
        try (Connection c = db.connect();
                PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM audit_pending WHERE chain = ?")) {
            q.setString(1, chain);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void namespace(String name) {
        assertThat(api.put("/v1/namespaces/" + name,
                manifest("{'apiVersion':'warden.dev/v1','kind':'Namespace','metadata':{'name':'" + name + "'}}")).status())
                .isEqualTo(201);
    }

    private void put(String namespace, String tool) {
        assertThat(api.put("/v1/namespaces/" + namespace + "/tools/" + tool, manifest("{'apiVersion':'warden.dev/v1',"
                + "'kind':'Tool','metadata':{'name':'" + tool + "','namespace':'" + namespace + "'},"
                + "'spec':{'type':'exec','exec':{'command':['true']}}}")).status()).isEqualTo(201);
    }
}
