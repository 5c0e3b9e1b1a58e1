package io.warden.cli;

import io.warden.core.audit.AuditRecord;
import io.warden.core.audit.ChainVerifier;
import io.warden.core.audit.Checkpoint;
import io.warden.core.audit.CheckpointSigner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code warden audit ...}: the audit ledger ({@code /v1/audit}, docs/reference/audit.md). Reading
 * it takes an admin or the {@code auditor} role; {@code public-key} and {@code verify --offline}
 * need nobody's permission.
 *
 * <p>A chain is chosen with {@code -n NS} (a namespace's chain) or {@code --cluster} (the chain of
 * cluster-level events); neither means every chain. Unlike resource commands, the context's
 * namespace is not a default here: the ledger is read across namespaces.
 */
@Command(name = "audit", description = {
        "Read, follow, export and verify the tamper-evident audit ledger.",
        "Needs an admin or the auditor role",
        "(warden roles bind auditor --user NAME --cluster); public-key and",
        "verify --offline need no login. -n NS: a namespace's chain; --cluster: the",
        "chain of cluster-level events; neither: every chain."})
final class AuditCommand implements Callable<Integer> {

    /** {@code audit verify}: a chain did not verify. */
    static final int NOT_VERIFIED = 1;
    /** {@code audit verify}: nothing could be verified (no answer, refused, unreadable input). */
    static final int CANNOT_VERIFY = 3;

    /** What the CHAIN column shows for the cluster chain, whose name is "". */
    static final String CLUSTER = "(cluster)";

    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    private static final String EVENTS = "/v1/audit/events";
    private static final String CHECKPOINTS = "/v1/audit/checkpoints";
    private static final String HINT_FORBIDDEN =
            "The audit ledger is open to admins and to the auditor role: warden roles bind auditor --user NAME --cluster";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final List<String> TAIL_HEADERS = List.of("TIME", "CHAIN", "SEQ", "ACTOR", "ACTION", "TARGET", "OUTCOME");
    /** Least widths of the tail table, so that the rows a follow prints later line up with the first ones. */
    private static final int[] TAIL_WIDTHS = {20, 12, 5, 12, 18, 24, 7};
    private static final int STATUS_WIDTH = "FAILED".length();
    private static final int CHAIN_WIDTH = 16;

    @Spec
    private CommandSpec spec;

    private final Session session;

    AuditCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(session.out());
        return WardenCli.OK;
    }

    /** {@code -n NS} or {@code --cluster}: the chain a command works on. */
    static final class ChainChoice {

        @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "The chain of this namespace.")
        String namespace;

        @Option(names = "--cluster", description = "The chain of cluster-level events (users, tokens, logins, ...).")
        boolean cluster;

        /** The chain's name ("" for the cluster chain), or null for every chain. */
        String chain() {
            if (cluster && namespace != null) {
                throw CliException.usage("give -n NS or --cluster, not both");
            }
            return cluster ? AuditRecord.CLUSTER_CHAIN : namespace;
        }

        String required(String what) {
            String chain = chain();
            if (chain == null) {
                throw CliException.usage(what + " works on one chain: give -n NS or --cluster");
            }
            return chain;
        }

        /** The query parameters that choose the chain. */
        Map<String, String> query() {
            return query(chain());
        }

        static Map<String, String> query(String chain) {
            Map<String, String> query = new LinkedHashMap<>();
            if (AuditRecord.CLUSTER_CHAIN.equals(chain)) {
                query.put("cluster", "true");
            } else if (chain != null) {
                query.put("namespace", chain);
            }
            return query;
        }
    }

    /** How a chain is named to people: the namespace, or {@value #CLUSTER}. */
    static String display(String chain) {
        return chain == null ? "(all chains)" : chain.isEmpty() ? CLUSTER : Text.cell(chain);
    }

    // --- verify -------------------------------------------------------------------------------

    @Command(name = "verify",
            description = {
                    "Verify chains: on the server, or --offline an export with the public key.",
                    "The server checks with the chain key; --offline needs only the checkpoints'",
                    "public key: no server, no login. One line per chain on stdout; progress",
                    "and warnings on stderr."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                    "0:every chain verified",
                    "1:a chain did not verify (its line names the problem and the seq)",
                    "2:usage error",
                    "3:could not verify: no answer, refused, or unreadable input"},
            footer = {"",
                    "Offline:",
                    "  warden audit export -n payments --checkpoints cps.json > events.jsonl",
                    "  warden audit public-key > k.pem",
                    "  warden audit verify --offline events.jsonl \\",
                    "      --checkpoints cps.json --public-key k.pem"})
    int verify(@Mixin ChainChoice choice,
               @Option(names = "--offline", paramLabel = "EVENTS.jsonl",
                       description = "Verify this export (JSON Lines, as audit export writes it; - for stdin) without a server.")
               String offline,
               @Option(names = "--checkpoints", paramLabel = "FILE",
                       description = "With --offline: the chain's checkpoints (as audit export --checkpoints writes them).")
               Path checkpoints,
               @Option(names = "--public-key", paramLabel = "FILE",
                       description = "With --offline: the checkpoints' public key (PEM, as audit public-key prints it).")
               Path publicKey) {
        String chain = choice.chain();
        if (offline == null) {
            if (checkpoints != null || publicKey != null) {
                throw CliException.usage("--checkpoints and --public-key go with --offline EVENTS.jsonl");
            }
            return verifyOnServer(chain);
        }
        if (checkpoints == null || publicKey == null) {
            throw CliException.usage("--offline needs --checkpoints FILE and --public-key FILE");
        }
        return verifyOffline(chain, offline, checkpoints, publicKey);
    }

    private int verifyOnServer(String chain) {
        PrintWriter out = session.out();
        PrintWriter err = session.err();
        int failed = 0;
        int chains = 0;
        JsonNode summary = null;
        try (InputStream stream = session.client().stream("/v1/audit/verify", ChainChoice.query(chain), "application/x-ndjson");
             BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while (summary == null && (line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = serverLine(line);
                String status = Text.firstNonNull(Json.text(n, "status"), "");
                if (!n.has("chain")) {
                    if ("error".equals(status)) {
                        throw cannotVerify(List.of("the server could not finish the verification: "
                                + Text.cell(abbreviate(Json.text(n, "detail")))), null);
                    }
                    summary = n;
                    continue;
                }
                String name = Json.text(n, "chain");
                switch (status) {
                    case "verifying" -> {
                        err.println("verifying " + display(name) + ": " + count(n.path("verified").asLong()) + " events so far");
                        err.flush();
                    }
                    case "ok" -> {
                        chains++;
                        out.println(resultLine("ok", name, okText(n.path("count").asLong(), n.path("lastSeq").asLong(),
                                lastCheckpointSeq(n.path("lastCheckpoint")))));
                        out.flush();
                    }
                    case "failed" -> {
                        chains++;
                        failed++;
                        out.println(resultLine("FAILED", name, failedText(Json.text(n, "problem"), n.path("seq").asLong(),
                                Json.text(n, "detail"))));
                        out.flush();
                    }
                    default -> throw cannotVerify(List.of("unexpected line from the server: " + Text.cell(abbreviate(line))), null);
                }
            }
        } catch (IOException e) {
            throw cannotVerify(List.of("the verification stream from " + session.client().target().server() + " broke off: "
                    + UnreachableException.reason(e)), e);
        } catch (ApiException e) {
            List<String> lines = new ArrayList<>(e.problem().lines(""));
            if (e.status() == 403) {
                lines.add(HINT_FORBIDDEN);
            }
            throw cannotVerify(lines, null);
        } catch (UnreachableException e) {
            throw cannotVerify(List.of(e.getMessage()), e);
        } catch (CliException e) {
            if (e.exitCode() == WardenCli.USAGE || e.exitCode() == CANNOT_VERIFY) {
                throw e;
            }
            throw cannotVerify(e.lines(), e);
        }
        if (summary == null) {
            throw cannotVerify(List.of("the server ended the verification before its summary line (" + chains
                    + (chains == 1 ? " chain" : " chains") + " reported)"), null);
        }
        boolean ok = failed == 0 && "ok".equals(Json.text(summary, "status"));
        int total = summary.path("chains").asInt(chains);
        if (total == 0) {
            err.println(chain == null ? "No audit chains to verify." : "No such chain: " + display(chain) + ".");
        } else if (ok) {
            err.println(total == 1 ? "1 chain verified." : "All " + total + " chains verified.");
        } else {
            err.println(Math.max(failed, summary.path("failed").asInt()) + " of " + total
                    + (total == 1 ? " chain" : " chains") + " failed verification.");
        }
        return ok ? WardenCli.OK : NOT_VERIFIED;
    }

    private static JsonNode serverLine(String line) {
        try {
            JsonNode n = Json.JSON.readTree(line);
            if (n instanceof ObjectNode) {
                return n;
            }
        } catch (JacksonException e) {
            // reported below
        }
        throw cannotVerify(List.of("unexpected line from the server: " + Text.cell(abbreviate(line))), null);
    }

    private int verifyOffline(String chainOption, String events, Path checkpointsFile, Path publicKeyFile) {
        CheckpointSigner key = readPublicKey(publicKeyFile);
        JsonNode file = readJson(checkpointsFile);
        String chain;
        Checkpoint anchor;
        List<Checkpoint> checkpoints;
        try {
            if (!(file instanceof ObjectNode)) {
                throw new AuditJson.MalformedException("not a JSON object");
            }
            JsonNode fileChain = file.path("chain");
            if (!fileChain.isNull() && !fileChain.isMissingNode() && !fileChain.isString()) {
                throw new AuditJson.MalformedException("\"chain\" is not a string or null");
            }
            String named = fileChain.isString() ? fileChain.stringValue() : null;
            if (chainOption == null && named == null) {
                throw CliException.usage(checkpointsFile + " names no chain (it holds the checkpoints of every chain):"
                        + " give -n NS or --cluster");
            }
            if (chainOption != null && named != null && !chainOption.equals(named)) {
                throw cannotVerify(List.of(checkpointsFile + " holds the checkpoints of chain " + display(named)
                        + ", not of " + display(chainOption)), null);
            }
            chain = chainOption != null ? chainOption : named;
            if (!file.has("items")) {
                throw new AuditJson.MalformedException("no \"items\" array");
            }
            checkpoints = AuditJson.checkpoints(file.get("items"));
            anchor = AuditJson.optionalCheckpoint(file, "anchor");
        } catch (AuditJson.MalformedException e) {
            throw cannotVerify(List.of(checkpointsFile + " is not a checkpoints file: " + e.getMessage()), null);
        }
        if (anchor != null && !chain.equals(anchor.chain())) {
            throw cannotVerify(List.of("the anchor in " + checkpointsFile + " is a checkpoint of chain " + display(anchor.chain())
                    + ", not of " + display(chain)), null);
        }
        ChainVerifier verifier = ChainVerifier.publicOnly(chain, key).withCheckpoints(checkpoints);
        if (anchor != null) {
            verifier = verifier.startingAtRetentionAnchor(anchor);
        }
        ChainVerifier.Result result;
        String name = "-".equals(events) ? "stdin" : events;
        try (BufferedReader reader = openEvents(events)) {
            result = verifier.verify(new AuditLines(reader, name));
        } catch (AuditLines.BadLineException e) {
            throw cannotVerify(List.of(e.getMessage()), e.getCause());
        } catch (IOException e) {
            throw cannotVerify(List.of("cannot read " + name + ": " + e.getMessage()), e);
        }
        PrintWriter out = session.out();
        switch (result) {
            case ChainVerifier.Ok ok -> {
                long covered = ok.lastCheckpoint() == null ? -1 : ok.lastCheckpoint().seq();
                out.println(resultLine("ok", chain, okText(ok.count(), ok.lastSeq(), covered)));
                out.flush();
                if (ok.count() > 0 && ok.lastSeq() > covered) {
                    long first = Math.max(covered + 1, ok.lastSeq() - ok.count() + 1);
                    session.err().println("warning: " + (covered < 0
                            ? "no signed checkpoint covers these events"
                            : "the events after seq " + count(covered) + " (seq " + count(first) + " to "
                                    + count(ok.lastSeq()) + ") are not covered by a signed checkpoint")
                            + ": offline, they are not proven (audit export asks for a checkpoint of the head first).");
                }
                return WardenCli.OK;
            }
            case ChainVerifier.Failed f -> {
                out.println(resultLine("FAILED", chain, failedText(f.problem().name(), f.seq(), f.detail())));
                out.flush();
                return NOT_VERIFIED;
            }
        }
    }

    private BufferedReader openEvents(String events) throws IOException {
        if ("-".equals(events)) {
            // A decoder that reports bad bytes instead of replacing them: an export is read as it is.
            return new BufferedReader(new InputStreamReader(session.in(), StandardCharsets.UTF_8.newDecoder()));
        }
        Path path = Path.of(events);
        if (!Files.isRegularFile(path)) {
            throw cannotVerify(List.of(events + ": no such file"), null);
        }
        return Files.newBufferedReader(path, StandardCharsets.UTF_8);
    }

    private static CheckpointSigner readPublicKey(Path file) {
        String pem = readFile(file);
        try {
            return CheckpointSigner.fromPublicKeyPem(pem);
        } catch (IllegalArgumentException e) {
            throw cannotVerify(List.of(file + ": " + Text.cell(e.getMessage())), e);
        }
    }

    private static JsonNode readJson(Path file) {
        try {
            return AuditJson.parse(readFile(file));
        } catch (AuditJson.MalformedException e) {
            throw cannotVerify(List.of(file + " is not a checkpoints file: " + e.getMessage()), null);
        }
    }

    private static String readFile(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            throw cannotVerify(List.of("cannot read " + file + ": " + (Files.exists(file) ? e.getMessage() : "no such file")), e);
        }
    }

    private static CliException cannotVerify(List<String> lines, Throwable cause) {
        return CliException.withExit(CANNOT_VERIFY, lines, cause);
    }

    private static String resultLine(String status, String chain, String text) {
        String name = display(chain);
        return Table.row(List.of(status, name, text), new int[] {STATUS_WIDTH, Math.max(CHAIN_WIDTH, name.length()), 0});
    }

    private static String okText(long events, long lastSeq, long lastCheckpointSeq) {
        StringBuilder sb = new StringBuilder(count(events)).append(events == 1 ? " event" : " events");
        if (lastCheckpointSeq < 0) {
            sb.append(", no checkpoint");
        } else {
            sb.append(", last checkpoint at seq ").append(count(lastCheckpointSeq));
            if (lastSeq > lastCheckpointSeq) {
                long after = lastSeq - lastCheckpointSeq;
                sb.append(" (").append(count(after)).append(after == 1 ? " event" : " events").append(" after it)");
            }
        }
        return sb.toString();
    }

    private static String failedText(String problem, long seq, String detail) {
        return Text.cell(Text.firstNonNull(problem, "?")) + " at seq " + count(seq)
                + (Text.isBlank(detail) ? "" : ": " + Text.cell(detail));
    }

    private static long lastCheckpointSeq(JsonNode checkpoint) {
        return checkpoint.isObject() && checkpoint.path("seq").isIntegralNumber() ? checkpoint.path("seq").asLong() : -1;
    }

    /** {@code 1,234}: the way counts and seqs are printed for people. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    // --- export, checkpoints, public-key -------------------------------------------------------

    @Command(name = "export", description = {
            "Write a chain's events as JSON Lines to stdout, to keep and verify offline.",
            "The server first signs a checkpoint of the chain's head and the export ends",
            "there, so every exported event is covered by a signature; events recorded",
            "meanwhile go to the next export.",
            "Example: warden audit export -n payments --checkpoints cps.json > events.jsonl"})
    int export(@Mixin ChainChoice choice,
               @Option(names = "--checkpoints", paramLabel = "FILE",
                       description = "Also write the chain's checkpoints up to the export's end to FILE (what verify --offline reads).")
               Path checkpointsFile) {
        String chain = choice.required("export");
        Map<String, String> query = ChainChoice.query(chain);
        WardenClient client = session.client();
        Checkpoint head;
        try {
            head = checkpoint(client.post(CHECKPOINTS, query), "the checkpoint of the head");
        } catch (ApiException e) {
            if (e.status() != 404) {
                throw explain(e);
            }
            head = null;
        }
        Merged merged = fetchCheckpoints(client, query);
        long end = head == null ? 0 : head.seq();
        List<Checkpoint> covered = merged.items().stream()
                .filter(c -> chain.equals(c.chain()) && c.seq() <= end)
                .toList();
        if (checkpointsFile != null) {
            String text = Json.pretty(AuditJson.checkpointsFile(chain, merged.anchor(), covered)) + "\n";
            try {
                Files.writeString(checkpointsFile, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw CliException.error("cannot write " + checkpointsFile + ": " + e.getMessage(), e);
            }
        }
        if (head == null) {
            session.err().println("Chain " + display(chain) + " has no events; nothing exported.");
            return WardenCli.OK;
        }
        PrintWriter out = session.out();
        long exported = 0;
        long first = -1;
        long last = -1;
        String token = null;
        Set<String> seen = new HashSet<>();
        boolean more = true;
        while (more) {
            Map<String, String> pageQuery = new LinkedHashMap<>(query);
            pageQuery.put("limit", Integer.toString(WardenClient.PAGE_SIZE));
            if (token != null) {
                pageQuery.put("continue", token);
            }
            ObjectNode page = get(client, EVENTS, pageQuery);
            for (JsonNode item : page.path("items")) {
                AuditRecord r = record(item);
                if (r.seq() > end) {
                    more = false;
                    break;
                }
                out.write(AuditJson.line(r));
                out.write('\n');
                exported++;
                first = first < 0 ? r.seq() : first;
                last = r.seq();
            }
            out.flush();
            if (out.checkError()) {
                throw CliException.error("cannot write the export to stdout");
            }
            token = Text.nonBlank(Json.text(page, "next"));
            more = more && page.path("more").asBoolean(false) && last < end;
            if (more && (token == null || !seen.add(token))) {
                throw CliException.error("the server sent " + (token == null ? "no" : "the same") + " continue token while exporting "
                        + display(chain));
            }
        }
        if (exported == 0) {
            session.err().println("Chain " + display(chain) + " has no events left (retention pruned them); nothing exported.");
        } else {
            session.err().println("Exported " + count(exported) + (exported == 1 ? " event" : " events") + " of chain "
                    + display(chain) + " (seq " + count(first) + " to " + count(last) + "), covered by the checkpoint at seq "
                    + count(end) + ".");
        }
        if (last < end) {
            session.err().println("warning: the chain ended at seq " + count(Math.max(last, 0)) + ", before its checkpoint at seq "
                    + count(end) + ": verify --offline will report it as TRUNCATED.");
        }
        return WardenCli.OK;
    }

    @Command(name = "checkpoints", description = {
            "Print the signed checkpoints as the file that verify --offline reads.",
            "All pages merged into one JSON object {chain, anchor, items};",
            "export --checkpoints writes one too."})
    int checkpoints(@Mixin ChainChoice choice) {
        String chain = choice.chain();
        Merged merged = fetchCheckpoints(session.client(), ChainChoice.query(chain));
        session.out().println(Json.pretty(AuditJson.checkpointsFile(merged.chain(), merged.anchor(), merged.items())));
        return WardenCli.OK;
    }

    @Command(name = "public-key", description = {
            "Print the public key that checkpoints are signed with (PEM); no login needed.",
            "Example: warden audit public-key > k.pem"})
    int publicKey() {
        String pem = session.client().text("/v1/audit/public-key", "application/x-pem-file");
        if (!pem.contains("-----BEGIN PUBLIC KEY-----")) {
            throw CliException.error("the server at " + session.client().target().server() + " did not send a PEM public key");
        }
        session.out().print(Text.clean(pem));
        if (!pem.endsWith("\n")) {
            session.out().println();
        }
        session.out().flush();
        return WardenCli.OK;
    }

    /** The checkpoints of one query, every page read. */
    record Merged(String chain, Checkpoint anchor, List<Checkpoint> items) {
    }

    private Merged fetchCheckpoints(WardenClient client, Map<String, String> query) {
        List<Checkpoint> items = new ArrayList<>();
        String chain = null;
        Checkpoint anchor = null;
        String token = null;
        Set<String> seen = new HashSet<>();
        boolean first = true;
        do {
            Map<String, String> pageQuery = new LinkedHashMap<>(query);
            if (token != null) {
                pageQuery.put("continue", token);
            }
            ObjectNode page = get(client, CHECKPOINTS, pageQuery);
            try {
                if (first) {
                    chain = Json.text(page, "chain");
                    anchor = AuditJson.optionalCheckpoint(page, "anchor");
                    first = false;
                }
                items.addAll(AuditJson.checkpoints(page.path("items")));
            } catch (AuditJson.MalformedException e) {
                throw CliException.error("unexpected checkpoints from " + client.target().server() + ": " + e.getMessage());
            }
            token = Text.nonBlank(Json.text(page, "next"));
            if (token != null && !seen.add(token)) {
                throw CliException.error("the server sent the same continue token twice while listing checkpoints");
            }
        } while (token != null);
        return new Merged(chain, anchor, List.copyOf(items));
    }

    // --- tail ---------------------------------------------------------------------------------

    @Command(name = "tail", description = {
            "Print the last events; with -f, follow new events as they are recorded.",
            "Oldest first; Ctrl-C ends a follow.",
            "Example: warden audit tail -n payments --last 50 --outcome denied"})
    int tail(@Mixin ChainChoice choice,
             @Option(names = "--last", paramLabel = "N", defaultValue = "20", description = "How many events to start with (default: 20).")
             int last,
             @Option(names = {"-f", "--follow"}, description = "Then print new events as they are recorded (polls every second).")
             boolean follow,
             @Option(names = "--actor", paramLabel = "ID", description = "Only events of this actor (user name, token, ...).")
             String actor,
             @Option(names = "--action", paramLabel = "ACTION", description = "Only this action, e.g. resource.update, auth.login.")
             String action,
             @Option(names = "--outcome", paramLabel = "OUTCOME", description = "Only this outcome, e.g. success, denied.")
             String outcome,
             @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
                     description = "table or json (one event per line, as audit export writes it; default: table).")
             OutputFormat output) {
        if (output != OutputFormat.TABLE && output != OutputFormat.JSON) {
            throw CliException.usage("-o accepts table or json here");
        }
        if (last < 1) {
            throw CliException.usage("--last must be at least 1");
        }
        Map<String, String> filter = choice.query();
        putIfSet(filter, "actor", actor);
        putIfSet(filter, "action", action);
        putIfSet(filter, "outcome", outcome);
        WardenClient client = session.client();
        TailOutput printer = new TailOutput(output);
        Map<String, String> firstQuery = new LinkedHashMap<>(filter);
        firstQuery.put("last", Integer.toString(last));
        ObjectNode page = get(client, EVENTS, firstQuery);
        printer.print(page.path("items"));
        if (!follow) {
            if (printer.printed == 0 && output == OutputFormat.TABLE) {
                session.err().println("No audit events found.");
            }
            return WardenCli.OK;
        }
        follow(client, filter, Json.text(page, "next"), printer);
        return WardenCli.OK;
    }

    /**
     * Polls for events after {@code token} until the thread is interrupted. Lost connections and
     * server errors are retried like a watch ({@link WatchPolicy}); a 4xx answer ends the follow.
     */
    private void follow(WardenClient client, Map<String, String> filter, String token, TailOutput printer) {
        WatchPolicy policy = session.watchPolicy();
        int failures = 0;
        while (!Thread.currentThread().isInterrupted()) {
            Map<String, String> query = new LinkedHashMap<>(filter);
            query.put("limit", Integer.toString(WardenClient.PAGE_SIZE));
            if (token != null) {
                query.put("continue", token);
            }
            Duration wait = POLL_INTERVAL;
            try {
                ObjectNode page = get(client, EVENTS, query);
                failures = 0;
                printer.print(page.path("items"));
                token = Text.firstNonNull(Text.nonBlank(Json.text(page, "next")), token);
                if (page.path("more").asBoolean(false)) {
                    wait = Duration.ZERO;
                }
            } catch (UnreachableException | ApiException | CliException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                if (e instanceof ApiException a && a.status() < 500 || e instanceof CliException) {
                    throw e;
                }
                failures++;
                String problem = e instanceof UnreachableException u ? u.reason() : ((ApiException) e).problem().summary();
                if (failures >= policy.maxFailures()) {
                    throw CliException.error("lost the audit log on " + client.target().server() + " after " + failures
                            + " attempts: " + problem);
                }
                Duration backoff = policy.backoff(failures);
                wait = backoff.compareTo(wait) > 0 ? backoff : wait;
                session.log().accept("audit tail interrupted (" + problem + "); retrying in " + wait.toMillis() + " ms");
            }
            if (!wait.isZero()) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Prints tail rows: a table whose header comes with the first row, or one JSON line per event. */
    private final class TailOutput {

        private final OutputFormat format;
        private int[] widths;
        private int printed;

        TailOutput(OutputFormat format) {
            this.format = format;
        }

        void print(JsonNode items) {
            List<AuditRecord> records = new ArrayList<>();
            for (JsonNode item : items) {
                records.add(record(item));
            }
            if (records.isEmpty()) {
                return;
            }
            PrintWriter out = session.out();
            if (format == OutputFormat.JSON) {
                records.forEach(r -> out.println(AuditJson.line(r)));
            } else {
                List<List<String>> rows = records.stream().map(AuditCommand::row).toList();
                if (widths == null) {
                    widths = TAIL_WIDTHS.clone();
                    for (int i = 0; i < widths.length; i++) {
                        widths[i] = Math.max(widths[i], TAIL_HEADERS.get(i).length());
                        for (List<String> row : rows) {
                            widths[i] = Math.max(widths[i], row.get(i).length());
                        }
                    }
                    out.println(Table.row(TAIL_HEADERS, widths));
                }
                rows.forEach(row -> out.println(Table.row(row, widths)));
            }
            printed += records.size();
            out.flush();
        }
    }

    static List<String> row(AuditRecord r) {
        String actor = r.actorId() == null ? Columns.NONE
                : r.actorKind() == null || r.actorKind().equals("user") ? r.actorId() : r.actorKind() + ":" + r.actorId();
        String target = r.targetKind() == null && r.targetName() == null ? Columns.NONE
                : r.targetName() == null ? r.targetKind()
                : r.targetKind() == null ? r.targetName() : r.targetKind() + "/" + r.targetName();
        return List.of(
                TIME.format(Instant.ofEpochMilli(r.time())),
                r.chain() == null ? Columns.NONE : display(r.chain()),
                Long.toString(r.seq()),
                Text.cell(actor),
                Text.cell(Text.firstNonNull(r.action(), Columns.NONE)),
                Text.cell(target),
                Text.cell(Text.firstNonNull(r.outcome(), Columns.NONE)));
    }

    // --- helpers --------------------------------------------------------------------------------

    private static void putIfSet(Map<String, String> query, String name, String value) {
        if (value != null) {
            query.put(name, value);
        }
    }

    private ObjectNode get(WardenClient client, String path, Map<String, String> query) {
        try {
            return client.get(path, query);
        } catch (ApiException e) {
            throw explain(e);
        }
    }

    /** A 403 with the hint of who may read the ledger; other refusals as they are. */
    private static RuntimeException explain(ApiException e) {
        if (e.status() != 403) {
            return e;
        }
        List<String> lines = new ArrayList<>(e.problem().lines(""));
        lines.add(HINT_FORBIDDEN);
        return CliException.error(lines);
    }

    private AuditRecord record(JsonNode item) {
        try {
            return AuditJson.record(item);
        } catch (AuditJson.MalformedException e) {
            throw CliException.error("unexpected event from " + session.client().target().server() + ": " + e.getMessage());
        }
    }

    private Checkpoint checkpoint(JsonNode node, String what) {
        try {
            return AuditJson.checkpoint(node);
        } catch (AuditJson.MalformedException e) {
            throw CliException.error("unexpected answer from " + session.client().target().server() + " for " + what + ": "
                    + e.getMessage());
        }
    }
}
