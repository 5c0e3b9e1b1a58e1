package io.warden.server.resources;

import io.warden.api.Kind;
import io.warden.api.Kinds;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * SQL for resources, identical on SQLite and PostgreSQL. Callers hold the transaction; every
 * write first takes the next version from {@link #nextVersion()}, which serializes writes.
 */
@Repository
class ResourceStore {

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };
    private static final String COLUMNS = "kind, namespace, name, uid, labels, annotations, spec, status,"
            + " resource_version, generation, created_at, updated_at";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final RowMapper<StoredResource> rows;

    ResourceStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.rows = (rs, i) -> new StoredResource(
                Kinds.byName(rs.getString("kind")).orElseThrow(),
                rs.getString("namespace"),
                rs.getString("name"),
                rs.getString("uid"),
                json.readValue(rs.getString("labels"), STRING_MAP),
                json.readValue(rs.getString("annotations"), STRING_MAP),
                json.readTree(rs.getString("spec")),
                rs.getString("status") == null ? null : json.readTree(rs.getString("status")),
                rs.getLong("resource_version"),
                rs.getLong("generation"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    /** Takes the next resourceVersion; holds the counter's row lock until the transaction ends. */
    long nextVersion() {
        // Not UPDATE ... RETURNING: sqlite-jdbc leaves such a statement un-reset, holding the lock.
        jdbc.sql("UPDATE resource_version_counter SET value = value + 1 WHERE id = 1").update();
        return currentVersion();
    }

    /** The resourceVersion counter as an SQL expression, usable as a column of another query. */
    static final String VERSION_EXPRESSION = "(SELECT value FROM resource_version_counter WHERE id = 1)";

    long currentVersion() {
        return jdbc.sql("SELECT " + VERSION_EXPRESSION).query(Long.class).single();
    }

    Optional<StoredResource> find(Kind kind, String namespace, String name) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM resources WHERE kind = ? AND namespace = ? AND name = ?")
                .params(kind.name(), namespace, name)
                .query(rows).optional();
    }

    /** Up to {@code limit} resources with names after {@code afterName}, in name order. */
    List<StoredResource> page(Kind kind, String namespace, String afterName, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM resources WHERE kind = ? AND namespace = ? AND name > ?"
                        + " ORDER BY name LIMIT ?")
                .params(kind.name(), namespace, afterName, limit)
                .query(rows).list();
    }

    boolean namespaceHoldsResources(String namespace) {
        return jdbc.sql("SELECT COUNT(*) FROM resources WHERE namespace = ?").param(namespace)
                .query(Long.class).single() > 0;
    }

    void insert(StoredResource r) {
        jdbc.sql("INSERT INTO resources (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(r.kind().name(), r.namespace(), r.name(), r.uid(), write(r.labels()),
                        write(r.annotations()), write(r.spec()), r.status() == null ? null : write(r.status()),
                        r.resourceVersion(), r.generation(), r.createdAt().toEpochMilli(), r.updatedAt().toEpochMilli())
                .update();
    }

    /** Replaces a row if it is still at {@code expectedVersion}; returns false if it is not. */
    boolean update(StoredResource r, long expectedVersion) {
        return jdbc.sql("UPDATE resources SET labels = ?, annotations = ?, spec = ?, status = ?,"
                        + " resource_version = ?, generation = ?, updated_at = ?"
                        + " WHERE kind = ? AND namespace = ? AND name = ? AND resource_version = ?")
                .params(write(r.labels()), write(r.annotations()), write(r.spec()),
                        r.status() == null ? null : write(r.status()), r.resourceVersion(), r.generation(),
                        r.updatedAt().toEpochMilli(), r.kind().name(), r.namespace(), r.name(), expectedVersion)
                .update() == 1;
    }

    boolean delete(StoredResource r) {
        return jdbc.sql("DELETE FROM resources WHERE kind = ? AND namespace = ? AND name = ? AND resource_version = ?")
                .params(r.kind().name(), r.namespace(), r.name(), r.resourceVersion())
                .update() == 1;
    }

    void appendChange(long version, Kind kind, String namespace, String name, String type, String object,
            Instant at) {
        jdbc.sql("INSERT INTO resource_changes (resource_version, kind, namespace, name, change_type, object,"
                        + " changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(version, kind.name(), namespace, name, type, object, at.toEpochMilli())
                .update();
    }

    record Change(long version, String type, String object) {
    }

    List<Change> changesAfter(Kind kind, String namespace, long afterVersion, int limit) {
        return jdbc.sql("SELECT resource_version, change_type, object FROM resource_changes"
                        + " WHERE kind = ? AND namespace = ? AND resource_version > ? ORDER BY resource_version LIMIT ?")
                .params(kind.name(), namespace, afterVersion, limit)
                .query((rs, i) -> new Change(rs.getLong(1), rs.getString(2), rs.getString(3)))
                .list();
    }

    private String write(Object value) {
        return json.writeValueAsString(value);
    }

    JsonNode readTree(String s) {
        return json.readTree(s);
    }
}
