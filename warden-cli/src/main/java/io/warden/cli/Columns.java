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
 * The table columns of each kind: NAME, at most one kind-specific column, AGE. A kind's extra
 * column is declared in {@link #EXTRA} and nowhere else.
 */
final class Columns {

    static final String NONE = "<none>";

    /** A header and how to compute the cell from a resource. */
    record Column(String header, Function<JsonNode, String> value) {
    }

    private static final Column RULES = new Column("RULES", r -> Integer.toString(r.path("spec").path("rules").size()));
    private static final Column ROLE = new Column("ROLE", r -> orNone(Json.text(r, "spec", "roleRef", "name")));

    private static final Map<Kind, Column> EXTRA = Map.of(
            Kinds.TOOL, new Column("TYPE", r -> orNone(Json.text(r, "spec", "type"))),
            Kinds.POLICY, RULES,
            Kinds.ROLE, RULES,
            Kinds.ROLE_BINDING, ROLE,
            Kinds.CLUSTER_ROLE_BINDING, ROLE);

    private Columns() {
    }

    static List<Column> forKind(Kind kind, Instant now) {
        List<Column> columns = new ArrayList<>();
        columns.add(new Column("NAME", r -> orNone(Json.text(r, "metadata", "name"))));
        Column extra = EXTRA.get(kind);
        if (extra != null) {
            columns.add(extra);
        }
        columns.add(new Column("AGE", r -> Age.of(r, now)));
        return columns;
    }

    static List<String> headers(List<Column> columns) {
        return columns.stream().map(Column::header).toList();
    }

    static List<String> cells(List<Column> columns, JsonNode resource) {
        return columns.stream().map(c -> Text.cell(c.value().apply(resource))).toList();
    }

    private static String orNone(String s) {
        return s == null || s.isEmpty() ? NONE : s;
    }
}
