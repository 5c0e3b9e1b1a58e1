package io.warden.cli;

import io.warden.api.Kind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code warden get KIND [NAME]}: one resource or all of a kind, optionally followed with --watch. */
@Command(name = "get", description = "Show one resource or list resources of a kind.")
final class GetCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "KIND", completionCandidates = KindCandidates.class,
            description = "Kind: name, plural or short name, e.g. tools, tool, pol, rb.")
    private String kindWord;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "Resource name; all resources when absent.")
    private String name;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Namespace (default: the context's, else \"default\").")
    private String namespace;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table, yaml, json or name (default: table).")
    private OutputFormat output;

    @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", description = "Label selector, e.g. app=web,tier!=db.")
    private String selector;

    @Option(names = {"-w", "--watch"}, description = "After listing, print changes as they happen (Ctrl-C ends).")
    private boolean watch;

    private final Session session;

    GetCommand(Session session) {
        this.session = session;
    }

    /** A whole list and the resourceVersion its first page was read at. */
    record Listing(List<ObjectNode> items, String resourceVersion) {
    }

    @Override
    public Integer call() {
        Kind kind = Session.kind(kindWord);
        if (name != null && selector != null) {
            throw CliException.usage("give a NAME or a label selector (-l), not both");
        }
        WardenClient client = session.client();
        ResourceRef collection = ResourceRef.collection(kind, kind.namespaced() ? session.namespace(namespace) : null);
        Printer printer = session.printer();
        if (watch) {
            Printer.WatchOutput events = printer.watch(kind, output);
            new Watcher(client, session.watchPolicy(), session.log()).run(collection, selector, (type, object, event) -> {
                if (name == null || name.equals(Json.text(object, "metadata", "name"))) {
                    events.event(type, object, event);
                }
            });
            return WardenCli.OK;
        }
        if (name != null) {
            ResourceRef ref = collection.named(name);
            ObjectNode resource;
            try {
                resource = client.get(ref);
            } catch (ApiException e) {
                throw ref.explain(e);
            }
            printer.one(kind, resource, output);
            return WardenCli.OK;
        }
        Listing listing = listAll(client, collection, selector);
        if (listing.items().isEmpty() && output == OutputFormat.TABLE) {
            session.err().println(collection.namespace() == null
                    ? "No resources found."
                    : "No resources found in " + Text.cell(collection.namespace()) + " namespace.");
            return WardenCli.OK;
        }
        printer.list(kind, listing.items(), listing.resourceVersion(), output);
        return WardenCli.OK;
    }

    /**
     * Reads every page. The resourceVersion is the first page's: pages are read one after the
     * other, and a watch started from the earliest version sees every later change.
     */
    static Listing listAll(WardenClient client, ResourceRef collection, String selector) {
        List<ObjectNode> items = new ArrayList<>();
        String resourceVersion = null;
        String token = null;
        Set<String> seenTokens = new HashSet<>();
        do {
            ObjectNode page = client.listPage(collection, selector, token);
            if (resourceVersion == null) {
                resourceVersion = Json.text(page, "metadata", "resourceVersion");
            }
            for (JsonNode item : page.path("items")) {
                if (item instanceof ObjectNode object) {
                    items.add(object);
                }
            }
            token = Text.nonBlank(Json.text(page, "metadata", "continue"));
            if (token != null && !seenTokens.add(token)) {
                // A server bug must not turn into an endless loop.
                throw CliException.error("the server sent the same continue token twice while listing "
                        + collection.kind().plural());
            }
        } while (token != null);
        return new Listing(List.copyOf(items), resourceVersion);
    }
}
