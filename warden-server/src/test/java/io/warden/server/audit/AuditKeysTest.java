package io.warden.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.core.audit.CheckpointSigner;
import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Custody of the chain key and the checkpoint key: created private, never silently replaced. */
class AuditKeysTest {

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void bothKeysAreCreatedOwnerOnlyAndThePublishedKeyIsTheOneOnDisk() throws Exception {
        TestDatabase db = TestDatabase.sqlite();
        try (TestServer server = TestServer.start(db)) {
            Path chainKey = db.dataDir().resolve(AuditKeys.CHAIN_KEY_FILE);
            Path checkpointKey = db.dataDir().resolve(AuditKeys.CHECKPOINT_KEY_FILE);

            assertThat(mode(chainKey)).isEqualTo("rw-------");
            assertThat(mode(checkpointKey)).isEqualTo("rw-------");
            assertThat(server.api().anonymous().get("/v1/audit/public-key").body())
                    .isEqualTo(CheckpointSigner.fromPrivateKeyPem(Files.readString(checkpointKey)).publicKeyPem());
        }
    }

    @Test
    void aMissingKeyWithEventsRecordedStopsTheServerFromStarting() throws Exception {
        for (String keyFile : new String[] {AuditKeys.CHAIN_KEY_FILE, AuditKeys.CHECKPOINT_KEY_FILE}) {
            TestDatabase db = TestDatabase.sqlite();
            TestServer.start(db).close(); // setup and login are recorded
            Files.delete(db.dataDir().resolve(keyFile));

            assertThatThrownBy(() -> TestServer.start(db).close())
                    .hasStackTraceContaining("the audit ledger has events but")
                    .hasStackTraceContaining(keyFile);
            assertThat(db.dataDir().resolve(keyFile)).doesNotExist();
        }
    }

    @Test
    void emptyingTheChainHeadsDoesNotPassForAnEmptyLedger() throws Exception {
        // The heads table is ordinary state; a DBA who empties it and removes the key must not get
        // a server that mints a new key over the old events.
        TestDatabase db = TestDatabase.sqlite();
        TestServer.start(db).close();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM audit_chains");
        }
        Files.delete(db.dataDir().resolve(AuditKeys.CHAIN_KEY_FILE));

        assertThatThrownBy(() -> TestServer.start(db).close()).hasStackTraceContaining("the audit ledger has events but");
        assertThat(db.dataDir().resolve(AuditKeys.CHAIN_KEY_FILE)).doesNotExist();
    }

    @Test
    void keysCanComeFromConfiguredFilesWhichAreNeverCreated() throws Exception {
        Path dir = Files.createTempDirectory("warden-keys-");
        Path chainKey = dir.resolve("chain.key");
        Path checkpointKey = dir.resolve("checkpoint.pem");
        Files.writeString(chainKey, java.util.Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'B') + "\n");
        CheckpointSigner signer = CheckpointSigner.generate();
        Files.writeString(checkpointKey, signer.privateKeyPem());
        TestDatabase db = TestDatabase.sqlite();

        try (TestServer server = TestServer.start(db, "--warden.audit.chain-key-file=" + chainKey,
                "--warden.audit.checkpoint-key-file=" + checkpointKey)) {
            assertThat(server.api().get("/v1/audit/public-key").body()).isEqualTo(signer.publicKeyPem());
            assertThat(db.dataDir().resolve(AuditKeys.CHAIN_KEY_FILE)).doesNotExist();
            assertThat(db.dataDir().resolve(AuditKeys.CHECKPOINT_KEY_FILE)).doesNotExist();
        }

        TestDatabase other = TestDatabase.sqlite();
        assertThatThrownBy(() -> TestServer.start(other, "--warden.audit.checkpoint-key-file=" + dir.resolve("missing.pem")).close())
                .hasStackTraceContaining("does not exist");
    }
}
