package io.warden.server.resources;

import io.warden.api.ApplyResult;
import io.warden.api.FieldError;
import io.warden.api.Kind;
import io.warden.api.Kinds;
import io.warden.api.Resource;
import io.warden.api.WatchEvent;
import io.warden.core.labels.LabelSelector;
import io.warden.core.manifest.ManifestValidator;
import io.warden.core.audit.AuditRecord;
import io.warden.server.audit.AuditLog;
import io.warden.server.web.ApiProblem;
import io.warden.server.web.RequestContext;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The facade of declarative resources: apply, get, list, delete, status and changes. Other
 * features use this class, never the tables. Cluster kinds take namespace {@code ""}.
 */
@Service
public class Resources {

    /** What an apply did and the resource as stored afterwards. */
    public record Applied(Resource resource, ApplyResult result) {
    }

    /** One page of a list; {@code version} is the resourceVersion the list was read at. */
    public record Page(List<Resource> items, long version, String continueToken) {
    }

    /** One change with its version. */
    public record Change(long version, WatchEvent event) {
    }

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };

    private final ResourceStore store;
    private final TransactionTemplate tx;
    private final ManifestValidator validator;
    private final JsonMapper json;
    private final Clock clock;
    private final ChangeSignal signal;
    private final AuditLog audit;
    private final ResourceCache cache;

    Resources(ResourceStore store, TransactionTemplate tx, ManifestValidator validator, JsonMapper json,
            Clock clock, ChangeSignal signal, AuditLog audit, ResourceCache cache) {
        this.audit = audit;
        this.cache = cache;
        this.store = store;
        this.tx = tx;
        this.validator = validator;
        this.json = json;
        this.clock = clock;
        this.signal = signal;
    }

    /** Creates or updates a resource from a whole manifest, recording it in the audit ledger. */
    public Applied apply(RequestContext ctx, Kind kind, String namespace, String name, JsonNode manifest) {
        if (!manifest.isObject()) {
            throw ApiProblem.badRequest("the body must be a manifest (a JSON object)");
        }
        requireSameTarget(kind, namespace, name, manifest);
        List<FieldError> errors = validator.validate(kind, manifest);
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid("Invalid " + kind.name(), errors);
        }
        JsonNode metadata = manifest.get("metadata");
        Long expected = versionOf(metadata);
        Map<String, String> labels = stringMap(metadata.get("labels"));
        Map<String, String> annotations = stringMap(metadata.get("annotations"));
        JsonNode spec = manifest.has("spec") ? manifest.get("spec") : json.createObjectNode();

        List<CompletableFuture<AuditRecord>> audited = new ArrayList<>();
        Applied applied = write(audited, status -> {
            long version = store.nextVersion();
            requireNamespace(kind, namespace);
            Optional<StoredResource> found = store.find(kind, namespace, name);
            Instant now = now();
            if (found.isEmpty()) {
                if (expected != null) {
                    throw ApiProblem.conflict(describe(kind, namespace, name)
                            + " does not exist, so it cannot be updated at resourceVersion " + expected);
                }
                StoredResource created = new StoredResource(kind, namespace, name, UUID.randomUUID().toString(),
                        labels, annotations, spec, null, version, 1, now, now);
                store.insert(created);
                record(version, created, WatchEvent.Type.ADDED);
                audited.add(auditEvent(ctx, "resource.create", created, List.of("spec", "metadata")));
                return new Applied(created.toResource(), ApplyResult.CREATED);
            }
            StoredResource old = found.get();
            requireVersion(old, expected);
            boolean specChanged = !old.spec().equals(spec);
            if (!specChanged && old.labels().equals(labels) && old.annotations().equals(annotations)) {
                status.setRollbackOnly();
                return new Applied(old.toResource(), ApplyResult.UNCHANGED);
            }
            StoredResource updated = new StoredResource(kind, namespace, name, old.uid(), labels, annotations, spec,
                    old.status(), version, old.generation() + (specChanged ? 1 : 0), old.createdAt(), now);
            if (!store.update(updated, old.resourceVersion())) {
                throw staleVersion(old);
            }
            record(version, updated, WatchEvent.Type.MODIFIED);
            List<String> changed = new ArrayList<>();
            if (specChanged) {
                changed.add("spec");
            }
            if (!old.labels().equals(labels)) {
                changed.add("metadata.labels");
            }
            if (!old.annotations().equals(annotations)) {
                changed.add("metadata.annotations");
            }
            audited.add(auditEvent(ctx, "resource.update", updated, changed));
            return new Applied(updated.toResource(), ApplyResult.CONFIGURED);
        });
        audit.settle(audited);
        return applied;
    }

    /** Replaces the status of a resource; spec and generation are untouched. */
    public Resource replaceStatus(RequestContext ctx, Kind kind, String namespace, String name, JsonNode body) {
        JsonNode newStatus = body.isObject() ? body.get("status") : null;
        if (newStatus == null || !newStatus.isObject()) {
            throw ApiProblem.badRequest("the body must be an object with a 'status' object");
        }
        Long expected = versionOf(body.get("metadata"));
        List<CompletableFuture<AuditRecord>> audited = new ArrayList<>();
        Resource result = write(audited, status -> {
            long version = store.nextVersion();
            StoredResource old = store.find(kind, namespace, name)
                    .orElseThrow(() -> notFound(kind, namespace, name));
            requireVersion(old, expected);
            StoredResource updated = new StoredResource(kind, namespace, name, old.uid(), old.labels(),
                    old.annotations(), old.spec(), newStatus, version, old.generation(), old.createdAt(), now());
            if (!store.update(updated, old.resourceVersion())) {
                throw staleVersion(old);
            }
            record(version, updated, WatchEvent.Type.MODIFIED);
            audited.add(auditEvent(ctx, "resource.status", updated, List.of("status")));
            return updated.toResource();
        });
        audit.settle(audited);
        return result;
    }

    public Resource get(Kind kind, String namespace, String name) {
        return store.find(kind, namespace, name).map(StoredResource::toResource)
                .orElseThrow(() -> notFound(kind, namespace, name));
    }

    /** Deletes a resource. A namespace can be deleted only once it holds nothing. */
    public Resource delete(RequestContext ctx, Kind kind, String namespace, String name) {
        List<CompletableFuture<AuditRecord>> audited = new ArrayList<>();
        Resource result = write(audited, status -> {
            long version = store.nextVersion();
            StoredResource old = store.find(kind, namespace, name)
                    .orElseThrow(() -> notFound(kind, namespace, name));
            if (kind.equals(Kinds.NAMESPACE) && store.namespaceHoldsResources(name)) {
                throw ApiProblem.conflict("namespace '" + name + "' still holds resources; delete them first");
            }
            if (!store.delete(old)) {
                throw staleVersion(old);
            }
            record(version, old, WatchEvent.Type.DELETED);
            audited.add(auditEvent(ctx, "resource.delete", old, List.of()));
            return old.toResource(version);
        });
        audit.settle(audited);
        return result;
    }

    /** One page of resources in name order, filtered by the selector. */
    public Page list(Kind kind, String namespace, LabelSelector selector, int limit, String continueToken) {
        String after = ContinueToken.decode(continueToken);
        long version = store.currentVersion();
        if (kind.namespaced() && store.find(Kinds.NAMESPACE, "", namespace).isEmpty()) {
            throw ApiProblem.notFound("namespace '" + namespace + "' not found");
        }
        int fetch = selector.selectsEverything() ? limit + 1 : Math.max(100, limit + 1);
        List<StoredResource> picked = new ArrayList<>();
        scan:
        while (true) {
            List<StoredResource> batch = store.page(kind, namespace, after, fetch);
            for (StoredResource r : batch) {
                if (selector.matches(r.labels())) {
                    picked.add(r);
                    if (picked.size() > limit) {
                        break scan;
                    }
                }
            }
            if (batch.size() < fetch) {
                break;
            }
            after = batch.getLast().name();
        }
        String next = null;
        if (picked.size() > limit) {
            picked = picked.subList(0, limit);
            next = ContinueToken.encode(picked.getLast().name());
        }
        return new Page(picked.stream().map(StoredResource::toResource).toList(), version, next);
    }

    /**
     * Every resource of a kind in a namespace, by name; empty when the namespace does not exist.
     * Read-only values, exact as of the current resourceVersion ({@link ResourceCache}).
     */
    public List<Resource> all(Kind kind, String namespace) {
        return cache.all(kind, namespace, () -> {
            if (kind.namespaced() && store.find(Kinds.NAMESPACE, "", namespace).isEmpty()) {
                return List.of();
            }
            List<Resource> out = new ArrayList<>();
            String after = "";
            while (true) {
                List<StoredResource> batch = store.page(kind, namespace, after, 500);
                batch.forEach(r -> out.add(r.toResource()));
                if (batch.size() < 500) {
                    return List.copyOf(out);
                }
                after = batch.getLast().name();
            }
        });
    }

    /** A resource, if it exists. A read-only value, exact as of the current resourceVersion ({@link ResourceCache}). */
    public Optional<Resource> find(Kind kind, String namespace, String name) {
        return cache.find(kind, namespace, name, () -> store.find(kind, namespace, name).map(StoredResource::toResource));
    }

    /** Whether the resource exists. */
    public boolean exists(Kind kind, String namespace, String name) {
        return find(kind, namespace, name).isPresent();
    }

    /**
     * The resourceVersion as an SQL expression, for a lookup a request makes before it reads any
     * resource (its credential) to carry as a column: one statement reads both, in one snapshot.
     * Pair it with {@link #versionSighting()}.
     */
    public static final String VERSION_COLUMN = ResourceStore.VERSION_EXPRESSION;

    /**
     * Call before a lookup that selects {@link #VERSION_COLUMN}, then give the returned consumer
     * the value it read: this request's resource reads start from it instead of reading the
     * counter again (one round trip less per request).
     */
    public LongConsumer versionSighting() {
        return cache.sighting();
    }

    /** The latest resourceVersion handed out. */
    public long currentVersion() {
        return store.currentVersion();
    }

    /** Changes of one kind in one namespace after {@code afterVersion}, oldest first. */
    public List<Change> changesAfter(Kind kind, String namespace, long afterVersion, int limit) {
        return store.changesAfter(kind, namespace, afterVersion, limit).stream()
                .map(c -> new Change(c.version(), new WatchEvent(WatchEvent.Type.valueOf(c.type()),
                        json.readValue(c.object(), Resource.class))))
                .toList();
    }

    /**
     * The audit record of a change, staged in the change's own transaction: both commit or neither.
     * Details name what changed, never values (a spec may hold something sensitive).
     */
    private CompletableFuture<AuditRecord> auditEvent(RequestContext ctx, String action, StoredResource r,
            List<String> changed) {
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("resourceVersion", r.resourceVersion());
        details.put("generation", r.generation());
        details.put("changed", changed);
        return audit.record(new AuditLog.Event(r.namespace(), ctx.actorKind(), ctx.actorId(), ctx.caller().credentialRef(),
                action, r.kind().name(), r.kind().namespaced() ? r.namespace() : null, r.name(), "success",
                ctx.requestId(), ctx.clientAddress(), json.writeValueAsString(details)));
    }

    /** Runs a write transaction and wakes watchers once it has committed. */
    private <T> T write(List<CompletableFuture<AuditRecord>> audited,
            org.springframework.transaction.support.TransactionCallback<T> work) {
        T result;
        try {
            audited.clear();
            result = tx.execute(status -> {
                cache.writing();
                return work.doInTransaction(status);
            });
        } catch (DuplicateKeyException e) {
            // Two creators raced past the version lock's snapshot; the loser sees a conflict.
            throw ApiProblem.conflict("the resource was changed concurrently; read it again and retry");
        }
        signal.fire();
        return result;
    }

    private void record(long version, StoredResource r, WatchEvent.Type type) {
        store.appendChange(version, r.kind(), r.namespace(), r.name(), type.name(),
                json.writeValueAsString(r.toResource(version)), now());
    }

    /** Stored with millisecond precision, so answers carry the same precision as later reads. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private void requireNamespace(Kind kind, String namespace) {
        if (kind.namespaced() && store.find(Kinds.NAMESPACE, "", namespace).isEmpty()) {
            throw ApiProblem.notFound("namespace '" + namespace + "' not found; create it first");
        }
    }

    private static void requireVersion(StoredResource current, Long expected) {
        if (expected != null && expected != current.resourceVersion()) {
            throw staleVersion(current);
        }
    }

    private static ApiProblem staleVersion(StoredResource current) {
        return ApiProblem.conflict(describe(current.kind(), current.namespace(), current.name())
                + " has been modified (now at resourceVersion " + current.resourceVersion()
                + "); read it again and retry");
    }

    private static void requireSameTarget(Kind kind, String namespace, String name, JsonNode manifest) {
        JsonNode kindField = manifest.get("kind");
        if (kindField != null && kindField.isString() && !kind.name().equals(kindField.asString())) {
            throw ApiProblem.badRequest("kind '" + kindField.asString() + "' in the body does not match the URL ("
                    + kind.plural() + ")");
        }
        JsonNode meta = manifest.get("metadata");
        if (meta == null || !meta.isObject()) {
            return; // the schema names the missing metadata
        }
        JsonNode bodyName = meta.get("name");
        if (bodyName != null && bodyName.isString() && !name.equals(bodyName.asString())) {
            throw ApiProblem.badRequest("metadata.name '" + bodyName.asString() + "' does not match the URL ('"
                    + name + "')");
        }
        JsonNode bodyNs = meta.get("namespace");
        if (bodyNs != null && !bodyNs.isNull()) {
            if (!kind.namespaced()) {
                throw ApiProblem.badRequest(kind.name() + " is a cluster kind: metadata.namespace must be absent");
            }
            if (bodyNs.isString() && !namespace.equals(bodyNs.asString())) {
                throw ApiProblem.badRequest("metadata.namespace '" + bodyNs.asString()
                        + "' does not match the URL ('" + namespace + "')");
            }
        }
    }

    private static Long versionOf(JsonNode metadata) {
        JsonNode v = metadata == null ? null : metadata.get("resourceVersion");
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            return Long.parseLong(v.asString());
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("metadata.resourceVersion must be a decimal number");
        }
    }

    private Map<String, String> stringMap(JsonNode node) {
        return node == null || node.isNull() ? Map.of() : Map.copyOf(json.convertValue(node, STRING_MAP));
    }

    static ApiProblem notFound(Kind kind, String namespace, String name) {
        return ApiProblem.notFound(describe(kind, namespace, name) + " not found");
    }

    private static String describe(Kind kind, String namespace, String name) {
        return kind.namespaced()
                ? kind.name() + " '" + name + "' in namespace '" + namespace + "'"
                : kind.name() + " '" + name + "'";
    }

}
