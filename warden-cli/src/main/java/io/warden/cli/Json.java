package io.warden.cli;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * The Jackson mappers of the CLI and a few null-safe accessors. Jackson 3 mappers and writers
 * are immutable, so sharing them as constants is safe.
 */
final class Json {

    /** Strict on input: a duplicated key in a manifest is a mistake worth reporting, not "last one wins". */
    static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // Multi-document files are read value by value from one parser.
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * One JSON value and nothing after it, no key twice: for a value that must mean the same to
     * every reader (a line of an audit export, the args of a task).
     */
    static final JsonMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // The CLI writes its own "---" separators between documents.
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            // Without this the string "7" (a resourceVersion) is written as 7 and reads back as a
            // number, so "get -o yaml" output would no longer apply.
            .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLWriteFeature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();

    /** {@code "key": value} with two-space indents, like kubectl, instead of Jackson's {@code "key" : value}. */
    static final ObjectWriter PRETTY = JSON.writer().with(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectNameValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"))
            .withObjectIndenter(new DefaultIndenter("  ", "\n")));

    private Json() {
    }

    /** The string at {@code path} under {@code node}, or null when absent or not a string. */
    static String text(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            n = n.path(p);
        }
        return n.isString() ? n.stringValue() : null;
    }

    /** A string, number or boolean field as text ({@code 7}, {@code true}), or null when absent or null. */
    static String scalar(JsonNode node, String field) {
        JsonNode n = node.path(field);
        return n.isValueNode() && !n.isNull() ? n.asString() : null;
    }

    static String pretty(JsonNode node) {
        return PRETTY.writeValueAsString(node);
    }

    static String compact(JsonNode node) {
        return JSON.writeValueAsString(node);
    }

    /** YAML of {@code node} (a tree or a record), ending with a newline. */
    static String yaml(Object node) {
        return YAML.writeValueAsString(node);
    }

    /** One readable line from a Jackson error: SnakeYAML messages span several lines with a caret drawing. */
    static String describe(JacksonException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        StringBuilder sb = new StringBuilder();
        for (String line : message.split("\\R")) {
            // Keep the statements; drop " in reader, line 3, column 4:", the excerpt and the caret.
            if (line.isBlank() || Character.isWhitespace(line.charAt(0))) {
                continue;
            }
            if (!sb.isEmpty()) {
                sb.append(": ");
            }
            sb.append(line.strip());
        }
        if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
            sb.append(" (line ").append(e.getLocation().getLineNr())
                    .append(", column ").append(e.getLocation().getColumnNr()).append(')');
        }
        return Text.clean(sb.toString());
    }
}
