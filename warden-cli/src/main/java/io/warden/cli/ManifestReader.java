package io.warden.cli;

import io.warden.api.Kind;
import io.warden.api.Kinds;
import io.warden.api.Names;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads manifests from files, directories and stdin, and checks that each has the shape the CLI
 * needs (an object with a known kind and a valid name) before anything is sent. All problems
 * are collected, so one run shows every broken document instead of the first.
 *
 * <p>Documents are numbered from 1 in the order the YAML parser sees them ({@code ---} starts a
 * new one); empty documents keep their number but are skipped. {@code .json} files are read as
 * JSON; everything else, stdin included, as YAML (which accepts JSON too).
 */
final class ManifestReader {

    static final String STDIN = "-";
    static final String STDIN_LABEL = "<stdin>";

    private static final int MAX_PROBLEMS = 20;

    private final InputStream stdin;

    ManifestReader(InputStream stdin) {
        this.stdin = stdin;
    }

    /**
     * Every manifest from {@code paths}, in order (directories: file names sorted). On any problem
     * throws, ending with "nothing was {@code verb}", since the caller has not sent anything yet.
     */
    List<Manifest> read(List<String> paths, boolean recursive, String verb) {
        Reading reading = new Reading();
        boolean stdinRead = false;
        for (String p : paths) {
            if (p.equals(STDIN)) {
                if (stdinRead) {
                    throw CliException.usage("-f - (stdin) can be given only once");
                }
                stdinRead = true;
                readStdin(reading);
                continue;
            }
            Path path;
            try {
                path = Path.of(p);
            } catch (InvalidPathException e) {
                reading.problem(p + ": not a valid path");
                continue;
            }
            if (Files.isDirectory(path)) {
                for (Path file : manifestFiles(path, recursive, reading)) {
                    readFile(file, reading);
                }
            } else if (Files.isRegularFile(path)) {
                readFile(path, reading);
            } else if (Files.exists(path)) {
                reading.problem(p + ": not a regular file");
            } else {
                reading.problem(p + ": no such file or directory");
            }
        }
        if (!reading.problems.isEmpty()) {
            List<String> lines = new ArrayList<>();
            List<String> shown = reading.problems.subList(0, Math.min(MAX_PROBLEMS, reading.problems.size()));
            for (int i = 0; i < shown.size(); i++) {
                // CliException prints "error: " before the first line only.
                lines.add(i == 0 ? shown.get(i) : "error: " + shown.get(i));
            }
            if (reading.problems.size() > MAX_PROBLEMS) {
                lines.add("... and " + (reading.problems.size() - MAX_PROBLEMS) + " more");
            }
            lines.add("nothing was " + verb);
            throw CliException.error(lines);
        }
        return List.copyOf(reading.manifests);
    }

    /** Parses one file's text; {@code label} names it in messages. Package-private for tests. */
    void parse(String label, String text, boolean json, Reading reading) {
        ObjectMapper mapper = json ? Json.JSON : Json.YAML;
        String format = json ? "JSON" : "YAML";
        int index = 0;
        try (JsonParser parser = mapper.createParser(text)) {
            while (true) {
                JsonToken token;
                try {
                    token = parser.nextToken();
                } catch (JacksonException e) {
                    reading.problem(origin(label, index + 1, 0) + ": invalid " + format + ": " + Json.describe(e));
                    return;
                }
                if (token == null) {
                    return;
                }
                index++;
                JsonNode node;
                try {
                    node = mapper.readTree(parser);
                } catch (JacksonException e) {
                    // The parser cannot resynchronise after a syntax error: the rest of the file is unread.
                    reading.problem(origin(label, index, 0) + ": invalid " + format + ": " + Json.describe(e));
                    return;
                }
                accept(label, index, node, reading);
            }
        }
    }

    private void accept(String label, int index, JsonNode node, Reading reading) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return; // an empty document, or one holding only comments
        }
        if (node.isArray()) {
            int item = 0;
            for (JsonNode element : node) {
                check(origin(label, index, ++item), element, reading);
            }
            return;
        }
        Optional<JsonNode> items = listItems(node);
        if (items.isPresent()) {
            if (!items.get().isArray()) {
                reading.problem(origin(label, index, 0) + ": a " + Json.text(node, "kind") + " needs an items array");
                return;
            }
            int item = 0;
            for (JsonNode element : items.get()) {
                check(origin(label, index, ++item), element, reading);
            }
            return;
        }
        check(origin(label, index, 0), node, reading);
    }

    /** {@code kind: List}, or a {@code ToolList} as {@code get -o json} prints it, so that output can be applied back. */
    private static Optional<JsonNode> listItems(JsonNode node) {
        String kind = Json.text(node, "kind");
        if (kind == null) {
            return Optional.empty();
        }
        boolean list = kind.equals("List")
                || (kind.endsWith("List") && Kinds.byName(kind.substring(0, kind.length() - 4)).isPresent());
        return list ? Optional.of(node.path("items")) : Optional.empty();
    }

    private static void check(String origin, JsonNode node, Reading reading) {
        if (!(node instanceof ObjectNode object)) {
            reading.problem(origin + ": expected a manifest (an object with apiVersion, kind, metadata and spec), found "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT));
            return;
        }
        String kindName = Json.text(object, "kind");
        if (Text.isBlank(kindName)) {
            reading.problem(origin + ": missing kind");
            return;
        }
        Optional<Kind> kind = Kinds.byName(kindName);
        if (kind.isEmpty()) {
            reading.problem(origin + ": " + unknownKind(kindName));
            return;
        }
        JsonNode metadata = object.get("metadata");
        if (metadata == null || !metadata.isObject()) {
            reading.problem(origin + ": missing metadata");
            return;
        }
        String name = Json.text(metadata, "name");
        if (Text.isBlank(name)) {
            reading.problem(origin + ": missing metadata.name");
            return;
        }
        String display = ResourceRef.kindWord(kind.get()) + "/" + Text.cell(name);
        if (!Names.isDns1123Label(name)) {
            // Checked here, not only by the server: the name becomes part of the request URL.
            reading.problem(origin + ": " + display + ": metadata.name is not a valid name"
                    + " (lower case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)");
            return;
        }
        JsonNode ns = metadata.get("namespace");
        String namespace = null;
        if (ns != null && !ns.isNull()) {
            if (!kind.get().namespaced()) {
                reading.problem(origin + ": " + display + ": " + kindName + " is not namespaced; remove metadata.namespace");
                return;
            }
            if (!ns.isString() || !Names.isDns1123Label(ns.stringValue())) {
                reading.problem(origin + ": " + display + ": metadata.namespace is not a valid namespace name");
                return;
            }
            namespace = ns.stringValue();
        }
        reading.manifests.add(new Manifest(origin, kind.get(), name, namespace, object));
    }

    static String unknownKind(String word) {
        String known = Kinds.all().stream().map(Kind::name).collect(Collectors.joining(", "));
        String hint = Kinds.lookup(word).map(k -> "; did you mean \"" + k.name() + "\"?").orElse("");
        return "unknown kind \"" + Text.cell(word) + "\"" + hint + " (known kinds: " + known + ")";
    }

    private static String origin(String label, int document, int item) {
        return label + " (document " + document + (item > 0 ? ", item " + item : "") + ")";
    }

    private void readStdin(Reading reading) {
        try {
            parse(STDIN_LABEL, decode(stdin.readAllBytes()), false, reading);
        } catch (CharacterCodingException e) {
            reading.problem(STDIN_LABEL + ": not valid UTF-8");
        } catch (IOException e) {
            reading.problem(STDIN_LABEL + ": " + UnreachableException.reason(e));
        }
    }

    private void readFile(Path file, Reading reading) {
        String label = file.toString();
        String text;
        try {
            text = decode(Files.readAllBytes(file));
        } catch (CharacterCodingException e) {
            reading.problem(label + ": not valid UTF-8");
            return;
        } catch (IOException e) {
            reading.problem(label + ": cannot read: " + UnreachableException.reason(e));
            return;
        }
        parse(label, text, file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json"), reading);
    }

    private static List<Path> manifestFiles(Path dir, boolean recursive, Reading reading) {
        try (Stream<Path> entries = recursive ? Files.walk(dir) : Files.list(dir)) {
            return entries
                    .filter(Files::isRegularFile)
                    .filter(p -> isManifestName(p.getFileName().toString()))
                    // Sorted so that a directory applies the same way on every machine.
                    .sorted(Comparator.comparing(p -> dir.relativize(p).toString()))
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            reading.problem(dir + ": cannot list directory: " + e.getMessage());
            return List.of();
        }
    }

    static boolean isManifestName(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
    }

    private static String decode(byte[] bytes) throws CharacterCodingException {
        String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** What one read collects: manifests in order, and every problem found. */
    static final class Reading {
        final List<Manifest> manifests = new ArrayList<>();
        final List<String> problems = new ArrayList<>();

        void problem(String message) {
            problems.add(message);
        }
    }
}
