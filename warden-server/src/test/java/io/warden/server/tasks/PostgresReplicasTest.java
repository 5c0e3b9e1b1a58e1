package io.warden.server.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.warden.server.testing.Api;
import io.warden.server.testing.EnabledIfPostgres;
import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Two server replicas on one PostgreSQL database: a claim waiting on one is woken by a task
 * submitted through the other (LISTEN/NOTIFY), a worker's credential works on either, and each
 * answers only once its audit events are sealed while both stage events into the one table.
 */
@EnabledIfPostgres
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresReplicasTest {

    private TestDatabase db;
    private TestServer a;
    private TestServer b;

    @BeforeAll
    void start() {
        db = TestDatabase.postgres();
        a = TestServer.start(db);
        b = TestServer.start(db); // same database and data directory: the replicas share the audit keys
        Api admin = a.api();
        assertThat(admin.put("/v1/namespaces/pair", Api.manifest(
                "{'apiVersion':'warden.dev/v1','kind':'Namespace','metadata':{'name':'pair'},'spec':{}}")).status()).isEqualTo(201);
        assertThat(admin.put("/v1/namespaces/pair/tools/noop", Api.manifest("{'apiVersion':'warden.dev/v1','kind':'Tool',"
                + "'metadata':{'name':'noop','namespace':'pair'},'spec':{'type':'exec','exec':{'command':['true']}}}")).status())
                .isEqualTo(201);
        assertThat(admin.put("/v1/namespaces/pair/workers/w", Api.manifest("{'apiVersion':'warden.dev/v1','kind':'Worker',"
                + "'metadata':{'name':'w','namespace':'pair'},'spec':{}}")).status()).isEqualTo(201);
    }

    @AfterAll
    void stop() {
        b.close();
        a.close();
    }

    @Test
    void aClaimWaitingOnOneReplicaIsWokenByATaskSubmittedThroughTheOther() throws Exception {
        String credential = a.api().post("/v1/namespaces/pair/workers/w/credentials", "{}").json().path("token").asString();
        Api workerOnA = a.api().withToken(credential);
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            long started = System.nanoTime();
            Future<JsonNode> waiting = pool.submit(() -> workerOnA.post("/v1/workers/claim", "{\"max\":1,\"waitSeconds\":25}").json());
            await().pollDelay(Duration.ofMillis(300)).until(() -> true); // let it start waiting
            String id = b.api().post("/v1/namespaces/pair/tasks", "{\"tool\":\"noop\"}").json().path("id").asString();

            JsonNode got = waiting.get();
            assertThat(got.path("tasks").findValuesAsString("id")).isEqualTo(List.of(id));
            // Woken by the other replica's notification, well before the 25 s wait ran out.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(12));

            // The worker reports through the other replica: leases live in the database.
            Api workerOnB = b.api().withToken(credential);
            int attempt = got.path("tasks").get(0).path("attempt").asInt();
            assertThat(workerOnB.post("/v1/workers/tasks/" + id + "/complete", "{\"attempt\":" + attempt + ",\"exitCode\":0}")
                    .status()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> b.api().get("/v1/audit/verify?namespace=pair").body().contains("\"status\":\"ok\""));
    }

    @Test
    void eachReplicaAnswersOnlyOnceItsEventsAreSealedWhicheverAppenderSealedThem() throws Exception {
        // Both replicas stage events into the one table at once; each appender seals its own.
        List<Api> through = List.of(a.api(), b.api(), a.api(), b.api());
        try (ExecutorService pool = Executors.newFixedThreadPool(through.size())) {
            List<Future<List<Integer>>> runs = through.stream().map(api -> pool.submit(() -> {
                List<Integer> statuses = new java.util.ArrayList<>();
                for (int i = 0; i < 25; i++) {
                    statuses.add(api.post("/v1/namespaces/pair/tasks", "{\"tool\":\"noop\"}").status());
                }
                return statuses;
            })).toList();
            for (Future<List<Integer>> run : runs) {
                assertThat(run.get()).containsOnly(201);
            }
        }
        // No answer went out before its events were sealed (nor waited out the 10 s for them).
        for (TestServer replica : List.of(a, b)) {
            assertThat(replica.api().get("/v1/metrics").body()).contains("warden_audit_unsealed_answers_total 0.0");
        }
        assertThat(a.api().get("/v1/audit/verify?namespace=pair").body()).contains("\"status\":\"ok\"");
    }

    @Test
    void whatOneReplicaRevokesTheOtherRefusesAtOnce() {
        // Each replica keeps parsed resources in memory; a change through the other must still count at once.
        Api admin = a.api();
        assertThat(admin.post("/v1/users", "{\"username\":\"rex\",\"password\":\"a-long-enough-password-7\"}").status())
                .isEqualTo(201);
        assertThat(admin.put("/v1/namespaces/pair/rolebindings/rex-writes", Api.manifest("{'apiVersion':'warden.dev/v1',"
                + "'kind':'RoleBinding','metadata':{'name':'rex-writes'},'spec':{'roleRef':{'name':'writer'},"
                + "'subjects':[{'kind':'User','name':'rex'}]}}")).status()).isEqualTo(201);
        Api rex = a.api().withToken(TestServer.login(a.api().anonymous(), "rex", "a-long-enough-password-7"));
        for (int i = 0; i < 2; i++) {
            var submitted = rex.post("/v1/namespaces/pair/tasks", "{\"tool\":\"noop\"}");
            assertThat(submitted.status()).isEqualTo(201);
            cancel(submitted.json().path("id").asString());
        }
        assertThat(b.api().delete("/v1/namespaces/pair/rolebindings/rex-writes").status()).isEqualTo(200);
        assertThat(rex.post("/v1/namespaces/pair/tasks", "{\"tool\":\"noop\"}").status()).isEqualTo(404);

        assertThat(admin.put("/v1/namespaces/pair/workers/gone", Api.manifest("{'apiVersion':'warden.dev/v1','kind':'Worker',"
                + "'metadata':{'name':'gone','namespace':'pair'},'spec':{}}")).status()).isEqualTo(201);
        Api worker = a.api().withToken(a.api().post("/v1/namespaces/pair/workers/gone/credentials", "{}").json()
                .path("token").asString());
        assertThat(worker.post("/v1/workers/heartbeat", "{\"tasks\":[]}").status()).isEqualTo(200);
        assertThat(b.api().delete("/v1/namespaces/pair/workers/gone").status()).isEqualTo(200);
        assertThat(worker.post("/v1/workers/heartbeat", "{\"tasks\":[]}").status()).isEqualTo(401);
    }

    @Test
    void aCommittedQueueChangeIsAnnouncedToEveryReplica() throws Exception {
        // What each replica's listener hears: a notification once the submission has committed.
        try (java.sql.Connection c = db.connect(); java.sql.Statement s = c.createStatement()) {
            s.execute("LISTEN " + TaskNotifications.CHANNEL);
            String id = a.api().post("/v1/namespaces/pair/tasks", "{\"tool\":\"noop\"}").json().path("id").asString();
            try {
                org.postgresql.PGConnection pg = c.unwrap(org.postgresql.PGConnection.class);
                List<String> heard = new java.util.ArrayList<>();
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (heard.stream().noneMatch(p -> p.contains("q")) && System.nanoTime() < until) {
                    var notes = pg.getNotifications(500);
                    if (notes != null) {
                        for (var n : notes) {
                            heard.add(n.getParameter());
                        }
                    }
                }
                assertThat(heard).as("notifications heard after submitting " + id).anyMatch(p -> p.contains("q"));
            } finally {
                cancel(id);
            }
        }
    }

    /** Other tests here claim what is queued: a task made for another purpose does not stay queued. */
    private void cancel(String id) {
        assertThat(a.api().post("/v1/namespaces/pair/tasks/" + id + "/cancel", "").status()).isEqualTo(200);
    }
}
