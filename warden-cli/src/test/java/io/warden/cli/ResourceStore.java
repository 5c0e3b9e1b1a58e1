package io.warden.cli;

import com.sun.net.httpserver.HttpExchange;
import io.warden.api.ApplyResult;
import io.warden.api.Kind;
import io.warden.api.Kinds;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Enough of the Warden resource API, in memory, for apply/get/delete round trips: PUT with
 * created/configured/unchanged, GET one, paged lists ({@code limit}/{@code continue}), DELETE,
 * and 404 for a namespaced resource whose namespace does not exist.
 */
final class ResourceStore implements FakeWarden.Handler {

    private final Map<String, ObjectNode> objects = new TreeMap<>();
    private final AtomicLong version = new AtomicLong(10);
    private final Instant created;

    ResourceStore(Instant created) {
        this.created = created;
    }

    /** Path parts: kind, namespace (null for cluster kinds), name (null for a collection). */
    private record Target(Kind kind, String namespace, String name) {
        String key() {
            return kind.plural() + "/" + Objects.requireNonNullElse(namespace, "") + "/" + name;
        }
    }

    synchronized ObjectNode stored(Kind kind, String namespace, String name) {
        return objects.get(new Target(kind, namespace, name).key());
    }

    synchronized void put(ObjectNode resource) {
        Kind kind = Kinds.byName(resource.path("kind").asString()).orElseThrow();
        ObjectNode metadata = (ObjectNode) resource.path("metadata");
        if (!metadata.has("creationTimestamp")) {
            metadata.put("creationTimestamp", created.toString());
        }
        String ns = kind.namespaced() ? metadata.path("namespace").asString() : null;
        objects.put(new Target(kind, ns, metadata.path("name").asString()).key(), resource);
    }

    @Override
    public synchronized void handle(FakeWarden.Request request, HttpExchange exchange) throws IOException {
        Target t = parse(request.path());
        if (t == null) {
            FakeWarden.problem(exchange, 404, "Not Found", "unknown path", "req-404");
            return;
        }
        switch (request.method()) {
            case "PUT" -> put(t, request, exchange);
            case "GET" -> {
                if (t.name() == null) {
                    list(t, request, exchange);
                } else {
                    ObjectNode o = objects.get(t.key());
                    if (o == null) {
                        FakeWarden.problem(exchange, 404, "Not Found", t.kind().name() + " not found", "req-404");
                    } else {
                        FakeWarden.json(exchange, 200, Json.compact(o));
                    }
                }
            }
            case "DELETE" -> {
                ObjectNode o = objects.remove(t.key());
                if (o == null) {
                    FakeWarden.problem(exchange, 404, "Not Found", t.kind().name() + " not found", "req-404");
                } else {
                    FakeWarden.json(exchange, 200, Json.compact(o));
                }
            }
            default -> FakeWarden.problem(exchange, 405, "Method Not Allowed", request.method(), "req-405");
        }
    }

    private void put(Target t, FakeWarden.Request request, HttpExchange exchange) throws IOException {
        if (t.namespace() != null && !objects.containsKey(new Target(Kinds.NAMESPACE, null, t.namespace()).key())) {
            FakeWarden.problem(exchange, 404, "Not Found", "namespace \\\"" + t.namespace() + "\\\" does not exist", "req-ns");
            return;
        }
        ObjectNode body = (ObjectNode) Json.JSON.readTree(request.body());
        ObjectNode old = objects.get(t.key());
        ApplyResult result;
        ObjectNode stored = body.deepCopy();
        ObjectNode metadata = (ObjectNode) stored.path("metadata");
        if (old == null) {
            result = ApplyResult.CREATED;
            metadata.put("uid", "uid-" + t.name());
            metadata.put("generation", 1);
            metadata.put("creationTimestamp", created.toString());
        } else if (Objects.equals(old.get("spec"), body.get("spec"))
                && Objects.equals(old.path("metadata").get("labels"), body.path("metadata").get("labels"))
                && Objects.equals(old.path("metadata").get("annotations"), body.path("metadata").get("annotations"))) {
            FakeWarden.json(exchange, 200, Json.compact(old), ApplyResult.HEADER, "unchanged");
            return;
        } else {
            result = ApplyResult.CONFIGURED;
            ObjectNode oldMeta = (ObjectNode) old.path("metadata");
            metadata.put("uid", oldMeta.path("uid").asString());
            metadata.put("creationTimestamp", oldMeta.path("creationTimestamp").asString());
            long generation = oldMeta.path("generation").asLong();
            metadata.put("generation", Objects.equals(old.get("spec"), body.get("spec")) ? generation : generation + 1);
        }
        metadata.put("resourceVersion", Long.toString(version.incrementAndGet()));
        objects.put(t.key(), stored);
        FakeWarden.json(exchange, result == ApplyResult.CREATED ? 201 : 200, Json.compact(stored),
                ApplyResult.HEADER, result.word());
    }

    private void list(Target t, FakeWarden.Request request, HttpExchange exchange) throws IOException {
        Map<String, String> query = request.query();
        int limit = Integer.parseInt(query.getOrDefault("limit", "500"));
        String after = query.get("continue");
        String prefix = t.kind().plural() + "/" + Objects.requireNonNullElse(t.namespace(), "") + "/";
        List<ObjectNode> matching = new ArrayList<>();
        objects.forEach((key, value) -> {
            if (key.startsWith(prefix) && (after == null || key.substring(prefix.length()).compareTo(after) > 0)) {
                matching.add(value);
            }
        });
        ObjectNode list = Json.JSON.createObjectNode();
        list.put("apiVersion", Kinds.API_VERSION);
        list.put("kind", t.kind().listKind());
        ObjectNode meta = list.putObject("metadata");
        meta.put("resourceVersion", Long.toString(version.get()));
        ArrayNode items = list.putArray("items");
        for (int i = 0; i < Math.min(limit, matching.size()); i++) {
            items.add(matching.get(i));
        }
        if (matching.size() > limit) {
            meta.put("continue", matching.get(limit - 1).path("metadata").path("name").asString());
        }
        FakeWarden.json(exchange, 200, Json.compact(list));
    }

    private static Target parse(String path) {
        String[] p = path.split("/");
        // ["", "v1", "namespaces", ns, plural, name?] or ["", "v1", plural, name?]
        if (p.length < 3 || !p[1].equals("v1")) {
            return null;
        }
        if (p[2].equals("namespaces") && p.length >= 5) {
            Kind kind = Kinds.byPlural(p[4]).filter(Kind::namespaced).orElse(null);
            return kind == null ? null : new Target(kind, p[3], p.length > 5 ? p[5] : null);
        }
        Kind kind = Kinds.byPlural(p[2]).filter(k -> !k.namespaced()).orElse(null);
        return kind == null ? null : new Target(kind, null, p.length > 3 ? p[3] : null);
    }

    static JsonNode tree(String json) {
        return Json.JSON.readTree(json);
    }
}
