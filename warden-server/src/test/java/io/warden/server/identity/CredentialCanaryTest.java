package io.warden.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.server.testing.Api;
import io.warden.server.testing.EnabledIfPostgres;
import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Canaries: after creating users and tokens and logging in, the plaintext password and tokens
 * appear nowhere in the database, the logs, or any API answer but the one that issued them.
 */
@ExtendWith(OutputCaptureExtension.class)
class CredentialCanaryTest {

    private static final String PASSWORD = "canary-password-Zq81-unique";
    private static final String NEW_PASSWORD = "canary-password-Wx27-second";

    /** Everything secret the run produced, and every answer that must not contain them. */
    record Run(List<String> secrets, List<String> answers) {
    }

    static Run exercise(TestServer server) {
        Api admin = server.api();
        Api anon = admin.anonymous();
        List<String> answers = new ArrayList<>();
        answers.add(admin.post("/v1/users", "{\"username\":\"canary\",\"password\":\"" + PASSWORD + "\"}").body());
        var login = anon.post("/v1/auth/login", "{\"username\":\"canary\",\"password\":\"" + PASSWORD + "\"}");
        String session = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("warden_session="))
                .map(c -> c.substring("warden_session=".length(), c.indexOf(';'))).findFirst().orElseThrow();
        answers.add(login.body());
        var personal = anon.post("/v1/auth/token", "{\"username\":\"canary\",\"password\":\"" + PASSWORD + "\"}");
        String personalToken = personal.json().path("token").asString();
        var scoped = admin.post("/v1/tokens", "{\"name\":\"canary-ci\",\"role\":\"admin\"}");
        String scopedToken = scoped.json().path("token").asString();
        Api canary = anon.withToken(personalToken);
        Api ci = anon.withToken(scopedToken);
        answers.add(canary.get("/v1/auth/whoami").body());
        answers.add(ci.get("/v1/auth/whoami").body());
        answers.add(canary.get("/v1/tokens").body());
        answers.add(admin.get("/v1/tokens?all=true").body());
        answers.add(admin.get("/v1/users").body());
        answers.add(admin.get("/v1/users/canary").body());
        answers.add(anon.send(anon.request("/v1/auth/whoami").header("Cookie", "warden_session=" + session).GET().build()).body());
        answers.add(anon.post("/v1/auth/login", "{\"username\":\"canary\",\"password\":\"" + PASSWORD + "x\"}").body());
        answers.add(canary.post("/v1/auth/password", "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"" + NEW_PASSWORD + "\"}").body());
        answers.add(anon.send(anon.request("/v1/auth/whoami").header("Authorization", "Bearer " + personalToken).GET().build()).body());
        answers.add(admin.post("/v1/users/canary/password", "{\"password\":\"" + PASSWORD + "-reset\"}").body());
        return new Run(List.of(PASSWORD, NEW_PASSWORD, PASSWORD + "-reset", session, personalToken, scopedToken), answers);
    }

    static void assertNowhere(Run run, String where, String text) {
        for (String secret : run.secrets()) {
            assertThat(text).as("a secret in %s", where).doesNotContain(secret);
        }
    }

    @Test
    void sqliteFilesLogsAndAnswersHoldNoSecret(CapturedOutput output) throws Exception {
        TestDatabase db = TestDatabase.sqlite();
        Run run;
        try (TestServer server = TestServer.start(db)) {
            run = exercise(server);
        }
        for (String answer : run.answers()) {
            assertNowhere(run, "an API answer", answer);
        }
        assertNowhere(run, "the log output", output.getAll());
        try (Stream<Path> files = Files.walk(db.dataDir())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                // Latin-1 maps every byte to one char, so an ASCII secret is found wherever its bytes are.
                assertNowhere(run, f.getFileName().toString(), new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
    }

    @Nested
    @EnabledIfPostgres
    class OnPostgres {
        @Test
        void postgresTablesHoldNoSecret(CapturedOutput output) throws Exception {
            TestDatabase db = TestDatabase.postgres();
            Run run;
            try (TestServer server = TestServer.start(db)) {
                run = exercise(server);
            }
            assertNowhere(run, "the log output", output.getAll());
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                List<String> tables = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                assertThat(tables).contains("users", "sessions", "api_tokens");
                for (String table : tables) {
                    StringBuilder dump = new StringBuilder();
                    try (ResultSet rs = s.executeQuery("SELECT t::text FROM \"" + table + "\" t")) {
                        while (rs.next()) {
                            dump.append(rs.getString(1)).append('\n');
                        }
                    }
                    assertNowhere(run, "table " + table, dump.toString());
                }
            }
        }
    }

}
