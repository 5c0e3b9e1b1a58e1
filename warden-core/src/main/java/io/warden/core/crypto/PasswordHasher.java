package io.warden.core.crypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashing in the PHC string format the reference implementation prints:
 * {@code $argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>} (standard Base64 without padding).
 *
 * <p>Production code uses {@link #defaults()} or {@link #withParams(Params)}, which refuse
 * anything weaker than {@link #DEFAULT_PARAMS}. Instances are immutable and thread-safe.
 */
public final class PasswordHasher {

    /** The production floor: t=3 iterations, m=64 MiB, p=1 (each field is a minimum). */
    public static final Params DEFAULT_PARAMS = new Params(65536, 3, 1);

    static final int SALT_LENGTH = 16;
    static final int HASH_LENGTH = 32;

    private final Params params;
    private final SecureRandom random;
    private final String dummyPhc;

    private PasswordHasher(Params params, SecureRandom random) {
        this.params = params;
        this.random = Objects.requireNonNull(random, "random");
        // Same cost as a real record of this hasher, so a verify against it takes as long as
        // one against a real user's hash. Salt and hash are arbitrary: nothing ever matches.
        byte[] salt = new byte[SALT_LENGTH];
        Arrays.fill(salt, (byte) 0x5a);
        this.dummyPhc = new PhcString(params, salt, new byte[HASH_LENGTH]).encode();
    }

    /** A hasher with {@link #DEFAULT_PARAMS} and a fresh {@link SecureRandom} for salts. */
    public static PasswordHasher defaults() {
        return new PasswordHasher(DEFAULT_PARAMS, new SecureRandom());
    }

    /**
     * A hasher with the given costs.
     *
     * @throws IllegalArgumentException if any cost is below {@link #DEFAULT_PARAMS}
     */
    public static PasswordHasher withParams(Params params) {
        return withParams(params, new SecureRandom());
    }

    /**
     * A hasher with the given costs and salt source.
     *
     * @throws IllegalArgumentException if any cost is below {@link #DEFAULT_PARAMS}
     */
    public static PasswordHasher withParams(Params params, SecureRandom random) {
        Objects.requireNonNull(params, "params");
        if (params.isWeakerThan(DEFAULT_PARAMS)) {
            throw new IllegalArgumentException("Argon2id parameters " + params
                    + " are below the production minimum " + DEFAULT_PARAMS);
        }
        return new PasswordHasher(params, random);
    }

    /**
     * TESTS ONLY: a hasher that accepts costs below the production minimum, so test suites
     * stay fast. Never call this from production code.
     */
    public static PasswordHasher forTesting(Params params) {
        return forTesting(params, new SecureRandom());
    }

    /** TESTS ONLY: like {@link #forTesting(Params)} with an injected salt source. */
    public static PasswordHasher forTesting(Params params, SecureRandom random) {
        return new PasswordHasher(Objects.requireNonNull(params, "params"), random);
    }

    /** The costs this hasher hashes with. */
    public Params params() {
        return params;
    }

    /**
     * Hashes a password (encoded UTF-8) with a fresh 16-byte salt.
     *
     * @return the PHC string to store
     * @throws IllegalArgumentException if the password holds an unpaired surrogate
     */
    public String hash(char[] password) {
        Objects.requireNonNull(password, "password");
        byte[] utf8 = utf8(password)
                .orElseThrow(() -> new IllegalArgumentException("password is not well-formed UTF-16"));
        byte[] salt = new byte[SALT_LENGTH];
        random.nextBytes(salt);
        try {
            byte[] hash = argon2id(utf8, salt, null, null, params, HASH_LENGTH);
            return new PhcString(params, salt, hash).encode();
        } finally {
            Arrays.fill(utf8, (byte) 0);
        }
    }

    /**
     * Whether the password matches the stored PHC string, compared in constant time. The
     * costs come from the PHC string, not from this hasher. A malformed, truncated or
     * non-argon2id string gives {@code false}, never an exception.
     */
    public boolean verify(char[] password, String phc) {
        Objects.requireNonNull(password, "password");
        Optional<PhcString> parsed = PhcString.parse(phc);
        if (parsed.isEmpty()) {
            return false;
        }
        Optional<byte[]> utf8 = utf8(password);
        if (utf8.isEmpty()) {
            return false;
        }
        PhcString stored = parsed.get();
        byte[] candidate = null;
        try {
            candidate = argon2id(utf8.get(), stored.salt(), null, null, stored.params(), stored.hash().length);
            return MessageDigest.isEqual(candidate, stored.hash());
        } catch (RuntimeException e) {
            // Fail closed: parameters BouncyCastle refuses are a mismatch, not a crash.
            return false;
        } finally {
            Arrays.fill(utf8.get(), (byte) 0);
            if (candidate != null) {
                Arrays.fill(candidate, (byte) 0);
            }
        }
    }

    /**
     * Runs one verify at this hasher's full cost against a hash no password matches. Call it
     * when the user is unknown so that answer takes as long as a wrong password.
     *
     * @return always {@code false}
     */
    public boolean verifyAgainstDummy(char[] password) {
        verify(password, dummyPhc); // the answer is irrelevant: only the time spent matters
        return false;
    }

    /**
     * Whether a stored hash should be replaced at the next successful login: its costs, salt
     * or hash length are below this hasher's, or it cannot be parsed at all.
     */
    public boolean needsRehash(String phc) {
        return PhcString.parse(phc)
                .map(stored -> stored.params().isWeakerThan(params)
                        || stored.salt().length < SALT_LENGTH
                        || stored.hash().length < HASH_LENGTH)
                .orElse(true);
    }

    /**
     * Argon2id, version 0x13, through BouncyCastle. The one code path for hashing, verifying
     * and the RFC 9106 test vector.
     *
     * @param secret optional key (K), may be null
     * @param ad optional associated data (X), may be null
     */
    static byte[] argon2id(byte[] password, byte[] salt, byte[] secret, byte[] ad, Params p, int tagLength) {
        Argon2Parameters.Builder builder = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withIterations(p.iterations())
                .withMemoryAsKB(p.memoryKiB())
                .withParallelism(p.parallelism())
                .withSalt(salt);
        if (secret != null) {
            builder.withSecret(secret);
        }
        if (ad != null) {
            builder.withAdditional(ad);
        }
        Argon2Parameters parameters = builder.build();
        try {
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(parameters);
            byte[] tag = new byte[tagLength];
            generator.generateBytes(password, tag);
            return tag;
        } finally {
            // The builder copied the secret; wipe the copy.
            parameters.clear();
        }
    }

    /**
     * Strict UTF-8 into one buffer we can wipe: {@code String#getBytes} or
     * {@code Charset#encode} would leave unwiped copies, and silently turn an unpaired
     * surrogate into '?', making distinct passwords collide.
     */
    private static Optional<byte[]> utf8(char[] password) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        // UTF-8 needs at most 3 bytes per UTF-16 unit (a surrogate pair, 2 units, takes 4).
        ByteBuffer out = ByteBuffer.allocate(Math.multiplyExact(password.length, 3));
        try {
            CoderResult result = encoder.encode(CharBuffer.wrap(password), out, true);
            if (!result.isUnderflow() || !encoder.flush(out).isUnderflow()) {
                return Optional.empty();
            }
            return Optional.of(Arrays.copyOf(out.array(), out.position()));
        } finally {
            Arrays.fill(out.array(), (byte) 0);
        }
    }

    /**
     * Argon2id costs.
     *
     * @param memoryKiB memory in KiB (m); at least 8 per lane, at most 1 GiB
     * @param iterations passes over memory (t); 1 to 64
     * @param parallelism lanes (p); 1 to 64
     */
    public record Params(int memoryKiB, int iterations, int parallelism) {

        // Upper bounds matter because costs are read back from stored PHC strings: one
        // tampered row must not be able to make a login allocate gigabytes or spin for minutes.
        static final int MAX_MEMORY_KIB = 1 << 20;
        static final int MAX_ITERATIONS = 64;
        static final int MAX_PARALLELISM = 64;

        /** @throws IllegalArgumentException outside the bounds above */
        public Params {
            if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
                throw new IllegalArgumentException("parallelism must be 1.." + MAX_PARALLELISM + ": " + parallelism);
            }
            if (iterations < 1 || iterations > MAX_ITERATIONS) {
                throw new IllegalArgumentException("iterations must be 1.." + MAX_ITERATIONS + ": " + iterations);
            }
            // Argon2 needs 2 blocks per lane and sync point (4 sync points): 8 KiB per lane.
            if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
                throw new IllegalArgumentException(
                        "memoryKiB must be " + 8 * parallelism + ".." + MAX_MEMORY_KIB + ": " + memoryKiB);
            }
        }

        boolean isWeakerThan(Params other) {
            return memoryKiB < other.memoryKiB || iterations < other.iterations || parallelism < other.parallelism;
        }
    }
}
