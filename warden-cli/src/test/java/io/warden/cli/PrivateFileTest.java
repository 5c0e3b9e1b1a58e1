package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files holding secrets are owner-only from their first byte, and a new one never replaces an old one. */
class PrivateFileTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aNewFileIsOwnerOnlyAndNeverReplacesOne() throws IOException {
        Path file = dir.resolve("secret");

        PrivateFile.createNew(file, bytes("one\n"));

        assertThat(Files.readString(file)).isEqualTo("one\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThatThrownBy(() -> PrivateFile.createNew(file, bytes("two\n"))).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).as("the file that was there is kept").isEqualTo("one\n");

        Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("elsewhere"));
        assertThatThrownBy(() -> PrivateFile.createNew(link, bytes("x"))).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(dir.resolve("elsewhere")).as("a link is not followed").doesNotExist();
    }

    @Test
    void aReplacedFileIsOwnerOnlyAndLeavesNoTemporaryFile() throws IOException {
        Path file = Files.writeString(dir.resolve("secret"), "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        PrivateFile.replace(file, bytes("new\n"));

        assertThat(Files.readString(file)).isEqualTo("new\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }
}
