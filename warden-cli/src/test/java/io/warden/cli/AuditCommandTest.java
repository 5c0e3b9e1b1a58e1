package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.core.audit.AuditRecord;
import io.warden.core.audit.Chain;
import io.warden.core.audit.Checkpoint;
import io.warden.core.audit.CheckpointSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code warden audit} decides without a server: offline verification of files (made here
 * with warden-core, as the server makes them), malformed input, and the command line. An export
 * the real server produced, tampered with: warden-it's AuditEndToEndTest.
 */
class AuditCommandTest {

    private static final String CHAIN = "payments";

    @TempDir
    Path dir;

    private final Chain chainKey = new Chain(new byte[32]);
    private final CheckpointSigner signer = CheckpointSigner.generate();
    private CliRunner cli;
    private Path key;

    @BeforeEach
    void setUp() throws IOException {
        // An unreachable server: offline verification must not need one.
        cli = new CliRunner(dir).env("WARDEN_SERVER", CliRunner.unreachableServer());
        key = Files.writeString(dir.resolve("k.pem"), signer.publicKeyPem());
    }

    /** Records {@code from..to} of the chain, the first linked to {@code prev}. */
    private List<AuditRecord> records(long from, long to, Chain.Link prev) {
        return records(from, to, prev, -1, -1);
    }

    /** As {@link #records(long, long, Chain.Link)}, the record at {@code pruneAt} being retention's cut at {@code anchorSeq}. */
    private List<AuditRecord> records(long from, long to, Chain.Link prev, long pruneAt, long anchorSeq) {
        List<AuditRecord> out = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            boolean prune = seq == pruneAt;
            AuditRecord r = chainKey.seal(new AuditRecord(CHAIN, seq, 1_767_225_600_000L + seq, prune ? "system" : "user",
                    prune ? "retention" : "alice", prune ? null : "token", prune ? "audit.prune" : "resource.update",
                    prune ? "AuditChain" : "Tool", CHAIN, prune ? CHAIN : "tool-" + seq, "success", "req-" + seq, null,
                    prune ? "{\"anchorSeq\":" + anchorSeq + ",\"eventsRemoved\":" + anchorSeq + ",\"retentionDays\":30}"
                            : "{\"changed\":[\"spec\"],\"note\":\"café\"}"), prev);
            out.add(r);
            prev = r.link();
        }
        return out;
    }

    private Checkpoint checkpointOf(AuditRecord r) {
        return signer.sign(r.chain(), r.seq(), r.link(), r.time() + 1);
    }

    private Path events(String name, List<String> lines) throws IOException {
        return Files.write(dir.resolve(name), lines, StandardCharsets.UTF_8);
    }

    private static List<String> lines(List<AuditRecord> records) {
        return records.stream().map(AuditJson::line).toList();
    }

    private Path checkpoints(String chain, Checkpoint anchor, List<Checkpoint> items) throws IOException {
        return Files.writeString(dir.resolve("cps.json"), Json.pretty(AuditJson.checkpointsFile(chain, anchor, items)));
    }

    private CliRunner.Result verify(Path events, Path checkpoints, String... more) {
        List<String> args = new ArrayList<>(List.of("audit", "verify", "--offline", events.toString(),
                "--checkpoints", checkpoints.toString(), "--public-key", key.toString()));
        args.addAll(List.of(more));
        return cli.run(args.toArray(String[]::new));
    }

    @Test
    void aCheckpointedExportVerifies() throws IOException {
        List<AuditRecord> records = records(1, 10, Chain.GENESIS);

        CliRunner.Result result = verify(events("events.jsonl", lines(records)),
                checkpoints(CHAIN, null, List.of(checkpointOf(records.get(4)), checkpointOf(records.get(9)))));

        assertThat(result.exit()).isEqualTo(WardenCli.OK);
        assertThat(result.outLines()).containsExactly("ok       payments           10 events, last checkpoint at seq 10");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void aLineIsTheRecordsEighteenFieldsInOrder() {
        AuditRecord r = records(1, 1, Chain.GENESIS).getFirst();

        String line = AuditJson.line(r);

        assertThat(line).startsWith("{\"chain\":\"payments\",\"seq\":1,\"time\":1767225600001,\"actorKind\":\"user\",")
                .contains(",\"clientAddress\":null,\"details\":\"{\\\"changed\\\":[\\\"spec\\\"],\\\"note\\\":\\\"café\\\"}\",");
        assertThat(AuditJson.parse(line).propertyNames()).containsExactlyElementsOf(AuditJson.RECORD_FIELDS);
        assertThat(AuditJson.record(AuditJson.parse(line))).isEqualTo(r);
    }

    @Test
    void eventsPastTheLastCheckpointAreNotProvenOffline() throws IOException {
        List<AuditRecord> records = records(1, 1200, Chain.GENESIS);

        CliRunner.Result result = verify(events("events.jsonl", lines(records)),
                checkpoints(CHAIN, null, List.of(checkpointOf(records.get(999)))));

        assertThat(result.exit()).isEqualTo(WardenCli.OK);
        assertThat(result.outLines()).containsExactly(
                "ok       payments           1,200 events, last checkpoint at seq 1,000 (200 events after it)");
        assertThat(result.errLines()).containsExactly("warning: the events after seq 1,000 (seq 1,001 to 1,200) are not covered"
                + " by a signed checkpoint: offline, they are not proven (audit export asks for a checkpoint of the head first).");

        CliRunner.Result none = verify(events("events.jsonl", lines(records.subList(0, 3))), checkpoints(CHAIN, null, List.of()));
        assertThat(none.exit()).isEqualTo(WardenCli.OK);
        assertThat(none.outLines()).containsExactly("ok       payments           3 events, no checkpoint");
        assertThat(none.errLines()).singleElement().asString().startsWith("warning: no signed checkpoint covers these events: ");
    }

    @Test
    void aChainPrunedByRetentionStartsAtItsAnchor() throws IOException {
        List<AuditRecord> all = records(1, 8, Chain.GENESIS, 6, 5); // cut at 5, its audit.prune record is 6
        Checkpoint anchor = checkpointOf(all.get(4));
        List<AuditRecord> kept = all.subList(5, 8);

        CliRunner.Result result = verify(events("events.jsonl", lines(kept)),
                checkpoints(CHAIN, anchor, List.of(anchor, checkpointOf(all.get(7)))));

        assertThat(result.exit()).isEqualTo(WardenCli.OK);
        assertThat(result.outLines()).containsExactly("ok       payments           3 events, last checkpoint at seq 8");

        CliRunner.Result withoutAnchor = verify(events("events.jsonl", lines(kept)),
                checkpoints(CHAIN, null, List.of(checkpointOf(all.get(7)))));
        assertThat(withoutAnchor.exit()).isEqualTo(AuditCommand.NOT_VERIFIED);
        assertThat(withoutAnchor.outLines()).singleElement().asString().startsWith("FAILED   payments           DELETED at seq 1: ");

        // An anchor that no audit.prune record accounts for: records were deleted outside retention.
        List<AuditRecord> unaccounted = records(1, 8, Chain.GENESIS);
        CliRunner.Result copiedAnchor = verify(events("events.jsonl", lines(unaccounted.subList(5, 8))),
                checkpoints(CHAIN, checkpointOf(unaccounted.get(4)), List.of(checkpointOf(unaccounted.get(7)))));
        assertThat(copiedAnchor.exit()).isEqualTo(AuditCommand.NOT_VERIFIED);
        assertThat(copiedAnchor.outLines()).singleElement().asString().startsWith("FAILED   payments           DELETED at seq 5: ");
    }

    @Test
    void anotherKeyOrABrokenSignatureIsABadCheckpoint() throws IOException {
        List<AuditRecord> records = records(1, 4, Chain.GENESIS);
        Checkpoint good = checkpointOf(records.get(3));
        Checkpoint forged = new Checkpoint(CHAIN, 4, good.hash(), good.digest(), good.time(),
                (good.signature().charAt(0) == '0' ? "1" : "0") + good.signature().substring(1));
        Path events = events("events.jsonl", lines(records));

        CliRunner.Result broken = verify(events, checkpoints(CHAIN, null, List.of(forged)));
        Files.writeString(key, CheckpointSigner.generate().publicKeyPem());
        CliRunner.Result otherKey = verify(events, checkpoints(CHAIN, null, List.of(good)));

        assertThat(broken.exit()).isEqualTo(AuditCommand.NOT_VERIFIED);
        assertThat(broken.outLines()).singleElement().asString().startsWith("FAILED   payments           BAD_CHECKPOINT_SIGNATURE at seq 4");
        assertThat(otherKey.exit()).isEqualTo(AuditCommand.NOT_VERIFIED);
        assertThat(otherKey.outLines()).singleElement().asString().startsWith("FAILED   payments           BAD_CHECKPOINT_SIGNATURE at seq 4");
    }

    @Test
    void theChainComesFromTheOptionsElseFromTheCheckpointsFile() throws IOException {
        List<AuditRecord> records = records(1, 2, Chain.GENESIS);
        Path events = events("events.jsonl", lines(records));
        List<Checkpoint> items = List.of(checkpointOf(records.get(1)));

        CliRunner.Result named = verify(events, checkpoints(null, null, items), "-n", CHAIN);
        assertThat(named.exit()).isEqualTo(WardenCli.OK);
        assertThat(named.outLines()).containsExactly("ok       payments           2 events, last checkpoint at seq 2");

        CliRunner.Result unnamed = verify(events, checkpoints(null, null, items));
        assertThat(unnamed.exit()).isEqualTo(WardenCli.USAGE);
        assertThat(unnamed.errLines().getFirst()).isEqualTo("error: " + dir.resolve("cps.json")
                + " names no chain (it holds the checkpoints of every chain): give -n NS or --cluster");

        CliRunner.Result other = verify(events, checkpoints(CHAIN, null, items), "--cluster");
        assertThat(other.exit()).isEqualTo(AuditCommand.CANNOT_VERIFY);
        assertThat(other.errLines()).containsExactly("error: " + dir.resolve("cps.json")
                + " holds the checkpoints of chain payments, not of (cluster)");
    }

    @Test
    void eventsAreReadFromStdinWithADash() throws IOException {
        List<AuditRecord> records = records(1, 3, Chain.GENESIS);
        Path checkpoints = checkpoints(CHAIN, null, List.of(checkpointOf(records.get(2))));

        CliRunner.Result result = cli.stdin(String.join("\n", lines(records)) + "\n").run("audit", "verify", "--offline", "-",
                "--checkpoints", checkpoints.toString(), "--public-key", key.toString());

        assertThat(result.exit()).isEqualTo(WardenCli.OK);
        assertThat(result.outLines()).containsExactly("ok       payments           3 events, last checkpoint at seq 3");
    }

    @Test
    void aMalformedLineIsNamedByItsNumber() throws IOException {
        List<String> lines = new ArrayList<>(lines(records(1, 5, Chain.GENESIS)));
        Path checkpoints = checkpoints(CHAIN, null, List.of());
        String third = lines.get(2);

        assertThat(malformed(lines, 2, "{\"chain\":", checkpoints))
                .startsWith("error: events.jsonl, line 3: not an audit event: not JSON: Unexpected end-of-input")
                .endsWith(" (column 10)");
        assertThat(malformed(lines, 2, third.replace(",\"outcome\":\"success\"", ""), checkpoints))
                .isEqualTo("error: events.jsonl, line 3: not an audit event: no field \"outcome\"");
        assertThat(malformed(lines, 2, third.replace("\"seq\":3", "\"seq\":\"3\""), checkpoints))
                .isEqualTo("error: events.jsonl, line 3: not an audit event: \"seq\" is not an integer");
        assertThat(malformed(lines, 2, third.replace("\"seq\":3", "\"seq\":3.0"), checkpoints))
                .isEqualTo("error: events.jsonl, line 3: not an audit event: \"seq\" is not an integer");
        assertThat(malformed(lines, 2, third.replace("\"actorId\":\"alice\"", "\"actorId\":7"), checkpoints))
                .isEqualTo("error: events.jsonl, line 3: not an audit event: \"actorId\" is not a string or null");
        assertThat(malformed(lines, 2, "[1,2]", checkpoints))
                .isEqualTo("error: events.jsonl, line 3: not an audit event: not a JSON object");
        assertThat(malformed(lines, 2, third + " {}", checkpoints))
                .as("text after the event").startsWith("error: events.jsonl, line 3: not an audit event: not JSON: ");
        assertThat(malformed(lines, 2, third.replace("{\"chain\":\"payments\",", "{\"chain\":\"payments\",\"seq\":99,"), checkpoints))
                .as("a duplicated key").startsWith("error: events.jsonl, line 3: not an audit event: not JSON: Duplicate Object property \"seq\"");

        List<String> withBlank = new ArrayList<>(lines);
        withBlank.add(1, "");
        assertThat(malformed(withBlank, 4, "nope", checkpoints))
                .as("blank lines are skipped but counted").startsWith("error: events.jsonl, line 5: not an audit event: not JSON: ");
    }

    /** Verifies the lines with line {@code index} replaced; returns the only line of stderr. */
    private String malformed(List<String> lines, int index, String replacement, Path checkpoints) throws IOException {
        List<String> changed = new ArrayList<>(lines);
        changed.set(index, replacement);
        Path events = events("events.jsonl", changed);
        CliRunner.Result result = cli.run("audit", "verify", "--offline", events.toString(),
                "--checkpoints", checkpoints.toString(), "--public-key", key.toString());
        assertThat(result.exit()).as(result.err()).isEqualTo(AuditCommand.CANNOT_VERIFY);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).hasSize(1);
        return result.errLines().getFirst().replace(events.toString(), "events.jsonl");
    }

    @Test
    void unreadableKeysAndCheckpointsCannotVerify() throws IOException {
        Path events = events("events.jsonl", lines(records(1, 1, Chain.GENESIS)));
        Path checkpoints = checkpoints(CHAIN, null, List.of());

        CliRunner.Result notAKey = cli.run("audit", "verify", "--offline", events.toString(), "--checkpoints", checkpoints.toString(),
                "--public-key", checkpoints.toString());
        assertThat(notAKey.exit()).isEqualTo(AuditCommand.CANNOT_VERIFY);
        assertThat(notAKey.errLines()).singleElement().asString().startsWith("error: " + checkpoints + ": ");

        CliRunner.Result notCheckpoints = cli.run("audit", "verify", "--offline", events.toString(), "--checkpoints", key.toString(),
                "--public-key", key.toString());
        assertThat(notCheckpoints.exit()).isEqualTo(AuditCommand.CANNOT_VERIFY);
        assertThat(notCheckpoints.errLines()).singleElement().asString()
                .startsWith("error: " + key + " is not a checkpoints file: not JSON: ");

        Files.writeString(checkpoints, "{\"chain\":\"payments\",\"items\":[{\"chain\":\"payments\",\"seq\":1}]}");
        CliRunner.Result badItem = cli.run("audit", "verify", "--offline", events.toString(), "--checkpoints", checkpoints.toString(),
                "--public-key", key.toString());
        assertThat(badItem.exit()).isEqualTo(AuditCommand.CANNOT_VERIFY);
        assertThat(badItem.errLines()).containsExactly(
                "error: " + checkpoints + " is not a checkpoints file: checkpoint 1 of \"items\": no field \"hash\"");

        CliRunner.Result missing = cli.run("audit", "verify", "--offline", dir.resolve("nope.jsonl").toString(),
                "--checkpoints", dir.resolve("cps.json").toString(), "--public-key", key.toString());
        assertThat(missing.exit()).isEqualTo(AuditCommand.CANNOT_VERIFY);
    }

    @Test
    void verifyOnAServerThatCannotBeReachedIsNotAFailedChain() {
        String server = CliRunner.unreachableServer();

        CliRunner.Result result = new CliRunner(dir).env("WARDEN_SERVER", server).run("audit", "verify");

        assertThat(result.exit()).isEqualTo(AuditCommand.CANNOT_VERIFY);
        assertThat(result.errLines()).containsExactly("error: cannot reach Warden at " + server + ": connection refused");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void aProxyErrorDuringVerifyIsNotAFailedChain() throws IOException {
        try (BrokenProxy proxy = BrokenProxy.answering(502, "text/html", "<html><body>Bad Gateway</body></html>")) {
            CliRunner.Result result = new CliRunner(dir).env("WARDEN_SERVER", proxy.url()).run("audit", "verify", "-n", CHAIN);

            assertThat(result.exit()).isEqualTo(AuditCommand.CANNOT_VERIFY);
            assertThat(result.errLines()).containsExactly("error: HTTP 502");
        }
    }

    @Test
    void usageErrors() {
        assertThat(cli.run("audit", "verify", "--checkpoints", "cps.json").errLines())
                .containsExactly("error: --checkpoints and --public-key go with --offline EVENTS.jsonl", "See 'warden audit verify --help'.");
        assertThat(cli.run("audit", "verify", "--offline", "e.jsonl", "--public-key", "k.pem").errLines().getFirst())
                .isEqualTo("error: --offline needs --checkpoints FILE and --public-key FILE");
        assertThat(cli.run("audit", "export").errLines().getFirst())
                .isEqualTo("error: export works on one chain: give -n NS or --cluster");
        assertThat(cli.run("audit", "tail", "-n", "a", "--cluster").errLines().getFirst())
                .isEqualTo("error: give -n NS or --cluster, not both");
        assertThat(cli.run("audit", "tail", "-o", "yaml").errLines().getFirst()).isEqualTo("error: -o accepts table or json here");
        assertThat(cli.run("audit", "tail", "--last", "0").errLines().getFirst()).isEqualTo("error: --last must be at least 1");
        for (String[] args : List.of(new String[] {"audit", "verify", "--checkpoints", "x"}, new String[] {"audit", "export"},
                new String[] {"audit", "tail", "-o", "name"}, new String[] {"audit", "frobnicate"})) {
            assertThat(cli.run(args).exit()).as(String.join(" ", args)).isEqualTo(WardenCli.USAGE);
        }
    }

    @Test
    void helpDocumentsTheExitCodesOfVerify() {
        CliRunner.Result help = cli.run("audit", "verify", "--help");

        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--offline=EVENTS.jsonl").contains("Exit codes:")
                .contains("1   a chain did not verify").contains("3   could not verify");
        assertThat(cli.run("audit", "--help").out()).contains("verify").contains("export").contains("checkpoints")
                .contains("public-key").contains("tail");
    }
}
