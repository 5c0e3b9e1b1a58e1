package io.warden.core.passwords;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/** The bundled list of the 10,000 most common passwords (provenance in README.md beside it). */
final class CommonPasswords {

    static final String RESOURCE = "common-passwords-10k.txt";
    static final int EXPECTED = 10_000;

    private CommonPasswords() {}

    /**
     * Reads the list. A missing or truncated list fails loudly instead of quietly accepting
     * every password.
     */
    static Set<String> load() {
        Set<String> passwords = new HashSet<>(EXPECTED * 2);
        try (InputStream in = CommonPasswords.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isEmpty()) {
                    passwords.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        if (passwords.size() != EXPECTED) {
            throw new IllegalStateException(RESOURCE + " holds " + passwords.size() + " passwords, expected " + EXPECTED);
        }
        return Collections.unmodifiableSet(passwords);
    }
}
