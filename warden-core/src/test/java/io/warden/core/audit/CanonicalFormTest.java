package io.warden.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CanonicalFormTest {

    private static AuditRecord record(String actorId, String actorVia, String details) {
        return new AuditRecord("payments", 1, 0, "user", actorId, actorVia, "login", null, null, null,
                "success", null, null, details);
    }

    @Test
    void startsWithTheVersionedMagicLine() {
        byte[] bytes = CanonicalForm.of(record("alice", null, "{}"));

        assertThat(new String(bytes, 0, 16, StandardCharsets.US_ASCII)).isEqualTo("warden-audit-v1\n");
    }

    @Test
    void eachFieldIsTagLengthValueInTheFixedOrder() {
        byte[] bytes = CanonicalForm.of(record("alice", null, "{}"));
        int at = 16;
        int tag = 1;
        while (at < bytes.length) {
            assertThat(bytes[at]).as("tag").isEqualTo((byte) tag++);
            int length = (bytes[at + 1] & 0xff) << 24 | (bytes[at + 2] & 0xff) << 16 | (bytes[at + 3] & 0xff) << 8 | bytes[at + 4] & 0xff;
            at += 5 + (length == -1 ? 0 : length);
        }
        assertThat(tag - 1).as("fields").isEqualTo(14);
        assertThat(at).isEqualTo(bytes.length);
    }

    @Test
    void numbersAreDecimalAscii() {
        AuditRecord r = new AuditRecord("", 1234567890123L, -5, null, null, null, "a", null, null, null, "o",
                null, null, null);
        String hex = HexFormat.of().formatHex(CanonicalForm.of(r));

        assertThat(hex).contains("0100000000020000000d" + HexFormat.of().formatHex("1234567890123".getBytes(StandardCharsets.US_ASCII))
                + "03000000022d35");
    }

    @Test
    void nullAndEmptyAreDifferent() {
        byte[] withNull = CanonicalForm.of(record("alice", null, "{}"));
        byte[] withEmpty = CanonicalForm.of(record("alice", "", "{}"));

        assertThat(HexFormat.of().formatHex(withNull)).contains("06ffffffff");
        assertThat(HexFormat.of().formatHex(withEmpty)).contains("0600000000");
        assertThat(withNull).isNotEqualTo(withEmpty);
    }

    @Test
    void movingCharactersAcrossAFieldBoundaryChangesTheBytes() {
        // Plain concatenation would encode both alike; the length prefixes do not.
        assertThat(CanonicalForm.of(record("ab", "c", "{}"))).isNotEqualTo(CanonicalForm.of(record("a", "bc", "{}")));
    }

    @Test
    void detailsAreTheExactCharactersStoredNotReCanonicalizedJson() {
        byte[] compact = CanonicalForm.of(record("alice", null, "{\"a\":1}"));
        byte[] spaced = CanonicalForm.of(record("alice", null, "{ \"a\": 1 }"));

        assertThat(compact).isNotEqualTo(spaced);
    }

    @Test
    void stringsAreUtf8() {
        byte[] bytes = CanonicalForm.of(record("José", null, "{}"));

        assertThat(HexFormat.of().formatHex(bytes)).contains("05000000054a6f73c3a9");
    }

    @Test
    void anUnpairedSurrogateIsRefusedRatherThanReplaced() {
        // String.getBytes would write '?' for it, making "\uD800" and "?" encode alike.
        assertThatThrownBy(() -> CanonicalForm.of(record("\uD800", null, "{}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("actorId");
        assertThat(CanonicalForm.of(record("\uD83D\uDE00", null, "{}"))).isNotEmpty(); // a pair is fine
    }

    @Test
    void theCheckpointFormCarriesTheHashAsRawBytesUnderItsOwnMagic() {
        String hash = "ab".repeat(32);
        byte[] bytes = CanonicalForm.of(new Checkpoint("", 7, hash, "cd".repeat(32), 9, "ignored"));

        assertThat(new String(bytes, 0, 21, StandardCharsets.US_ASCII)).isEqualTo("warden-checkpoint-v1\n");
        assertThat(HexFormat.of().formatHex(Arrays.copyOfRange(bytes, 21, bytes.length)))
                .isEqualTo("0100000000" + "020000000137" + "0300000020" + hash + "0400000020" + "cd".repeat(32) + "050000000139");
    }

    @Test
    void aCheckpointSignatureIsNotPartOfItsCanonicalForm() {
        String hash = "ab".repeat(32);

        assertThat(CanonicalForm.of(new Checkpoint("x", 7, hash, hash, 9, "a")))
                .isEqualTo(CanonicalForm.of(new Checkpoint("x", 7, hash, hash, 9, "b")));
    }

    @Test
    void aCheckpointHashMustBeLowerCaseHex() {
        assertThatThrownBy(() -> CanonicalForm.of(new Checkpoint("x", 7, "AB".repeat(32), "ab".repeat(32), 9, null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalForm.of(new Checkpoint("x", 7, "ab".repeat(32), "ab", 9, null)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
