package io.warden.server.resources;

import static io.warden.server.testing.Api.manifest;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Resources survive a restart with every field, and versions keep growing afterwards. */
abstract class RestartContract {

    abstract TestDatabase database();

    @Test
    void resourcesSurviveARestart() {
        TestDatabase db = database();
        JsonNode before;
        long listVersion;
        try (TestServer first = TestServer.start(db)) {
            first.api().put("/v1/namespaces/keep", manifest("{'apiVersion':'warden.dev/v1','kind':'Namespace','metadata':{'name':'keep'}}"));
            before = first.api().put("/v1/namespaces/keep/tools/t", manifest("{'apiVersion':'warden.dev/v1','kind':'Tool',"
                    + "'metadata':{'name':'t','labels':{'a':'b'},'annotations':{'note':'kept'}},"
                    + "'spec':{'type':'exec','exec':{'command':['echo','hi']}}}")).json();
            first.api().put("/v1/namespaces/keep/tools/t/status", manifest("{'status':{'ready':true}}"));
            before = first.api().get("/v1/namespaces/keep/tools/t").json();
            listVersion = Long.parseLong(first.api().get("/v1/namespaces/keep/tools").json().path("metadata").path("resourceVersion").asString());
        }
        try (TestServer second = TestServer.start(db)) {
            assertThat(second.api().get("/v1/namespaces/keep/tools/t").json()).isEqualTo(before);
            var next = second.api().put("/v1/namespaces/keep/tools/u", manifest("{'apiVersion':'warden.dev/v1','kind':'Tool',"
                    + "'metadata':{'name':'u'},'spec':{'type':'exec','exec':{'command':['true']}}}")).json();
            assertThat(Long.parseLong(next.path("metadata").path("resourceVersion").asString())).isGreaterThan(listVersion);
        }
    }
}
