package io.warden.server.web;

import static io.warden.server.testing.Api.manifest;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.server.testing.Api;
import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The browser-facing edge over plain HTTP on loopback: security headers on every answer, login
 * rate limits per client, CORS refusal, and the CSRF double-submit check on cookie sessions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeSecurityTest {

    private static final String CONSOLE = "https://console.example";
    private static final String USER = "edge-user";
    private static final String USER_PASSWORD = "a-long-and-unusual-passphrase-77";
    private static final String SESSION_COOKIE = "warden_session";
    private static final String NAMESPACE = "{'apiVersion':'warden.dev/v1','kind':'Namespace','metadata':{'name':'%s'}}";

    private TestServer server;
    private Api api;
    private Api anonymous;
    /** Each test speaks as its own clients (X-Forwarded-For, believed from 127.0.0.1) so login buckets never collide. */
    private final AtomicInteger clients = new AtomicInteger(1);

    @BeforeAll
    void start() {
        // One login token a minute, three at once: a fourth quick attempt must be refused, with no waiting.
        server = TestServer.start(TestDatabase.sqlite(),
                "--warden.edge.credential-rate-limit.per-minute=1",
                "--warden.edge.credential-rate-limit.burst=3",
                "--warden.edge.trusted-proxies=127.0.0.1/32",
                "--warden.edge.cors-allowed-origins=" + CONSOLE);
        api = server.api();
        anonymous = api.anonymous();
        var created = api.post("/v1/users", "{\"username\":\"" + USER + "\",\"password\":\"" + USER_PASSWORD + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(api.put("/v1/namespaces/demo", manifest(NAMESPACE.formatted("demo"))).status()).isEqualTo(201);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private String newClient() {
        int n = clients.getAndIncrement();
        return "198.51.100." + n;
    }

    private Api.Reply login(String client, String username, String password) {
        return anonymous.send(anonymous.request("/v1/auth/login")
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", client)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}"))
                .build());
    }

    /** A browser's view of a login: the session cookie and the CSRF cookie it got. */
    private record Session(SetCookie session, SetCookie csrf) {
        String cookies() {
            return session.pair() + "; " + csrf.pair();
        }
    }

    private Session loginSession(String username, String password) {
        var r = login(newClient(), username, password);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return new Session(SetCookie.find(r.headers(), SESSION_COOKIE).orElseThrow(),
                SetCookie.find(r.headers(), AuthenticationFilter.CSRF_COOKIE).orElseThrow());
    }

    private static void assertSecurityHeaders(Api.Reply r) {
        assertThat(r.header("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v)
                .contains("frame-ancestors 'none'").contains("default-src 'none'"));
        assertThat(r.header("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.header("Referrer-Policy")).hasValue("no-referrer");
        assertThat(r.header("X-Frame-Options")).hasValue("DENY");
        assertThat(r.header("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        assertThat(r.header("Strict-Transport-Security")).as("no HSTS over plain HTTP").isEmpty();
    }

    private static void assertProblem(Api.Reply r, int status, String type) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith(Problems.MEDIA_TYPE));
        JsonNode body = r.json();
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("type").asString()).isEqualTo(Problems.TYPE_PREFIX + type);
        assertThat(body.path("requestId").asString()).isNotBlank();
    }

    // --- security headers ---------------------------------------------------------------------------

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        var ok = anonymous.get("/healthz");
        assertThat(ok.status()).isEqualTo(200);
        assertSecurityHeaders(ok);

        var notFound = api.get("/v1/namespaces/demo/tools/no-such-tool");
        assertThat(notFound.status()).isEqualTo(404);
        assertSecurityHeaders(notFound);

        var unknownRoute = api.get("/v1/no-such-route");
        assertThat(unknownRoute.status()).isEqualTo(404);
        assertSecurityHeaders(unknownRoute);

        var unauthenticated = anonymous.get("/v1/auth/whoami");
        assertThat(unauthenticated.status()).isEqualTo(401);
        assertSecurityHeaders(unauthenticated);

        var badToken = api.withToken("wdn_not-a-real-token").get("/v1/auth/whoami");
        assertThat(badToken.status()).isEqualTo(401);
        assertSecurityHeaders(badToken);

        var badJson = api.put("/v1/namespaces/demo/tools/t", "{");
        assertThat(badJson.status()).isEqualTo(400);
        assertSecurityHeaders(badJson);
    }

    // --- rate limits ------------------------------------------------------------------------------

    @Test
    void fourthQuickLoginFromOneClientIsRateLimited() {
        String client = newClient();
        for (int i = 1; i <= 3; i++) {
            assertThat(login(client, "nobody", "wrong-password-" + i).status()).as("attempt %d", i).isEqualTo(401);
        }
        var limited = login(client, "nobody", "wrong-password-4");
        assertProblem(limited, 429, "rate-limited");
        assertThat(limited.header("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
        assertSecurityHeaders(limited);

        // Even the right password waits: the bucket is per client, not per outcome.
        assertThat(login(client, USER, USER_PASSWORD).status()).isEqualTo(429);

        // Another client is not held back by the first one's bucket.
        assertThat(login(newClient(), "nobody", "wrong-password-5").status()).isEqualTo(401);
    }

    @Test
    void loginAndTokenExchangeShareTheClientsBucket() {
        String client = newClient();
        for (int i = 1; i <= 3; i++) {
            assertThat(login(client, "nobody", "wrong-password-" + i).status()).isEqualTo(401);
        }
        var token = anonymous.send(anonymous.request("/v1/auth/token")
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", client)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + USER + "\",\"password\":\"" + USER_PASSWORD + "\"}"))
                .build());
        assertProblem(token, 429, "rate-limited");
        assertThat(token.header("Retry-After")).isPresent();
    }

    /**
     * Spellings of the credential endpoints that Spring MVC still routes to them (matrix parameters,
     * percent-encoding) must not get a fresh, or the far larger API, bucket.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/v1/auth/login;x=1", "/v1/auth/%6Cogin", "/v1/auth/token;a=b"})
    void otherSpellingsOfACredentialPathShareItsLimit(String path) {
        String client = newClient();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            var r = anonymous.send(HttpRequest.newBuilder(URI.create(anonymous.base() + path))
                    .header("Content-Type", "application/json")
                    .header("X-Forwarded-For", client)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"nobody\",\"password\":\"wrong-" + i + "\"}"))
                    .build());
            statuses.add(r.status());
        }
        assertThat(statuses).as("%s answered %s (401: the password was checked again)", path, statuses)
                .containsExactly(401, 401, 401, 429);
    }

    @Test
    void rightMostForwardedHopIsTheClientNotASpoofedLeftMostOne() {
        // The proxy (127.0.0.1, trusted) appends the address it saw; what a client wrote on the left is not believed.
        String real = newClient();
        for (int i = 1; i <= 3; i++) {
            String spoofed = "203.0.113." + i;
            var r = anonymous.send(anonymous.request("/v1/auth/login")
                    .header("Content-Type", "application/json")
                    .header("X-Forwarded-For", spoofed + ", " + real)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"nobody\",\"password\":\"wrong-password\"}"))
                    .build());
            assertThat(r.status()).isEqualTo(401);
        }
        assertThat(login(real, "nobody", "wrong-password").status()).isEqualTo(429);
    }

    // --- CORS ---------------------------------------------------------------------------------------

    @Test
    void crossOriginRequestFromAnUnknownOriginIsRefused() {
        var r = anonymous.send(anonymous.request("/healthz").header("Origin", "https://evil.example").GET().build());
        assertProblem(r, 403, "cors");
        assertThat(r.header("Access-Control-Allow-Origin")).isEmpty();
        assertSecurityHeaders(r);

        var withToken = api.send(api.request("/v1/auth/whoami").header("Origin", "https://evil.example").GET().build());
        assertProblem(withToken, 403, "cors");
        assertThat(withToken.body()).doesNotContain(TestServer.ADMIN);

        var preflight = anonymous.send(anonymous.request("/v1/auth/login").header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(preflight.status()).isEqualTo(403);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void aLookalikeOfTheAllowedOriginIsRefused() {
        for (String origin : new String[] {"http://console.example", "https://console.example.evil.example",
                "https://console.example:8443", "null"}) {
            var r = anonymous.send(anonymous.request("/healthz").header("Origin", origin).GET().build());
            assertThat(r.status()).as(origin).isEqualTo(403);
            assertThat(r.header("Access-Control-Allow-Origin")).as(origin).isEmpty();
        }
    }

    @Test
    void preflightFromTheAllowedOriginIsAnswered() {
        var r = anonymous.send(anonymous.request("/v1/namespaces/demo/tools/t").header("Origin", CONSOLE)
                .header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "content-type, x-xsrf-token")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.header("Access-Control-Allow-Origin")).hasValue(CONSOLE);
        assertThat(r.header("Access-Control-Allow-Methods")).hasValueSatisfying(v -> assertThat(v).contains("PUT"));
        assertThat(r.header("Access-Control-Allow-Headers")).hasValueSatisfying(v -> assertThat(v).contains("X-XSRF-TOKEN"));
        assertThat(r.header("Vary")).hasValueSatisfying(v -> assertThat(v).contains("Origin"));
        assertSecurityHeaders(r);
    }

    @Test
    void requestFromTheAllowedOriginIsServedWithItsOriginEchoed() {
        var r = anonymous.send(anonymous.request("/healthz").header("Origin", CONSOLE).GET().build());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Access-Control-Allow-Origin")).hasValue(CONSOLE);
    }

    @Test
    void sameOriginRequestsCarryingAnOriginAreServed() {
        // Browsers send Origin on same-origin POSTs: the console served by this server must still log in.
        String self = api.base().toString().replaceAll("/$", "");
        var r = anonymous.send(anonymous.request("/v1/auth/login").header("Origin", self)
                .header("Content-Type", "application/json").header("X-Forwarded-For", newClient())
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"nobody\",\"password\":\"wrong-password\"}"))
                .build());
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("Access-Control-Allow-Origin")).isEmpty();
    }

    // --- cookie sessions and CSRF -------------------------------------------------------------------

    @Test
    void loginSetsAHardenedSessionCookieAndAReadableCsrfCookie() {
        var r = login(newClient(), USER, USER_PASSWORD);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("username").asString()).isEqualTo(USER);

        SetCookie session = SetCookie.find(r.headers(), SESSION_COOKIE).orElseThrow();
        assertThat(session.value()).isNotBlank();
        assertThat(session.has("HttpOnly")).isTrue();
        assertThat(session.attribute("SameSite")).hasValueSatisfying(v -> assertThat(v).isEqualToIgnoringCase("Strict"));
        assertThat(session.attribute("Path")).hasValue("/");
        assertThat(session.has("Domain")).isFalse();
        assertThat(session.has("Secure")).as("plain HTTP on loopback").isFalse();
        assertThat(SetCookie.find(r.headers(), "__Host-warden_session")).as("the __Host- name is for TLS only").isEmpty();

        SetCookie csrf = SetCookie.find(r.headers(), AuthenticationFilter.CSRF_COOKIE).orElseThrow();
        assertThat(csrf.value()).isNotBlank().isNotEqualTo(session.value());
        assertThat(csrf.has("HttpOnly")).as("the console's script must read it").isFalse();
        assertThat(csrf.attribute("SameSite")).hasValueSatisfying(v -> assertThat(v).isEqualToIgnoringCase("Strict"));
    }

    @Test
    void safeRequestWithOnlyTheSessionCookieWorks() {
        Session s = loginSession(USER, USER_PASSWORD);
        var r = anonymous.send(anonymous.request("/v1/auth/whoami").header("Cookie", s.session().pair()).GET().build());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("user").asString()).isEqualTo(USER);
        assertThat(r.json().path("via").asString()).isEqualTo("session");
    }

    @Test
    void aRebindingHostNameIsRefusedOnALoopbackServer() throws Exception {
        for (String host : new String[] {"evil.example", "evil.example:8080", "127.0.0.1.evil.example"}) {
            assertThat(statusWithHost("/v1/auth/whoami", host)).as(host).isEqualTo(421);
        }
        assertThat(statusWithHost("/healthz", "localhost:1234")).isEqualTo(200);
        assertThat(statusWithHost("/healthz", "[::1]:1234")).isEqualTo(200);
    }

    /** The JDK client will not send a Host header of our choosing, so this speaks HTTP/1.1 itself. */
    private int statusWithHost(String path, String host) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", api.base().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    @Test
    void logoutThroughACookieNeedsTheCsrfHeaderAndThenTheCookieIsDead() {
        Session s = loginSession(USER, USER_PASSWORD);

        var noHeader = anonymous.send(anonymous.request("/v1/auth/logout").header("Cookie", s.cookies())
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertProblem(noHeader, 403, "forbidden");
        assertThat(noHeader.json().path("detail").asString()).contains(AuthenticationFilter.CSRF_HEADER);

        var wrongHeader = anonymous.send(anonymous.request("/v1/auth/logout").header("Cookie", s.cookies())
                .header(AuthenticationFilter.CSRF_HEADER, s.csrf().value() + "x")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertProblem(wrongHeader, 403, "forbidden");

        var emptyHeader = anonymous.send(anonymous.request("/v1/auth/logout").header("Cookie", s.cookies())
                .header(AuthenticationFilter.CSRF_HEADER, "")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertProblem(emptyHeader, 403, "forbidden");

        // A cookie planted by a sibling site (XSRF-TOKEN=planted) plus the same value in the header
        // is a consistent double-submit pair, but not the token derived from this session's secret.
        var plantedPair = anonymous.send(anonymous.request("/v1/auth/logout")
                .header("Cookie", s.session().pair() + "; " + AuthenticationFilter.CSRF_COOKIE + "=planted-by-attacker")
                .header(AuthenticationFilter.CSRF_HEADER, "planted-by-attacker")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertProblem(plantedPair, 403, "forbidden");

        // None of the refused attempts ended the session.
        var stillIn = anonymous.send(anonymous.request("/v1/auth/whoami").header("Cookie", s.session().pair()).GET().build());
        assertThat(stillIn.status()).isEqualTo(200);

        var out = anonymous.send(anonymous.request("/v1/auth/logout").header("Cookie", s.cookies())
                .header(AuthenticationFilter.CSRF_HEADER, s.csrf().value())
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(out.status()).as(out.body()).isEqualTo(204);
        assertThat(SetCookie.find(out.headers(), SESSION_COOKIE)).hasValueSatisfying(c -> {
            assertThat(c.value()).isEmpty();
            assertThat(c.attribute("Max-Age")).hasValue("0");
        });

        var after = anonymous.send(anonymous.request("/v1/auth/whoami").header("Cookie", s.session().pair()).GET().build());
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith(Problems.MEDIA_TYPE));
    }

    @Test
    void adminWriteThroughACookieNeedsTheCsrfHeader() {
        Session admin = loginSession(TestServer.ADMIN, TestServer.ADMIN_PASSWORD);
        String body = Api.JSON.writeValueAsString(manifest(NAMESPACE.formatted("csrf-target")));

        var noHeader = anonymous.send(anonymous.request("/v1/namespaces/csrf-target").header("Cookie", admin.cookies())
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build());
        assertProblem(noHeader, 403, "forbidden");

        var wrongHeader = anonymous.send(anonymous.request("/v1/namespaces/csrf-target").header("Cookie", admin.cookies())
                .header(AuthenticationFilter.CSRF_HEADER, "not-the-token")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build());
        assertProblem(wrongHeader, 403, "forbidden");

        assertThat(api.get("/v1/namespaces/csrf-target").status()).as("nothing was written").isEqualTo(404);

        var right = anonymous.send(anonymous.request("/v1/namespaces/csrf-target").header("Cookie", admin.cookies())
                .header(AuthenticationFilter.CSRF_HEADER, admin.csrf().value())
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(right.status()).as(right.body()).isEqualTo(201);

        var deleteWithoutHeader = anonymous.send(anonymous.request("/v1/namespaces/csrf-target")
                .header("Cookie", admin.cookies()).DELETE().build());
        assertProblem(deleteWithoutHeader, 403, "forbidden");
        assertThat(api.get("/v1/namespaces/csrf-target").status()).isEqualTo(200);
    }

    @Test
    void bearerTokenNeedsNoCsrfHeader() {
        assertThat(api.put("/v1/namespaces/bearer-target", manifest(NAMESPACE.formatted("bearer-target"))).status())
                .isEqualTo(201);

        // A bearer token wins over a session cookie sent alongside it, and is not subject to the cookie's CSRF rule.
        Session s = loginSession(USER, USER_PASSWORD);
        var r = api.send(api.request("/v1/namespaces/bearer-target").header("Cookie", s.cookies()).DELETE().build());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(api.get("/v1/namespaces/bearer-target").status()).isEqualTo(404);
    }
}
