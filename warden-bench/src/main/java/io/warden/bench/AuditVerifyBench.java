package io.warden.bench;

import io.warden.core.audit.AuditRecord;
import io.warden.core.audit.CanonicalForm;
import io.warden.core.audit.Chain;
import io.warden.core.audit.ChainVerifier;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Audit chain verification (issue 4): {@link ChainVerifier} over a chain of {@value #RECORDS}
 * records held in memory, next to the peer of a bare HMAC-SHA256 ({@code javax.crypto.Mac}) of
 * the same bytes the chain's HMAC covers ({@code prevHash} as 32 raw bytes, then the canonical
 * bytes), precomputed, in the same JVM. Both report events per second (one operation = one
 * record); MB/s is that times the mean canonical size, which the setup prints
 * ({@code # canonical bytes per record: ...}). {@code canonicalFormOnly} is not a peer but a
 * breakdown: the encoding {@code verify} does per record and the peer is spared.
 *
 * <p>The records are the shape {@link AuditAppendBench} appends (a small {@code details}).
 * Usage:
 * <pre>
 * ./mvnw -q -B -pl warden-bench -am package -DskipTests
 * java -jar warden-bench/target/warden-bench.jar AuditVerifyBench
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class AuditVerifyBench {

    static final int RECORDS = 100_000;

    private Chain chain;
    private List<AuditRecord> records;
    private byte[] key;
    /** What the chain's HMAC covers, per record: the previous hash's 32 raw bytes, then the canonical bytes. */
    private byte[][] prevHashes;
    private byte[][] canonical;

    @Setup
    public void build() {
        key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i;
        }
        chain = new Chain(key);
        records = new ArrayList<>(RECORDS);
        prevHashes = new byte[RECORDS][];
        canonical = new byte[RECORDS][];
        Chain.Link prev = Chain.GENESIS;
        long time = 1_767_225_600_000L;
        long bytes = 0;
        for (int i = 0; i < RECORDS; i++) {
            AuditRecord draft = new AuditRecord(AuditAppendBench.CHAIN, i + 1, time + i, "user", "bench", "token:x",
                    "bench.append", "Tool", AuditAppendBench.CHAIN, "t", "success", "req-1", "127.0.0.1",
                    "{\"n\":1}");
            AuditRecord sealed = chain.seal(draft, prev);
            records.add(sealed);
            prevHashes[i] = HexFormat.of().parseHex(prev.hash());
            canonical[i] = CanonicalForm.of(sealed);
            bytes += canonical[i].length;
            prev = sealed.link();
        }
        if (!(ChainVerifier.forChain(AuditAppendBench.CHAIN, chain).verify(records) instanceof ChainVerifier.Ok)) {
            throw new IllegalStateException("the benchmark chain must verify");
        }
        System.out.printf("%n# canonical bytes per record: %.1f (%d records, %d bytes)%n",
                (double) bytes / RECORDS, RECORDS, bytes);
    }

    /** Warden: verify the whole chain (canonical form, HMAC and SHA-256 digest, both links, sequence checks). */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public ChainVerifier.Result verify() {
        return ChainVerifier.forChain(AuditAppendBench.CHAIN, chain).verify(records);
    }

    /** Not a peer, a breakdown: the canonical encoding alone, which {@link #verify} does per record and the peer does not. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void canonicalFormOnly(Blackhole bh) {
        for (AuditRecord r : records) {
            bh.consume(CanonicalForm.of(r));
        }
    }

    /** Peer: HMAC-SHA256 of the same bytes, already encoded, with one Mac. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void rawHmacSha256(Blackhole bh) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        for (int i = 0; i < RECORDS; i++) {
            mac.update(prevHashes[i]);
            bh.consume(mac.doFinal(canonical[i]));
        }
    }
}
