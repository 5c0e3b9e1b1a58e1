package io.warden.cli;

import io.warden.api.Kind;
import io.warden.api.Kinds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * The table columns of each kind: NAME, the kind's own columns, AGE. A kind's own columns are
 * declared in {@link #EXTRA} and nowhere else.
 */
final class Columns {

    static final String NONE = "<none>";

    /** A header and how to compute the cell from a resource. */
    record Column(String header, Function<JsonNode, String> value) {
    }

    private static final Column RULES = new Column("RULES", r -> Integer.toString(r.path("spec").path("rules").size()));
    private static final Column ROLE = new Column("ROLE", r -> orNone(Json.text(r, "spec", "roleRef", "name")));

    /** What a Worker without {@code spec.concurrency} runs at once: the default of worker.spec.json. */
    static final int DEFAULT_WORKER_CONCURRENCY = 4;

    private static final Map<Kind, List<Column>> EXTRA = Map.of(
            Kinds.TOOL, List.of(new Column("TYPE", r -> orNone(Json.text(r, "spec", "type")))),
            Kinds.POLICY, List.of(RULES),
            Kinds.ROLE, List.of(RULES),
            Kinds.ROLE_BINDING, List.of(ROLE),
            Kinds.CLUSTER_ROLE_BINDING, List.of(ROLE),
            Kinds.WORKER, List.of(
                    new Column("LABELS", r -> orNone(KeyValues.format(r.path("metadata").path("labels")))),
                    new Column("CONCURRENCY", r -> Integer.toString(concurrency(r)))));

    private Columns() {
    }

    static List<Column> forKind(Kind kind, Instant now) {
        List<Column> columns = new ArrayList<>();
        columns.add(new Column("NAME", r -> orNone(Json.text(r, "metadata", "name"))));
        columns.addAll(EXTRA.getOrDefault(kind, List.of()));
        columns.add(new Column("AGE", r -> Age.of(r, now)));
        return columns;
    }

    static List<String> headers(List<Column> columns) {
        return columns.stream().map(Column::header).toList();
    }

    static List<String> cells(List<Column> columns, JsonNode resource) {
        return columns.stream().map(c -> Text.cell(c.value().apply(resource))).toList();
    }

    /** The tasks a Worker resource runs at once. */
    static int concurrency(JsonNode worker) {
        JsonNode n = worker.path("spec").path("concurrency");
        return n.isIntegralNumber() ? n.asInt() : DEFAULT_WORKER_CONCURRENCY;
    }

    static String orNone(String s) {
        return s == null || s.isEmpty() ? NONE : s;
    }
}
