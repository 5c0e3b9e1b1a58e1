package io.warden.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartupTest {

    @Test
    void flagsBecomeWardenProperties() {
        assertThat(WardenServer.translate(new String[] {"--data-dir", "/d", "--port=9", "--db-url", "jdbc:postgresql://h/db"}))
                .containsExactly("--warden.data-dir=/d", "--warden.port=9", "--warden.db.url=jdbc:postgresql://h/db");
        assertThat(WardenServer.translate(new String[] {"--help"})).isNull();
    }

    @Test
    void unknownOrIncompleteFlagsAreRefused() {
        assertThatThrownBy(() -> WardenServer.translate(new String[] {"--dta-dir", "/d"})).hasMessageContaining("--dta-dir");
        assertThatThrownBy(() -> WardenServer.translate(new String[] {"--port"})).hasMessageContaining("needs a value");
    }

    @Test
    void dataDirectoryIsCreatedOwnerOnly() throws Exception {
        TestDatabase db = TestDatabase.sqlite();
        try (TestServer server = TestServer.start(db)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db.dataDir()))).isEqualTo("rwx------");
            assertThat(db.dataDir().resolve("warden.db")).exists();
        }
    }

    @Test
    void aLooseExistingDataDirectoryIsTightened() throws Exception {
        TestDatabase db = TestDatabase.sqlite();
        Files.createDirectories(db.dataDir());
        Files.setPosixFilePermissions(db.dataDir(), PosixFilePermissions.fromString("rwxr-xr-x"));
        try (TestServer server = TestServer.start(db)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db.dataDir()))).isEqualTo("rwx------");
        }
    }

    @Test
    void aNonPostgresDatabaseUrlIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> TestServer.start(TestDatabase.sqlite(), List.of(),
                "--warden.db.url=jdbc:mysql://db/x?password=hunter2"))
                .rootCause().hasMessageContaining("jdbc:postgresql").hasMessageNotContaining("hunter2");
    }
}
