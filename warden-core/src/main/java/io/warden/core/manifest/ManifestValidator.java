package io.warden.core.manifest;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import com.networknt.schema.path.PathType;
import io.warden.api.FieldError;
import io.warden.api.Kind;
import io.warden.api.Kinds;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks manifests against the JSON Schemas shipped in warden-api: the envelope
 * ({@code manifest.json}) and the kind's spec schema. A Tool's {@code inputSchema} is itself
 * checked against the JSON Schema 2020-12 meta-schema, so a broken schema is refused when the
 * tool is applied rather than when the first task arrives.
 *
 * <p>Schemas never load anything from the network: a {@code $ref} to a URL is not fetched.
 * Thread-safe; build once and share.
 */
public final class ManifestValidator {

    private static final String SCHEMA_ROOT = "/io/warden/api/schema/";
    private static final String META_SCHEMA_2020_12 = "https://json-schema.org/draft/2020-12/schema";

    private static final int MAX_CACHED_INPUT_SCHEMAS = 512;

    private final SchemaRegistry registry;
    private final Schema envelope;
    private final Map<String, Schema> specs;
    private final Schema metaSchema;
    /** Compiled Tool input schemas by their JSON text; cleared when full (tools change rarely). */
    private final Map<String, Schema> inputSchemas = new java.util.concurrent.ConcurrentHashMap<>();

    private ManifestValidator(SchemaRegistry registry, Schema envelope, Map<String, Schema> specs, Schema metaSchema) {
        this.registry = registry;
        this.envelope = envelope;
        this.specs = specs;
        this.metaSchema = metaSchema;
    }

    /** Loads the schemas of every registered kind from the classpath. */
    public static ManifestValidator load() {
        JsonMapper mapper = JsonMapper.builder().build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, b -> b
                .schemaRegistryConfig(SchemaRegistryConfig.builder().pathType(PathType.JSON_POINTER).build())
                .schemaLoader(loader -> loader.fetchRemoteResources(false)));
        Schema envelope = registry.getSchema(read(mapper, SCHEMA_ROOT + "manifest.json"));
        Map<String, Schema> specs = new HashMap<>();
        for (Kind kind : Kinds.all()) {
            specs.put(kind.name(), registry.getSchema(read(mapper, kind.specSchemaResource())));
        }
        Schema meta = registry.getSchema(SchemaLocation.of(META_SCHEMA_2020_12));
        return new ManifestValidator(registry, envelope, Map.copyOf(specs), meta);
    }

    private static JsonNode read(JsonMapper mapper, String resource) {
        try (InputStream in = ManifestValidator.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema missing from the classpath: " + resource);
            }
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Validates a whole manifest of the given kind. Returns the violations, ordered by path;
     * empty when the manifest is valid.
     */
    public List<FieldError> validate(Kind kind, JsonNode manifest) {
        List<FieldError> errors = new ArrayList<>(convert("", envelope.validate(manifest)));
        JsonNode spec = manifest.path("spec");
        Schema specSchema = specs.get(kind.name());
        if (specSchema == null) {
            errors.add(new FieldError("kind", "unknown kind " + kind.name()));
        } else if (spec.isObject()) {
            errors.addAll(convert("spec", specSchema.validate(spec)));
            JsonNode inputSchema = spec.path("inputSchema");
            if (kind.equals(Kinds.TOOL) && inputSchema.isObject()) {
                errors.addAll(convert("spec.inputSchema", metaSchema.validate(inputSchema)));
            }
        } else if (spec.isMissingNode() || spec.isNull()) {
            // A kind whose spec has required fields needs a spec; validate an empty one to say which.
            errors.addAll(convert("spec", specSchema.validate(tools.jackson.databind.node.JsonNodeFactory.instance.objectNode())));
        }
        errors.sort(Comparator.comparing(FieldError::path).thenComparing(FieldError::message));
        return List.copyOf(errors);
    }

    /**
     * Validates a call's arguments against a Tool's {@code inputSchema} (which was checked as a
     * schema when the Tool was applied; remote references are never fetched). Paths start with
     * {@code args}; empty when the arguments are valid.
     */
    public List<FieldError> validateArgs(JsonNode inputSchema, JsonNode args) {
        String key = inputSchema.toString();
        List<FieldError> errors;
        try {
            Schema schema = inputSchemas.get(key);
            if (schema == null) {
                if (inputSchemas.size() >= MAX_CACHED_INPUT_SCHEMAS) {
                    inputSchemas.clear();
                }
                schema = registry.getSchema(inputSchema);
                inputSchemas.put(key, schema);
            }
            errors = new ArrayList<>(convert("args", schema.validate(args)));
        } catch (RuntimeException e) {
            // A reference to a schema elsewhere: never fetched (no requests on an attacker's
            // behalf), so the args cannot be checked and are refused.
            return List.of(new FieldError("args", "cannot be checked: the tool's inputSchema refers to a schema"
                    + " that is not part of it (remote references are not fetched)"));
        }
        errors.sort(Comparator.comparing(FieldError::path).thenComparing(FieldError::message));
        return List.copyOf(errors);
    }

    private static List<FieldError> convert(String prefix, List<Error> errors) {
        List<FieldError> out = new ArrayList<>(errors.size());
        for (Error e : errors) {
            String path = join(prefix, dotted(e.getInstanceLocation()));
            if (e.getProperty() != null && ("required".equals(e.getKeyword())
                    || "additionalProperties".equals(e.getKeyword()))) {
                path = join(path, e.getProperty());
            }
            out.add(new FieldError(path.isEmpty() ? "(root)" : path, message(e)));
        }
        return out;
    }

    private static String message(Error e) {
        return switch (e.getKeyword() == null ? "" : e.getKeyword()) {
            case "required" -> "is required";
            case "additionalProperties" -> "is not a known field";
            default -> stripLocation(e.getMessage());
        };
    }

    /** The library prefixes messages with the instance location; the path is reported apart. */
    private static String stripLocation(String message) {
        if (message != null && message.startsWith("/")) {
            int colon = message.indexOf(": ");
            if (colon > 0) {
                return message.substring(colon + 2);
            }
        }
        if (message != null && message.startsWith(": ")) {
            return message.substring(2);
        }
        return message;
    }

    /** {@code /spec/exec/command/0} becomes {@code spec.exec.command[0]}. */
    static String dotted(NodePath path) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            if (element instanceof Integer index) {
                sb.append('[').append(index).append(']');
            } else {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(element);
            }
        }
        return sb.toString();
    }

    private static String join(String a, String b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return b.startsWith("[") ? a + b : a + "." + b;
    }
}
