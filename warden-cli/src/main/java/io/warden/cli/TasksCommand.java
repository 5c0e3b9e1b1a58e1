package io.warden.cli;

import java.util.ArrayList;
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

/** {@code warden tasks ...}: list, read, follow, cancel and retry tasks (docs/reference/tasks.md). */
@Command(name = "tasks", description = {
        "List tasks, show one and its output, cancel or retry it.",
        "Submit tasks with warden run."})
final class TasksCommand implements Callable<Integer> {

    static final int DEFAULT_LIMIT = 100;

    @Spec
    private CommandSpec spec;

    private final Session session;

    TasksCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(session.out());
        return WardenCli.OK;
    }

    @Command(name = "list", description = {
            "List tasks, newest first: ID, TOOL, PHASE, ATTEMPT (used/allowed), WORKER, AGE.",
            "Example: warden tasks list -n demo --phase DeadLettered"})
    int list(@Mixin NamespaceOption namespace,
             @Option(names = "--phase", paramLabel = "PHASE",
                     description = "Only tasks in this phase: Queued, Running, Succeeded, Failed, DeadLettered,"
                             + " Cancelled, ... (any case).") String phase,
             @Option(names = "--tool", paramLabel = "TOOL", description = "Only tasks of this tool.") String tool,
             @Option(names = "--submitter", paramLabel = "WHO", description = "Only tasks submitted by WHO, e.g. user:alice.")
             String submitter,
             @Option(names = {"-l", "--label"}, paramLabel = "K=V[,K=V...]",
                     description = "Only tasks carrying all these labels. Repeatable.") List<String> labels,
             @Option(names = "--limit", paramLabel = "N", defaultValue = "" + DEFAULT_LIMIT,
                     description = "At most N tasks, read page by page (default: ${DEFAULT-VALUE}).") int limit,
             @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
                     description = "table, yaml, json or name (the ids) (default: table).") OutputFormat output) {
        if (limit < 1) {
            throw CliException.usage("--limit must be at least 1");
        }
        Map<String, String> filter = new LinkedHashMap<>();
        if (phase != null) {
            String p = TaskFormat.phase(phase);
            if (p == null) {
                throw CliException.usage("unknown phase \"" + Text.cell(phase) + "\"; phases: " + String.join(", ", TaskFormat.PHASES));
            }
            filter.put("phase", p);
        }
        putIfSet(filter, "tool", tool);
        putIfSet(filter, "submitter", submitter);
        Map<String, String> labelFilter = KeyValues.parse("--label", labels == null ? List.of() : labels);
        if (!labelFilter.isEmpty()) {
            filter.put("label", KeyValues.join(labelFilter));
        }
        String ns = namespace.resolve(session);
        List<JsonNode> items = new ArrayList<>();
        boolean more = false;
        String token = null;
        Set<String> seen = new HashSet<>();
        while (items.size() < limit) {
            // One more than needed on the last page: it tells whether the limit cut the list short.
            int ask = Math.min(limit - items.size() + 1, WardenClient.PAGE_SIZE);
            Map<String, String> query = new LinkedHashMap<>(filter);
            query.put("limit", Integer.toString(ask));
            if (token != null) {
                query.put("continue", token);
            }
            ObjectNode page = session.client().get(TaskRef.collection(ns), query);
            JsonNode pageItems = page.path("items");
            for (JsonNode task : pageItems) {
                if (items.size() < limit) {
                    items.add(task);
                } else {
                    more = true;
                }
            }
            token = Text.nonBlank(Json.text(page, "continue"));
            if (token == null || pageItems.size() < ask) {
                break;
            }
            if (!seen.add(token)) {
                throw CliException.error("the server sent the same continue token twice while listing tasks");
            }
        }
        if (items.isEmpty() && output == OutputFormat.TABLE) {
            session.err().println("No tasks found in " + Text.cell(ns) + " namespace.");
            return WardenCli.OK;
        }
        ObjectNode json = Json.JSON.createObjectNode();
        items.forEach(json.putArray("items")::add);
        TaskFormat.print(session, items, json, output);
        if (more) {
            session.err().println("Showing the newest " + limit + " tasks; --limit N shows more.");
        }
        return WardenCli.OK;
    }

    @Command(name = "get", description = "Show one task: as a table row, or all of it with -o yaml or -o json.")
    int get(@Parameters(paramLabel = "ID", description = "Task id, as warden run and tasks list print it.") String id,
            @Mixin NamespaceOption namespace,
            @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
                    description = "table, yaml, json or name (the id) (default: table).") OutputFormat output) {
        TaskRef ref = new TaskRef(namespace.resolve(session), id);
        ObjectNode task;
        try {
            task = session.client().get(ref.path(), Map.of());
        } catch (ApiException e) {
            throw ref.explain(e);
        }
        TaskFormat.print(session, List.of(task), task, output);
        return WardenCli.OK;
    }

    @Command(name = "logs", description = {
            "Print what a task's tool wrote: stdout to stdout, stderr to stderr.",
            "With -f, follow it until the task finishes (Ctrl-C stops following)."})
    int logs(@Parameters(paramLabel = "ID", description = "Task id.") String id,
             @Mixin NamespaceOption namespace,
             @Option(names = {"-f", "--follow"}, description = "Then print new output as it comes, until the task finishes.")
             boolean follow) {
        TaskEvents events = new TaskEvents(session, new TaskRef(namespace.resolve(session), id));
        TaskOutput output = new TaskOutput(session);
        if (follow) {
            events.follow(output);
        } else {
            events.read(output);
        }
        return WardenCli.OK;
    }

    @Command(name = "cancel", description = {
            "Cancel a task: a queued one at once; a running one is stopped by its",
            "worker at its next heartbeat."})
    int cancel(@Parameters(paramLabel = "ID", description = "Task id.") String id,
               @Mixin NamespaceOption namespace) {
        TaskRef ref = new TaskRef(namespace.resolve(session), id);
        ObjectNode task = act(ref, "cancel");
        session.out().println("Cancelled".equals(Json.text(task, "phase"))
                ? ref.display() + " cancelled"
                : ref.display() + ": cancel requested; its worker stops it at its next heartbeat");
        return WardenCli.OK;
    }

    @Command(name = "retry", description = "Queue a dead-lettered task again, with a fresh set of attempts.")
    int retry(@Parameters(paramLabel = "ID", description = "Task id.") String id,
              @Mixin NamespaceOption namespace) {
        TaskRef ref = new TaskRef(namespace.resolve(session), id);
        act(ref, "retry");
        session.out().println(ref.display() + " queued again");
        return WardenCli.OK;
    }

    /** POSTs an action; a 409 (the task's phase does not allow it) names the action and the task. */
    private ObjectNode act(TaskRef ref, String action) {
        try {
            return session.client().post(ref.path(action), null, WardenClient.Auth.BEARER);
        } catch (ApiException e) {
            if (e.status() == 409) {
                throw CliException.error(e.problem().lines("cannot " + action + " " + ref.display() + ": "));
            }
            throw ref.explain(e);
        }
    }

    private static void putIfSet(Map<String, String> query, String name, String value) {
        if (value != null) {
            query.put(name, value);
        }
    }
}
