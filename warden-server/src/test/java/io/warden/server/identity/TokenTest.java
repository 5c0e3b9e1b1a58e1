package io.warden.server.identity;

import static io.warden.server.testing.Api.manifest;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.server.testing.Api;
import io.warden.server.testing.MutableClock;
import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Scoped API tokens: what they can do, who can mint them, and how they stop working. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenTest {

    private static final String PASSWORD = "a-long-enough-password-7";
    private TestServer server;
    private Api admin;
    private MutableClock clock;

    @BeforeAll
    void start() {
        server = TestServer.start(TestDatabase.sqlite(), List.of(MutableClock.Config.class));
        admin = server.api();
        clock = server.bean(MutableClock.class);
        for (String ns : List.of("payments", "ledger")) {
            admin.put("/v1/namespaces/" + ns, manifest("{'apiVersion':'warden.dev/v1','kind':'Namespace','metadata':{'name':'" + ns + "'}}"));
        }
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static String tool(String name) {
        return "{\"apiVersion\":\"warden.dev/v1\",\"kind\":\"Tool\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"spec\":{\"type\":\"exec\",\"exec\":{\"command\":[\"true\"]}}}";
    }

    private String mint(Api as, String body) {
        var r = as.post("/v1/tokens", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String token = r.json().path("token").asString();
        assertThat(token).matches("wdn_[A-Za-z0-9_-]{43}");
        return token;
    }

    @Test
    void aWriterTokenWritesInItsNamespaceOnly() {
        Api ci = admin.withToken(mint(admin, "{\"name\":\"ci\",\"role\":\"writer\",\"namespace\":\"payments\",\"ttl\":\"30d\"}"));
        assertThat(ci.put("/v1/namespaces/payments/tools/build", tool("build")).status()).isEqualTo(201);
        assertThat(ci.get("/v1/namespaces/payments/tools/build").status()).isEqualTo(200);
        assertThat(ci.put("/v1/namespaces/ledger/tools/build", tool("build")).status()).as("other namespace: hidden").isEqualTo(404);
        assertThat(ci.get("/v1/namespaces/ledger/tools").status()).isEqualTo(404);
        assertThat(ci.get("/v1/users").status()).isEqualTo(403);
        assertThat(ci.post("/v1/tokens", "{\"name\":\"child\",\"role\":\"writer\",\"namespace\":\"payments\"}").status())
                .as("tokens do not mint tokens").isEqualTo(403);
        var whoami = ci.get("/v1/auth/whoami").json();
        assertThat(whoami.path("kind").asString()).isEqualTo("token");
        assertThat(whoami.path("name").asString()).isEqualTo("ci");
    }

    @Test
    void aUserCanOnlyGrantWhatItHolds() {
        admin.post("/v1/users", "{\"username\":\"wendy\",\"password\":\"" + PASSWORD + "\"}");
        admin.put("/v1/namespaces/payments/rolebindings/wendy-reader", manifest("{'apiVersion':'warden.dev/v1','kind':'RoleBinding',"
                + "'metadata':{'name':'wendy-reader'},'spec':{'roleRef':{'name':'reader'},'subjects':[{'kind':'User','name':'wendy'}]}}"));
        Api wendy = admin.withToken(TestServer.login(admin.anonymous(), "wendy", PASSWORD));
        assertThat(wendy.post("/v1/tokens", "{\"name\":\"w1\",\"role\":\"writer\",\"namespace\":\"payments\"}").status()).isEqualTo(403);
        assertThat(wendy.post("/v1/tokens", "{\"name\":\"w2\",\"role\":\"reader\",\"namespace\":\"ledger\"}").status()).isEqualTo(404);
        assertThat(wendy.post("/v1/tokens", "{\"name\":\"w3\",\"role\":\"reader\"}").status()).as("cluster-wide").isEqualTo(403);
        Api readerToken = admin.withToken(mint(wendy, "{\"name\":\"w4\",\"role\":\"reader\",\"namespace\":\"payments\"}"));
        assertThat(readerToken.get("/v1/namespaces/payments/tools").status()).isEqualTo(200);
        assertThat(readerToken.put("/v1/namespaces/payments/tools/x", tool("x")).status()).isEqualTo(403);
        var mine = wendy.get("/v1/tokens").json().path("items");
        assertThat(mine.findValuesAsString("name")).contains("w4").doesNotContain("ci");
        assertThat(wendy.get("/v1/tokens?all=true").status()).isEqualTo(403);
        assertThat(wendy.get("/v1/tokens").body()).doesNotContain("wdn_");
    }

    @Test
    void revokedAndExpiredTokensStopAtOnce() {
        var created = admin.post("/v1/tokens", "{\"name\":\"short\",\"role\":\"reader\",\"namespace\":\"payments\",\"ttl\":\"90m\"}").json();
        Api shortLived = admin.withToken(created.path("token").asString());
        assertThat(shortLived.get("/v1/namespaces/payments/tools").status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(91));
        assertThat(shortLived.get("/v1/namespaces/payments/tools").status()).isEqualTo(401);

        var other = admin.post("/v1/tokens", "{\"name\":\"revoke-me\",\"role\":\"reader\",\"namespace\":\"payments\"}").json();
        Api revocable = admin.withToken(other.path("token").asString());
        assertThat(revocable.get("/v1/namespaces/payments/tools").status()).isEqualTo(200);
        assertThat(admin.delete("/v1/tokens/" + other.path("id").asString()).status()).isEqualTo(204);
        assertThat(revocable.get("/v1/namespaces/payments/tools").status()).isEqualTo(401);
        var listed = admin.get("/v1/tokens").json().path("items");
        for (var t : listed) {
            if (t.path("name").asString().equals("revoke-me")) {
                assertThat(t.path("revoked").asBoolean()).isTrue();
            }
        }
    }

    @Test
    void aRoleBindingCanNameATokenButNeverLendsItItsOwnersRoles() {
        Api bot = admin.withToken(mint(admin, "{\"name\":\"bot\",\"role\":\"reader\",\"namespace\":\"payments\"}"));
        assertThat(bot.get("/v1/namespaces/ledger/tools").status()).as("owner is admin, token is not").isEqualTo(404);
        admin.put("/v1/namespaces/ledger/rolebindings/bot-writer", manifest("{'apiVersion':'warden.dev/v1','kind':'RoleBinding',"
                + "'metadata':{'name':'bot-writer'},'spec':{'roleRef':{'name':'writer'},'subjects':[{'kind':'Token','name':'bot'}]}}"));
        assertThat(bot.put("/v1/namespaces/ledger/tools/made-by-bot", tool("made-by-bot")).status()).isEqualTo(201);
        assertThat(bot.put("/v1/namespaces/payments/tools/made-by-bot", tool("made-by-bot")).status()).as("still reader there").isEqualTo(403);
    }

    @Test
    void badTokenRequestsAreNamed() {
        var ttl = admin.post("/v1/tokens", "{\"name\":\"x1\",\"role\":\"reader\",\"namespace\":\"payments\",\"ttl\":\"400d\"}");
        assertThat(ttl.status()).isEqualTo(422);
        assertThat(ttl.json().path("errors").get(0).path("path").asString()).isEqualTo("ttl");
        var role = admin.post("/v1/tokens", "{\"name\":\"x2\",\"role\":\"overlord\",\"namespace\":\"payments\"}");
        assertThat(role.status()).isEqualTo(422);
        mint(admin, "{\"name\":\"dup\",\"role\":\"reader\",\"namespace\":\"payments\"}");
        assertThat(admin.post("/v1/tokens", "{\"name\":\"dup\",\"role\":\"reader\",\"namespace\":\"payments\"}").status()).isEqualTo(409);
    }
}
