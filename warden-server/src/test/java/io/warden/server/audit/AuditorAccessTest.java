package io.warden.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.server.testing.Api;
import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The built-in auditor role reads and verifies the ledger and does nothing else; a reader cannot read it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditorAccessTest {

    private static final String PASSWORD = "auditor-Passphrase-0451";
    private TestServer server;
    private Api auditor;
    private Api reader;

    @BeforeAll
    void start() {
        server = TestServer.start(TestDatabase.sqlite());
        Api admin = server.api();
        assertThat(admin.put("/v1/namespaces/books", Api.manifest(
                "{'apiVersion':'warden.dev/v1','kind':'Namespace','metadata':{'name':'books'},'spec':{}}")).status()).isEqualTo(201);
        for (String user : new String[] {"ada", "rex"}) {
            assertThat(admin.post("/v1/users", "{\"username\":\"" + user + "\",\"password\":\"" + PASSWORD + "\"}").status()).isEqualTo(201);
        }
        assertThat(admin.put("/v1/clusterrolebindings/ada-audits", Api.manifest("{'apiVersion':'warden.dev/v1','kind':'ClusterRoleBinding',"
                + "'metadata':{'name':'ada-audits'},'spec':{'roleRef':{'name':'auditor'},'subjects':[{'kind':'User','name':'ada'}]}}")).status())
                .isEqualTo(201);
        assertThat(admin.put("/v1/namespaces/books/rolebindings/rex-reads", Api.manifest("{'apiVersion':'warden.dev/v1','kind':'RoleBinding',"
                + "'metadata':{'name':'rex-reads','namespace':'books'},'spec':{'roleRef':{'name':'reader'},'subjects':[{'kind':'User','name':'rex'}]}}")).status())
                .isEqualTo(201);
        auditor = admin.withToken(TestServer.login(admin.anonymous(), "ada", PASSWORD));
        reader = admin.withToken(TestServer.login(admin.anonymous(), "rex", PASSWORD));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void anAuditorReadsVerifiesAndCheckpointsTheLedger() {
        assertThat(auditor.get("/v1/audit/events?namespace=books").status()).isEqualTo(200);
        assertThat(auditor.get("/v1/audit/events?namespace=books").json().path("items")).isNotEmpty();
        assertThat(auditor.get("/v1/audit/checkpoints").status()).isEqualTo(200);
        assertThat(auditor.post("/v1/audit/checkpoints?namespace=books", "{}").status()).isEqualTo(200);
        assertThat(auditor.get("/v1/audit/verify?namespace=books").body()).contains("\"status\":\"ok\"");
    }

    @Test
    void anAuditorChangesNothingAndReadsNoResources() {
        assertThat(auditor.get("/v1/namespaces/books/tools").status()).isEqualTo(403);
        assertThat(auditor.put("/v1/namespaces/books/tools/t", Api.manifest("{'apiVersion':'warden.dev/v1','kind':'Tool',"
                + "'metadata':{'name':'t','namespace':'books'},'spec':{'type':'exec','exec':{'command':['true']}}}")).status()).isEqualTo(403);
        assertThat(auditor.get("/v1/users").status()).isEqualTo(403);
        assertThat(auditor.get("/v1/metrics").status()).isEqualTo(403);
    }

    @Test
    void aReaderCannotReadTheLedgerEvenOfItsOwnNamespace() {
        assertThat(reader.get("/v1/audit/events?namespace=books").status()).isEqualTo(403);
        assertThat(reader.get("/v1/audit/verify").status()).isEqualTo(403);
        assertThat(reader.post("/v1/audit/checkpoints?namespace=books", "{}").status()).isEqualTo(403);
        assertThat(reader.get("/v1/audit/public-key").status()).isEqualTo(200);
    }
}
