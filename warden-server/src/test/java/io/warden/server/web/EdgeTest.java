package io.warden.server.web;

import static io.warden.server.testing.Api.manifest;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.server.testing.Api;
import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/** The edge of the API: input limits, validation answers, error shape and request ids. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeTest {

    private TestServer server;
    private Api api;

    @BeforeAll
    void start() {
        server = TestServer.start(TestDatabase.sqlite());
        api = server.api();
        api.put("/v1/namespaces/demo", manifest("{'apiVersion':'warden.dev/v1','kind':'Namespace','metadata':{'name':'demo'}}"));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static final String TOOL = "{'apiVersion':'warden.dev/v1','kind':'Tool','metadata':{'name':'t'},"
            + "'spec':{'type':'exec','exec':{'command':['echo']}}}";

    private Api.Reply putTool(String json) {
        return api.put("/v1/namespaces/demo/tools/t", json.replace('\'', '"'));
    }

    private Api.Reply putBytes(byte[] body) {
        return api.send(api.request("/v1/namespaces/demo/tools/t").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** Every error answer: problem+json, a request id, and nothing from the server's insides. */
    private static void assertProblem(Api.Reply r, int status) {
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode body = r.json();
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("type").asString()).startsWith("https://warden.dev/problems/");
        assertThat(body.path("requestId").asString()).isNotBlank().isEqualTo(r.header("X-Request-Id").orElseThrow());
        assertThat(r.body()).doesNotContain("Exception", "at io.", "at org.", "SELECT", "INSERT", "jdbc", "sqlite",
                "jackson");
    }

    private static List<String> errorPaths(Api.Reply r) {
        return r.json().path("errors").findValuesAsString("path");
    }

    @Test
    void unknownFieldIsA422NamingIt() {
        var r = putTool(TOOL.replace("'type':'exec'", "'type':'exec','privileged':true"));
        assertProblem(r, 422);
        assertThat(errorPaths(r)).containsExactly("spec.privileged");
    }

    @Test
    void wrongTypeIsA422NamingIt() {
        var r = putTool(TOOL.replace("'type':'exec'", "'type':'exec','timeoutSeconds':'ten'"));
        assertProblem(r, 422);
        assertThat(errorPaths(r)).containsExactly("spec.timeoutSeconds");
    }

    @Test
    void missingRequiredFieldIsA422NamingIt() {
        var r = putTool(TOOL.replace(",'exec':{'command':['echo']}", ""));
        assertProblem(r, 422);
        assertThat(errorPaths(r)).containsExactly("spec.exec");
        var noKind = putTool(TOOL.replace("'kind':'Tool',", ""));
        assertProblem(noKind, 422);
        assertThat(errorPaths(noKind)).containsExactly("kind");
    }

    @Test
    void badNamesAreRefused() {
        var upper = api.put("/v1/namespaces/demo/tools/Bad_Name", TOOL.replace("'t'", "'Bad_Name'").replace('\'', '"'));
        assertProblem(upper, 422);
        assertThat(errorPaths(upper)).allMatch("metadata.name"::equals);
        assertProblem(api.get("/v1/namespaces/demo/tools/Bad_Name"), 404);
        assertProblem(api.get("/v1/namespaces/Bad_NS/tools"), 404);
    }

    @Test
    void bodyThatDisagreesWithTheUrlIsRefused() {
        assertProblem(putTool(TOOL.replace("'name':'t'", "'name':'other'")), 400);
        assertProblem(putTool(TOOL.replace("'name':'t'", "'name':'t','namespace':'prod'")), 400);
        assertProblem(putTool(TOOL.replace("'kind':'Tool'", "'kind':'Policy'")), 400);
        assertProblem(putTool("[1,2]"), 400);
    }

    @Test
    void twoMebibyteBodyIsA413() {
        byte[] big = new byte[2 * 1024 * 1024];
        Arrays.fill(big, (byte) ' ');
        assertProblem(putBytes(big), 413);
    }

    @Test
    void twoMebibyteChunkedBodyIsA413() {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        // A publisher of unknown length makes the client send chunked: no Content-Length to check up front.
        HttpRequest.BodyPublisher chunked = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofByteArrays(java.util.Collections.nCopies(32, chunk)));
        var r = api.send(api.request("/v1/namespaces/demo/tools/t").header("Content-Type", "application/json")
                .PUT(chunked).build());
        assertProblem(r, 413);
    }

    @Test
    void tenThousandDeepJsonIsA400() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        assertProblem(api.put("/v1/namespaces/demo/tools/t", deep), 400);
        String deepInSpec = TOOL.replace('\'', '"').replace("\"type\":\"exec\"",
                "\"type\":\"exec\",\"x\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000));
        assertProblem(api.put("/v1/namespaces/demo/tools/t", deepInSpec), 400);
    }

    @Test
    void invalidUtf8IsA400() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] head = TOOL.replace('\'', '"').replace("echo", "ec").getBytes(StandardCharsets.UTF_8);
        int cut = new String(head, StandardCharsets.UTF_8).indexOf("ec\"") + 2;
        body.write(head, 0, cut);
        body.write(0xC3); // a lead byte with no continuation
        body.write(0x28);
        body.write(head, cut, head.length - cut);
        assertProblem(putBytes(body.toByteArray()), 400);
        assertProblem(putBytes(new byte[] {(byte) 0xFF, (byte) 0xFE, '{', '}'}), 400);
    }

    @Test
    void overlongStringIsA400() {
        String longString = "x".repeat(300_000);
        assertProblem(putTool(TOOL.replace("'echo'", "'" + longString + "'")), 400);
    }

    @Test
    void malformedJsonIsA400WithoutEchoingTheInput() {
        var r = putTool("{'apiVersion': s3cr3t-token-value");
        assertProblem(r, 400);
        assertThat(r.body()).doesNotContain("s3cr3t");
        assertProblem(putTool(TOOL + " trailing"), 400);
        assertProblem(putTool("{'a':1,'a':2}"), 400);
        assertProblem(putBytes(new byte[0]), 400);
    }

    @Test
    void nonJsonBodyIsA415() {
        var r = api.send(api.request("/v1/namespaces/demo/tools/t").header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString(TOOL.replace('\'', '"'))).build());
        assertProblem(r, 415);
        var latin1 = api.send(api.request("/v1/namespaces/demo/tools/t").header("Content-Type", "application/json; charset=ISO-8859-1")
                .PUT(HttpRequest.BodyPublishers.ofString(TOOL.replace('\'', '"'))).build());
        assertProblem(latin1, 415);
    }

    @Test
    void unknownRoutesAndMethodsAreProblems() {
        assertProblem(api.get("/v2/anything"), 404);
        assertProblem(api.get("/v1/namespaces/demo/gadgets"), 404);
        var post = api.send(api.request("/v1/namespaces/demo/tools").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertProblem(post, 405);
        assertProblem(api.get("/v1/namespaces/demo/tools%2F..%2Fsecrets"), 400);
    }

    @Test
    void requestIdIsAcceptedWhenWellFormedAndReplacedOtherwise() {
        var given = api.send(api.request("/healthz").header("X-Request-Id", "trace-123.abc_DEF").GET().build());
        assertThat(given.header("X-Request-Id")).contains("trace-123.abc_DEF");
        var hostile = api.send(api.request("/v1/namespaces/demo/tools/nope").header("X-Request-Id", "x\"><script>" + "a".repeat(80)).GET().build());
        String id = hostile.header("X-Request-Id").orElseThrow();
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(hostile.json().path("requestId").asString()).isEqualTo(id);
        assertThat(api.get("/healthz").header("X-Request-Id")).hasValueSatisfying(v -> assertThat(v).isNotBlank());
    }

    @Test
    void healthReadinessAndVersion() {
        assertThat(api.get("/healthz").json().path("status").asString()).isEqualTo("ok");
        assertThat(api.get("/readyz").json().path("status").asString()).isEqualTo("ready");
        JsonNode v = api.get("/v1/version").json();
        assertThat(v.path("apiVersion").asString()).isEqualTo("warden.dev/v1");
        assertThat(v.path("database").asString()).isEqualTo("sqlite");
        assertThat(v.path("version").asString()).isNotBlank();
    }

}
