package io.warden.server.audit;

import static io.warden.server.testing.Api.manifest;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.core.audit.AuditRecord;
import io.warden.core.audit.ChainVerifier;
import io.warden.server.testing.Api;
import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Resource changes land in their namespace's chain before the answer, and not at all without it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ResourceAuditContract {

    private TestDatabase db;
    private TestServer server;
    private Api api;
    private AuditLog audit;

    abstract TestDatabase database();

    @BeforeAll
    void start() {
        db = database();
        server = TestServer.start(db);
        api = server.api();
        audit = server.bean(AuditLog.class);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static String tool(String name, String command, String note) {
        return "{\"apiVersion\":\"warden.dev/v1\",\"kind\":\"Tool\",\"metadata\":{\"name\":\"" + name + "\","
                + "\"annotations\":{\"note\":\"" + note + "\"}},"
                + "\"spec\":{\"type\":\"exec\",\"exec\":{\"command\":[\"" + command + "\"]}}}";
    }

    private void namespace(String ns) {
        assertThat(api.put("/v1/namespaces/" + ns, manifest("{'apiVersion':'warden.dev/v1','kind':'Namespace','metadata':{'name':'" + ns + "'}}")).status())
                .isEqualTo(201);
    }

    @Test
    void everyChangeIsInTheNamespaceChainWithItsActorAndNoValues() {
        namespace("audited");
        String canary = "sk-live-CANARY-7f3a9c";
        assertThat(api.put("/v1/namespaces/audited/tools/t", tool("t", "echo", canary)).status()).isEqualTo(201);
        assertThat(api.put("/v1/namespaces/audited/tools/t", tool("t", "echo", canary)).header("Warden-Apply-Result")).contains("unchanged");
        assertThat(api.put("/v1/namespaces/audited/tools/t", tool("t", "printf", canary)).status()).isEqualTo(200);
        assertThat(api.delete("/v1/namespaces/audited/tools/t").status()).isEqualTo(200);

        List<AuditRecord> chain = audit.records("audited", 0, 1000);
        assertThat(chain).extracting(AuditRecord::action)
                .containsExactly("resource.create", "resource.update", "resource.delete");
        assertThat(chain).allSatisfy(r -> {
            assertThat(r.actorKind()).isEqualTo("user");
            assertThat(r.actorId()).isEqualTo(TestServer.ADMIN);
            assertThat(r.actorVia()).matches("token:[0-9a-f-]{36}");
            assertThat(r.targetKind()).isEqualTo("Tool");
            assertThat(r.targetName()).isEqualTo("t");
            assertThat(r.requestId()).isNotBlank();
            assertThat(r.details()).doesNotContain("printf");
        });
        // Nowhere in any field of any chain, the cluster chain included.
        for (String c : List.of("audited", "")) {
            assertThat(audit.records(c, 0, 10_000)).allSatisfy(r -> assertThat(r.toString()).doesNotContain(canary));
        }
        assertThat(chain.get(1).details()).contains("\"changed\":[\"spec\"]");
        assertThat(ChainVerifier.forChain("audited", audit.chainKey()).verify(chain)).isInstanceOf(ChainVerifier.Ok.class);
        assertThat(audit.records("", 0, 10_000)).anySatisfy(r -> {
            assertThat(r.action()).isEqualTo("resource.create");
            assertThat(r.targetKind()).isEqualTo("Namespace");
            assertThat(r.targetName()).isEqualTo("audited");
        });
    }

    @Test
    void withTheLedgerUnwritableAChangeIs503AndNothingChanges() throws Exception {
        namespace("failclosed");
        assertThat(api.put("/v1/namespaces/failclosed/tools/t", tool("t", "before", "x")).status()).isEqualTo(201);
        long eventsBefore = audit.records("failclosed", 0, 1000).size();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            // Where the change's transaction writes its event: staged (PostgreSQL) or sealed (SQLite).
            s.execute("ALTER TABLE audit_pending RENAME TO audit_pending_offline");
            s.execute("ALTER TABLE audit_events RENAME TO audit_events_offline");
            try {
                var refused = api.put("/v1/namespaces/failclosed/tools/t", tool("t", "after", "x"));
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.json().path("type").asString()).endsWith("/audit-unavailable");
                assertThat(api.delete("/v1/namespaces/failclosed/tools/t").status()).isEqualTo(503);
                assertThat(api.put("/v1/namespaces/failclosed/tools/new", tool("new", "x", "x")).status()).isEqualTo(503);
            } finally {
                s.execute("ALTER TABLE audit_events_offline RENAME TO audit_events");
                s.execute("ALTER TABLE audit_pending_offline RENAME TO audit_pending");
            }
        }
        var stored = api.get("/v1/namespaces/failclosed/tools/t").json();
        assertThat(stored.path("spec").path("exec").path("command").get(0).asString()).isEqualTo("before");
        assertThat(api.get("/v1/namespaces/failclosed/tools/new").status()).isEqualTo(404);
        assertThat(audit.records("failclosed", 0, 1000)).hasSize((int) eventsBefore);
        assertThat(api.put("/v1/namespaces/failclosed/tools/t", tool("t", "after", "x")).status()).as("works again").isEqualTo(200);
    }
}
