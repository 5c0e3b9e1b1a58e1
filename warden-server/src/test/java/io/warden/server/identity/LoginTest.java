package io.warden.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.server.testing.Api;
import io.warden.server.testing.MutableClock;
import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Login, sessions, personal tokens, password changes and failed-login backoff. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginTest {

    private static final String PASSWORD = "a-long-enough-password-7";

    private TestServer server;
    private Api admin;
    private Api anon;
    private MutableClock clock;

    @BeforeAll
    void start() {
        server = TestServer.start(TestDatabase.sqlite(), List.of(MutableClock.Config.class),
                "--warden.edge.trusted-proxies=127.0.0.1/32", "--warden.edge.credential-rate-limit.per-minute=1000",
                "--warden.edge.credential-rate-limit.burst=1000");
        admin = server.api();
        anon = admin.anonymous();
        clock = server.bean(MutableClock.class);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private void createUser(String name) {
        var r = admin.post("/v1/users", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private Api.Reply login(String user, String password, String client) {
        return anon.send(anon.request("/v1/auth/login").header("Content-Type", "application/json")
                .header("X-Forwarded-For", client)
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}"))
                .build());
    }

    private static String cookie(Api.Reply r, String name) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(name.length() + 1, c.indexOf(';'))).findFirst().orElseThrow();
    }

    private Api.Reply withSession(String method, String path, String session, String csrf) {
        HttpRequest.Builder b = anon.request(path).header("Cookie", "warden_session=" + session
                + (csrf == null ? "" : "; XSRF-TOKEN=" + csrf));
        if (csrf != null) {
            b.header("X-XSRF-TOKEN", csrf);
        }
        return anon.send(b.method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    @Test
    void loginGivesAnHttpOnlyStrictSessionThatAuthenticates() {
        createUser("alice");
        var r = login("alice", PASSWORD, "10.0.0.1");
        assertThat(r.status()).isEqualTo(200);
        String setCookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("warden_session=")).findFirst().orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");
        String session = cookie(r, "warden_session");
        var me = withSession("GET", "/v1/auth/whoami", session, null);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("user").asString()).isEqualTo("alice");
        assertThat(me.json().path("via").asString()).isEqualTo("session");
    }

    @Test
    void unknownUserAndWrongPasswordGetTheSameAnswer() {
        createUser("bob");
        var wrong = login("bob", "not-the-password-at-all", "10.0.0.2");
        var unknown = login("nobody-by-this-name", "not-the-password-at-all", "10.0.0.2");
        var disabledUser = "carol";
        createUser(disabledUser);
        admin.post("/v1/users/carol/disable", "");
        var disabled = login(disabledUser, PASSWORD, "10.0.0.2");
        for (var r : List.of(wrong, unknown, disabled)) {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.json().path("type").asString()).endsWith("/bad-credentials");
            assertThat(r.json().path("detail").asString()).isEqualTo(wrong.json().path("detail").asString());
        }
    }

    @Test
    void aDisabledUsersTokensStopAtOnce() {
        createUser("grace");
        Api grace = admin.withToken(TestServer.login(anon, "grace", PASSWORD));
        assertThat(grace.get("/v1/auth/whoami").status()).isEqualTo(200);
        assertThat(admin.post("/v1/users/grace/disable", "").status()).isLessThan(300);
        assertThat(grace.get("/v1/auth/whoami").status()).isEqualTo(401);
    }

    @Test
    void repeatedFailuresBackOffForThatClientOnly() {
        createUser("dave");
        for (int i = 0; i < 5; i++) {
            assertThat(login("dave", "wrong-password-guess-" + i, "10.9.9.9").status()).isEqualTo(401);
        }
        var locked = login("dave", PASSWORD, "10.9.9.9");
        assertThat(locked.status()).as("even the right password waits out the backoff").isEqualTo(429);
        assertThat(locked.header("Retry-After")).isPresent();
        assertThat(login("dave", PASSWORD, "10.8.8.8").status()).as("another client is not locked out").isEqualTo(200);
        var unknown = login("ghost-user", "x", "10.9.9.9");
        assertThat(unknown.status()).isEqualTo(401);
        clock.advance(Duration.ofSeconds(2));
        assertThat(login("dave", PASSWORD, "10.9.9.9").status()).as("after the backoff").isEqualTo(200);
    }

    @Test
    void sessionsExpireWhenIdleAndLogoutEndsThem() {
        createUser("erin");
        String s1 = cookie(login("erin", PASSWORD, "10.0.0.3"), "warden_session");
        clock.advance(Duration.ofMinutes(31));
        assertThat(withSession("GET", "/v1/auth/whoami", s1, null).status()).isEqualTo(401);

        var r = login("erin", PASSWORD, "10.0.0.3");
        String s2 = cookie(r, "warden_session");
        String csrf = cookie(r, "XSRF-TOKEN");
        assertThat(withSession("POST", "/v1/auth/logout", s2, null).status()).as("no CSRF header").isEqualTo(403);
        assertThat(withSession("POST", "/v1/auth/logout", s2, csrf).status()).isEqualTo(204);
        assertThat(withSession("GET", "/v1/auth/whoami", s2, null).status()).isEqualTo(401);
    }

    @Test
    void passwordChangeRevokesSessionsAndPersonalTokens() {
        createUser("frank");
        String session = cookie(login("frank", PASSWORD, "10.0.0.4"), "warden_session");
        Api frank = anon.withToken(TestServer.login(anon, "frank", PASSWORD));
        var wrongCurrent = frank.post("/v1/auth/password", "{\"currentPassword\":\"nope-nope-nope\",\"newPassword\":\"another-long-password-8\"}");
        assertThat(wrongCurrent.status()).isEqualTo(422);
        var common = frank.post("/v1/auth/password", "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"qwerty123456\"}");
        assertThat(common.status()).isEqualTo(422);
        assertThat(common.json().path("errors").get(0).path("path").asString()).isEqualTo("password");
        var changed = frank.post("/v1/auth/password", "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"another-long-password-8\"}");
        assertThat(changed.status()).isEqualTo(204);
        assertThat(frank.get("/v1/auth/whoami").status()).isEqualTo(401);
        assertThat(withSession("GET", "/v1/auth/whoami", session, null).status()).isEqualTo(401);
        assertThat(login("frank", "another-long-password-8", "10.0.0.4").status()).isEqualTo(200);
    }

    @Test
    void disablingAUserEndsItsTokensAtOnce() {
        createUser("gina");
        Api gina = anon.withToken(TestServer.login(anon, "gina", PASSWORD));
        assertThat(gina.get("/v1/auth/whoami").status()).isEqualTo(200);
        assertThat(admin.post("/v1/users/gina/disable", "").status()).isEqualTo(200);
        assertThat(gina.get("/v1/auth/whoami").status()).isEqualTo(401);
        admin.post("/v1/users/gina/enable", "");
        assertThat(gina.get("/v1/auth/whoami").status()).as("revoked tokens stay revoked").isEqualTo(401);
    }

    @Test
    void badCredentialsOfEveryShapeAre401() {
        for (String header : List.of("Bearer wdn_notatoken", "Bearer nonsense", "Basic YWRtaW46YWRtaW4=", "Bearer ")) {
            var r = anon.send(anon.request("/v1/namespaces").header("Authorization", header).GET().build());
            assertThat(r.status()).as(header).isEqualTo(401);
        }
        assertThat(anon.get("/v1/namespaces").status()).isEqualTo(401);
    }
}
