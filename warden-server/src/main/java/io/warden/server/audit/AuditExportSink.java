package io.warden.server.audit;

import io.warden.core.audit.AuditRecord;
import io.warden.server.WardenProperties;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Copies every sealed event, as one JSON object per line (the export format), to
 * {@code warden.audit.export-file}, so a log shipper can take events elsewhere. When the file
 * passes {@code export-max-size} it is renamed {@code FILE.1} (older ones shift up to
 * {@code FILE.<export-keep>}, the oldest dropped) and a new file is started. Files are 0600.
 *
 * <p>The ledger is the record; the sink is a copy. A failure to write is logged and the events
 * stay in the ledger (a shipper can catch up with {@code GET /v1/audit/events}); it never fails
 * the request that produced them. Records arrive as their transactions commit (on SQLite, still
 * under the one-writer lock, so lines keep commit order); writes are serialized here.
 */
@Component
class AuditExportSink {

    private static final Logger log = LoggerFactory.getLogger(AuditExportSink.class);

    private final Path file;
    private final long maxBytes;
    private final int keep;
    private final JsonMapper json;
    private OutputStream out;
    private long size;

    AuditExportSink(WardenProperties props, JsonMapper json) {
        WardenProperties.Audit audit = props.audit();
        this.file = audit.exportFile() == null || audit.exportFile().isBlank() ? null : Path.of(audit.exportFile());
        this.maxBytes = audit.exportMaxSize().toBytes();
        this.keep = Math.max(1, audit.exportKeep());
        this.json = json;
    }

    boolean enabled() {
        return file != null;
    }

    synchronized void write(List<AuditRecord> records) {
        if (file == null || records.isEmpty()) {
            return;
        }
        try {
            for (AuditRecord r : records) {
                byte[] line = (json.writeValueAsString(r) + "\n").getBytes(StandardCharsets.UTF_8);
                if (out != null && size > 0 && size + line.length > maxBytes) {
                    rotate();
                }
                if (out == null) {
                    open();
                }
                out.write(line);
                size += line.length;
            }
            out.flush();
        } catch (IOException | RuntimeException e) {
            log.error("audit export sink could not write {}: {}", file, e.getMessage());
            closeQuietly();
        }
    }

    private void open() throws IOException {
        if (!Files.exists(file) && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(file);
    }

    private void rotate() throws IOException {
        closeQuietly();
        Files.deleteIfExists(numbered(keep));
        for (int i = keep - 1; i >= 1; i--) {
            if (Files.exists(numbered(i))) {
                Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
    }

    private Path numbered(int i) {
        return file.resolveSibling(file.getFileName() + "." + i);
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // the next write reopens
            }
            out = null;
        }
    }
}
