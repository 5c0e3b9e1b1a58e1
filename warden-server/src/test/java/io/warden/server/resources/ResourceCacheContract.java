package io.warden.server.resources;

import static io.warden.server.testing.Api.manifest;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.api.Kinds;
import io.warden.api.Resource;
import io.warden.server.testing.Api;
import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The resource read cache ({@link ResourceCache}) never hands out something the database no
 * longer holds: a change made underneath this server (as another replica makes it), a binding
 * revoked a moment ago, a request's own write, and a write that rolled back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ResourceCacheContract {

    private static final String PASSWORD = "a-long-enough-password-7";

    private TestDatabase db;
    private TestServer server;
    private Api admin;

    abstract TestDatabase database();

    @BeforeAll
    void start() {
        db = database();
        server = TestServer.start(db);
        admin = server.api();
        assertThat(admin.put("/v1/namespaces/cache", manifest(
                "{'apiVersion':'warden.dev/v1','kind':'Namespace','metadata':{'name':'cache'},'spec':{}}")).status()).isEqualTo(201);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** A new user with the writer role in namespace cache (binding {@code USER-writes}), logged in. */
    private Api writer(String user) {
        assertThat(admin.post("/v1/users", "{\"username\":\"" + user + "\",\"password\":\"" + PASSWORD + "\"}").status())
                .isEqualTo(201);
        assertThat(admin.put("/v1/namespaces/cache/rolebindings/" + user + "-writes", manifest("{'apiVersion':'warden.dev/v1',"
                + "'kind':'RoleBinding','metadata':{'name':'" + user + "-writes'},'spec':{'roleRef':{'name':'writer'},"
                + "'subjects':[{'kind':'User','name':'" + user + "'}]}}")).status()).isEqualTo(201);
        return admin.withToken(TestServer.login(admin.anonymous(), user, PASSWORD));
    }

    private static JsonNode tool(String name) {
        return manifest("{'apiVersion':'warden.dev/v1','kind':'Tool','metadata':{'name':'" + name + "','namespace':'cache'},"
                + "'spec':{'type':'exec','exec':{'command':['true']}}}");
    }

    @Test
    void aRevokedBindingStopsTheNextRequest() {
        Api rita = writer("rita");
        // Twice: the second answer comes from the cache.
        assertThat(rita.put("/v1/namespaces/cache/tools/a", tool("a")).status()).isEqualTo(201);
        assertThat(rita.put("/v1/namespaces/cache/tools/b", tool("b")).status()).isEqualTo(201);

        assertThat(admin.delete("/v1/namespaces/cache/rolebindings/rita-writes").status()).isEqualTo(200);
        // No role left in the namespace: it is hidden from her (404), as it is from every stranger.
        assertThat(rita.put("/v1/namespaces/cache/tools/c", tool("c")).status()).isEqualTo(404);
        assertThat(admin.get("/v1/namespaces/cache/tools/c").status()).isEqualTo(404);
    }

    @Test
    void aChangeMadeUnderneathThisServerIsSeenByTheNextRead() throws Exception {
        Resources resources = server.bean(Resources.class);
        assertThat(admin.put("/v1/namespaces/cache/tools/under", tool("under")).status()).isEqualTo(201);
        assertThat(command(resources.find(Kinds.TOOL, "cache", "under"))).isEqualTo("true");
        assertThat(command(resources.find(Kinds.TOOL, "cache", "under"))).as("cached").isEqualTo("true");

        changeUnderneath("UPDATE resources SET spec = '{\"type\":\"exec\",\"exec\":{\"command\":[\"false\"]}}',"
                + " resource_version = ? WHERE kind = 'Tool' AND namespace = 'cache' AND name = 'under'");
        assertThat(command(resources.find(Kinds.TOOL, "cache", "under"))).isEqualTo("false");
        assertThat(resources.all(Kinds.TOOL, "cache").stream().filter(t -> t.metadata().name().equals("under"))
                .map(t -> command(Optional.of(t))).toList()).isEqualTo(List.of("false"));
    }

    @Test
    void aBindingRevokedUnderneathThisServerStopsTheNextRequest() throws Exception {
        Api uma = writer("uma");
        assertThat(uma.put("/v1/namespaces/cache/tools/u1", tool("u1")).status()).isEqualTo(201);
        assertThat(uma.put("/v1/namespaces/cache/tools/u2", tool("u2")).status()).as("bindings cached").isEqualTo(201);

        // The token's lookup carries the resourceVersion the request reads at: it must be the
        // counter as it is now, not as this server last saw it.
        changeUnderneath("DELETE FROM resources WHERE kind = 'RoleBinding' AND namespace = 'cache' AND name = 'uma-writes'"
                + " AND resource_version < ?");
        assertThat(uma.put("/v1/namespaces/cache/tools/u3", tool("u3")).status()).isEqualTo(404);
    }

    @Test
    void aVersionSightedByACredentialLookupIsTheOneTheRequestReadsAt() throws Exception {
        Resources resources = server.bean(Resources.class);
        ResourceCache cache = server.bean(ResourceCache.class);
        assertThat(admin.put("/v1/namespaces/cache/tools/sighted", tool("sighted")).status()).isEqualTo(201);
        assertThat(command(resources.find(Kinds.TOOL, "cache", "sighted"))).isEqualTo("true");
        cache.openScope();
        try {
            LongConsumer seen = resources.versionSighting();
            seen.accept(resources.currentVersion());
            changeUnderneath("UPDATE resources SET spec = '{\"type\":\"exec\",\"exec\":{\"command\":[\"false\"]}}',"
                    + " resource_version = ? WHERE kind = 'Tool' AND namespace = 'cache' AND name = 'sighted'");
            // The view starts at the sighted version (read before the change, as the lookup's column was)...
            assertThat(command(resources.find(Kinds.TOOL, "cache", "sighted"))).isEqualTo("true");
            // ...and a second sighting does not move a view already started.
            resources.versionSighting().accept(Long.MAX_VALUE);
            assertThat(command(resources.find(Kinds.TOOL, "cache", "sighted"))).isEqualTo("true");
        } finally {
            cache.closeScope();
        }
        // Without a request's view a sighting is ignored: reads take the counter themselves.
        resources.versionSighting().accept(0);
        assertThat(command(resources.find(Kinds.TOOL, "cache", "sighted"))).isEqualTo("false");
    }

    /**
     * What another replica's write does to the tables: {@code sql} (whose one parameter is the
     * new resourceVersion) and the counter's step, in one transaction.
     */
    private void changeUnderneath(String sql) throws Exception {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            long version;
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE resource_version_counter SET value = value + 1 WHERE id = 1");
                var rs = s.executeQuery("SELECT value FROM resource_version_counter WHERE id = 1");
                rs.next();
                version = rs.getLong(1);
            }
            try (PreparedStatement p = c.prepareStatement(sql)) {
                p.setLong(1, version);
                assertThat(p.executeUpdate()).isEqualTo(1);
            }
            c.commit();
        }
    }

    @Test
    void aRequestThatWritesThenReadsSeesItsWrite() {
        ResourceCache cache = server.bean(ResourceCache.class);
        Resources resources = server.bean(Resources.class);
        cache.openScope(); // as a request does: the counter is read once and reused...
        try {
            assertThat(resources.find(Kinds.TOOL, "cache", "late")).isEmpty();
            assertThat(admin.put("/v1/namespaces/cache/tools/late", tool("late")).status()).isEqualTo(201);
            // ...but not across a write this server completed.
            assertThat(resources.find(Kinds.TOOL, "cache", "late")).isPresent();
            assertThat(resources.exists(Kinds.TOOL, "cache", "late")).isTrue();
        } finally {
            cache.closeScope();
        }
    }

    @Test
    void aTransactionThatWritesResourcesNeitherReadsNorFillsTheCache() {
        ResourceCache cache = server.bean(ResourceCache.class);
        TransactionTemplate tx = server.bean(TransactionTemplate.class);
        AtomicInteger reads = new AtomicInteger();
        Optional<Resource> uncommitted = Optional.of(new Resource("warden.dev/v1", "Tool", null, null, null));
        tx.executeWithoutResult(status -> {
            cache.writing();
            // Its own uncommitted rows: read every time, never remembered.
            assertThat(cache.find(Kinds.TOOL, "cache", "ghost", () -> { reads.incrementAndGet(); return uncommitted; }))
                    .isSameAs(uncommitted);
            assertThat(cache.find(Kinds.TOOL, "cache", "ghost", () -> { reads.incrementAndGet(); return uncommitted; }))
                    .isSameAs(uncommitted);
            status.setRollbackOnly();
        });
        assertThat(reads).hasValue(2);
        assertThat(cache.find(Kinds.TOOL, "cache", "ghost", Optional::empty)).as("the rolled-back read left nothing").isEmpty();
        assertThat(server.bean(Resources.class).find(Kinds.TOOL, "cache", "ghost")).isEmpty();
    }

    private static String command(Optional<Resource> tool) {
        return tool.orElseThrow().spec().path("exec").path("command").get(0).asString();
    }
}
