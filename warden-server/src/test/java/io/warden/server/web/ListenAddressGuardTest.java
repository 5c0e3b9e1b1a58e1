package io.warden.server.web;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.server.WardenProperties;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class ListenAddressGuardTest {

    private static WardenProperties bind(String address) {
        return new WardenProperties(Path.of("/tmp/unused"), address, 0,
                new WardenProperties.Db(null, null, null, 10),
                new WardenProperties.Limits(DataSize.ofMegabytes(1), 64, 1000, 1000),
                new WardenProperties.Watch(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(15)));
    }

    @Test
    void loopbackAddressesAreAccepted() {
        for (String ok : new String[] {"127.0.0.1", "::1", "localhost", "127.0.0.2"}) {
            assertThatCode(() -> new ListenAddressGuard(bind(ok)).afterPropertiesSet()).as(ok).doesNotThrowAnyException();
        }
    }

    @Test
    void anythingElseIsRefusedUntilAuthenticationExists() {
        for (String bad : new String[] {"0.0.0.0", "::", "10.1.2.3", "192.168.0.1"}) {
            assertThatThrownBy(() -> new ListenAddressGuard(bind(bad)).afterPropertiesSet()).as(bad)
                    .hasMessageContaining("loopback only");
        }
    }
}
