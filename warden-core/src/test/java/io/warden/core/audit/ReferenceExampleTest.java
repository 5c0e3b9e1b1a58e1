package io.warden.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The worked example in docs/reference/audit.md is what the code produces, and the document
 * still says so: a third party implements the format from that page alone, so it must not drift.
 */
class ReferenceExampleTest {

    static final Path DOC = Path.of("..", "docs", "reference", "audit.md");

    static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    static final String PREV_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static final AuditRecord DRAFT = new AuditRecord("payments", 42, 1767225600000L, "user", "alice", "token:tok_7f3a",
            "resource.update", "Tool", "payments", "git-clone", "success", "req-5d1c", null,
            "{\"changed\":[\"spec.image\"],\"note\":\"café\"}", null, null);

    static final String CANONICAL_HEX = "77617264656e2d61756469742d76310a"
            + "01000000087061796d656e7473"
            + "02000000023432"
            + "030000000d31373637323235363030303030"
            + "040000000475736572"
            + "0500000005616c696365"
            + "060000000e746f6b656e3a746f6b5f37663361"
            + "070000000f7265736f757263652e757064617465"
            + "0800000004546f6f6c"
            + "09000000087061796d656e7473"
            + "0a000000096769742d636c6f6e65"
            + "0b0000000773756363657373"
            + "0c000000087265712d35643163"
            + "0dffffffff"
            + "0e000000297b226368616e676564223a5b22737065632e696d616765225d2c226e6f7465223a22636166c3a9227d";
    static final String HASH = "a2556be3df1502d7b93eef6901a52fcac8836585f8468753c7f27ff8da48fac0";

    // RFC 8032 section 7.1 test 1 key: public, so never a real checkpoint key.
    static final String SIGNING_KEY_PEM = """
            -----BEGIN PRIVATE KEY-----
            MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g
            -----END PRIVATE KEY-----
            """;
    static final String PUBLIC_KEY_PEM = """
            -----BEGIN PUBLIC KEY-----
            MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=
            -----END PUBLIC KEY-----
            """;
    static final long CHECKPOINT_TIME = 1767225660000L;
    static final String CHECKPOINT_HEX = "77617264656e2d636865636b706f696e742d76310a"
            + "01000000087061796d656e7473"
            + "02000000023432"
            + "0300000020a2556be3df1502d7b93eef6901a52fcac8836585f8468753c7f27ff8da48fac0"
            + "040000000d31373637323235363630303030";
    static final String SIGNATURE = "c54672329d3d11f15d9a1098d2626858d78026b0e7a024e02732986787569d70"
            + "5817dc77efc66ed5536f932f2f2c8d84fe26f2add5c47eec88d0a79f761d920e";

    @Test
    void theExampleRecordHasTheDocumentedCanonicalBytes() {
        assertThat(HexFormat.of().formatHex(CanonicalForm.of(DRAFT))).isEqualTo(CANONICAL_HEX);
        assertThat(CanonicalForm.of(DRAFT)).hasSize(224);
    }

    @Test
    void sealingTheExampleGivesTheDocumentedHash() {
        AuditRecord sealed = new Chain(KEY).seal(DRAFT, PREV_HASH);

        assertThat(sealed.prevHash()).isEqualTo(PREV_HASH);
        assertThat(sealed.hash()).isEqualTo(HASH);
        // The same number straight from the definition, HMAC-SHA256(key, prevHash || canonical).
        assertThat(HexFormat.of().formatHex(Chain.hmacSha256(KEY, HexFormat.of().parseHex(PREV_HASH),
                HexFormat.of().parseHex(CANONICAL_HEX)))).isEqualTo(HASH);
    }

    @Test
    void theExampleCheckpointHasTheDocumentedBytesAndSignature() {
        CheckpointSigner signer = CheckpointSigner.fromPrivateKeyPem(SIGNING_KEY_PEM);
        Checkpoint cp = signer.sign("payments", 42, HASH, CHECKPOINT_TIME);

        assertThat(HexFormat.of().formatHex(CanonicalForm.of(cp))).isEqualTo(CHECKPOINT_HEX);
        assertThat(cp.signature()).isEqualTo(SIGNATURE);
        assertThat(signer.publicKeyPem()).isEqualTo(PUBLIC_KEY_PEM);
        assertThat(CheckpointSigner.fromPublicKeyPem(PUBLIC_KEY_PEM).verify(cp)).isTrue();
    }

    @Test
    void theReferenceShowsTheseExactNumbers() throws IOException {
        String doc = Files.readString(DOC);
        // Hex is wrapped over several lines in the document: compare without white space.
        String flat = doc.replaceAll("\\s+", "");

        assertThat(flat).contains(CANONICAL_HEX, HASH, PREV_HASH, HexFormat.of().formatHex(KEY),
                CHECKPOINT_HEX, SIGNATURE, PUBLIC_KEY_PEM.replaceAll("\\s+", ""),
                SIGNING_KEY_PEM.replaceAll("\\s+", ""));
        assertThat(doc).contains(DRAFT.details(), "1767225600000", String.valueOf(CHECKPOINT_TIME));
    }
}
