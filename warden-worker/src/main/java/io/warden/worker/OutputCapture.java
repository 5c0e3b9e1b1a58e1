package io.warden.worker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Drains one output stream of a program: keeps its first {@code cap} bytes, passes them on as
 * text while they arrive (decoded as UTF-8, a sequence split between reads kept for the next
 * one, invalid bytes replaced), and reads on past the cap without keeping anything, so the
 * program never blocks on a full pipe.
 */
final class OutputCapture implements Runnable {

    private final InputStream in;
    private final String stream;
    private final int cap;
    private final Runner.OutputListener listener;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final ByteBuffer pending = ByteBuffer.allocate(16);
    private volatile boolean truncated;

    OutputCapture(InputStream in, String stream, int cap, Runner.OutputListener listener) {
        this.in = in;
        this.stream = stream;
        this.cap = cap;
        this.listener = listener;
    }

    @Override
    public void run() {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                int room = cap - kept.size();
                int keep = Math.min(room, n);
                if (keep > 0) {
                    kept.write(buf, 0, keep);
                    emit(buf, keep, false);
                }
                if (keep < n) {
                    truncated = true;
                }
            }
        } catch (IOException e) {
            // The stream was closed under us (the program was killed and the runner stopped waiting).
        }
        emit(buf, 0, true);
    }

    private void emit(byte[] buf, int len, boolean end) {
        ByteBuffer input = ByteBuffer.allocate(pending.position() + len);
        pending.flip();
        input.put(pending).put(buf, 0, len).flip();
        pending.clear();
        CharBuffer out = CharBuffer.allocate(input.remaining() + 1);
        decoder.decode(input, out, end);
        if (end) {
            decoder.flush(out);
        } else if (input.remaining() > 0 && input.remaining() <= pending.capacity()) {
            pending.put(input);
        }
        out.flip();
        if (out.hasRemaining()) {
            listener.output(stream, out.toString());
        }
    }

    Runner.Captured captured() {
        return new Runner.Captured(kept.toString(StandardCharsets.UTF_8), truncated);
    }
}
