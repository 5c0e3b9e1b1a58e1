package io.warden.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
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
    static final String PREV_DIGEST = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    static final Chain.Link PREV = new Chain.Link(PREV_HASH, PREV_DIGEST);
    static final AuditRecord DRAFT = new AuditRecord("payments", 42, 1767225600000L, "user", "alice", "token:tok_7f3a",
            "resource.update", "Tool", "payments", "git-clone", "success", "req-5d1c", null,
            "{\"changed\":[\"spec.image\"],\"note\":\"café\"}");

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
    static final String DIGEST = "7e45e47b0591a4aa284f1c00e55782db84378bb16eab09a4bd76e1f39aa0a6a5";

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
            + "0400000020" + "7e45e47b0591a4aa284f1c00e55782db84378bb16eab09a4bd76e1f39aa0a6a5"
            + "050000000d31373637323235363630303030";
    static final String SIGNATURE = "0fc5105e20e8788f052b9d67c3213ac88c1fbdc74c55c0f0864c03dd2c610920"
            + "f09c961ed32a827ea306a19cdf03dbdf67176aef2f5f2d0e190032253f70f106";

    @Test
    void theExampleRecordHasTheDocumentedCanonicalBytes() {
        assertThat(HexFormat.of().formatHex(CanonicalForm.of(DRAFT))).isEqualTo(CANONICAL_HEX);
        assertThat(CanonicalForm.of(DRAFT)).hasSize(224);
    }

    @Test
    void sealingTheExampleGivesTheDocumentedHashAndDigest() throws Exception {
        AuditRecord sealed = new Chain(KEY).seal(DRAFT, PREV);

        assertThat(sealed.prevHash()).isEqualTo(PREV_HASH);
        assertThat(sealed.hash()).isEqualTo(HASH);
        assertThat(sealed.prevDigest()).isEqualTo(PREV_DIGEST);
        assertThat(sealed.digest()).isEqualTo(DIGEST);
        // The same numbers straight from the definitions: HMAC-SHA256(key, prevHash || canonical)
        // and SHA-256(prevDigest || hash || canonical).
        assertThat(HexFormat.of().formatHex(Chain.hmacSha256(KEY, HexFormat.of().parseHex(PREV_HASH),
                HexFormat.of().parseHex(CANONICAL_HEX)))).isEqualTo(HASH);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(HexFormat.of().parseHex(PREV_DIGEST));
        sha.update(HexFormat.of().parseHex(HASH));
        sha.update(HexFormat.of().parseHex(CANONICAL_HEX));
        assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(DIGEST);
        assertThat(Chain.hasValidDigest(sealed)).isTrue();
    }

    @Test
    void theExampleCheckpointHasTheDocumentedBytesAndSignature() {
        CheckpointSigner signer = CheckpointSigner.fromPrivateKeyPem(SIGNING_KEY_PEM);
        Checkpoint cp = signer.sign("payments", 42, new Chain.Link(HASH, DIGEST), CHECKPOINT_TIME);

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

        assertThat(flat).contains(CANONICAL_HEX, HASH, PREV_HASH, DIGEST, PREV_DIGEST, HexFormat.of().formatHex(KEY),
                CHECKPOINT_HEX, SIGNATURE, PUBLIC_KEY_PEM.replaceAll("\\s+", ""),
                SIGNING_KEY_PEM.replaceAll("\\s+", ""));
        assertThat(doc).contains(DRAFT.details(), "1767225600000", String.valueOf(CHECKPOINT_TIME));
    }
}
