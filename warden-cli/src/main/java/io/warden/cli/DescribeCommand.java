package io.warden.cli;

import io.warden.api.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code warden describe KIND NAME}: metadata as aligned fields, then spec and status as YAML. */
@Command(name = "describe", description = "Show one resource in a readable, multi-line form.")
final class DescribeCommand implements Callable<Integer> {

    private static final int LABEL_WIDTH = "Resource Version:".length() + 2;

    @Parameters(index = "0", paramLabel = "KIND", completionCandidates = KindCandidates.class,
            description = "Kind: name, plural or short name.")
    private String kindWord;

    @Parameters(index = "1", paramLabel = "NAME", description = "Resource name.")
    private String name;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Namespace (default: the context's, else \"default\").")
    private String namespace;

    private final Session session;

    DescribeCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        Kind kind = Session.kind(kindWord);
        ResourceRef ref = new ResourceRef(kind, kind.namespaced() ? session.namespace(namespace) : null, name);
        JsonNode resource;
        try {
            resource = session.client().get(ref);
        } catch (ApiException e) {
            throw ref.explain(e);
        }
        describe(kind, resource, session.clock().instant()).forEach(session.out()::println);
        return WardenCli.OK;
    }

    static List<String> describe(Kind kind, JsonNode resource, Instant now) {
        JsonNode metadata = resource.path("metadata");
        List<String> lines = new ArrayList<>();
        field(lines, "Name", Json.text(metadata, "name"));
        if (kind.namespaced()) {
            field(lines, "Namespace", Json.text(metadata, "namespace"));
        }
        map(lines, "Labels", metadata.path("labels"));
        map(lines, "Annotations", metadata.path("annotations"));
        field(lines, "UID", Json.text(metadata, "uid"));
        field(lines, "Resource Version", Json.text(metadata, "resourceVersion"));
        field(lines, "Generation", metadata.path("generation").isNumber() ? metadata.path("generation").asString() : null);
        field(lines, "Created", when(resource, "creationTimestamp", now));
        field(lines, "Updated", when(resource, "updateTimestamp", now));
        block(lines, "Spec", resource.path("spec"));
        block(lines, "Status", resource.path("status"));
        return lines;
    }

    private static void field(List<String> lines, String label, String value) {
        lines.add(pad(label + ":") + (value == null ? Columns.NONE : Text.cell(value)));
    }

    private static void map(List<String> lines, String label, JsonNode map) {
        Map<String, String> sorted = new TreeMap<>();
        map.forEachEntry((k, v) -> sorted.put(k, v.isString() ? v.stringValue() : v.toString()));
        if (sorted.isEmpty()) {
            field(lines, label, null);
            return;
        }
        String first = pad(label + ":");
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            lines.add((first != null ? first : pad("")) + Text.cell(e.getKey()) + "=" + Text.cell(e.getValue()));
            first = null;
        }
    }

    private static void block(List<String> lines, String label, JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            field(lines, label, null);
            return;
        }
        lines.add(label + ":");
        // YAML escapes control characters itself, so the text needs no cleaning.
        Json.yaml(node).lines().forEach(line -> lines.add("  " + line));
    }

    private static String when(JsonNode resource, String field, Instant now) {
        Instant t = Age.timestamp(resource, field);
        if (t == null) {
            return Json.text(resource, "metadata", field);
        }
        return t + " (" + Age.format(Duration.between(t, now)) + " ago)";
    }

    private static String pad(String label) {
        return label + " ".repeat(Math.max(1, LABEL_WIDTH - label.length()));
    }
}
