package io.warden.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.server.testing.Api;
import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The one-time setup token: works once, only with the right token, for exactly one of many racers. */
class SetupTest {

    private static String body(String token, String user) {
        return "{\"token\":\"" + token + "\",\"username\":\"" + user + "\",\"password\":\"first-admin-password-1\"}";
    }

    @Test
    void theTokenWorksOnceAndTheFileGoes() throws Exception {
        TestDatabase db = TestDatabase.sqlite();
        try (TestServer server = TestServer.start(db)) {
            Path file = db.dataDir().resolve("setup-token");
            assertThat(file).doesNotExist();
            assertThat(server.api().anonymous().post("/v1/setup", body("wds_anything", "second")).status()).isEqualTo(409);
        }
    }

    @Test
    void wrongTokenIsRefusedAndTheRightOneStillWorks() throws Exception {
        TestDatabase db = TestDatabase.sqlite();
        try (TestServer fresh = TestServer.startWithoutSetup(db)) {
            Path file = db.dataDir().resolve("setup-token");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            String token = Files.readString(file).strip();
            Api anon = fresh.api();
            assertThat(anon.post("/v1/setup", body(token + "x", "mallory")).status()).isEqualTo(401);
            assertThat(anon.post("/v1/setup", body("", "mallory")).status()).isEqualTo(401);
            var weak = anon.post("/v1/setup", "{\"token\":\"" + token + "\",\"username\":\"root\",\"password\":\"password\"}");
            assertThat(weak.status()).as("a weak password does not use up the token").isEqualTo(422);
            assertThat(anon.post("/v1/setup", body(token, "root")).status()).isEqualTo(201);
            assertThat(anon.post("/v1/setup", body(token, "again")).status()).isEqualTo(409);
            assertThat(file).doesNotExist();
            assertThat(TestServer.login(anon, "root", "first-admin-password-1")).startsWith("wdn_");
        }
    }

    @Test
    void tenConcurrentRacersCreateExactlyOneAdminOnSqlite() throws Exception {
        race(TestDatabase.sqlite());
    }

    @org.junit.jupiter.api.Nested
    @io.warden.server.testing.EnabledIfPostgres
    class OnPostgres {
        @Test
        void tenConcurrentRacersCreateExactlyOneAdmin() throws Exception {
            race(TestDatabase.postgres());
        }
    }

    static void race(TestDatabase db) throws Exception {
        // 10 setups and up to 10 logins from one address: more than the default burst allows.
        try (TestServer fresh = TestServer.startWithoutSetup(db, "--warden.edge.credential-rate-limit.burst=100")) {
            String token = Files.readString(db.dataDir().resolve("setup-token")).strip();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Api.Reply>> replies = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
                for (int i = 0; i < 10; i++) {
                    String user = "racer" + i;
                    replies.add(pool.submit(() -> {
                        go.await();
                        return fresh.api().post("/v1/setup", body(token, user));
                    }));
                }
                go.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Api.Reply> f : replies) {
                    statuses.add(f.get().status());
                }
                assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
                assertThat(statuses).filteredOn(s -> s == 409).hasSize(9);
            }
            String admin = TestServer.login(fresh.api(), winner(fresh), "first-admin-password-1");
            var users = fresh.api().withToken(admin).get("/v1/users").json().path("items");
            assertThat(users).hasSize(1);
        }
    }

    private static String winner(TestServer fresh) throws Exception {
        for (int i = 0; i < 10; i++) {
            var r = fresh.api().post("/v1/auth/token", "{\"username\":\"racer" + i + "\",\"password\":\"first-admin-password-1\"}");
            if (r.status() == 201) {
                return "racer" + i;
            }
        }
        throw new AssertionError("no racer can log in");
    }
}
