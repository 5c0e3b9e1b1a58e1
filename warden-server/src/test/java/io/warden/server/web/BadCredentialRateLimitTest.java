package io.warden.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.server.testing.Api;
import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Guessing API tokens is rate limited like any anonymous traffic, per client address. */
class BadCredentialRateLimitTest {

    @Test
    void badTokensAreRateLimitedPerClient() {
        try (TestServer server = TestServer.start(TestDatabase.sqlite(), "--warden.edge.api-rate-limit.per-minute=1",
                "--warden.edge.api-rate-limit.burst=3")) {
            Api anon = server.api().anonymous();
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                statuses.add(anon.send(anon.request("/v1/namespaces").header("Authorization", "Bearer wdn_guess" + i)
                        .GET().build()).status());
            }
            assertThat(statuses).containsExactly(401, 401, 401, 429);
            var refused = anon.send(anon.request("/v1/namespaces").header("Authorization", "Bearer wdn_guess").GET().build());
            assertThat(refused.header("Retry-After")).isPresent();
            assertThat(server.api().get("/v1/namespaces").status()).as("the admin has its own bucket").isEqualTo(200);
        }
    }
}
