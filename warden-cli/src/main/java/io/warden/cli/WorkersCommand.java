package io.warden.cli;

import io.warden.api.ApplyResult;
import io.warden.api.Kinds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code warden workers ...}: Worker resources and their credentials. {@code register} applies the
 * Worker through the resource API, as {@code warden apply} would, then issues its credential
 * ({@code POST .../workers/{name}/credentials}) and shows it this once: alone on stdout, or
 * written to an owner-only file.
 */
@Command(name = "workers", description = {
        "Register workers (and issue their credentials), list and delete them.",
        "A worker process runs tasks with its credential: warden worker --server URL",
        "--credential-file FILE."})
final class WorkersCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    private final Session session;

    WorkersCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(session.out());
        return WardenCli.OK;
    }

    @Command(name = "register",
            description = {
                    "Create or update a Worker and issue its credential, shown only this once:",
                    "alone on stdout, or written to --credential-file (0600). Issuing one",
                    "revokes the worker's earlier credentials. Labels and concurrency not given",
                    "are kept from the Worker as it is."},
            footer = {"",
                    "Example:",
                    "  warden workers register build-1 -n demo --labels gpu=true \\",
                    "      --concurrency 8 --credential-file build-1.credential",
                    "  warden worker --server URL --credential-file build-1.credential"})
    int register(@Parameters(paramLabel = "NAME", description = "Name of the Worker.") String name,
                 @Mixin NamespaceOption namespace,
                 @Option(names = {"-l", "--labels"}, paramLabel = "K=V[,K=V...]",
                         description = "The Worker's labels (replacing those it has); tasks select workers by them."
                                 + " Repeatable.") List<String> labels,
                 @Option(names = "--concurrency", paramLabel = "N", description = "Tasks it runs at once (1-256; default 4).")
                 Integer concurrency,
                 @Option(names = "--credential-file", paramLabel = "FILE",
                         description = "Write the credential to FILE (created 0600) instead of stdout.") Path credentialFile,
                 @Option(names = "--force", description = "With --credential-file: replace FILE if it exists.") boolean force) {
        if (force && credentialFile == null) {
            throw CliException.usage("--force goes with --credential-file");
        }
        Map<String, String> labelMap = labels == null ? null : KeyValues.parse("--labels", labels);
        if (credentialFile != null) {
            checkWritable(credentialFile, force);
        }
        ResourceRef ref = new ResourceRef(Kinds.WORKER, namespace.resolve(session), name);
        WardenClient client = session.client();
        ApplyResult result;
        try {
            result = client.apply(ref, manifest(ref, labelMap, concurrency));
        } catch (ApiException e) {
            throw CliException.error(e.problem().lines(ref.display() + ": "));
        }
        session.err().println(ref.display() + " " + result.word());
        ObjectNode issued = client.post(ref.path() + "/credentials", null, WardenClient.Auth.BEARER);
        String credential = Json.text(issued, "token");
        String again = "; run warden workers register again to issue a new one";
        if (!Text.isPrintableToken(credential)) {
            throw CliException.error("the server sent no usable credential for " + ref.display() + again);
        }
        String server = client.target().server().toString();
        if (credentialFile == null) {
            session.out().println(credential);
            session.out().flush();
            session.err().println("Credential of " + ref.display() + " issued (id " + Text.cell(Json.text(issued, "id"))
                    + "); earlier ones no longer work. It is shown only this once: store it now.");
            session.err().println("Start the worker with it in a file: warden worker --server " + server
                    + " --credential-file FILE");
            return WardenCli.OK;
        }
        byte[] bytes = (credential + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            if (force) {
                PrivateFile.replace(credentialFile, bytes);
            } else {
                PrivateFile.createNew(credentialFile, bytes);
            }
        } catch (FileAlreadyExistsException e) {
            throw CliException.error("the credential was issued but not written: " + credentialFile
                    + " appeared meanwhile" + again + " (--force replaces the file)");
        } catch (IOException e) {
            throw CliException.error("the credential was issued but not written to " + credentialFile + ": "
                    + UnreachableException.reason(e) + again, e);
        }
        session.err().println("Credential of " + ref.display() + " issued (id " + Text.cell(Json.text(issued, "id"))
                + ") and written to " + credentialFile + " (0600); earlier ones no longer work.");
        session.err().println("Start the worker: warden worker --server " + server + " --credential-file " + credentialFile);
        return WardenCli.OK;
    }

    /** Refuses, before anything is registered, a credential file that could not be written. */
    private static void checkWritable(Path file, boolean force) {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            if (!force) {
                throw CliException.error(file + " exists; nothing was registered (--force replaces it)");
            }
            if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                throw CliException.error(file + " is a directory; nothing was registered");
            }
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw CliException.error("no directory " + dir + " for " + file + "; nothing was registered");
        }
    }

    /**
     * The Worker to apply: the one there is, with the labels and concurrency that were given, or a
     * new one. Sent with the resourceVersion it was read at, so a change made meanwhile is a 409.
     */
    private ObjectNode manifest(ResourceRef ref, Map<String, String> labels, Integer concurrency) {
        ObjectNode manifest;
        try {
            manifest = session.client().get(ref);
            manifest.remove("status");
        } catch (ApiException e) {
            if (e.status() != 404) {
                throw e;
            }
            manifest = Json.JSON.createObjectNode();
            manifest.put("apiVersion", Kinds.API_VERSION);
            manifest.put("kind", Kinds.WORKER.name());
            manifest.putObject("metadata").put("name", ref.name()).put("namespace", ref.namespace());
        }
        if (labels != null) {
            ObjectNode object = Json.JSON.createObjectNode();
            labels.forEach(object::put);
            ((ObjectNode) manifest.path("metadata")).set("labels", object);
        }
        if (concurrency != null) {
            JsonNode spec = manifest.path("spec");
            (spec instanceof ObjectNode o ? o : manifest.putObject("spec")).put("concurrency", concurrency);
        }
        return manifest;
    }

    @Command(name = "list", description = {
            "List the workers: NAME, LABELS, CONCURRENCY, RUNNING (tasks it runs now), AGE.",
            "-o yaml or json prints the Worker resources, as get workers does."})
    int list(@Mixin NamespaceOption namespace,
             @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
                     description = "table, yaml, json or name (default: table).") OutputFormat output) {
        String ns = namespace.resolve(session);
        GetCommand.Listing listing = GetCommand.listAll(session.client(), ResourceRef.collection(Kinds.WORKER, ns), null);
        if (output != OutputFormat.TABLE) {
            session.printer().list(Kinds.WORKER, listing.items(), listing.resourceVersion(), output);
            return WardenCli.OK;
        }
        if (listing.items().isEmpty()) {
            session.err().println("No workers found in " + Text.cell(ns) + " namespace.");
            return WardenCli.OK;
        }
        Map<String, Integer> running = running(ns);
        List<Columns.Column> columns = new ArrayList<>(Columns.forKind(Kinds.WORKER, session.clock().instant()));
        columns.add(columns.size() - 1, new Columns.Column("RUNNING", w -> running == null ? Age.UNKNOWN
                : Integer.toString(running.getOrDefault(Json.text(w, "metadata", "name"), 0))));
        session.printer().items(columns, listing.items(), w -> Printer.name(Kinds.WORKER, w), null, output);
        return WardenCli.OK;
    }

    /** Running tasks per worker; null when the caller may not list tasks. */
    private Map<String, Integer> running(String ns) {
        Map<String, Integer> counts = new HashMap<>();
        String token = null;
        Set<String> seen = new HashSet<>();
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("phase", "Running");
            query.put("limit", Integer.toString(WardenClient.PAGE_SIZE));
            if (token != null) {
                query.put("continue", token);
            }
            ObjectNode page;
            try {
                page = session.client().get(TaskRef.collection(ns), query);
            } catch (ApiException e) {
                if (e.status() == 403) {
                    return null;
                }
                throw e;
            }
            for (JsonNode task : page.path("items")) {
                String worker = Json.text(task, "worker");
                if (worker != null) {
                    counts.merge(worker, 1, Integer::sum);
                }
            }
            token = page.path("items").size() < WardenClient.PAGE_SIZE ? null : Text.nonBlank(Json.text(page, "continue"));
        } while (token != null && seen.add(token));
        return counts;
    }

    @Command(name = "delete", description = "Delete Workers; their credentials stop working at once.")
    int delete(@Parameters(paramLabel = "NAME", arity = "1..*", description = "Names of the Workers.") List<String> names,
               @Mixin NamespaceOption namespace) {
        ResourceRef collection = ResourceRef.collection(Kinds.WORKER, namespace.resolve(session));
        for (String name : names) {
            ResourceRef ref = collection.named(name);
            try {
                session.client().delete(ref);
            } catch (ApiException e) {
                throw ref.explain(e);
            }
            session.out().println(ref.display() + " deleted");
            session.out().flush();
        }
        return WardenCli.OK;
    }
}
