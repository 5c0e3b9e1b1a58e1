package io.warden.core.audit;

import static io.warden.core.audit.TestChains.CHAIN_KEY;
import static io.warden.core.audit.TestChains.draft;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ChainTest {

    @Test
    void hmacSha256MatchesRfc4231TestCase1() {
        byte[] key = new byte[20];
        java.util.Arrays.fill(key, (byte) 0x0b);

        // Split in two to exercise the prevHash || canonical concatenation the chain relies on.
        byte[] mac = Chain.hmacSha256(key, "Hi ".getBytes(StandardCharsets.US_ASCII), "There".getBytes(StandardCharsets.US_ASCII));

        assertThat(HexFormat.of().formatHex(mac))
                .isEqualTo("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    }

    @Test
    void theHashIsTheHmacOfThePreviousHashAndTheCanonicalBytes() {
        String prev = "11".repeat(32);
        AuditRecord sealed = CHAIN_KEY.seal(draft("payments", 3), new Chain.Link(prev, prev));

        byte[] expected = Chain.hmacSha256(TestChains.KEY, HexFormat.of().parseHex(prev), CanonicalForm.of(sealed));
        assertThat(sealed.hash()).isEqualTo(HexFormat.of().formatHex(expected)).matches("[0-9a-f]{64}");
        assertThat(sealed.prevHash()).isEqualTo(prev);
        assertThat(CHAIN_KEY.isAuthentic(sealed)).isTrue();
    }

    @Test
    void theFirstRecordFollowsThirtyTwoZeroBytes() {
        assertThat(Chain.GENESIS_HASH).isEqualTo("00".repeat(32));
        assertThat(Chain.GENESIS).isEqualTo(new Chain.Link("00".repeat(32), "00".repeat(32)));
        assertThat(CHAIN_KEY.isAuthentic(CHAIN_KEY.seal(draft("", 1), Chain.GENESIS))).isTrue();
    }

    @Test
    void sealingIgnoresTheDraftsOwnLinkFields() {
        AuditRecord d = TestChains.copy(draft("payments", 1), "payments", 1, "{}", "bogus", "bogus");

        assertThat(CHAIN_KEY.seal(d, Chain.GENESIS))
                .isEqualTo(CHAIN_KEY.seal(TestChains.copy(d, "payments", 1, "{}", null, null), Chain.GENESIS));
    }

    @Test
    void anotherKeyGivesAnotherHash() {
        Chain other = new Chain(TestChains.bytes(0x41, 32));

        AuditRecord a = CHAIN_KEY.seal(draft("payments", 1), Chain.GENESIS);
        AuditRecord b = other.seal(draft("payments", 1), Chain.GENESIS);

        assertThat(a.hash()).isNotEqualTo(b.hash());
        assertThat(other.isAuthentic(a)).isFalse();
    }

    static Stream<UnaryOperator<AuditRecord>> everyStoredField() {
        return Stream.of(
                r -> TestChains.withChain(r, "ops"),
                r -> TestChains.withSeq(r, r.seq() + 1),
                r -> new AuditRecord(r.chain(), r.seq(), r.time() + 1, r.actorKind(), r.actorId(), r.actorVia(), r.action(), r.targetKind(), r.targetNamespace(), r.targetName(), r.outcome(), r.requestId(), r.clientAddress(), r.details(), r.prevHash(), r.hash(), r.prevDigest(), r.digest()),
                r -> new AuditRecord(r.chain(), r.seq(), r.time(), "agent", r.actorId(), r.actorVia(), r.action(), r.targetKind(), r.targetNamespace(), r.targetName(), r.outcome(), r.requestId(), r.clientAddress(), r.details(), r.prevHash(), r.hash(), r.prevDigest(), r.digest()),
                r -> new AuditRecord(r.chain(), r.seq(), r.time(), r.actorKind(), "mallory", r.actorVia(), r.action(), r.targetKind(), r.targetNamespace(), r.targetName(), r.outcome(), r.requestId(), r.clientAddress(), r.details(), r.prevHash(), r.hash(), r.prevDigest(), r.digest()),
                r -> new AuditRecord(r.chain(), r.seq(), r.time(), r.actorKind(), r.actorId(), null, r.action(), r.targetKind(), r.targetNamespace(), r.targetName(), r.outcome(), r.requestId(), r.clientAddress(), r.details(), r.prevHash(), r.hash(), r.prevDigest(), r.digest()),
                r -> new AuditRecord(r.chain(), r.seq(), r.time(), r.actorKind(), r.actorId(), r.actorVia(), "resource.delete", r.targetKind(), r.targetNamespace(), r.targetName(), r.outcome(), r.requestId(), r.clientAddress(), r.details(), r.prevHash(), r.hash(), r.prevDigest(), r.digest()),
                r -> new AuditRecord(r.chain(), r.seq(), r.time(), r.actorKind(), r.actorId(), r.actorVia(), r.action(), "Agent", r.targetNamespace(), r.targetName(), r.outcome(), r.requestId(), r.clientAddress(), r.details(), r.prevHash(), r.hash(), r.prevDigest(), r.digest()),
                r -> new AuditRecord(r.chain(), r.seq(), r.time(), r.actorKind(), r.actorId(), r.actorVia(), r.action(), r.targetKind(), "ops", r.targetName(), r.outcome(), r.requestId(), r.clientAddress(), r.details(), r.prevHash(), r.hash(), r.prevDigest(), r.digest()),
                r -> new AuditRecord(r.chain(), r.seq(), r.time(), r.actorKind(), r.actorId(), r.actorVia(), r.action(), r.targetKind(), r.targetNamespace(), "other", r.outcome(), r.requestId(), r.clientAddress(), r.details(), r.prevHash(), r.hash(), r.prevDigest(), r.digest()),
                r -> new AuditRecord(r.chain(), r.seq(), r.time(), r.actorKind(), r.actorId(), r.actorVia(), r.action(), r.targetKind(), r.targetNamespace(), r.targetName(), "denied", r.requestId(), r.clientAddress(), r.details(), r.prevHash(), r.hash(), r.prevDigest(), r.digest()),
                r -> new AuditRecord(r.chain(), r.seq(), r.time(), r.actorKind(), r.actorId(), r.actorVia(), r.action(), r.targetKind(), r.targetNamespace(), r.targetName(), r.outcome(), "req-x", r.clientAddress(), r.details(), r.prevHash(), r.hash(), r.prevDigest(), r.digest()),
                r -> new AuditRecord(r.chain(), r.seq(), r.time(), r.actorKind(), r.actorId(), r.actorVia(), r.action(), r.targetKind(), r.targetNamespace(), r.targetName(), r.outcome(), r.requestId(), "10.0.0.2", r.details(), r.prevHash(), r.hash(), r.prevDigest(), r.digest()),
                r -> TestChains.withDetails(r, r.details() + " "),
                r -> TestChains.withPrevHash(r, TestChains.flipLastBit(r.prevHash())),
                r -> TestChains.withHash(r, TestChains.flipLastBit(r.hash())),
                r -> TestChains.withHash(r, r.hash().toUpperCase(java.util.Locale.ROOT)),
                r -> TestChains.withHash(r, null),
                r -> TestChains.withPrevDigest(r, TestChains.flipLastBit(r.prevDigest())),
                r -> TestChains.withDigest(r, TestChains.flipLastBit(r.digest())),
                r -> TestChains.withDigest(r, null));
    }

    @Test
    void theDigestIsSha256OfThePreviousDigestTheHashAndTheCanonicalBytes() throws Exception {
        Chain.Link prev = new Chain.Link("11".repeat(32), "22".repeat(32));
        AuditRecord sealed = CHAIN_KEY.seal(draft("payments", 3), prev);

        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        sha.update(HexFormat.of().parseHex(prev.digest()));
        sha.update(HexFormat.of().parseHex(sealed.hash()));
        sha.update(CanonicalForm.of(sealed));
        assertThat(sealed.digest()).isEqualTo(HexFormat.of().formatHex(sha.digest()));
        assertThat(sealed.prevDigest()).isEqualTo(prev.digest());
        assertThat(sealed.link()).isEqualTo(new Chain.Link(sealed.hash(), sealed.digest()));
        assertThat(Chain.hasValidDigest(sealed)).isTrue();
    }

    @Test
    void anyoneCanCheckADigestButOnlyTheKeyHolderAHash() {
        AuditRecord sealed = CHAIN_KEY.seal(draft("payments", 3), Chain.GENESIS);
        AuditRecord edited = TestChains.withDetails(sealed, "{\"edited\":true}");

        assertThat(Chain.hasValidDigest(edited)).isFalse();
        assertThat(Chain.hasValidDigest(TestChains.withDigest(edited, "zz"))).isFalse();
        assertThat(new Chain(TestChains.bytes(0x01, 32)).isAuthentic(sealed)).isFalse();
        assertThat(Chain.hasValidDigest(sealed)).isTrue(); // no key needed
    }

    @ParameterizedTest
    @MethodSource("everyStoredField")
    void changingAnyStoredFieldBreaksTheHash(UnaryOperator<AuditRecord> tamper) {
        AuditRecord sealed = CHAIN_KEY.seal(draft("payments", 5), new Chain.Link("22".repeat(32), "33".repeat(32)));

        assertThat(CHAIN_KEY.isAuthentic(sealed)).isTrue();
        assertThat(CHAIN_KEY.isAuthentic(tamper.apply(sealed))).isFalse();
    }

    @Test
    void aRecordWithoutAUtf8FormIsNotAuthenticRatherThanAnError() {
        AuditRecord sealed = CHAIN_KEY.seal(draft("payments", 5), Chain.GENESIS);

        assertThat(CHAIN_KEY.isAuthentic(TestChains.withDetails(sealed, "\uDC00"))).isFalse();
    }

    @Test
    void sealingRefusesIncompleteRecordsAndMalformedLinks() {
        AuditRecord ok = draft("payments", 1);

        assertThatThrownBy(() -> CHAIN_KEY.seal(TestChains.withChain(ok, null), Chain.GENESIS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CHAIN_KEY.seal(TestChains.withSeq(ok, 0), Chain.GENESIS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CHAIN_KEY.seal(ok, new Chain.Link("00", Chain.GENESIS_HASH))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CHAIN_KEY.seal(ok, new Chain.Link(Chain.GENESIS_HASH, "AA".repeat(32)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CHAIN_KEY.seal(TestChains.withDetails(ok, "\uD800"), Chain.GENESIS)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aChainKeyIsAtLeast32Bytes() {
        assertThatThrownBy(() -> new Chain(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Chain(new byte[32])).isNotNull();
    }

    @Test
    void theKeyIsCopiedSoTheCallerCanWipeItsArray() {
        byte[] key = TestChains.bytes(0x40, 32);
        Chain chain = new Chain(key);
        AuditRecord before = chain.seal(draft("payments", 1), Chain.GENESIS);

        java.util.Arrays.fill(key, (byte) 0);

        assertThat(chain.isAuthentic(before)).isTrue();
    }

    @Test
    void hashesEqualIsStrictLowerCaseHex() {
        String h = "0123456789abcdef".repeat(4);

        assertThat(Chain.hashesEqual(h, h)).isTrue();
        assertThat(Chain.hashesEqual(h, TestChains.flipLastBit(h))).isFalse();
        assertThat(Chain.hashesEqual(h, h.toUpperCase(java.util.Locale.ROOT))).isFalse();
        assertThat(Chain.hashesEqual(h, h.substring(2))).isFalse();
        assertThat(Chain.hashesEqual(null, h)).isFalse();
        assertThat(Chain.hashesEqual(null, null)).isFalse();
    }
}
