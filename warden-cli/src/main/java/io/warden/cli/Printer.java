package io.warden.cli;

import io.warden.api.Kind;
import io.warden.api.Kinds;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Prints resources as a table, YAML, JSON or names. */
final class Printer {

    private final PrintWriter out;
    private final Clock clock;

    Printer(PrintWriter out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /** A whole list, read page by page; {@code -o json} prints it as one ResourceList. */
    void list(Kind kind, List<ObjectNode> items, String resourceVersion, OutputFormat format) {
        items(Columns.forKind(kind, clock.instant()), items, item -> name(kind, item),
                resourceList(kind, items, resourceVersion), format);
    }

    void one(Kind kind, ObjectNode item, OutputFormat format) {
        items(Columns.forKind(kind, clock.instant()), List.of(item), i -> name(kind, i), item, format);
    }

    /**
     * Items of any sort (resources, tasks): a table of {@code columns}, one {@code name} per line,
     * the items as YAML documents, or {@code json} (the items as one document) as JSON.
     */
    void items(List<Columns.Column> columns, List<? extends JsonNode> items, Function<JsonNode, String> name,
               JsonNode json, OutputFormat format) {
        switch (format) {
            case TABLE -> {
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode item : items) {
                    rows.add(Columns.cells(columns, item));
                }
                Table.render(Columns.headers(columns), rows).forEach(out::println);
            }
            case NAME -> items.forEach(item -> out.println(name.apply(item)));
            case YAML -> {
                for (int i = 0; i < items.size(); i++) {
                    if (i > 0) {
                        out.println("---");
                    }
                    out.print(Json.yaml(items.get(i)));
                }
            }
            case JSON -> out.println(Json.pretty(json));
        }
        out.flush();
    }

    /** Rows for a watch, one per event; widths are fixed up front since the rows are not known yet. */
    WatchOutput watch(Kind kind, OutputFormat format) {
        return new WatchOutput(kind, format);
    }

    static String name(Kind kind, JsonNode item) {
        return ResourceRef.kindWord(kind) + "/" + Text.cell(Json.text(item, "metadata", "name"));
    }

    static ObjectNode resourceList(Kind kind, List<ObjectNode> items, String resourceVersion) {
        ObjectNode list = Json.JSON.createObjectNode();
        list.put("apiVersion", Kinds.API_VERSION);
        list.put("kind", kind.listKind());
        ObjectNode metadata = list.putObject("metadata");
        if (resourceVersion != null) {
            metadata.put("resourceVersion", resourceVersion);
        }
        ArrayNode array = list.putArray("items");
        items.forEach(array::add);
        return list;
    }

    /** Prints the events of one watch. */
    final class WatchOutput {

        private static final int EVENT_WIDTH = "MODIFIED".length();
        private static final int NAME_WIDTH = 24;

        private final Kind kind;
        private final OutputFormat format;
        private int printed;

        private WatchOutput(Kind kind, OutputFormat format) {
            this.kind = kind;
            this.format = format;
        }

        void event(String type, JsonNode object, JsonNode event) {
            String eventType = Text.cell(type);
            switch (format) {
                case TABLE -> {
                    List<Columns.Column> columns = Columns.forKind(kind, clock.instant());
                    int[] widths = widths(columns);
                    if (printed == 0) {
                        List<String> header = new ArrayList<>();
                        header.add("EVENT");
                        header.addAll(Columns.headers(columns));
                        out.println(Table.row(header, widths));
                    }
                    List<String> row = new ArrayList<>();
                    row.add(eventType);
                    row.addAll(Columns.cells(columns, object));
                    out.println(Table.row(row, widths));
                }
                case NAME -> out.println(eventType + " " + name(kind, object));
                case JSON -> out.println(Json.compact(event));
                case YAML -> {
                    if (printed > 0) {
                        out.println("---");
                    }
                    out.println("# " + eventType);
                    out.print(Json.yaml(object));
                }
            }
            printed++;
            out.flush();
        }

        private static int[] widths(List<Columns.Column> columns) {
            int[] widths = new int[columns.size() + 1];
            widths[0] = EVENT_WIDTH;
            for (int i = 0; i < columns.size(); i++) {
                String header = columns.get(i).header();
                widths[i + 1] = header.equals("NAME") ? NAME_WIDTH : Math.max(header.length(), 6);
            }
            return widths;
        }
    }
}
