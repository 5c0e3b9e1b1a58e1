package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchTest {

    private static final String PATH = "/v1/namespaces/demo/tools";

    @TempDir
    Path home;

    private FakeWarden server;
    private CliRunner cli;

    @BeforeEach
    void start() throws IOException {
        server = FakeWarden.start();
        cli = new CliRunner(home).env("WARDEN_SERVER", server.url());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String event(String type, String name, String toolType) {
        return """
                {"type":"%s","object":{"kind":"Tool","metadata":{"name":"%s","namespace":"demo","creationTimestamp":"2025-06-01T11:58:00Z"},"spec":{"type":"%s"}}}"""
                .formatted(type, name, toolType);
    }

    private static FakeWarden.Handler gone() {
        return (request, exchange) -> FakeWarden.problem(exchange, 410, "Gone", "resourceVersion too old", "req-gone");
    }

    @Test
    void resumesFromTheLastEventIdAfterTheConnectionDrops() {
        server.on("GET", PATH,
                (request, exchange) -> {
                    OutputStream out = FakeWarden.startEvents(exchange);
                    out.write(": keep-alive\n\n".getBytes());
                    FakeWarden.event(out, "5", "ADDED", event("ADDED", "git-clone", "exec"));
                    FakeWarden.event(out, "6", "MODIFIED", event("MODIFIED", "git-clone", "exec"));
                    // returning closes the stream: the connection "drops"
                },
                (request, exchange) -> {
                    OutputStream out = FakeWarden.startEvents(exchange);
                    FakeWarden.event(out, "7", "DELETED", event("DELETED", "git-clone", "exec"));
                },
                gone());

        CliRunner.Result result = cli.run("get", "tools", "-n", "demo", "--watch");

        assertThat(result.outLines()).containsExactly(
                "EVENT      NAME                       TYPE     AGE",
                "ADDED      git-clone                  exec     2m",
                "MODIFIED   git-clone                  exec     2m",
                "DELETED    git-clone                  exec     2m");
        List<FakeWarden.Request> requests = server.requests();
        assertThat(requests).hasSize(3);
        assertThat(requests.get(0).query()).containsExactly(java.util.Map.entry("watch", "true"));
        assertThat(requests.get(0).header("Accept")).isEqualTo("text/event-stream");
        assertThat(requests.get(1).query()).containsEntry("watch", "true").containsEntry("resourceVersion", "6");
        assertThat(requests.get(1).header("Last-Event-ID")).isEqualTo("6");
        assertThat(requests.get(2).query()).containsEntry("resourceVersion", "7");
        // A 4xx answer to a reconnect is final: the server will not change its mind.
        assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(result.errLines()).containsExactly("error: Gone: resourceVersion too old (request id req-gone)");
    }

    @Test
    void givesUpAfterFiveConnectionsInARowWithoutEvents() {
        server.on("GET", PATH,
                (request, exchange) -> {
                    OutputStream out = FakeWarden.startEvents(exchange);
                    FakeWarden.event(out, "5", "ADDED", event("ADDED", "a", "exec"));
                },
                (request, exchange) -> FakeWarden.problem(exchange, 503, "Service Unavailable", "database unavailable", "r1"),
                (request, exchange) -> FakeWarden.startEvents(exchange).close());

        CliRunner.Result result = cli.run("get", "tools", "-n", "demo", "-w", "-o", "name");

        assertThat(result.outLines()).containsExactly("ADDED tool/a");
        assertThat(server.requests()).hasSize(1 + 5);
        assertThat(server.requests().subList(1, 6)).allSatisfy(r -> assertThat(r.query()).containsEntry("resourceVersion", "5"));
        assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(result.errLines()).containsExactly(
                "error: lost the watch on " + server.url() + " after 5 attempts to reconnect: the server closed the stream");
    }

    @Test
    void aSilentConnectionIsDroppedAndResumed() throws InterruptedException {
        CountDownLatch testDone = new CountDownLatch(1);
        server.on("GET", PATH,
                (request, exchange) -> {
                    OutputStream out = FakeWarden.startEvents(exchange);
                    FakeWarden.event(out, "5", "ADDED", event("ADDED", "a", "exec"));
                    try {
                        // Hold the connection open and say nothing, like a peer that vanished.
                        testDone.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                (request, exchange) -> {
                    OutputStream out = FakeWarden.startEvents(exchange);
                    FakeWarden.event(out, "6", "ADDED", event("ADDED", "b", "http"));
                },
                gone());

        long start = System.nanoTime();
        CliRunner.Result result = cli.watchPolicy(new WatchPolicy(5, Duration.ZERO, Duration.ZERO, Duration.ofMillis(300)))
                .run("get", "tools", "-n", "demo", "-w", "-o", "name");
        testDone.countDown();

        assertThat(result.outLines()).containsExactly("ADDED tool/a", "ADDED tool/b");
        assertThat(server.requests().get(1).query()).containsEntry("resourceVersion", "5");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void jsonOutputPrintsOneEventPerLineAndANameFiltersEvents() {
        server.on("GET", PATH,
                (request, exchange) -> {
                    OutputStream out = FakeWarden.startEvents(exchange);
                    FakeWarden.event(out, "5", "ADDED", event("ADDED", "a", "exec"));
                    FakeWarden.event(out, "6", "ADDED", event("ADDED", "b", "http"));
                },
                gone());

        CliRunner.Result result = cli.run("get", "tool", "b", "-n", "demo", "-w", "-o", "json");

        assertThat(result.outLines()).containsExactly(
                "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Tool\",\"metadata\":{\"name\":\"b\",\"namespace\":\"demo\",\"creationTimestamp\":\"2025-06-01T11:58:00Z\"},\"spec\":{\"type\":\"http\"}}}");
    }

    @Test
    void aFailingFirstConnectionIsReportedAtOnce() {
        server.on("GET", PATH, (request, exchange) -> FakeWarden.problem(exchange, 404, "Not Found", "namespace \\\"demo\\\" does not exist", "r9"));

        CliRunner.Result result = cli.run("get", "tools", "-n", "demo", "-w");

        assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(result.errLines()).containsExactly("error: Not Found: namespace \"demo\" does not exist (request id r9)");
        assertThat(server.requests()).hasSize(1);
    }
}
