package io.warden.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.warden.core.audit.AuditRecord;
import io.warden.core.audit.Chain;
import io.warden.core.audit.ChainVerifier;
import io.warden.core.audit.Checkpoint;
import io.warden.core.audit.CheckpointSigner;
import io.warden.server.testing.Api;
import io.warden.server.testing.MutableClock;
import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * The ledger through its API, on a real database: checkpoints by count and by time, the public
 * key, event queries with a cursor that can follow, streamed verification, retention to an
 * anchor, the JSON Lines sink, and the sweep's alarm.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OutputCaptureExtension.class)
abstract class AuditApiContract {

    private TestDatabase db;
    private TestServer server;
    private Api api;
    private AuditLog audit;
    private MutableClock clock;
    private Path sinkFile;

    abstract TestDatabase database();

    @BeforeAll
    void start() throws IOException {
        db = database();
        sinkFile = Files.createTempDirectory("warden-sink-").resolve("audit.jsonl");
        server = TestServer.start(db, List.of(MutableClock.Config.class),
                "--warden.audit.checkpoint-every=5", "--warden.audit.checkpoint-interval=60s",
                "--warden.audit.retention-days=2", "--warden.audit.export-file=" + sinkFile,
                "--warden.audit.export-max-size=8KB", "--warden.audit.export-keep=2");
        api = server.api();
        audit = server.bean(AuditLog.class);
        clock = server.bean(MutableClock.class);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private void append(String chain, int n, String actor, String action) {
        for (int i = 0; i < n; i++) {
            audit.append(new AuditLog.Event(chain, "user", actor, "token", action, "Tool", chain, "tool-" + i,
                    "success", "req-" + i, "127.0.0.1", "{\"i\":" + i + "}"));
        }
    }

    private List<Checkpoint> checkpoints(String chain) {
        JsonNode page = api.get("/v1/audit/checkpoints?namespace=" + chain).json();
        List<Checkpoint> out = new ArrayList<>();
        for (JsonNode n : page.path("items")) {
            out.add(Api.JSON.treeToValue(n, Checkpoint.class));
        }
        return out;
    }

    private List<AuditRecord> events(String query) {
        List<AuditRecord> out = new ArrayList<>();
        for (JsonNode n : api.get("/v1/audit/events?" + query).json().path("items")) {
            out.add(Api.JSON.treeToValue(n, AuditRecord.class));
        }
        return out;
    }

    /** A metric's value, as GET /v1/metrics states it. */
    private double metric(String name) {
        return api.get("/v1/metrics").body().lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(name.length() + 1))).orElseThrow(() -> new AssertionError("no metric " + name));
    }

    private CheckpointSigner publicKey() {
        Api.Reply r = api.anonymous().get("/v1/audit/public-key");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/x-pem-file"));
        return CheckpointSigner.fromPublicKeyPem(r.body());
    }

    @Test
    @Order(1)
    void checkpointsAreSignedEveryNEventsAndVerifyUnderThePublishedKey() {
        append("counted", 12, "alice", "tool.apply");

        List<Checkpoint> cps = checkpoints("counted");
        List<AuditRecord> records = events("namespace=counted&limit=100");

        assertThat(cps).extracting(Checkpoint::seq).containsExactly(5L, 10L);
        CheckpointSigner key = publicKey();
        for (Checkpoint cp : cps) {
            assertThat(key.verify(cp)).isTrue();
            AuditRecord at = records.get((int) cp.seq() - 1);
            assertThat(cp.link()).isEqualTo(at.link());
        }
    }

    @Test
    @Order(2)
    void aChainThatMovedIsCheckpointedOnceTheIntervalPasses() {
        append("quiet", 2, "alice", "tool.apply");
        assertThat(checkpoints("quiet")).isEmpty();

        clock.advance(Duration.ofSeconds(61));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(
                () -> assertThat(checkpoints("quiet")).extracting(Checkpoint::seq).containsExactly(2L));
    }

    @Test
    @Order(3)
    void anExportAsksForTheHeadToBeCheckpointedFirst() {
        append("head", 3, "alice", "tool.apply");

        Api.Reply first = api.post("/v1/audit/checkpoints?namespace=head", "{}");
        Api.Reply again = api.post("/v1/audit/checkpoints?namespace=head", "{}");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("seq").asLong()).isEqualTo(3);
        assertThat(again.json().path("signature").asString()).isEqualTo(first.json().path("signature").asString());
        assertThat(checkpoints("head")).hasSize(1);
        assertThat(api.post("/v1/audit/checkpoints?namespace=never-written", "{}").status()).isEqualTo(404);
        assertThat(api.post("/v1/audit/checkpoints", "{}").status()).isEqualTo(400);
    }

    @Test
    @Order(4)
    void eventsAreFilteredPagedAndFollowedWithoutGaps() {
        append("query", 4, "alice", "tool.apply");
        append("query", 3, "bob", "tool.delete");

        assertThat(events("namespace=query&actor=bob")).extracting(AuditRecord::seq).containsExactly(5L, 6L, 7L);
        assertThat(events("namespace=query&action=tool.apply&actor=bob")).isEmpty();
        assertThat(events("namespace=query&outcome=denied")).isEmpty();

        List<Long> seen = new ArrayList<>();
        String cursor = "";
        boolean more = true;
        while (more) {
            JsonNode page = api.get("/v1/audit/events?namespace=query&limit=3" + cursor).json();
            page.path("items").forEach(n -> seen.add(n.path("seq").asLong()));
            more = page.path("more").asBoolean();
            cursor = "&continue=" + page.path("next").asString();
        }
        assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);

        // The cursor of the last page follows what comes next, and only that.
        append("query", 1, "carol", "tool.apply");
        JsonNode next = api.get("/v1/audit/events?namespace=query" + cursor).json();
        assertThat(next.path("items")).hasSize(1);
        assertThat(next.path("items").get(0).path("actorId").asString()).isEqualTo("carol");

        JsonNode last = api.get("/v1/audit/events?namespace=query&last=2").json();
        assertThat(last.path("items").findValues("seq")).extracting(JsonNode::asLong).containsExactly(7L, 8L);
        append("query", 1, "dave", "tool.apply");
        JsonNode followed = api.get("/v1/audit/events?namespace=query&continue=" + last.path("next").asString()).json();
        assertThat(followed.path("items").findValues("actorId")).extracting(JsonNode::asString).containsExactly("dave");

        // Across chains, time order; each event once.
        List<AuditRecord> all = events("limit=1000");
        assertThat(all).extracting(AuditRecord::time).isSorted();
        assertThat(all.stream().map(r -> r.chain() + "/" + r.seq()).distinct().count()).isEqualTo(all.size());
    }

    @Test
    @Order(5)
    void badQueriesAreTold() {
        assertThat(api.get("/v1/audit/events?continue=bm9wZQ").status()).isEqualTo(400);
        assertThat(api.get("/v1/audit/events?namespace=query&cluster=true").status()).isEqualTo(400);
        assertThat(api.get("/v1/audit/events?namespace=Not_A_Label").status()).isEqualTo(400);
        assertThat(api.get("/v1/audit/events?limit=0").status()).isEqualTo(400);
        assertThat(api.get("/v1/audit/events?since=yesterday").status()).isEqualTo(400);
        assertThat(api.get("/v1/audit/events?last=2&continue=x").status()).isEqualTo(400);
        Api.Reply bad = api.get("/v1/audit/events?limit=100000");
        assertThat(bad.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    }

    @Test
    @Order(6)
    void verifyStreamsOneResultPerChainAndASummary() {
        Api.Reply r = api.get("/v1/audit/verify");

        assertThat(r.status()).isEqualTo(200);
        List<JsonNode> lines = r.body().lines().map(Api.JSON::readTree).toList();
        JsonNode summary = lines.get(lines.size() - 1);
        assertThat(summary.path("status").asString()).isEqualTo("ok");
        assertThat(summary.path("failed").asInt()).isZero();
        JsonNode counted = lines.stream().filter(l -> l.path("chain").asString("").equals("counted")).findFirst().orElseThrow();
        assertThat(counted.path("status").asString()).isEqualTo("ok");
        assertThat(counted.path("count").asLong()).isEqualTo(12);
        assertThat(counted.path("lastCheckpoint").path("seq").asLong()).isEqualTo(12); // the interval signed the head
        assertThat(lines.stream().filter(l -> l.has("chain") && l.path("status").asString().equals("ok")).count())
                .isEqualTo(summary.path("chains").asLong());
    }

    @Test
    @Order(7)
    void theSinkWritesEveryEventAsJsonLinesRotatedAndPrivate() throws IOException {
        append("sink", 40, "alice", "tool.apply");

        List<Path> files = Stream.of(sinkFile, sinkFile.resolveSibling("audit.jsonl.1"), sinkFile.resolveSibling("audit.jsonl.2"))
                .toList();
        for (Path f : files) {
            assertThat(f).exists();
            assertThat(Files.size(f)).isLessThanOrEqualTo(8 * 1024);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        }
        assertThat(sinkFile.resolveSibling("audit.jsonl.3")).doesNotExist();
        List<AuditRecord> lines = new ArrayList<>();
        for (Path f : files.reversed()) {
            Files.readAllLines(f).forEach(l -> lines.add(Api.JSON.readValue(l, AuditRecord.class)));
        }
        assertThat(lines).allSatisfy(r -> assertThat(Chain.hasValidDigest(r)).isTrue());
        assertThat(lines.getLast()).isEqualTo(events("namespace=sink&last=1").getFirst());
        List<AuditRecord> sinkChain = lines.stream().filter(r -> r.chain().equals("sink")).toList();
        assertThat(sinkChain).extracting(AuditRecord::seq).isSorted().endsWith(40L);
    }

    @Test
    @Order(8)
    void retentionCutsAtASignedCheckpointKeepsItAsTheAnchorAndVerifyStillHolds() throws SQLException {
        append("old", 12, "alice", "tool.apply"); // checkpoints at 5 and 10
        clock.advance(Duration.ofDays(3));
        // The interval checkpoints the moved chain at 12 (signed now, of events three days old).
        await().atMost(Duration.ofSeconds(15)).until(() -> checkpoints("old").getLast().seq() == 12);
        append("old", 3, "alice", "tool.apply"); // 13..15, recent

        int removed = server.bean(AuditMaintenance.class).prune();

        assertThat(removed).isGreaterThanOrEqualTo(12);
        JsonNode page = api.get("/v1/audit/checkpoints?namespace=old").json();
        assertThat(page.path("anchor").path("seq").asLong()).isEqualTo(12);
        assertThat(page.path("items").findValues("seq")).extracting(JsonNode::asLong).doesNotContain(5L, 10L).contains(12L);
        await().atMost(Duration.ofSeconds(10)).until(() -> !events("namespace=old&action=audit.prune").isEmpty());
        List<AuditRecord> left = events("namespace=old&limit=100");
        assertThat(left.getFirst().seq()).isEqualTo(13);
        AuditRecord pruneEvent = events("namespace=old&action=audit.prune").getFirst();
        assertThat(pruneEvent.details()).contains("\"anchorSeq\":12");
        assertThat(server.bean(AuditVerification.class).verify("old", n -> { }))
                .isInstanceOfSatisfying(io.warden.core.audit.ChainVerifier.Ok.class, ok -> {
                    assertThat(ok.count()).isEqualTo(left.size());
                    assertThat(ok.lastSeq()).isEqualTo(pruneEvent.seq());
                });
        // The database still refuses anything but that: events after the anchor, and anchors.
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM audit_events WHERE chain = 'old' AND seq = 13"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM audit_anchors WHERE chain = 'old'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.executeUpdate("UPDATE audit_checkpoints SET at = 0 WHERE chain = 'old'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
        }
    }

    @Test
    @Order(9)
    void aVerificationThatOverlapsARetentionCutIsNotMistakenForDeletion() {
        append("raced", 1100, "alice", "tool.apply"); // more than a page (1,000); checkpointed at 1,100
        clock.advance(Duration.ofDays(3));
        append("raced", 2, "alice", "tool.apply");
        AuditMaintenance maintenance = server.bean(AuditMaintenance.class);
        List<Long> pruned = new ArrayList<>();

        // The cut commits after the verification read the anchor and its first page, before the second.
        ChainVerifier.Result result = server.bean(AuditVerification.class).verify("raced", count -> {
            if (pruned.isEmpty()) {
                pruned.add((long) maintenance.prune());
            }
        });

        assertThat(pruned.getFirst()).isGreaterThanOrEqualTo(1100);
        // Verified from the new anchor (1,100) on, not reported as records 1,001.. deleted.
        assertThat(result).isInstanceOfSatisfying(ChainVerifier.Ok.class, ok -> assertThat(ok.lastCheckpoint().seq()).isGreaterThanOrEqualTo(1100));
    }

    @Test
    @Order(10)
    void anAnchorCopiedInByHandIsNamedADeletionNotTakenForARetentionCut() throws SQLException {
        append("copied", 12, "alice", "tool.apply"); // checkpoints at 5 and 10
        Checkpoint genuine = checkpoints("copied").stream().filter(c -> c.seq() == 10).findFirst().orElseThrow();

        // What the triggers allow a rogue DBA without dropping them: add an anchor (a genuine signed
        // checkpoint), then delete the events at or before it.
        try (Connection c = db.connect(); var insert = c.prepareStatement(
                "INSERT INTO audit_anchors (chain, seq, hash, digest, at, signature) VALUES (?, ?, ?, ?, ?, ?)");
                Statement s = c.createStatement()) {
            insert.setString(1, genuine.chain());
            insert.setLong(2, genuine.seq());
            insert.setString(3, genuine.hash());
            insert.setString(4, genuine.digest());
            insert.setLong(5, genuine.time());
            insert.setString(6, genuine.signature());
            insert.executeUpdate();
            assertThat(s.executeUpdate("DELETE FROM audit_events WHERE chain = 'copied' AND seq <= 10")).isEqualTo(10);
        }

        // No audit.prune record accounts for the anchor: the history before it was deleted.
        List<JsonNode> lines = api.get("/v1/audit/verify?namespace=copied").body().lines().map(Api.JSON::readTree).toList();
        assertThat(lines.getFirst().path("problem").asString()).isEqualTo("DELETED");
        assertThat(lines.getFirst().path("seq").asLong()).isEqualTo(10);
        assertThat(lines.getLast().path("status").asString()).isEqualTo("failed");
    }

    @Test
    @Order(11) // last: it drops a trigger
    void theSweepRaisesTheAlarmWhenAChainIsTamperedWith(CapturedOutput output) throws SQLException {
        append("swept", 7, "alice", "tool.apply");
        int failing = server.bean(AuditMaintenance.class).sweep(); // 'copied' (the test before) already fails
        assertThat(metric("warden_audit_chains_failing")).isEqualTo(failing);
        double failures = metric("warden_audit_verify_failures_total");

        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(db.vendor().equals("sqlite") ? "DROP TRIGGER audit_events_no_update"
                    : "DROP TRIGGER audit_events_no_update_or_delete ON audit_events");
            s.executeUpdate("UPDATE audit_events SET outcome = 'denied' WHERE chain = 'swept' AND seq = 6");
        }

        assertThat(server.bean(AuditMaintenance.class).sweep()).isEqualTo(failing + 1);
        assertThat(metric("warden_audit_chains_failing")).isEqualTo(failing + 1);
        assertThat(metric("warden_audit_verify_failures_total")).isEqualTo(failures + failing + 1);
        assertThat(output.getAll()).contains("AUDIT LEDGER TAMPERING").contains("swept").contains("MODIFIED at seq 6");
        List<JsonNode> lines = api.get("/v1/audit/verify?namespace=swept").body().lines().map(Api.JSON::readTree).toList();
        assertThat(lines.getFirst().path("problem").asString()).isEqualTo("MODIFIED");
        assertThat(lines.getFirst().path("seq").asLong()).isEqualTo(6);
        assertThat(lines.getLast().path("status").asString()).isEqualTo("failed");

        // Retention does not delete the evidence: the tampered chain keeps every record.
        clock.advance(Duration.ofDays(3));
        server.bean(AuditMaintenance.class).prune();
        assertThat(events("namespace=swept&limit=100").getFirst().seq()).isEqualTo(1);
        assertThat(output.getAll()).contains("chain 'swept' fails verification (MODIFIED at seq 6); retention will not prune it");

        // A whole chain deleted with its head row is still verified: its checkpoints name the cut.
        append("vanished", 7, "alice", "tool.apply"); // checkpointed at 5
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            if (db.vendor().equals("sqlite")) {
                s.execute("DROP TRIGGER audit_events_no_delete");
            }
            s.executeUpdate("DELETE FROM audit_events WHERE chain = 'vanished'");
            s.executeUpdate("DELETE FROM audit_chains WHERE chain = 'vanished'");
        }
        List<JsonNode> all = api.get("/v1/audit/verify").body().lines().map(Api.JSON::readTree).toList();
        assertThat(all).anySatisfy(l -> {
            assertThat(l.path("chain").asString()).isEqualTo("vanished");
            assertThat(l.path("problem").asString()).isEqualTo("TRUNCATED");
            assertThat(l.path("seq").asLong()).isEqualTo(1);
        });
    }

    @Test
    @Order(12) // last: it drops a trigger (as the test before does)
    void aChainThatCannotEvenBeVerifiedRaisesTheAlarmAndTheSweepGoesOn(CapturedOutput output) throws SQLException {
        append("garbled", 6, "alice", "tool.apply");
        append("zz-after", 3, "alice", "tool.apply"); // verified after 'garbled' (chains go by name)
        AuditMaintenance maintenance = server.bean(AuditMaintenance.class);
        int failing = maintenance.sweep(); // the chains tampered with before already fail
        double failures = metric("warden_audit_verify_failures_total");

        // A rogue DBA swaps events 3 and 4 of 'garbled' and empties the digest of one of them (the
        // column allows NULL), and changes an event of 'zz-after'.
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(db.vendor().equals("sqlite") ? "DROP TRIGGER IF EXISTS audit_events_no_update"
                    : "DROP TRIGGER IF EXISTS audit_events_no_update_or_delete ON audit_events");
            s.executeUpdate("UPDATE audit_events SET digest = NULL WHERE chain = 'garbled' AND seq = 3");
            s.executeUpdate("UPDATE audit_events SET seq = -1 WHERE chain = 'garbled' AND seq = 3");
            s.executeUpdate("UPDATE audit_events SET seq = 3 WHERE chain = 'garbled' AND seq = 4");
            s.executeUpdate("UPDATE audit_events SET seq = 4 WHERE chain = 'garbled' AND seq = -1");
            s.executeUpdate("UPDATE audit_events SET outcome = 'denied' WHERE chain = 'zz-after' AND seq = 2");
            // ...and renames a column, so no chain's records can even be read.
            s.execute("ALTER TABLE audit_events RENAME COLUMN digest TO digest_gone");
        }
        int chains = server.bean(AuditVerification.class).chains().size();
        assertThatThrownBy(() -> server.bean(AuditVerification.class).verifyRecent("garbled", 0))
                .isInstanceOf(RuntimeException.class);

        // Every chain is reported, not just the first that throws.
        assertThat(maintenance.sweep()).isEqualTo(chains);
        assertThat(metric("warden_audit_chains_failing")).isEqualTo(chains);
        assertThat(metric("warden_audit_verify_failures_total")).isEqualTo(failures + chains);
        assertThat(output.getAll())
                .contains("AUDIT LEDGER TAMPERING: chain 'garbled' failed verification: it could not be verified (")
                .contains("AUDIT LEDGER TAMPERING: chain 'zz-after' failed verification: it could not be verified (");
        // Retention keeps a chain it cannot verify too, and goes on to the other chains.
        server.bean(AuditMaintenance.class).prune();
        assertThat(output.getAll()).contains("chain 'garbled' could not be verified (");

        // The column back: each tampered record is named (an emptied digest is no crash).
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE audit_events RENAME COLUMN digest_gone TO digest");
        }
        assertThat(maintenance.sweep()).isEqualTo(failing + 2);
        assertThat(output.getAll()).containsPattern("chain 'garbled' failed verification: [A-Z]+ at seq 3")
                .contains("AUDIT LEDGER TAMPERING: chain 'zz-after' failed verification: MODIFIED at seq 2");
        assertThat(events("namespace=garbled&limit=100")).hasSize(6);
    }
}
