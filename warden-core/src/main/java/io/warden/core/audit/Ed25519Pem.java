package io.warden.core.audit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 keys in PEM. bcprov has no PEM writer, and needs none: the DER encodings of an
 * Ed25519 key (RFC 8410) are a fixed prefix followed by the 32 key bytes, so writing and
 * reading them is a byte comparison, not an ASN.1 parser.
 */
final class Ed25519Pem {

    static final int KEY_BYTES = 32;

    /** SubjectPublicKeyInfo: SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (0 unused bits) 32 bytes }. */
    static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    /** PKCS#8 v1 PrivateKeyInfo: SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING 32 bytes } }. */
    static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

    static final String PUBLIC_LABEL = "PUBLIC KEY";
    static final String PRIVATE_LABEL = "PRIVATE KEY";

    private static final Base64.Encoder ENCODER = Base64.getMimeEncoder(64, new byte[] {'\n'});

    private Ed25519Pem() {}

    static String publicKey(byte[] key) {
        return write(PUBLIC_LABEL, SPKI_PREFIX, key);
    }

    static String privateKey(byte[] seed) {
        return write(PRIVATE_LABEL, PKCS8_PREFIX, seed);
    }

    /** The 32 public key bytes of a {@code PUBLIC KEY} PEM block holding an Ed25519 SubjectPublicKeyInfo. */
    static byte[] readPublicKey(String pem) {
        return read(pem, PUBLIC_LABEL, SPKI_PREFIX, "an Ed25519 public key (SubjectPublicKeyInfo)");
    }

    /** The 32-byte seed of a {@code PRIVATE KEY} PEM block holding an Ed25519 PKCS#8 v1 key. */
    static byte[] readPrivateKey(String pem) {
        return read(pem, PRIVATE_LABEL, PKCS8_PREFIX, "an Ed25519 private key (PKCS#8 v1)");
    }

    private static String write(String label, byte[] prefix, byte[] key) {
        byte[] der = Arrays.copyOf(prefix, prefix.length + key.length);
        System.arraycopy(key, 0, der, prefix.length, key.length);
        return "-----BEGIN " + label + "-----\n"
                + ENCODER.encodeToString(der) + "\n"
                + "-----END " + label + "-----\n";
    }

    private static byte[] read(String pem, String label, byte[] prefix, String what) {
        if (pem == null) {
            throw new IllegalArgumentException("no PEM text");
        }
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin);
        int to = from < 0 ? -1 : pem.indexOf(end, from + begin.length());
        if (from < 0 || to < 0) {
            throw new IllegalArgumentException("expected a PEM block '" + begin + "' holding " + what);
        }
        String body = pem.substring(from + begin.length(), to).replaceAll("\\s+", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM block is not valid base64", e);
        }
        if (der.length != prefix.length + KEY_BYTES
                || !Arrays.equals(der, 0, prefix.length, prefix, 0, prefix.length)) {
            throw new IllegalArgumentException("the PEM block does not hold " + what);
        }
        return Arrays.copyOfRange(der, prefix.length, der.length);
    }
}
