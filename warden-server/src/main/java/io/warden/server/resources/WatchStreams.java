package io.warden.server.resources;

import io.warden.api.Kind;
import io.warden.api.Resource;
import io.warden.api.WatchEvent;
import io.warden.core.labels.LabelSelector;
import io.warden.server.WardenProperties;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves watch requests as server-sent events. A stream without a starting version first sends
 * every current resource as ADDED (all with the list's version as event id), then every change
 * after that version; a stream resumed from version N sends every change after N. Versions commit
 * in order (docs/decisions/0002-resource-versions.md), so resuming never skips a change.
 *
 * <p>Runs on the request's virtual thread; ends when the client goes away or the server stops.
 */
@Component
class WatchStreams {

    private static final int BATCH = 500;

    private final Resources resources;
    private final ChangeSignal signal;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration pollInterval;
    private final Duration keepAlive;

    WatchStreams(Resources resources, ChangeSignal signal, JsonMapper json, Clock clock, WardenProperties props) {
        this.resources = resources;
        this.signal = signal;
        this.json = json;
        this.clock = clock;
        this.pollInterval = props.watch().pollInterval();
        this.keepAlive = props.watch().keepAlive();
    }

    void stream(Kind kind, String namespace, LabelSelector selector, Long fromVersion, HttpServletResponse response)
            throws IOException {
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        OutputStream out = response.getOutputStream();
        try {
            run(kind, namespace, selector, fromVersion, out);
        } catch (IOException e) {
            // the client went away: nothing to report
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(Kind kind, String namespace, LabelSelector selector, Long fromVersion, OutputStream out)
            throws IOException, InterruptedException {
        long after;
        // Versions of objects already sent in the initial listing: later events at or below them are old news.
        Map<String, Long> listed = new HashMap<>();
        if (fromVersion == null) {
            after = resources.currentVersion();
            String token = null;
            do {
                Resources.Page page = resources.list(kind, namespace, selector, BATCH, token);
                for (Resource r : page.items()) {
                    listed.put(r.metadata().name(), Long.parseLong(r.metadata().resourceVersion()));
                    send(out, after, new WatchEvent(WatchEvent.Type.ADDED, r));
                }
                token = page.continueToken();
            } while (token != null);
        } else {
            after = fromVersion;
        }
        out.write(": watching\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        long lastWrite = clock.millis();
        while (signal.isOpen()) {
            long seen = signal.ticks();
            List<Resources.Change> changes = resources.changesAfter(kind, namespace, after, BATCH);
            for (Resources.Change c : changes) {
                after = c.version();
                Resource r = c.event().object();
                Long sentAt = listed.get(r.metadata().name());
                if (sentAt != null && c.version() <= sentAt) {
                    continue;
                }
                if (selector.matches(r.metadata().labels())) {
                    send(out, c.version(), c.event());
                    lastWrite = clock.millis();
                }
            }
            if (changes.size() == BATCH) {
                continue;
            }
            if (clock.millis() - lastWrite >= keepAlive.toMillis()) {
                out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                lastWrite = clock.millis();
            }
            signal.await(seen, pollInterval);
        }
    }

    private void send(OutputStream out, long id, WatchEvent event) throws IOException {
        String frame = "id: " + id + "\nevent: " + event.type() + "\ndata: " + json.writeValueAsString(event) + "\n\n";
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
