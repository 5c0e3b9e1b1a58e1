package io.warden.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CheckpointSignerTest {

    private static final String HASH = "5e".repeat(32);
    private static final String DIGEST = "d1".repeat(32);
    private static final Chain.Link LINK = new Chain.Link(HASH, DIGEST);

    @Test
    void rfc8032TestVector1ThroughThePemPath() {
        // RFC 8032 section 7.1, TEST 1: secret key, public key, empty message, signature.
        String secret = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getEncoder().encodeToString(HexFormat.of().parseHex("302e020100300506032b657004220420" + secret))
                + "\n-----END PRIVATE KEY-----\n";

        CheckpointSigner signer = CheckpointSigner.fromPrivateKeyPem(pem);

        assertThat(HexFormat.of().formatHex(signer.publicKeyBytes()))
                .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        byte[] signature = signer.sign(new byte[0]);
        assertThat(HexFormat.of().formatHex(signature)).isEqualTo(
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        assertThat(CheckpointSigner.fromPublicKeyPem(signer.publicKeyPem()).verify(new byte[0], signature)).isTrue();
    }

    @Test
    void aSignedCheckpointVerifiesUnderThePublicKeyAlone() {
        CheckpointSigner signer = CheckpointSigner.generate();
        Checkpoint cp = signer.sign("payments", 1000, LINK, 1_767_225_600_000L);

        CheckpointSigner verifier = CheckpointSigner.fromPublicKeyPem(signer.publicKeyPem());

        assertThat(cp).extracting(Checkpoint::chain, Checkpoint::seq, Checkpoint::hash, Checkpoint::digest, Checkpoint::time)
                .containsExactly("payments", 1000L, HASH, DIGEST, 1_767_225_600_000L);
        assertThat(cp.signature()).matches("[0-9a-f]{128}");
        assertThat(verifier.canSign()).isFalse();
        assertThat(verifier.verify(cp)).isTrue();
    }

    @Test
    void flippingAnyBitOfTheSignatureFailsVerification() {
        CheckpointSigner signer = CheckpointSigner.generate();
        Checkpoint cp = signer.sign("payments", 1000, LINK, 1L);
        byte[] sig = HexFormat.of().parseHex(cp.signature());

        for (int bit = 0; bit < sig.length * 8; bit++) {
            byte[] flipped = sig.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            Checkpoint forged = new Checkpoint(cp.chain(), cp.seq(), cp.hash(), DIGEST, cp.time(), HexFormat.of().formatHex(flipped));
            assertThat(signer.verify(forged)).as("bit %d", bit).isFalse();
        }
    }

    @Test
    void changingAnySignedFieldFailsVerification() {
        CheckpointSigner signer = CheckpointSigner.generate();
        Checkpoint cp = signer.sign("payments", 1000, LINK, 1L);

        assertThat(signer.verify(new Checkpoint("ops", 1000, HASH, DIGEST, 1L, cp.signature()))).isFalse();
        assertThat(signer.verify(new Checkpoint("payments", 1001, HASH, DIGEST, 1L, cp.signature()))).isFalse();
        assertThat(signer.verify(new Checkpoint("payments", 1000, "5f".repeat(32), DIGEST, 1L, cp.signature()))).isFalse();
        assertThat(signer.verify(new Checkpoint("payments", 1000, HASH, "d2".repeat(32), 1L, cp.signature()))).isFalse();
        assertThat(signer.verify(new Checkpoint("payments", 1000, HASH, DIGEST, 2L, cp.signature()))).isFalse();
    }

    @Test
    void malformedCheckpointsAreRejectedNotThrown() {
        CheckpointSigner signer = CheckpointSigner.generate();
        Checkpoint cp = signer.sign("payments", 1000, LINK, 1L);

        assertThat(signer.verify(new Checkpoint("payments", 1000, HASH, DIGEST, 1L, null))).isFalse();
        assertThat(signer.verify(new Checkpoint("payments", 1000, HASH, DIGEST, 1L, cp.signature().toUpperCase(java.util.Locale.ROOT)))).isFalse();
        assertThat(signer.verify(new Checkpoint("payments", 1000, "zz", DIGEST, 1L, cp.signature()))).isFalse();
        assertThat(signer.verify(new Checkpoint(null, 1000, HASH, DIGEST, 1L, cp.signature()))).isFalse();
    }

    @Test
    void anotherKeyDoesNotVerify() {
        Checkpoint cp = CheckpointSigner.generate().sign("payments", 1, LINK, 1L);

        assertThat(CheckpointSigner.generate().verify(cp)).isFalse();
    }

    @Test
    void aVerifyOnlyInstanceCannotSignOrExportAPrivateKey() {
        CheckpointSigner verifier = CheckpointSigner.fromPublicKeyPem(CheckpointSigner.generate().publicKeyPem());

        assertThatThrownBy(() -> verifier.sign("payments", 1, LINK, 1L)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(verifier::privateKeyPem).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void signingRefusesAMalformedHashOrSeq() {
        CheckpointSigner signer = CheckpointSigner.generate();

        assertThatThrownBy(() -> signer.sign("payments", 1, new Chain.Link("5E".repeat(32), DIGEST), 1L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.sign("payments", 0, LINK, 1L)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pemRoundTrip() {
        CheckpointSigner signer = CheckpointSigner.generate();

        CheckpointSigner reloaded = CheckpointSigner.fromPrivateKeyPem(signer.privateKeyPem());

        assertThat(reloaded.publicKeyPem()).isEqualTo(signer.publicKeyPem());
        assertThat(reloaded.privateKeyPem()).isEqualTo(signer.privateKeyPem());
        assertThat(signer.verify(reloaded.sign("payments", 7, LINK, 3L))).isTrue();
        assertThat(signer.privateKeyPem()).matches("-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/]{64}\n-----END PRIVATE KEY-----\n");
        assertThat(signer.publicKeyPem()).matches("-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/]{59}=\n-----END PUBLIC KEY-----\n");
    }

    @Test
    void pemReadingToleratesSurroundingTextAndCrLf() {
        CheckpointSigner signer = CheckpointSigner.generate();
        String messy = "comment line\r\n" + signer.publicKeyPem().replace("\n", "\r\n") + "trailer";

        assertThat(CheckpointSigner.fromPublicKeyPem(messy).publicKeyPem()).isEqualTo(signer.publicKeyPem());
    }

    @Test
    void pemReadingRefusesOtherKeysAndLabels() throws Exception {
        String rsaPublic = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        CheckpointSigner signer = CheckpointSigner.generate();

        assertThatThrownBy(() -> CheckpointSigner.fromPublicKeyPem(rsaPublic)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CheckpointSigner.fromPublicKeyPem(signer.privateKeyPem())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CheckpointSigner.fromPrivateKeyPem(signer.publicKeyPem())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CheckpointSigner.fromPublicKeyPem("-----BEGIN PUBLIC KEY-----\n!!\n-----END PUBLIC KEY-----"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CheckpointSigner.fromPublicKeyPem("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theJdkReadsOurPublicKeyAndAcceptsOurSignatures() throws Exception {
        // An independent Ed25519 implementation: proves the SPKI encoding and pure Ed25519.
        CheckpointSigner signer = CheckpointSigner.generate();
        Checkpoint cp = signer.sign("payments", 1000, LINK, 1L);
        String body = signer.publicKeyPem().replaceAll("-----[A-Z ]+-----|\\s", "");

        PublicKey jdkKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initVerify(jdkKey);
        jdk.update(CanonicalForm.of(cp));

        assertThat(jdk.verify(HexFormat.of().parseHex(cp.signature()))).isTrue();
    }

    @Test
    void weReadAPrivateKeyTheJdkWrote() throws Exception {
        var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";

        CheckpointSigner signer = CheckpointSigner.fromPrivateKeyPem(pem);

        assertThat(Base64.getDecoder().decode(signer.publicKeyPem().replaceAll("-----[A-Z ]+-----|\\s", "")))
                .isEqualTo(pair.getPublic().getEncoded());
    }
}
