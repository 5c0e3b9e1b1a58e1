package io.warden.cli;

import io.warden.core.audit.AuditRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The events of an export (JSON Lines: one event per line), read one at a time so that memory
 * stays flat however long the chain. Blank lines are skipped. A line that is not an event ends
 * the reading with {@link BadLineException}, which names the line.
 */
final class AuditLines implements Iterator<AuditRecord> {

    /** A line that is not an event, or input that could not be read. */
    static final class BadLineException extends RuntimeException {
        BadLineException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final BufferedReader reader;
    private final String name;
    private long lineNumber;
    private long events;
    private AuditRecord next;
    private boolean ended;

    /** @param name the input as the user named it, for messages ({@code events.jsonl}, {@code stdin}) */
    AuditLines(BufferedReader reader, String name) {
        this.reader = reader;
        this.name = name;
    }

    /** How many events were read so far. */
    long events() {
        return events;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !ended) {
            next = read();
            ended = next == null;
        }
        return next != null;
    }

    @Override
    public AuditRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        AuditRecord r = next;
        next = null;
        events++;
        return r;
    }

    private AuditRecord read() {
        String line;
        do {
            try {
                line = reader.readLine();
            } catch (CharacterCodingException e) {
                throw new BadLineException(name + ", line " + (lineNumber + 1) + ": not UTF-8 text", e);
            } catch (IOException e) {
                throw new BadLineException("cannot read " + name + " after line " + lineNumber + ": " + e.getMessage(),
                        new UncheckedIOException(e));
            }
            if (line == null) {
                return null;
            }
            lineNumber++;
        } while (line.isBlank());
        try {
            return AuditJson.record(AuditJson.parse(line));
        } catch (AuditJson.MalformedException e) {
            throw new BadLineException(name + ", line " + lineNumber + ": not an audit event: " + e.getMessage(), e);
        }
    }
}
