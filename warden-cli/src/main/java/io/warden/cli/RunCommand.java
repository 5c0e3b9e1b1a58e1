package io.warden.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code warden run TOOL}: submits a task ({@code POST /v1/namespaces/{ns}/tasks}) and prints its
 * id; with {@code --wait} waits for it to finish, with {@code --follow} streams its output until
 * then. Either way the exit code says whether it succeeded.
 */
@Command(name = "run",
        description = {
                "Submit a task: one call of a Tool. Prints the task's id; --wait waits for",
                "it to finish and prints a summary, --follow prints its output as it runs.",
                "With --wait or --follow the exit code is 0 only if the task succeeded."},
        footer = {"",
                "Examples:",
                "  warden run git-clone -n demo --args '{\"url\": \"https://example.com/r\"}'",
                "  warden run lint -n demo --args @args.json --follow",
                "  ID=$(warden run build -n demo --idempotency-key build-42)"})
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "TOOL", description = "Name of a Tool of the namespace.")
    private String tool;

    @Mixin
    private NamespaceOption namespace;

    @Option(names = "--args", paramLabel = "JSON|@FILE|-",
            description = "The tool's arguments: a JSON object, @FILE to read it from a file, - from stdin.")
    private String args;

    @Option(names = "--priority", paramLabel = "N", description = "-1000 to 1000; higher runs first (default 0).")
    private Integer priority;

    @Option(names = "--selector", paramLabel = "K=V[,K=V...]",
            description = "Labels a Worker must carry to get the task. Repeatable.")
    private List<String> selector = new ArrayList<>();

    @Option(names = "--label", paramLabel = "K=V[,K=V...]", description = "Labels of the task itself, for listing. Repeatable.")
    private List<String> labels = new ArrayList<>();

    @Option(names = "--max-attempts", paramLabel = "N", description = "Attempts before the task is dead-lettered (default 3).")
    private Integer maxAttempts;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "Submit at most once: the same key and body again gives the first task.")
    private String idempotencyKey;

    @Option(names = "--wait", description = "Wait until the task finishes; print a summary.")
    private boolean wait;

    @Option(names = {"-f", "--follow"}, description = "Print the task's stdout and stderr as it runs, until it finishes.")
    private boolean follow;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
            description = "table, yaml, json or name: print the task (with --wait: as it finished) instead of its id.")
    private OutputFormat output;

    private final Session session;

    RunCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        if (wait && follow) {
            throw CliException.usage("give --wait or --follow, not both");
        }
        if (follow && output != null) {
            throw CliException.usage("--follow prints the task's output; -o goes with --wait or alone");
        }
        ObjectNode body = Json.JSON.createObjectNode();
        body.put("tool", tool);
        JsonNode parsedArgs = parseArgs(args, session.in());
        if (parsedArgs != null) {
            body.set("args", parsedArgs);
        }
        if (priority != null) {
            body.put("priority", priority);
        }
        if (maxAttempts != null) {
            body.putObject("retry").put("maxAttempts", maxAttempts);
        }
        putPairs(body, "selector", KeyValues.parse("--selector", selector));
        putPairs(body, "labels", KeyValues.parse("--label", labels));

        String ns = namespace.resolve(session);
        WardenClient.Answer answer = session.client().post(TaskRef.collection(ns), body,
                idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
        ObjectNode task = answer.body();
        String id = Text.nonBlank(Json.text(task, "id"));
        if (id == null) {
            throw CliException.error("the server accepted the task but sent no id");
        }
        TaskRef ref = new TaskRef(ns, id);
        boolean replay = answer.headers().firstValue("Idempotent-Replay").map("true"::equalsIgnoreCase).orElse(false);
        if (replay) {
            session.err().println(ref.display() + " was submitted before with this idempotency key ("
                    + Text.cell(Json.text(task, "phase")) + ")");
        }
        if (!wait && !follow) {
            print(task);
            return WardenCli.OK;
        }
        if (!replay) {
            session.err().println(ref.display() + " submitted");
        }
        session.err().flush();
        TaskEvents events = new TaskEvents(session, ref);
        boolean ended = events.follow(follow ? new TaskOutput(session) : event -> TaskOutput.logPhase(session, event));
        if (!ended) {
            throw CliException.error("stopped waiting; " + ref.display() + " goes on: warden tasks logs " + Text.cell(id)
                    + " -n " + Text.cell(ns) + " -f");
        }
        ObjectNode finished;
        try {
            finished = session.client().get(ref.path(), Map.of());
        } catch (ApiException e) {
            throw ref.explain(e);
        }
        if (wait) {
            if (output == null) {
                TaskFormat.summary(finished).forEach(session.out()::println);
                session.out().flush();
            } else {
                print(finished);
            }
        }
        if (!TaskFormat.succeeded(finished)) {
            throw CliException.error(TaskFormat.failure(finished));
        }
        return WardenCli.OK;
    }

    private void print(ObjectNode task) {
        if (output == null) {
            session.out().println(Text.cell(Json.text(task, "id")));
            session.out().flush();
        } else {
            TaskFormat.print(session, List.of(task), task, output);
        }
    }

    private static void putPairs(ObjectNode body, String field, Map<String, String> pairs) {
        if (!pairs.isEmpty()) {
            ObjectNode object = body.putObject(field);
            pairs.forEach(object::put);
        }
    }

    /**
     * The value of {@code --args}: a JSON object, given inline, as {@code @FILE} or as {@code -}
     * (stdin). Anything else is a usage error naming where the text came from; null when absent.
     */
    static JsonNode parseArgs(String value, InputStream stdin) {
        if (value == null) {
            return null;
        }
        String where;
        String text;
        if (value.equals("-")) {
            where = "--args from stdin";
            try {
                text = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw CliException.usage("cannot read --args from stdin: " + UnreachableException.reason(e));
            }
        } else if (value.startsWith("@")) {
            Path file = Path.of(value.substring(1));
            where = "--args from " + file;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw CliException.usage("cannot read --args from " + file + ": no such file");
            } catch (IOException | RuntimeException e) {
                throw CliException.usage("cannot read --args from " + file + ": " + Text.cell(e.getMessage()));
            }
        } else {
            where = "--args";
            text = value;
        }
        JsonNode node;
        try {
            node = Json.STRICT.readTree(text);
        } catch (JacksonException e) {
            throw CliException.usage(where + " is not valid JSON: " + Json.describe(e));
        }
        if (node == null || node.isMissingNode()) {
            throw CliException.usage(where + " is empty; give a JSON object, e.g. --args '{\"url\": \"https://...\"}'");
        }
        if (!node.isObject()) {
            throw CliException.usage(where + " must be a JSON object, e.g. --args '{\"url\": \"https://...\"}', not "
                    + describe(node));
        }
        return node;
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
