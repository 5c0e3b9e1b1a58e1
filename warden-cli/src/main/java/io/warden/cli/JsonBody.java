package io.warden.cli;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A flat JSON object request body that may hold passwords. Secrets are written from their
 * {@code char[]} straight into the body's bytes, with no {@code String} and no pooled encoder
 * buffer in between, and {@link #close} wipes every byte that held them; so a body is built in
 * try-with-resources:
 *
 * <pre>{@code
 * try (JsonBody body = new JsonBody().put("username", name).putSecret("password", password)) {
 *     client.post("/v1/users", body.bytes(), Auth.BEARER);
 * }
 * }</pre>
 *
 * <p>The output is ASCII: anything else is written as a {@code \}{@code uXXXX} escape, which every
 * JSON parser reads back to the same characters.
 */
final class JsonBody implements AutoCloseable {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Exposes its buffer so that it can be wiped: toByteArray() alone would leave the original behind. */
    private static final class WipeableBuffer extends ByteArrayOutputStream {
        WipeableBuffer() {
            // Large enough that a body never grows: growing copies and would leave the old array unwiped.
            super(16 * 1024);
        }

        void wipe() {
            Arrays.fill(buf, (byte) 0);
            reset();
        }
    }

    private final WipeableBuffer buffer = new WipeableBuffer();
    private byte[] bytes;
    private boolean first = true;

    JsonBody() {
        buffer.write('{');
    }

    /** Adds a string field; a null value leaves the field out. */
    JsonBody put(String name, String value) {
        if (value != null) {
            name(name);
            string(value.toCharArray());
        }
        return this;
    }

    /** Adds a secret string field; the caller still owns (and wipes) {@code value}. */
    JsonBody putSecret(String name, char[] value) {
        name(name);
        string(value);
        return this;
    }

    /** The finished body; valid until {@link #close}. */
    byte[] bytes() {
        if (bytes == null) {
            buffer.write('}');
            bytes = buffer.toByteArray();
            buffer.wipe();
        }
        return bytes;
    }

    @Override
    public void close() {
        if (bytes != null) {
            Arrays.fill(bytes, (byte) 0);
        }
        buffer.wipe();
    }

    private void name(String name) {
        if (bytes != null) {
            throw new IllegalStateException("the body is finished");
        }
        if (!first) {
            buffer.write(',');
        }
        first = false;
        string(name.toCharArray());
        buffer.write(':');
    }

    private void string(char[] chars) {
        buffer.write('"');
        for (char c : chars) {
            if (c == '"' || c == '\\') {
                buffer.write('\\');
                buffer.write(c);
            } else if (c >= 0x20 && c < 0x7f) {
                buffer.write(c);
            } else {
                buffer.write('\\');
                buffer.write('u');
                buffer.write(HEX[(c >> 12) & 0xf]);
                buffer.write(HEX[(c >> 8) & 0xf]);
                buffer.write(HEX[(c >> 4) & 0xf]);
                buffer.write(HEX[c & 0xf]);
            }
        }
        buffer.write('"');
    }
}
