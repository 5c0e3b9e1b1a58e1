package io.warden.server.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.warden.server.testing.Api;
import io.warden.server.testing.MutableClock;
import io.warden.server.testing.SseReader;
import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

/**
 * The queue over HTTP on a real database: submission and its checks, the worker protocol with
 * leases and fencing, retries, dead letters, cancellation, event streams, and workers racing.
 * Workers here are HTTP clients holding real worker credentials; the worker process has its own
 * tests in warden-it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TaskQueueContract {

    static final String NS = "jobs";
    private TestDatabase db;
    private TestServer server;
    private Api admin;
    private MutableClock clock;

    abstract TestDatabase database();

    @BeforeAll
    void start() {
        db = database();
        server = TestServer.start(db, List.of(MutableClock.Config.class), "--warden.tasks.lease-duration=30s",
                "--warden.tasks.reap-interval=200ms");
        admin = server.api();
        clock = server.bean(MutableClock.class);
        created(admin.put("/v1/namespaces/" + NS, Api.manifest(
                "{'apiVersion':'warden.dev/v1','kind':'Namespace','metadata':{'name':'" + NS + "'},'spec':{}}")));
        created(admin.put("/v1/namespaces/" + NS + "/tools/echo", Api.manifest("{'apiVersion':'warden.dev/v1','kind':'Tool',"
                + "'metadata':{'name':'echo','namespace':'" + NS + "'},'spec':{'type':'exec','exec':{'command':['echo','{{args.text}}']},"
                + "'inputSchema':{'type':'object','properties':{'text':{'type':'string','maxLength':20}},"
                + "'required':['text'],'additionalProperties':false}}}")));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static JsonNode created(Api.Reply r) {
        assertThat(r.status()).as(r.body()).isIn(200, 201);
        return r.json();
    }

    /** A Worker resource and its credential: an HTTP client that speaks the worker protocol. */
    private Api worker(String name, String labels, int concurrency) {
        created(admin.put("/v1/namespaces/" + NS + "/workers/" + name, Api.manifest("{'apiVersion':'warden.dev/v1','kind':'Worker',"
                + "'metadata':{'name':'" + name + "','namespace':'" + NS + "','labels':" + labels + "},'spec':{'concurrency':"
                + concurrency + "}}")));
        Api.Reply r = admin.post("/v1/namespaces/" + NS + "/workers/" + name + "/credentials", "{}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String token = r.json().path("token").asString();
        assertThat(token).startsWith("wdw_");
        return admin.withToken(token);
    }

    private String submit(String body) {
        Api.Reply r = admin.post("/v1/namespaces/" + NS + "/tasks", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("id").asString();
    }

    private JsonNode task(String id) {
        return admin.get("/v1/namespaces/" + NS + "/tasks/" + id).json();
    }

    private static List<JsonNode> claim(Api worker, int max, int waitSeconds) {
        Api.Reply r = worker.post("/v1/workers/claim", "{\"max\":" + max + ",\"waitSeconds\":" + waitSeconds + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.json().path("tasks").forEach(out::add);
        return out;
    }

    private static Api.Reply complete(Api worker, String id, int attempt) {
        return worker.post("/v1/workers/tasks/" + id + "/complete",
                "{\"attempt\":" + attempt + ",\"exitCode\":0,\"stdout\":\"hi\\n\",\"stderr\":\"\",\"result\":{\"ok\":true}}");
    }

    private static Api.Reply fail(Api worker, String id, int attempt, String errorClass) {
        return worker.post("/v1/workers/tasks/" + id + "/fail",
                "{\"attempt\":" + attempt + ",\"exitCode\":1,\"errorClass\":\"" + errorClass + "\",\"message\":\"boom\"}");
    }

    /** Drains whatever an earlier test left queued, so each test sees only its own tasks. */
    private void drain() {
        Api sweeper = worker("sweeper-" + System.nanoTime() % 100000, "{}", 256);
        for (List<JsonNode> got = claim(sweeper, 256, 0); !got.isEmpty(); got = claim(sweeper, 256, 0)) {
            got.forEach(t -> complete(sweeper, t.path("id").asString(), t.path("attempt").asInt()));
        }
    }

    @Test
    void aSubmittedTaskIsQueuedWithItsSettingsAndHistory() {
        String id = submit("{\"tool\":\"echo\",\"args\":{\"text\":\"hello\"},\"priority\":5,"
                + "\"retry\":{\"maxAttempts\":4,\"backoffSeconds\":2},\"labels\":{\"team\":\"core\"}}");

        JsonNode t = task(id);
        assertThat(t.path("phase").asString()).isEqualTo("Queued");
        assertThat(t.path("tool").asString()).isEqualTo("echo");
        assertThat(t.path("args").path("text").asString()).isEqualTo("hello");
        assertThat(t.path("priority").asInt()).isEqualTo(5);
        assertThat(t.path("retry").path("maxAttempts").asInt()).isEqualTo(4);
        assertThat(t.path("submitter").asString()).isEqualTo("user:admin");
        JsonNode events = admin.get("/v1/namespaces/" + NS + "/tasks/" + id + "/events").json().path("items");
        assertThat(events.findValues("data")).extracting(d -> d.path("phase").asString()).containsExactly("Pending", "Queued");
        assertThat(admin.get("/v1/namespaces/" + NS + "/tasks?label=team=core").json().path("items").findValuesAsString("id"))
                .contains(id);
        assertThat(admin.get("/v1/audit/events?namespace=" + NS + "&targetName=" + id).json().path("items").findValuesAsString("action"))
                .containsExactly("task.submit", "task.queue");
    }

    @Test
    void argsReachTheLedgerOnlyAsAKeyedFingerprint() {
        String canary = "sk-CANARY-7f3a9c01";
        String id = submit("{\"tool\":\"echo\",\"args\":{\"text\":\"" + canary + "\"}}");

        String ledger = admin.get("/v1/audit/events?namespace=" + NS + "&targetName=" + id).body();
        assertThat(ledger).contains("task.submit").contains("\\\"hmac\\\"").doesNotContain(canary);
    }

    @Test
    void argsAreCheckedAgainstTheToolsInputSchemaAndNamedWhenWrong() {
        Api.Reply tooLong = admin.post("/v1/namespaces/" + NS + "/tasks", "{\"tool\":\"echo\",\"args\":{\"text\":\"" + "x".repeat(21) + "\"}}");
        Api.Reply extra = admin.post("/v1/namespaces/" + NS + "/tasks", "{\"tool\":\"echo\",\"args\":{\"text\":\"a\",\"rm\":\"-rf\"}}");
        Api.Reply noTool = admin.post("/v1/namespaces/" + NS + "/tasks", "{\"tool\":\"nope\",\"args\":{}}");
        Api.Reply agent = admin.post("/v1/namespaces/" + NS + "/tasks", "{\"agent\":\"helper\",\"input\":\"hi\"}");
        Api.Reply unknown = admin.post("/v1/namespaces/" + NS + "/tasks", "{\"tool\":\"echo\",\"args\":{\"text\":\"a\"},\"colour\":1}");

        assertThat(tooLong.status()).isEqualTo(422);
        assertThat(tooLong.body()).contains("args.text");
        assertThat(extra.status()).isEqualTo(422);
        assertThat(extra.body()).contains("args.rm");
        assertThat(noTool.status()).isEqualTo(422);
        assertThat(noTool.body()).contains("\"tool\"");
        assertThat(agent.status()).isEqualTo(422);
        assertThat(agent.body()).contains("agent runs are not available yet");
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.body()).contains("colour");
        assertThat(admin.post("/v1/namespaces/nowhere/tasks", "{\"tool\":\"echo\",\"args\":{\"text\":\"a\"}}").status()).isEqualTo(404);
    }

    @Test
    void argsMustFillTheCommandTemplateEvenWithoutASchema() {
        created(admin.put("/v1/namespaces/" + NS + "/tools/greet", Api.manifest("{'apiVersion':'warden.dev/v1','kind':'Tool',"
                + "'metadata':{'name':'greet','namespace':'" + NS + "'},'spec':{'type':'exec',"
                + "'exec':{'command':['echo','--name={{args.name}}']}}}")));

        Api.Reply missing = admin.post("/v1/namespaces/" + NS + "/tasks", "{\"tool\":\"greet\",\"args\":{}}");
        Api.Reply object = admin.post("/v1/namespaces/" + NS + "/tasks", "{\"tool\":\"greet\",\"args\":{\"name\":{\"a\":1}}}");

        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.body()).contains("args.name").contains("not given");
        assertThat(object.status()).isEqualTo(422);
        assertThat(object.body()).contains("args.name");
        submit("{\"tool\":\"greet\",\"args\":{\"name\":\"ada\"}}");
        drain();
    }

    @Test
    void theSameIdempotencyKeyGivesTheSameTaskAndADifferentBodyIsAConflict() {
        String body = "{\"tool\":\"echo\",\"args\":{\"text\":\"once\"}}";
        HttpRequest first = admin.request("/v1/namespaces/" + NS + "/tasks").header("Idempotency-Key", "order-42")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        Api.Reply a = admin.send(first);
        Api.Reply b = admin.send(admin.request("/v1/namespaces/" + NS + "/tasks").header("Idempotency-Key", "order-42")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"args\":{\"text\":\"once\"},\"tool\":\"echo\"}")).build());
        Api.Reply c = admin.send(admin.request("/v1/namespaces/" + NS + "/tasks").header("Idempotency-Key", "order-42")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tool\":\"echo\",\"args\":{\"text\":\"twice\"}}")).build());

        assertThat(a.status()).isEqualTo(201);
        assertThat(b.status()).isEqualTo(200);
        assertThat(b.json().path("id").asString()).isEqualTo(a.json().path("id").asString());
        assertThat(c.status()).isEqualTo(409);
    }

    @Test
    void aWorkerClaimsRunsAndCompletesATaskOnceAndOnlyTheLeaseHolderMayReport() {
        drain();
        Api w = worker("w-basic", "{}", 4);
        String id = submit("{\"tool\":\"echo\",\"args\":{\"text\":\"hi\"}}");

        List<JsonNode> got = claim(w, 1, 5);
        assertThat(got).hasSize(1);
        JsonNode claimed = got.get(0);
        assertThat(claimed.path("id").asString()).isEqualTo(id);
        assertThat(claimed.path("attempt").asInt()).isEqualTo(1);
        assertThat(claimed.path("toolSpec").path("exec").path("command").get(0).asString()).isEqualTo("echo");
        assertThat(task(id).path("phase").asString()).isEqualTo("Running");

        Api other = worker("w-other", "{}", 4);
        assertThat(complete(other, id, 1).status()).isEqualTo(409);
        assertThat(complete(w, id, 2).status()).isEqualTo(409);
        assertThat(w.post("/v1/workers/tasks/" + id + "/events",
                "{\"attempt\":1,\"events\":[{\"type\":\"stdout\",\"data\":{\"text\":\"hi\\n\"}}]}").status()).isEqualTo(204);
        assertThat(complete(w, id, 1).status()).isEqualTo(200);
        assertThat(complete(w, id, 1).status()).isEqualTo(409);

        JsonNode done = task(id);
        assertThat(done.path("phase").asString()).isEqualTo("Succeeded");
        assertThat(done.path("result").path("stdout").asString()).isEqualTo("hi\n");
        assertThat(done.path("result").path("result").path("ok").asBoolean()).isTrue();
        // One history, numbered without gaps or repeats, in the order it happened.
        JsonNode history = admin.get("/v1/namespaces/" + NS + "/tasks/" + id + "/events").json().path("items");
        assertThat(history.findValues("seq")).extracting(JsonNode::asLong).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(history.findValuesAsString("type")).containsExactly("phase", "phase", "phase", "stdout", "phase");
    }

    @Test
    void aWorkerCredentialReachesTheWorkerRoutesAndNothingElse() {
        Api w = worker("w-narrow", "{}", 1);
        assertThat(w.get("/v1/namespaces/" + NS + "/tasks").status()).isIn(403, 404);
        assertThat(w.get("/v1/auth/whoami").status()).isEqualTo(403);
        assertThat(admin.post("/v1/workers/claim", "{}").status()).isEqualTo(403);
        admin.delete("/v1/namespaces/" + NS + "/workers/w-narrow");
        assertThat(w.post("/v1/workers/claim", "{}").status()).isEqualTo(401);
    }

    @Test
    void aSelectorKeepsATaskForWorkersWithTheLabels() {
        drain();
        Api plain = worker("w-plain", "{}", 4);
        Api gpu = worker("w-gpu", "{'gpu':'true'}", 4);
        String id = submit("{\"tool\":\"echo\",\"args\":{\"text\":\"g\"},\"selector\":{\"gpu\":\"true\"}}");

        assertThat(claim(plain, 4, 0)).isEmpty();
        assertThat(claim(gpu, 4, 0)).extracting(n -> n.path("id").asString()).containsExactly(id);
    }

    @Test
    void aLostLeaseRequeuesTheTaskAndTheLateWorkerIsRefused() {
        drain();
        Api slow = worker("w-slow", "{}", 4);
        Api fresh = worker("w-fresh", "{}", 4);
        String id = submit("{\"tool\":\"echo\",\"args\":{\"text\":\"lease\"},\"retry\":{\"backoffSeconds\":0}}");
        assertThat(claim(slow, 1, 5)).hasSize(1);

        clock.advance(Duration.ofSeconds(31)); // the slow worker stops heartbeating
        await().atMost(Duration.ofSeconds(10)).until(() -> task(id).path("phase").asString().equals("Queued"));

        JsonNode again = claim(fresh, 1, 5).get(0);
        assertThat(again.path("attempt").asInt()).isEqualTo(2);
        assertThat(complete(slow, id, 1).status()).isEqualTo(409);
        JsonNode beat = slow.post("/v1/workers/heartbeat", "{\"tasks\":[{\"id\":\"" + id + "\",\"attempt\":1}]}").json();
        assertThat(beat.path("tasks").get(0).path("status").asString()).isEqualTo("lost");
        assertThat(complete(fresh, id, 2).status()).isEqualTo(200);
        assertThat(task(id).path("phase").asString()).isEqualTo("Succeeded");
        long succeeded = admin.get("/v1/audit/events?namespace=" + NS + "&action=task.succeed&targetName=" + id).json()
                .path("items").size();
        assertThat(succeeded).isEqualTo(1);
    }

    @Test
    void failuresAreRetriedWithBackoffThenDeadLetteredAndCanBeRetriedByHand() {
        drain();
        Api w = worker("w-flaky", "{}", 4);
        String id = submit("{\"tool\":\"echo\",\"args\":{\"text\":\"flaky\"},\"retry\":{\"maxAttempts\":2,\"backoffSeconds\":60}}");

        JsonNode first = claim(w, 1, 5).get(0);
        long failedAt = clock.millis();
        assertThat(fail(w, id, 1, "exit-nonzero").json().path("phase").asString()).isEqualTo("Queued");
        long notBefore = java.time.Instant.parse(task(id).path("notBefore").asString()).toEpochMilli();
        assertThat(notBefore).as("full jitter: somewhere in [now, now + 60 s]").isBetween(failedAt, failedAt + 60_000);
        if (notBefore > failedAt) {
            assertThat(claim(w, 1, 0)).as("backing off").isEmpty();
        }
        clock.advance(Duration.ofSeconds(61));
        JsonNode second = claim(w, 1, 5).get(0);
        assertThat(second.path("attempt").asInt()).isEqualTo(first.path("attempt").asInt() + 1);
        assertThat(fail(w, id, 2, "exit-nonzero").json().path("phase").asString()).isEqualTo("DeadLettered");
        assertThat(task(id).path("error").path("errorClass").asString()).isEqualTo("exit-nonzero");

        assertThat(admin.post("/v1/namespaces/" + NS + "/tasks/" + id + "/retry", "{}").json().path("phase").asString())
                .isEqualTo("Queued");
        JsonNode third = claim(w, 1, 5).get(0);
        assertThat(third.path("attempt").asInt()).isEqualTo(3);
        assertThat(complete(w, id, 3).status()).isEqualTo(200);
        assertThat(admin.post("/v1/namespaces/" + NS + "/tasks/" + id + "/retry", "{}").status()).isEqualTo(409);
    }

    @Test
    void aNonRetryableErrorClassFailsAtOnce() {
        drain();
        Api w = worker("w-strict", "{}", 4);
        String id = submit("{\"tool\":\"echo\",\"args\":{\"text\":\"x\"},\"retry\":{\"maxAttempts\":5,\"nonRetryable\":[\"bad-input\"]}}");
        claim(w, 1, 5);

        assertThat(fail(w, id, 1, "bad-input").json().path("phase").asString()).isEqualTo("Failed");
    }

    @Test
    void cancellingAQueuedTaskEndsItAndARunningOneIsStoppedThroughItsWorker() {
        drain();
        String queued = submit("{\"tool\":\"echo\",\"args\":{\"text\":\"q\"}}");
        assertThat(admin.post("/v1/namespaces/" + NS + "/tasks/" + queued + "/cancel", "{}").json().path("phase").asString())
                .isEqualTo("Cancelled");
        assertThat(admin.post("/v1/namespaces/" + NS + "/tasks/" + queued + "/cancel", "{}").status()).isEqualTo(409);

        Api w = worker("w-cancel", "{}", 4);
        String running = submit("{\"tool\":\"echo\",\"args\":{\"text\":\"r\"}}");
        claim(w, 1, 5);
        assertThat(admin.post("/v1/namespaces/" + NS + "/tasks/" + running + "/cancel", "{}").json().path("cancelRequested").asBoolean())
                .isTrue();
        JsonNode beat = w.post("/v1/workers/heartbeat", "{\"tasks\":[{\"id\":\"" + running + "\",\"attempt\":1}]}").json();
        assertThat(beat.path("tasks").get(0).path("status").asString()).isEqualTo("cancel");
        assertThat(fail(w, running, 1, "cancelled").json().path("phase").asString()).isEqualTo("Cancelled");
    }

    @Test
    void aWaitingClaimIsWokenWhenATaskIsQueued() throws Exception {
        drain();
        Api w = worker("w-waiting", "{}", 4);
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            long started = System.nanoTime();
            Future<List<JsonNode>> waiting = pool.submit(() -> claim(w, 1, 30));
            await().pollDelay(Duration.ofMillis(300)).until(() -> true); // let it start waiting
            String id = submit("{\"tool\":\"echo\",\"args\":{\"text\":\"wake\"}}");

            List<JsonNode> got = waiting.get();
            assertThat(got).extracting(n -> n.path("id").asString()).containsExactly(id);
            // Woken by the submission, not by the end of its 30 s wait.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    void followingEventsResumesFromLastEventIdWithoutGaps() throws Exception {
        drain();
        Api w = worker("w-stream", "{}", 4);
        String id = submit("{\"tool\":\"echo\",\"args\":{\"text\":\"s\"}}");
        claim(w, 1, 5);
        for (int i = 0; i < 5; i++) {
            w.post("/v1/workers/tasks/" + id + "/events", "{\"attempt\":1,\"events\":[{\"type\":\"stdout\",\"data\":{\"text\":\"line " + i + "\"}}]}");
        }
        String path = "/v1/namespaces/" + NS + "/tasks/" + id + "/events?follow=true";
        List<Long> seen = new ArrayList<>();
        try (SseReader sse = new SseReader(admin.client(), admin.request(path).build())) {
            for (int i = 0; i < 4; i++) {
                seen.add(sse.next().id());
            }
        }
        try (SseReader sse = new SseReader(admin.client(),
                admin.request(path).header("Last-Event-ID", String.valueOf(seen.getLast())).build())) {
            complete(w, id, 1);
            for (SseReader.Event e = sse.next(); !e.type().equals("end"); e = sse.next()) {
                seen.add(e.id());
            }
        }
        List<Long> expected = new ArrayList<>();
        for (long s = 1; s <= seen.size(); s++) {
            expected.add(s);
        }
        assertThat(seen).isEqualTo(expected);
        assertThat(seen).hasSizeGreaterThanOrEqualTo(9); // Pending, Queued, Running, 5 lines, Succeeded
    }

    @Test
    void twentyWorkersRacingOnAThousandTasksCompleteEachExactlyOnce() throws Exception {
        drain();
        int tasks = 1000;
        Set<String> ids = ConcurrentHashMap.newKeySet();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> subs = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                int n = i;
                subs.add(pool.submit(() -> ids.add(submit("{\"tool\":\"echo\",\"args\":{\"text\":\"t" + n + "\"}}"))));
            }
            for (Future<?> f : subs) {
                f.get();
            }
        }
        assertThat(ids).hasSize(tasks);
        Map<String, Integer> completions = new ConcurrentHashMap<>();
        AtomicInteger conflicts = new AtomicInteger();
        List<Api> workers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            workers.add(worker("racer-" + i, "{}", 8));
        }
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            List<Future<?>> running = new ArrayList<>();
            for (Api w : workers) {
                running.add(pool.submit(() -> {
                    go.await();
                    while (true) {
                        List<JsonNode> got = claim(w, 8, 0);
                        if (got.isEmpty()) {
                            return null;
                        }
                        for (JsonNode t : got) {
                            String id = t.path("id").asString();
                            int status = complete(w, id, t.path("attempt").asInt()).status();
                            if (status == 200) {
                                completions.merge(id, 1, Integer::sum);
                            } else {
                                conflicts.incrementAndGet();
                            }
                        }
                    }
                }));
            }
            go.countDown();
            for (Future<?> f : running) {
                f.get();
            }
        }
        assertThat(completions.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(completions.values()).allMatch(n -> n == 1);
        assertThat(conflicts.get()).isZero();
        Set<String> succeeded = new HashSet<>();
        String cursor = "";
        do {
            JsonNode page = admin.get("/v1/namespaces/" + NS + "/tasks?phase=Succeeded&limit=1000" + cursor).json();
            page.path("items").forEach(t -> succeeded.add(t.path("id").asString()));
            cursor = page.path("continue").isNull() ? null : "&continue=" + page.path("continue").asString();
        } while (cursor != null);
        assertThat(succeeded).containsAll(ids);
    }

    @Test
    void aRestartLosesNothingAndRunningTasksComeBackThroughLeaseExpiry() {
        // Run last in its own server life: stop the shared server and start a new one on the same data.
        drain();
        Api w = worker("w-restart", "{}", 4);
        String running = submit("{\"tool\":\"echo\",\"args\":{\"text\":\"run\"},\"retry\":{\"backoffSeconds\":0}}");
        claim(w, 1, 5);
        String queued = submit("{\"tool\":\"echo\",\"args\":{\"text\":\"wait\"}}");
        server.close();

        server = TestServer.start(db, List.of(MutableClock.Config.class), "--warden.tasks.lease-duration=30s",
                "--warden.tasks.reap-interval=200ms");
        admin = server.api();
        clock = server.bean(MutableClock.class);
        assertThat(task(queued).path("phase").asString()).isEqualTo("Queued");
        assertThat(task(running).path("phase").asString()).isEqualTo("Running");

        // The lease was taken on the first server's clock: move this one past it.
        java.time.Instant lease = java.time.Instant.parse(task(running).path("leaseExpiresAt").asString());
        clock.advance(Duration.between(clock.instant(), lease).plusSeconds(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> task(running).path("phase").asString().equals("Queued"));
        Api again = worker("w-after", "{}", 256);
        List<JsonNode> got = claim(again, 256, 5); // with whatever earlier tests left running
        assertThat(got).extracting(n -> n.path("id").asString()).contains(running, queued);
        got.forEach(t -> assertThat(complete(again, t.path("id").asString(), t.path("attempt").asInt()).status()).isEqualTo(200));
    }
}
