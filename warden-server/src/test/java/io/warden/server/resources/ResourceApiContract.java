package io.warden.server.resources;

import static io.warden.server.testing.Api.manifest;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.server.testing.Api;
import io.warden.server.testing.SseReader;
import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The resource API's behaviour, run once per database (see the subclasses). Every test makes
 * its own namespace, so tests share one server without seeing each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ResourceApiContract {

    private TestServer server;
    private Api api;
    private TestDatabase db;
    private final AtomicInteger namespaces = new AtomicInteger();

    abstract TestDatabase database();

    @BeforeAll
    void start() {
        db = database();
        server = TestServer.start(db);
        api = server.api();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String newNamespace() {
        String ns = "ns-" + namespaces.incrementAndGet();
        var r = api.put("/v1/namespaces/" + ns, manifest("{'apiVersion':'warden.dev/v1','kind':'Namespace','metadata':{'name':'" + ns + "'}}"));
        assertThat(r.status()).isEqualTo(201);
        return ns;
    }

    private static ObjectNode tool(String name, String command, String labels) {
        return (ObjectNode) manifest("{'apiVersion':'warden.dev/v1','kind':'Tool','metadata':{'name':'" + name + "'"
                + (labels == null ? "" : ",'labels':" + labels) + "},"
                + "'spec':{'type':'exec','exec':{'command':['" + command + "']}}}");
    }

    private static String path(String ns, String name) {
        return "/v1/namespaces/" + ns + "/tools" + (name == null ? "" : "/" + name);
    }

    @Test
    void createGetUpdateDelete() {
        String ns = newNamespace();
        var created = api.put(path(ns, "echo"), tool("echo", "echo", "{'team':'core'}"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Warden-Apply-Result")).contains("created");
        JsonNode meta = created.json().path("metadata");
        assertThat(meta.path("namespace").asString()).isEqualTo(ns);
        assertThat(meta.path("generation").asLong()).isEqualTo(1);
        assertThat(meta.path("uid").asString()).isNotBlank();
        String rv1 = meta.path("resourceVersion").asString();

        var got = api.get(path(ns, "echo"));
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json()).isEqualTo(created.json());

        var same = api.put(path(ns, "echo"), tool("echo", "echo", "{'team':'core'}"));
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.header("Warden-Apply-Result")).contains("unchanged");
        assertThat(same.json().path("metadata").path("resourceVersion").asString()).isEqualTo(rv1);

        var relabelled = api.put(path(ns, "echo"), tool("echo", "echo", "{'team':'edge'}"));
        assertThat(relabelled.header("Warden-Apply-Result")).contains("configured");
        assertThat(relabelled.json().path("metadata").path("generation").asLong()).as("labels only").isEqualTo(1);
        assertThat(Long.parseLong(relabelled.json().path("metadata").path("resourceVersion").asString()))
                .isGreaterThan(Long.parseLong(rv1));

        var respecced = api.put(path(ns, "echo"), tool("echo", "printf", "{'team':'edge'}"));
        assertThat(respecced.header("Warden-Apply-Result")).contains("configured");
        assertThat(respecced.json().path("metadata").path("generation").asLong()).isEqualTo(2);
        assertThat(respecced.json().path("metadata").path("uid")).isEqualTo(meta.path("uid"));
        assertThat(respecced.json().path("spec").path("exec").path("command").get(0).asString()).isEqualTo("printf");

        var deleted = api.delete(path(ns, "echo"));
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(api.get(path(ns, "echo")).status()).isEqualTo(404);
        assertThat(api.delete(path(ns, "echo")).status()).isEqualTo(404);
    }

    @Test
    void getOutputCanBeAppliedAgainUnchanged() {
        String ns = newNamespace();
        api.put(path(ns, "echo"), tool("echo", "echo", null));
        var again = api.put(path(ns, "echo"), api.get(path(ns, "echo")).body());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("Warden-Apply-Result")).contains("unchanged");
    }

    @Test
    void staleResourceVersionIsAConflictAndChangesNothing() {
        String ns = newNamespace();
        String rv = api.put(path(ns, "echo"), tool("echo", "echo", null)).json().path("metadata").path("resourceVersion").asString();
        ObjectNode first = tool("echo", "first", null);
        ((ObjectNode) first.path("metadata")).put("resourceVersion", rv);
        assertThat(api.put(path(ns, "echo"), first).status()).isEqualTo(200);

        ObjectNode stale = tool("echo", "stale", null);
        ((ObjectNode) stale.path("metadata")).put("resourceVersion", rv);
        var conflict = api.put(path(ns, "echo"), stale);
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(api.get(path(ns, "echo")).json().path("spec").path("exec").path("command").get(0).asString()).isEqualTo("first");
    }

    @Test
    void aResourceVersionOnCreateIsAConflict() {
        String ns = newNamespace();
        ObjectNode t = tool("ghost", "echo", null);
        ((ObjectNode) t.path("metadata")).put("resourceVersion", "7");
        assertThat(api.put(path(ns, "ghost"), t).status()).isEqualTo(409);
        assertThat(api.get(path(ns, "ghost")).status()).isEqualTo(404);
    }

    @Test
    void aResourceInAMissingNamespaceIsRefused() {
        var r = api.put(path("nowhere", "echo"), tool("echo", "echo", null));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().path("detail").asString()).contains("namespace 'nowhere'");
        assertThat(api.get(path("nowhere", null)).status()).isEqualTo(404);
    }

    @Test
    void aNamespaceThatHoldsResourcesCannotBeDeleted() {
        String ns = newNamespace();
        api.put(path(ns, "echo"), tool("echo", "echo", null));
        assertThat(api.delete("/v1/namespaces/" + ns).status()).isEqualTo(409);
        assertThat(api.get(path(ns, "echo")).status()).isEqualTo(200);
        api.delete(path(ns, "echo"));
        assertThat(api.delete("/v1/namespaces/" + ns).status()).isEqualTo(200);
        assertThat(api.get("/v1/namespaces/" + ns).status()).isEqualTo(404);
    }

    @Test
    void listPagesThroughEveryResourceOnceInNameOrder() {
        String ns = newNamespace();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String name = "tool-%02d".formatted(i);
            expected.add(name);
            api.put(path(ns, name), tool(name, "echo", null));
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            var page = api.get(path(ns, null) + "?limit=10" + (token == null ? "" : "&continue=" + token));
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.json().path("kind").asString()).isEqualTo("ToolList");
            page.json().path("items").forEach(i -> seen.add(i.path("metadata").path("name").asString()));
            JsonNode next = page.json().path("metadata").path("continue");
            token = next.isMissingNode() ? null : next.asString();
            pages++;
        } while (token != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void badPagingParametersAreRefused() {
        String ns = newNamespace();
        assertThat(api.get(path(ns, null) + "?continue=not-a-token").status()).isEqualTo(400);
        assertThat(api.get(path(ns, null) + "?limit=0").status()).isEqualTo(400);
        assertThat(api.get(path(ns, null) + "?limit=100000").status()).isEqualTo(400);
        assertThat(api.get(path(ns, null) + "?limit=ten").status()).isEqualTo(400);
    }

    @Test
    void labelSelectorsFilterListsAcrossPages() {
        String ns = newNamespace();
        for (int i = 0; i < 30; i++) {
            String name = "t-%02d".formatted(i);
            api.put(path(ns, name), tool(name, "echo", i % 3 == 0 ? "{'tier':'gold'}" : "{'tier':'silver'}"));
        }
        Set<String> gold = new HashSet<>();
        String token = null;
        do {
            var page = api.get(path(ns, null) + "?limit=4&labelSelector=tier%3Dgold" + (token == null ? "" : "&continue=" + token));
            page.json().path("items").forEach(i -> gold.add(i.path("metadata").path("name").asString()));
            JsonNode next = page.json().path("metadata").path("continue");
            token = next.isMissingNode() ? null : next.asString();
        } while (token != null);
        assertThat(gold).hasSize(10).allMatch(n -> Integer.parseInt(n.substring(2)) % 3 == 0);
        var notGold = api.get(path(ns, null) + "?labelSelector=tier%20notin%20(gold)");
        assertThat(notGold.json().path("items")).hasSize(20);
        assertThat(api.get(path(ns, null) + "?labelSelector=%3D%3D").status()).isEqualTo(400);
    }

    @Test
    void clusterKindsLiveOutsideNamespaces() {
        var role = api.put("/v1/roles/inspector", manifest("{'apiVersion':'warden.dev/v1','kind':'Role','metadata':{'name':'inspector'},"
                + "'spec':{'rules':[{'resources':['*'],'verbs':['get','list']}]}}"));
        assertThat(role.status()).isEqualTo(201);
        assertThat(role.json().path("metadata").has("namespace")).isFalse();
        assertThat(api.get("/v1/roles").json().path("items").findValuesAsString("name")).contains("inspector");
        assertThat(api.get("/v1/namespaces/ns-x/roles").status()).isEqualTo(404);
        assertThat(api.get("/v1/tools").status()).isEqualTo(404);
        assertThat(api.get("/v1/gadgets").status()).isEqualTo(404);
    }

    @Test
    void statusIsWrittenApartFromSpec() {
        String ns = newNamespace();
        var created = api.put(path(ns, "echo"), tool("echo", "echo", null)).json();
        var r = api.put(path(ns, "echo") + "/status", manifest("{'status':{'ready':true}}"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("status").path("ready").asBoolean()).isTrue();
        assertThat(r.json().path("metadata").path("generation")).isEqualTo(created.path("metadata").path("generation"));
        assertThat(r.json().path("spec")).isEqualTo(created.path("spec"));
        // A spec apply carrying a status does not overwrite the stored status.
        ObjectNode withStatus = tool("echo", "printf", null);
        withStatus.set("status", manifest("{'ready':false}"));
        assertThat(api.put(path(ns, "echo"), withStatus).json().path("status").path("ready").asBoolean()).isTrue();
        assertThat(api.put(path(ns, "missing") + "/status", manifest("{'status':{}}")).status()).isEqualTo(404);
    }

    @Test
    void watchStreamsAddedModifiedDeletedAndResumesWithoutGaps() throws Exception {
        String ns = newNamespace();
        api.put(path(ns, "a"), tool("a", "echo", null));
        var request = api.request(path(ns, null) + "?watch=true").GET().build();
        long lastSeen;
        try (SseReader watch = new SseReader(api.client(), request)) {
            assertThat(watch.status()).isEqualTo(200);
            var initial = watch.next();
            assertThat(initial.type()).isEqualTo("ADDED");
            assertThat(initial.name()).isEqualTo("a");

            api.put(path(ns, "b"), tool("b", "echo", null));
            var added = watch.next();
            assertThat(added.type()).isEqualTo("ADDED");
            assertThat(added.name()).isEqualTo("b");
            api.put(path(ns, "a"), tool("a", "printf", null));
            var modified = watch.next();
            assertThat(modified.type()).isEqualTo("MODIFIED");
            assertThat(modified.name()).isEqualTo("a");
            assertThat(modified.id()).isGreaterThan(added.id());
            lastSeen = modified.id();
        }
        // Changes made while nobody watches are all delivered on resume, in order.
        api.put(path(ns, "c"), tool("c", "echo", null));
        api.delete(path(ns, "b"));
        api.put(path(ns, "a"), tool("a", "true", null));
        var resume = api.request(path(ns, null) + "?watch=true").header("Last-Event-ID", Long.toString(lastSeen)).GET().build();
        try (SseReader watch = new SseReader(api.client(), resume)) {
            var e1 = watch.next();
            var e2 = watch.next();
            var e3 = watch.next();
            assertThat(List.of(e1.type() + " " + e1.name(), e2.type() + " " + e2.name(), e3.type() + " " + e3.name()))
                    .containsExactly("ADDED c", "DELETED b", "MODIFIED a");
            assertThat(e1.id()).isLessThan(e2.id());
            assertThat(e2.id()).isLessThan(e3.id());
            assertThat(watch.poll(300)).as("nothing else happened").isNull();
        }
        // Another namespace's changes never show up in this watch.
        var fromNow = api.request(path(ns, null) + "?watch=true&resourceVersion="
                + api.get(path(ns, null)).json().path("metadata").path("resourceVersion").asString()).GET().build();
        try (SseReader watch = new SseReader(api.client(), fromNow)) {
            String other = newNamespace();
            api.put(path(other, "x"), tool("x", "echo", null));
            api.put(path(ns, "d"), tool("d", "echo", null));
            assertThat(watch.next().name()).isEqualTo("d");
        }
    }

    @Test
    void watchFiltersByLabel() throws Exception {
        String ns = newNamespace();
        var request = api.request(path(ns, null) + "?watch=true&labelSelector=tier%3Dgold").GET().build();
        try (SseReader watch = new SseReader(api.client(), request)) {
            assertThat(watch.status()).isEqualTo(200);
            api.put(path(ns, "plain"), tool("plain", "echo", "{'tier':'silver'}"));
            api.put(path(ns, "shiny"), tool("shiny", "echo", "{'tier':'gold'}"));
            assertThat(watch.next().name()).isEqualTo("shiny");
        }
    }

    @Test
    void fiftyConcurrentUpdatesAtOneVersionHaveExactlyOneWinner() throws Exception {
        String ns = newNamespace();
        String rv = api.put(path(ns, "contended"), tool("contended", "start", null)).json().path("metadata").path("resourceVersion").asString();
        int writers = 50;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Api.Reply>> replies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            for (int i = 0; i < writers; i++) {
                ObjectNode update = tool("contended", "writer-" + i, null);
                ((ObjectNode) update.path("metadata")).put("resourceVersion", rv);
                replies.add(pool.submit(() -> {
                    go.await();
                    return api.put(path(ns, "contended"), update);
                }));
            }
            go.countDown();
            List<Api.Reply> done = new ArrayList<>();
            for (Future<Api.Reply> f : replies) {
                done.add(f.get());
            }
            List<Api.Reply> winners = done.stream().filter(r -> r.status() == 200).toList();
            assertThat(winners).hasSize(1);
            assertThat(done).filteredOn(r -> r.status() == 409).hasSize(writers - 1);
            JsonNode stored = api.get(path(ns, "contended")).json();
            assertThat(stored.path("spec")).isEqualTo(winners.getFirst().json().path("spec"));
            assertThat(stored.path("metadata").path("generation").asLong()).isEqualTo(2);
        }
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM resource_changes WHERE namespace = '" + ns
                        + "' AND name = 'contended'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("one ADDED and one MODIFIED recorded").isEqualTo(2);
        }
    }

    @Test
    void concurrentCreatesOfOneNameCreateItOnce() throws Exception {
        String ns = newNamespace();
        int racers = 20;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Api.Reply>> replies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
            for (int i = 0; i < racers; i++) {
                ObjectNode t = tool("once", "echo", null);
                replies.add(pool.submit(() -> {
                    go.await();
                    return api.put(path(ns, "once"), t);
                }));
            }
            go.countDown();
            int created = 0;
            for (Future<Api.Reply> f : replies) {
                Api.Reply r = f.get();
                assertThat(r.status()).isIn(200, 201);
                if (r.status() == 201) {
                    created++;
                }
            }
            assertThat(created).isEqualTo(1);
        }
    }
}
