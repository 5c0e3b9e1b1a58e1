package io.warden.server.audit;

import io.warden.core.audit.Chain;
import io.warden.core.audit.CheckpointSigner;
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
 * Custody of the ledger's two keys.
 * <ul>
 *   <li>the chain key: 32 random bytes in base64, {@code <data-dir>/audit-chain.key};</li>
 *   <li>the checkpoint signing key: Ed25519, PKCS#8 PEM, {@code <data-dir>/audit-checkpoint.key}.</li>
 * </ul>
 * Both are created (mode 0600) on first start, or read from files named in configuration
 * (replicas share them that way; such files are never created). If a key is missing while
 * events exist the server refuses to start: a new chain key would make every event look forged,
 * a new signing key every checkpoint.
 */
final class AuditKeys {

    static final String CHAIN_KEY_FILE = "audit-chain.key";
    static final String CHECKPOINT_KEY_FILE = "audit-checkpoint.key";

    private AuditKeys() {
    }

    static byte[] chainKey(DataDirectory dataDir, String configured, boolean eventsExist) {
        String text = loadOrCreate(dataDir, configured, CHAIN_KEY_FILE, eventsExist, () -> {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            return Base64.getEncoder().encodeToString(key) + "\n";
        });
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the audit chain key file does not hold base64");
        }
        new Chain(key); // refuses a key that is too short
        return key;
    }

    static CheckpointSigner checkpointKey(DataDirectory dataDir, String configured, boolean eventsExist) {
        String pem = loadOrCreate(dataDir, configured, CHECKPOINT_KEY_FILE, eventsExist,
                () -> CheckpointSigner.generate().privateKeyPem());
        try {
            return CheckpointSigner.fromPrivateKeyPem(pem);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the audit checkpoint key file does not hold an Ed25519 PKCS#8 PEM private key");
        }
    }

    private static String loadOrCreate(DataDirectory dataDir, String configured, String defaultName,
            boolean eventsExist, java.util.function.Supplier<String> create) {
        boolean isConfigured = configured != null && !configured.isBlank();
        Path file = isConfigured ? Path.of(configured) : dataDir.resolve(defaultName);
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.US_ASCII);
            }
            if (isConfigured) {
                throw new IllegalStateException("the configured audit key file " + file + " does not exist");
            }
            if (eventsExist) {
                throw new IllegalStateException("the audit ledger has events but " + file + " is missing: restore the"
                        + " key from your backup (a new key would make every recorded event look forged)");
            }
            String content = create.get();
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, content, StandardCharsets.US_ASCII);
            return content;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }
}
