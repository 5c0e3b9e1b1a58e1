package io.warden.server.audit;

import static io.warden.server.testing.Api.manifest;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.core.audit.AuditRecord;
import io.warden.core.audit.ChainVerifier;
import io.warden.server.testing.Api;
import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who logged in, failed, got a token, changed a user or was refused: on the record, without secrets. */
class IdentityAuditTest {

    @Test
    void identityEventsAndRefusalsAreRecordedWithoutSecrets() {
        try (TestServer server = TestServer.start(TestDatabase.sqlite())) {
            Api admin = server.api();
            Api anon = admin.anonymous();
            AuditLog audit = server.bean(AuditLog.class);
            String password = "identity-audit-password-1";
            admin.post("/v1/users", "{\"username\":\"ivy\",\"password\":\"" + password + "\"}");
            anon.post("/v1/auth/login", "{\"username\":\"ivy\",\"password\":\"wrong-password-guess\"}");
            String typedInUsername = "MyS3cretPassw0rd!";
            anon.post("/v1/auth/login", "{\"username\":\"" + typedInUsername + "\",\"password\":\"x\"}");
            Api ivy = anon.withToken(TestServer.login(anon, "ivy", password));
            var token = admin.post("/v1/tokens", "{\"name\":\"audited-ci\",\"role\":\"reader\"}").json();
            admin.delete("/v1/tokens/" + token.path("id").asString());
            admin.post("/v1/users/ivy/disable", "");
            admin.put("/v1/namespaces/private", manifest("{'apiVersion':'warden.dev/v1','kind':'Namespace','metadata':{'name':'private'}}"));
            admin.post("/v1/users", "{\"username\":\"jay\",\"password\":\"" + password + "\"}");
            Api jay = anon.withToken(TestServer.login(anon, "jay", password));
            assertThat(jay.get("/v1/namespaces/private/tools").status()).isEqualTo(404);
            assertThat(jay.get("/v1/users").status()).isEqualTo(403);

            List<AuditRecord> cluster = audit.records(AuditRecord.CLUSTER_CHAIN, 0, 10_000);
            assertThat(cluster).extracting(AuditRecord::action).contains("setup.complete", "user.create", "auth.login",
                    "token.create", "token.revoke", "user.disable", "access.denied");
            assertThat(cluster).anySatisfy(r -> {
                assertThat(r.action()).isEqualTo("auth.login");
                assertThat(r.outcome()).isEqualTo("failure");
                assertThat(r.targetName()).isEqualTo("ivy");
            });
            assertThat(cluster).anySatisfy(r -> {
                assertThat(r.action()).isEqualTo("auth.login");
                assertThat(r.outcome()).isEqualTo("failure");
                assertThat(r.targetName()).isNull();
                assertThat(r.details()).contains("\"hmac\"").contains("\"length\":" + typedInUsername.length());
            });
            assertThat(cluster).anySatisfy(r -> {
                assertThat(r.action()).isEqualTo("access.denied");
                assertThat(r.actorId()).isEqualTo("jay");
                assertThat(r.details()).contains("\"answer\":403");
            });
            for (AuditRecord r : cluster) {
                assertThat(String.valueOf(r.details()) + r.actorId() + r.targetName())
                        .doesNotContain(password).doesNotContain(typedInUsername).doesNotContain("wdn_");
            }
            assertThat(audit.records("private", 0, 100)).anySatisfy(r -> {
                assertThat(r.action()).isEqualTo("access.denied");
                assertThat(r.details()).contains("\"answer\":404");
            });
            assertThat(ChainVerifier.forChain(AuditRecord.CLUSTER_CHAIN, audit.chainKey()).verify(cluster))
                    .isInstanceOf(ChainVerifier.Ok.class);
            assertThat(ivy.get("/v1/auth/whoami").status()).as("disabled").isEqualTo(401);
        }
    }
}
