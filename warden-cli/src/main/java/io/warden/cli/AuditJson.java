package io.warden.cli;

import io.warden.core.audit.AuditRecord;
import io.warden.core.audit.Checkpoint;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Audit events and checkpoints as JSON (docs/reference/audit.md): what the audit API sends, one
 * line of an export, and the checkpoints file {@code audit verify --offline} reads.
 *
 * <p>Reading is strict about shape and lenient about content: every field must be there with its
 * JSON type (a string or null, an integer), or the input is malformed and named as such; but
 * values are taken as they are, however wrong, since judging them is the verifier's job. Fields
 * the format does not know are ignored. A duplicated key or text after the value is malformed:
 * either would let two readers see two different events in one line.
 */
final class AuditJson {

    /** The record's 18 components, in order: the fields of every exported line. */
    static final List<String> RECORD_FIELDS = List.of("chain", "seq", "time", "actorKind", "actorId", "actorVia",
            "action", "targetKind", "targetNamespace", "targetName", "outcome", "requestId", "clientAddress", "details",
            "prevHash", "hash", "prevDigest", "digest");

    private AuditJson() {
    }

    /** Input that is not an event or a checkpoint; the message says which field and why. */
    static final class MalformedException extends RuntimeException {
        MalformedException(String message) {
            super(message);
        }
    }

    /** One JSON value and nothing after it: a line of an export. */
    static JsonNode parse(String text) {
        try {
            return Json.STRICT.readTree(text);
        } catch (JacksonException e) {
            // The reader's own "line 1" would only confuse: the caller names the line.
            String message = Text.firstNonNull(e.getOriginalMessage(), e.getClass().getSimpleName()).lines().findFirst().orElse("");
            String column = e.getLocation() != null && e.getLocation().getColumnNr() > 0
                    ? " (column " + e.getLocation().getColumnNr() + ")" : "";
            throw new MalformedException("not JSON: " + Text.cell(message) + column);
        }
    }

    /** An event as the API sends it and an export holds it. */
    static AuditRecord record(JsonNode node) {
        if (!(node instanceof ObjectNode)) {
            throw new MalformedException("not a JSON object");
        }
        return new AuditRecord(string(node, "chain"), integer(node, "seq"), integer(node, "time"),
                string(node, "actorKind"), string(node, "actorId"), string(node, "actorVia"), string(node, "action"),
                string(node, "targetKind"), string(node, "targetNamespace"), string(node, "targetName"),
                string(node, "outcome"), string(node, "requestId"), string(node, "clientAddress"),
                string(node, "details"), string(node, "prevHash"), string(node, "hash"), string(node, "prevDigest"),
                string(node, "digest"));
    }

    /** A checkpoint as the API sends it. */
    static Checkpoint checkpoint(JsonNode node) {
        if (!(node instanceof ObjectNode)) {
            throw new MalformedException("a checkpoint is not a JSON object");
        }
        return new Checkpoint(string(node, "chain"), integer(node, "seq"), string(node, "hash"), string(node, "digest"),
                integer(node, "time"), string(node, "signature"));
    }

    /** Null for a JSON null or a missing field (the API's "none"), else the checkpoint. */
    static Checkpoint optionalCheckpoint(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() ? null : checkpoint(value);
    }

    static List<Checkpoint> checkpoints(JsonNode items) {
        if (!items.isArray()) {
            throw new MalformedException("\"items\" is not an array of checkpoints");
        }
        List<Checkpoint> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                out.add(checkpoint(items.get(i)));
            } catch (MalformedException e) {
                throw new MalformedException("checkpoint " + (i + 1) + " of \"items\": " + e.getMessage());
            }
        }
        return out;
    }

    /** The event as one line of JSON, its fields in the record's order, nulls written as null. */
    static String line(AuditRecord r) {
        ObjectNode n = Json.JSON.createObjectNode();
        put(n, "chain", r.chain());
        n.put("seq", r.seq());
        n.put("time", r.time());
        put(n, "actorKind", r.actorKind());
        put(n, "actorId", r.actorId());
        put(n, "actorVia", r.actorVia());
        put(n, "action", r.action());
        put(n, "targetKind", r.targetKind());
        put(n, "targetNamespace", r.targetNamespace());
        put(n, "targetName", r.targetName());
        put(n, "outcome", r.outcome());
        put(n, "requestId", r.requestId());
        put(n, "clientAddress", r.clientAddress());
        put(n, "details", r.details());
        put(n, "prevHash", r.prevHash());
        put(n, "hash", r.hash());
        put(n, "prevDigest", r.prevDigest());
        put(n, "digest", r.digest());
        return Json.compact(n);
    }

    static ObjectNode node(Checkpoint c) {
        ObjectNode n = Json.JSON.createObjectNode();
        put(n, "chain", c.chain());
        n.put("seq", c.seq());
        put(n, "hash", c.hash());
        put(n, "digest", c.digest());
        n.put("time", c.time());
        put(n, "signature", c.signature());
        return n;
    }

    /**
     * The checkpoints file: {@code {"chain", "anchor", "items"}}, what
     * {@code GET /v1/audit/checkpoints} answers with all its pages merged.
     */
    static ObjectNode checkpointsFile(String chain, Checkpoint anchor, List<Checkpoint> items) {
        ObjectNode file = Json.JSON.createObjectNode();
        put(file, "chain", chain);
        if (anchor == null) {
            file.putNull("anchor");
        } else {
            file.set("anchor", node(anchor));
        }
        ArrayNode array = file.putArray("items");
        items.forEach(c -> array.add(node(c)));
        return file;
    }

    private static void put(ObjectNode node, String field, String value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    private static JsonNode field(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            throw new MalformedException("no field \"" + field + "\"");
        }
        return value;
    }

    private static String string(JsonNode node, String field) {
        JsonNode value = field(node, field);
        if (value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw new MalformedException("\"" + field + "\" is not a string or null");
        }
        return value.stringValue();
    }

    private static long integer(JsonNode node, String field) {
        JsonNode value = field(node, field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new MalformedException("\"" + field + "\" is not an integer");
        }
        return value.longValue();
    }
}
