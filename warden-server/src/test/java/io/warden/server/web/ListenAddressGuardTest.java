package io.warden.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.server.WardenProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class ListenAddressGuardTest {

    static WardenProperties props(String address, String cert, boolean insecureHttp) {
        return new WardenProperties(Path.of("/tmp/unused"), address, 0,
                new WardenProperties.Db(null, null, null, 10),
                new WardenProperties.Limits(DataSize.ofMegabytes(1), 64, 1000, 1000),
                new WardenProperties.Watch(Duration.ofSeconds(1), Duration.ofSeconds(15)),
                new WardenProperties.Identity(Duration.ofMinutes(30), Duration.ofHours(12), Duration.ofDays(30),
                        Duration.ofDays(365), 5, Duration.ofMinutes(15)),
                new WardenProperties.Edge(List.of(), List.of(), new WardenProperties.RateLimit(10, 20),
                        new WardenProperties.RateLimit(1200, 2400)),
                new WardenProperties.Tls(cert, cert == null ? null : "/k.pem", insecureHttp), null, null);
    }

    @Test
    void loopbackNeedsNoTls() {
        for (String ok : new String[] {"127.0.0.1", "::1", "localhost", "127.0.0.2"}) {
            assertThatCode(() -> new ListenAddressGuard(props(ok, null, false))).as(ok).doesNotThrowAnyException();
        }
    }

    @Test
    void anyOtherAddressWithoutTlsIsRefused() {
        for (String bad : new String[] {"0.0.0.0", "::", "10.1.2.3", "192.168.0.1"}) {
            assertThatThrownBy(() -> new ListenAddressGuard(props(bad, null, false))).as(bad)
                    .hasMessageContaining("without TLS");
        }
    }

    @Test
    void tlsOrAnExplicitInsecureFlagOpensOtherAddresses() {
        assertThatCode(() -> new ListenAddressGuard(props("0.0.0.0", "/c.pem", false))).doesNotThrowAnyException();
        ListenAddressGuard insecure = new ListenAddressGuard(props("0.0.0.0", null, true));
        assertThat(insecure.exposesPlainHttp()).isTrue();
        assertThat(new ListenAddressGuard(props("0.0.0.0", "/c.pem", false)).exposesPlainHttp()).isFalse();
    }
}
