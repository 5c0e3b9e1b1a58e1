package io.warden.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerEndpointTest {

    @TempDir
    Path dir;

    @Test
    void plainHttpIsOnlyForLoopbackUnlessInsecureTransportIsAsked() throws Exception {
        for (String ok : new String[] {"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9", "http://127.8.9.10"}) {
            assertThat(ServerEndpoint.open(ok, false, null).plainText()).as(ok).isTrue();
        }
        for (String bad : new String[] {"http://10.0.0.5:8080", "http://warden.example.com", "http://127.0.0.1.nip.io",
                "http://localhost.evil.com", "http://0x7f000001", "http://[::ffff:10.0.0.1]"}) {
            assertThatThrownBy(() -> ServerEndpoint.open(bad, false, null)).as(bad)
                    .isInstanceOf(ServerEndpoint.EndpointException.class).hasMessageContaining("not a loopback");
        }
        assertThat(ServerEndpoint.open("http://10.0.0.5:8080", true, null).plainText()).isTrue();
        assertThat(ServerEndpoint.open("https://warden.example.com/", false, null).base().toString())
                .isEqualTo("https://warden.example.com");
    }

    @Test
    void refusesWhatIsNotAServerUrl() {
        for (String bad : new String[] {"ftp://x", "warden.example.com", "https://user:pw@x", "https://x/?a=1", "file:///etc/passwd", "::"}) {
            assertThatThrownBy(() -> ServerEndpoint.open(bad, false, null)).as(bad).isInstanceOf(ServerEndpoint.EndpointException.class);
        }
    }

    @Test
    void aCaFileMustHoldCertificates() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
        assertThatThrownBy(() -> ServerEndpoint.open("https://x", false, empty)).hasMessageContaining("--ca-file");
        assertThatThrownBy(() -> ServerEndpoint.open("https://x", false, dir.resolve("missing.pem"))).hasMessageContaining("cannot read");
        assertThatThrownBy(() -> ServerEndpoint.open("http://127.0.0.1", false, empty)).hasMessageContaining("https");
    }
}
