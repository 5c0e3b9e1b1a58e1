package io.warden.server.audit;

import io.warden.core.audit.Chain;
import io.warden.server.storage.DataDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Custody of the chain key: {@code <data-dir>/audit-chain.key} (0600, 32 random bytes in base64).
 * Created on first start; if it is missing while events exist the server refuses to start, since
 * a new key would make every existing event look forged.
 */
final class AuditKeys {

    static final String CHAIN_KEY_FILE = "audit-chain.key";

    private AuditKeys() {
    }

    static byte[] loadOrCreate(DataDirectory dataDir, boolean eventsExist) {
        Path file = dataDir.resolve(CHAIN_KEY_FILE);
        try {
            if (Files.exists(file)) {
                byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
                new Chain(key); // refuses a key that is too short
                return key;
            }
            if (eventsExist) {
                throw new IllegalStateException("the audit ledger has events but " + file + " is missing: restore the"
                        + " key from your backup (a new key would make every recorded event look forged)");
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }
}
