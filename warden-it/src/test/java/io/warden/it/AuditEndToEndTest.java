package io.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.cli.WardenCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code warden audit ...} against the real server: an export verified offline with nothing but
 * the public key, and the same export tampered with the way an attacker would; server-side
 * verification; tail and follow; and who may read the ledger (an auditor may, a reader may not).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditEndToEndTest {

    private static final String PASSWORD = IdentityEndToEndTest.PASSWORD;
    private static final String REQUEST_ID = " \\(request id [0-9a-f-]{36}\\)";
    private static final String FORBIDDEN_HINT =
            "The audit ledger is open to admins and to the auditor role: warden roles bind auditor --user NAME --cluster";

    private ServerProcess server;
    private Wire wire;
    private String url;
    private Path files;
    private Cli admin;
    private Cli auditor;
    private Cli reader;
    private Http api;

    @BeforeAll
    void start() throws Exception {
        Path dataDir = Files.createTempDirectory("warden-it-").resolve("data");
        server = ServerProcess.startSqlite(dataDir);
        url = server.server();
        files = Files.createTempDirectory("warden-it-audit-");
        admin = Cli.admin(url, dataDir);
        api = new Http(url, admin.token());

        // The payments chain: what an admin did to the namespace's tools, with the CLI.
        StringBuilder manifests = new StringBuilder("""
                apiVersion: warden.dev/v1
                kind: Namespace
                metadata: {name: payments}
                """);
        for (String tool : List.of("git-clone", "lint", "test", "build", "deploy", "notify")) {
            manifests.append("""
                    ---
                    apiVersion: warden.dev/v1
                    kind: Tool
                    metadata: {name: %s, namespace: payments}
                    spec: {type: exec, exec: {command: [echo, %s]}}
                    """.formatted(tool, tool));
        }
        Path manifest = files.resolve("payments.yaml");
        Files.writeString(manifest, manifests);
        succeeds(admin.run("apply", "-f", manifest.toString()));
        Files.writeString(manifest, manifests.toString().replace("[echo, build]", "[make, build]"));
        succeeds(admin.run("apply", "-f", manifest.toString()));
        succeeds(admin.run("delete", "tool", "notify", "-n", "payments"));
        api.namespace("followed");
        api.tool("followed", "before");

        for (String user : List.of("amy", "rob")) {
            succeeds(admin.runWithInput(PASSWORD + "\n", "users", "create", user, "--password-stdin"));
        }
        succeeds(admin.run("roles", "bind", "auditor", "--user", "amy", "--cluster"));
        succeeds(admin.run("roles", "bind", "reader", "--user", "rob", "--cluster"));
        // The auditor talks through a wire, so that a test can see and hold back its requests.
        wire = Wire.to(server.port);
        auditor = new Cli(wire.url()).login("amy", PASSWORD);
        reader = new Cli(url).login("rob", PASSWORD);
    }

    @AfterAll
    void stop() throws Exception {
        if (wire != null) {
            wire.close();
        }
        if (server != null) {
            server.stopCleanly();
        }
    }

    private static void succeeds(Cli.Result result) {
        assertThat(result.exit()).as(result.toString()).isZero();
    }

    /** The chain's events as the API sends them, each as compact JSON. */
    private List<String> eventsOf(String namespace) {
        Http.Reply reply = api.get("/v1/audit/events?namespace=" + namespace + "&limit=1000");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<String> lines = new ArrayList<>();
        reply.json().path("items").forEach(item -> lines.add(Http.JSON.writeValueAsString(item)));
        return lines;
    }

    /** The auditor's export of payments, with its checkpoints file and the public key fetched without a login. */
    private record Export(Path events, Path checkpoints, Path publicKey, List<String> lines) {
    }

    private Export exportPayments(String name) throws IOException {
        Path checkpoints = files.resolve(name + "-cps.json");
        Cli.Result export = auditor.run("audit", "export", "-n", "payments", "--checkpoints", checkpoints.toString());
        succeeds(export);
        Path events = files.resolve(name + ".jsonl");
        Files.writeString(events, export.out());
        Cli.Result key = new Cli(url).run("audit", "public-key");
        succeeds(key);
        Path publicKey = files.resolve(name + "-k.pem");
        Files.writeString(publicKey, key.out());
        return new Export(events, checkpoints, publicKey, export.outLines());
    }

    /** {@code audit verify --offline} by a CLI that has no server to ask: the files are all it has. */
    private static Cli.Result verifyOffline(Path events, Export export) {
        return new Cli("http://127.0.0.1:9").run("audit", "verify", "--offline", events.toString(),
                "--checkpoints", export.checkpoints().toString(), "--public-key", export.publicKey().toString());
    }

    private Path tampered(String name, List<String> lines) throws IOException {
        Path file = files.resolve(name + ".jsonl");
        Files.write(file, lines);
        return file;
    }

    // --- export and offline verification ------------------------------------------------------

    @Test
    void anExportVerifiesOfflineWithOnlyThePublicKey() throws Exception {
        List<String> stored = eventsOf("payments");
        // 6 tools created, 1 updated, 1 deleted (the namespace itself is a cluster-level object).
        assertThat(stored).hasSize(8);

        Export export = exportPayments("intact");

        assertThat(export.lines()).as("each line is the event as the API sends it").isEqualTo(stored);
        JsonNode checkpoints = Http.JSON.readTree(Files.readString(export.checkpoints()));
        assertThat(checkpoints.path("chain").asString()).isEqualTo("payments");
        assertThat(checkpoints.path("anchor").isNull()).isTrue();
        assertThat(checkpoints.path("items").size()).as("the export's own checkpoint at least").isPositive();
        assertThat(checkpoints.path("items").get(checkpoints.path("items").size() - 1).path("seq").asLong())
                .as("the export is covered to its last event").isEqualTo(8);
        assertThat(Files.readString(export.publicKey())).startsWith("-----BEGIN PUBLIC KEY-----\n")
                .endsWith("-----END PUBLIC KEY-----\n");

        Cli.Result verified = verifyOffline(export.events(), export);

        assertThat(verified.exit()).as(verified.toString()).isEqualTo(WardenCli.OK);
        assertThat(verified.outLines()).containsExactly("ok       payments           8 events, last checkpoint at seq 8");
        assertThat(verified.err()).isEmpty();

        Cli.Result fromStdin = new Cli("http://127.0.0.1:9").runWithInput(Files.readString(export.events()),
                "audit", "verify", "--offline", "-", "--checkpoints", export.checkpoints().toString(),
                "--public-key", export.publicKey().toString());
        assertThat(fromStdin.exit()).as(fromStdin.toString()).isZero();
        assertThat(fromStdin.outLines()).isEqualTo(verified.outLines());
    }

    @Test
    void aTamperedExportIsNamedByKindAndSeq() throws Exception {
        Export export = exportPayments("tampered");
        List<String> lines = export.lines();
        assertThat(lines).hasSize(8);

        // A field of a middle line changed: event 4 now claims another target.
        List<String> modified = new ArrayList<>(lines);
        ObjectNode event = (ObjectNode) Http.JSON.readTree(modified.get(3));
        event.put("targetName", "innocent");
        modified.set(3, Http.JSON.writeValueAsString(event));
        // A line deleted, two lines swapped, the last lines cut.
        List<String> deleted = new ArrayList<>(lines);
        deleted.remove(4);
        List<String> swapped = new ArrayList<>(lines);
        swapped.set(2, lines.get(3));
        swapped.set(3, lines.get(2));
        List<String> cut = lines.subList(0, 6);

        Cli.Result modifiedResult = verifyOffline(tampered("modified", modified), export);
        Cli.Result deletedResult = verifyOffline(tampered("deleted", deleted), export);
        Cli.Result swappedResult = verifyOffline(tampered("swapped", swapped), export);
        Cli.Result cutResult = verifyOffline(tampered("cut", cut), export);

        assertThat(modifiedResult.exit()).as(modifiedResult.toString()).isEqualTo(1);
        assertThat(modifiedResult.outLines()).singleElement().asString().startsWith("FAILED   payments           MODIFIED at seq 4: ");
        assertThat(deletedResult.exit()).as(deletedResult.toString()).isEqualTo(1);
        assertThat(deletedResult.outLines()).singleElement().asString().startsWith("FAILED   payments           DELETED at seq 5: ");
        assertThat(swappedResult.exit()).as(swappedResult.toString()).isEqualTo(1);
        assertThat(swappedResult.outLines()).singleElement().asString().startsWith("FAILED   payments           REORDERED at seq 3: ");
        assertThat(cutResult.exit()).as(cutResult.toString()).isEqualTo(1);
        assertThat(cutResult.outLines()).singleElement().asString().startsWith("FAILED   payments           TRUNCATED at seq 7: ");
        for (Cli.Result result : List.of(modifiedResult, deletedResult, swappedResult, cutResult)) {
            assertThat(result.err()).isEmpty();
        }
    }

    @Test
    void anExportEndsAtTheCheckpointItAskedFor() throws Exception {
        api.namespace("growing");
        api.tool("growing", "first");
        api.tool("growing", "second");
        Path checkpoints = files.resolve("growing-cps.json");
        int before = wire.requests().size();
        // Between the export's checkpoint and its reads, the chain grows and is checkpointed again.
        Wire.Held reads = wire.hold(r -> r.line().equals("GET /v1/audit/checkpoints"));
        Cli.Running export = auditor.start("audit", "export", "-n", "growing", "--checkpoints", checkpoints.toString());
        reads.awaitArrival();
        api.tool("growing", "third");
        Http.Reply later = api.post("/v1/audit/checkpoints?namespace=growing", "");
        assertThat(later.json().path("seq").asLong()).isEqualTo(3);
        reads.release();
        Cli.Result result = export.await(Duration.ofSeconds(30));

        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.outLines()).isEqualTo(eventsOf("growing").subList(0, 2));
        assertThat(result.errLines()).containsExactly(
                "Exported 2 events of chain growing (seq 1 to 2), covered by the checkpoint at seq 2.");
        JsonNode file = Http.JSON.readTree(Files.readString(checkpoints));
        assertThat(file.path("items").findValuesAsString("chain")).containsOnly("growing");
        assertThat(file.path("items").findValues("seq")).extracting(JsonNode::asLong)
                .as("the checkpoint at seq 3 came after the export's end").contains(2L).allSatisfy(seq -> assertThat(seq).isLessThanOrEqualTo(2L));
        assertThat(wire.requestsSince(before)).extracting(Wire.Request::toString).containsExactly(
                "POST /v1/audit/checkpoints?namespace=growing",
                "GET /v1/audit/checkpoints?namespace=growing",
                "GET /v1/audit/events?namespace=growing&limit=500");

        Path events = files.resolve("growing.jsonl");
        Files.writeString(events, result.out());
        Export keys = exportPayments("for-growing");
        Cli.Result verified = verifyOffline(events, new Export(events, checkpoints, keys.publicKey(), result.outLines()));
        assertThat(verified.exit()).as(verified.toString()).isZero();
        assertThat(verified.outLines()).containsExactly("ok       growing            2 events, last checkpoint at seq 2");
        assertThat(verified.err()).as("no event lies past the last checkpoint").isEmpty();
    }

    @Test
    void anEmptyChainExportsNothingAndSaysSo() throws Exception {
        api.namespace("quiet");
        Path checkpoints = files.resolve("quiet-cps.json");

        Cli.Result result = auditor.run("audit", "export", "-n", "quiet", "--checkpoints", checkpoints.toString());

        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).containsExactly("Chain quiet has no events; nothing exported.");
        assertThat(Http.JSON.readTree(Files.readString(checkpoints)).path("items").size()).isZero();
    }

    // --- server-side verification ---------------------------------------------------------------

    @Test
    void verifyOnTheServerFindsEveryChainIntact() {
        Cli.Result all = auditor.run("audit", "verify");

        assertThat(all.exit()).as(all.toString()).isEqualTo(WardenCli.OK);
        assertThat(all.outLines()).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(line -> assertThat(line).matches("ok {7}\\S+ +[0-9,]+ events?, (no checkpoint|last checkpoint at seq .*)"));
        assertThat(all.outLines()).anySatisfy(line -> assertThat(line).startsWith("ok       (cluster)   "))
                .anySatisfy(line -> assertThat(line).startsWith("ok       payments           8 events, "))
                .anySatisfy(line -> assertThat(line).startsWith("ok       followed           "));
        assertThat(all.errLines()).containsExactly("All " + all.outLines().size() + " chains verified.");

        Cli.Result one = admin.run("audit", "verify", "-n", "payments");
        assertThat(one.exit()).as(one.toString()).isZero();
        assertThat(one.outLines()).singleElement().asString().startsWith("ok       payments           8 events, ");
        assertThat(one.errLines()).containsExactly("1 chain verified.");
    }

    // --- tail -----------------------------------------------------------------------------------

    @Test
    void tailPrintsTheMostRecentEvents() {
        List<String> stored = eventsOf("payments");

        Cli.Result json = auditor.run("audit", "tail", "-n", "payments", "--last", "5", "-o", "json");

        assertThat(json.exit()).as(json.toString()).isZero();
        assertThat(json.outLines()).isEqualTo(stored.subList(stored.size() - 5, stored.size()));

        Cli.Result table = auditor.run("audit", "tail", "-n", "payments", "--last", "3");
        assertThat(table.exit()).as(table.toString()).isZero();
        List<List<String>> rows = TableOutput.rows(table.outLines(), "TIME", "CHAIN", "SEQ", "ACTOR", "ACTION", "TARGET", "OUTCOME");
        assertThat(rows).extracting(row -> row.subList(1, 7)).containsExactly(
                List.of("payments", "6", "admin", "resource.create", "Tool/notify", "success"),
                List.of("payments", "7", "admin", "resource.update", "Tool/build", "success"),
                List.of("payments", "8", "admin", "resource.delete", "Tool/notify", "success"));
        assertThat(rows).allSatisfy(row -> assertThat(row.getFirst()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));

        Cli.Result filtered = auditor.run("audit", "tail", "-n", "payments", "--action", "resource.update", "-o", "json");
        assertThat(filtered.outLines()).singleElement().asString().contains("\"seq\":7,").contains("\"targetName\":\"build\"");
    }

    @Test
    void tailFollowPrintsEventsRecordedAfterItStarted() throws Exception {
        Cli.Running tail = auditor.start("audit", "tail", "-n", "followed", "--last", "5", "-f", "-o", "json");
        try {
            tail.awaitOutLines(1);
            assertThat(tail.out()).contains("\"targetName\":\"before\"");

            succeeds(admin.run("apply", "-f", writeTool("followed", "after").toString()));
            tail.awaitOutLine(line -> line.contains("\"targetName\":\"after\""));
        } finally {
            Cli.Result result = tail.stop(Duration.ofSeconds(30));
            assertThat(result.exit()).as(result.toString()).isZero();
            assertThat(result.outLines()).hasSize(2);
            assertThat(result.outLines().get(1)).contains("\"chain\":\"followed\",\"seq\":2,").contains("\"action\":\"resource.create\"");
        }
    }

    private Path writeTool(String namespace, String name) throws IOException {
        Path file = files.resolve(namespace + "-" + name + ".yaml");
        Files.writeString(file, """
                apiVersion: warden.dev/v1
                kind: Tool
                metadata: {name: %s, namespace: %s}
                spec: {type: exec, exec: {command: [echo]}}
                """.formatted(name, namespace));
        return file;
    }

    // --- who may read the ledger ----------------------------------------------------------------

    @Test
    void aReaderIsToldThatTheLedgerIsNotHis() {
        Cli.Result tail = reader.run("audit", "tail");

        assertThat(tail.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(tail.out()).isEmpty();
        assertThat(tail.errLines()).hasSize(2);
        assertThat(tail.errLines().get(0)).matches("error: Forbidden: your roles do not allow 'list' on auditevents" + REQUEST_ID);
        assertThat(tail.errLines().get(1)).isEqualTo(FORBIDDEN_HINT);

        Cli.Result verify = reader.run("audit", "verify");
        assertThat(verify.exit()).as("could not verify: not a failed chain").isEqualTo(3);
        assertThat(verify.errLines()).hasSize(2);
        assertThat(verify.errLines().get(0)).matches("error: Forbidden: your roles do not allow 'list' on auditevents" + REQUEST_ID);

        Cli.Result export = reader.run("audit", "export", "-n", "payments");
        assertThat(export.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(export.errLines().get(0)).matches("error: Forbidden: your roles do not allow 'create' on auditcheckpoints" + REQUEST_ID);
        assertThat(export.out()).isEmpty();
    }

    @Test
    void theCheckpointsCommandPrintsWhatVerifyOfflineReads() throws Exception {
        // The head checkpointed first, so that no checkpoint is signed between the two reads below.
        assertThat(api.post("/v1/audit/checkpoints?namespace=payments", "").status()).isEqualTo(200);
        Cli.Result result = auditor.run("audit", "checkpoints", "-n", "payments");

        assertThat(result.exit()).as(result.toString()).isZero();
        JsonNode merged = Http.JSON.readTree(result.out());
        assertThat(merged.path("chain").asString()).isEqualTo("payments");
        assertThat(merged.has("anchor")).isTrue();
        assertThat(merged.path("items").isArray()).isTrue();
        Http.Reply direct = api.get("/v1/audit/checkpoints?namespace=payments");
        assertThat(merged.path("items")).isEqualTo(direct.json().path("items"));
    }
}
