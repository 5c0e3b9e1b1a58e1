package io.warden.server.resources;

import io.warden.api.Kind;
import io.warden.api.Kinds;
import io.warden.api.ObjectMeta;
import io.warden.api.Resource;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** A resource row. Cluster kinds have namespace "". */
record StoredResource(
        Kind kind,
        String namespace,
        String name,
        String uid,
        Map<String, String> labels,
        Map<String, String> annotations,
        JsonNode spec,
        JsonNode status,
        long resourceVersion,
        long generation,
        Instant createdAt,
        Instant updatedAt) {

    Resource toResource() {
        return toResource(resourceVersion);
    }

    /** The wire form; a deletion reports the version of the deletion itself. */
    Resource toResource(long version) {
        ObjectMeta meta = new ObjectMeta(name, kind.namespaced() ? namespace : null,
                labels.isEmpty() ? null : labels, annotations.isEmpty() ? null : annotations,
                uid, Long.toString(version), generation, createdAt, updatedAt);
        return new Resource(Kinds.API_VERSION, kind.name(), meta, spec, status);
    }
}
