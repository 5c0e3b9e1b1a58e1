package io.warden.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.server.testing.Api;
import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An attacker probing for user names times the login answer: "no such user" must not be
 * faster than "wrong password". 200 tries of each, interleaved so drift hits both alike; the
 * distributions must not separate. Not a speed test: nothing is compared to a fixed time.
 */
class LoginTimingTest {

    private static final int TRIES = 200;

    @Test
    void unknownUserAndWrongPasswordTakeTheSameTime() {
        try (TestServer server = TestServer.start(TestDatabase.sqlite(),
                "--warden.edge.credential-rate-limit.per-minute=100000", "--warden.edge.credential-rate-limit.burst=100000",
                "--warden.identity.lockout-threshold=100000")) {
            Api anon = server.api().anonymous();
            server.api().post("/v1/users", "{\"username\":\"victim\",\"password\":\"the-real-password-99\"}");
            String wrong = "{\"username\":\"victim\",\"password\":\"guess-guess-guess\"}";
            String unknown = "{\"username\":\"nosuchuser\",\"password\":\"guess-guess-guess\"}";
            for (int i = 0; i < 5; i++) { // warm up both paths
                anon.post("/v1/auth/login", wrong);
                anon.post("/v1/auth/login", unknown);
            }
            List<Long> wrongTimes = new ArrayList<>();
            List<Long> unknownTimes = new ArrayList<>();
            for (int i = 0; i < TRIES; i++) {
                wrongTimes.add(time(anon, wrong));
                unknownTimes.add(time(anon, unknown));
            }
            Collections.sort(wrongTimes);
            Collections.sort(unknownTimes);
            long medianWrong = wrongTimes.get(TRIES / 2);
            long medianUnknown = unknownTimes.get(TRIES / 2);
            long iqrWrong = wrongTimes.get(3 * TRIES / 4) - wrongTimes.get(TRIES / 4);
            long iqrUnknown = unknownTimes.get(3 * TRIES / 4) - unknownTimes.get(TRIES / 4);
            // "Within noise": the medians differ by less than the spread of either distribution
            // (plus 5 % for scheduling jitter on a busy machine). Skipping the Argon2 verification
            // for unknown users would separate the medians by a whole hash, far more than that.
            long noise = Math.max(iqrWrong, iqrUnknown) + Math.max(medianWrong, medianUnknown) / 20;
            assertThat(Math.abs(medianWrong - medianUnknown))
                    .as("medians %d ns (wrong password) vs %d ns (unknown user); IQRs %d / %d ns",
                            medianWrong, medianUnknown, iqrWrong, iqrUnknown)
                    .isLessThanOrEqualTo(noise);
            // And the check has teeth: the measured cost is the hash, not the HTTP round trip.
            assertThat(medianWrong).as("a login attempt costs a full Argon2id verification").isGreaterThan(noise);
        }
    }

    private static long time(Api anon, String body) {
        long start = System.nanoTime();
        var r = anon.post("/v1/auth/login", body);
        long elapsed = System.nanoTime() - start;
        assertThat(r.status()).isEqualTo(401);
        return elapsed;
    }
}
