package io.warden.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Streams a running task's output to the server as task events: output is gathered for a
 * moment and sent in batches (consecutive text of one stream joined, at most 32 KiB per event,
 * well inside the server's 256 KiB), so a chatty program costs a few calls a second, not one
 * per line. A {@code 409} means the lease is gone, which {@code onLeaseLost} hears about.
 * Streaming is best effort: the report at the end carries the whole (capped) output anyway.
 */
final class OutputStreamer implements Runner.OutputListener {

    static final int MAX_EVENT_CHARS = 32 * 1024;
    private static final long PERIOD_MILLIS = 250;

    private final WorkerApi api;
    private final JsonLog log;
    private final String taskId;
    private final int attempt;
    private final Runnable onLeaseLost;
    private final List<Map.Entry<String, String>> pending = new ArrayList<>();
    private final ScheduledFuture<?> timer;
    private boolean lost;

    OutputStreamer(WorkerApi api, JsonLog log, ScheduledExecutorService scheduler, String taskId, int attempt,
            Runnable onLeaseLost) {
        this.api = api;
        this.log = log;
        this.taskId = taskId;
        this.attempt = attempt;
        this.onLeaseLost = onLeaseLost;
        this.timer = scheduler.scheduleWithFixedDelay(this::flush, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void output(String stream, String text) {
        synchronized (pending) {
            int at = 0;
            while (at < text.length()) {
                Map.Entry<String, String> last = pending.isEmpty() ? null : pending.getLast();
                if (last != null && last.getKey().equals(stream) && last.getValue().length() < MAX_EVENT_CHARS) {
                    int take = Math.min(MAX_EVENT_CHARS - last.getValue().length(), text.length() - at);
                    pending.set(pending.size() - 1, Map.entry(stream, last.getValue() + text.substring(at, at + take)));
                    at += take;
                } else {
                    int take = Math.min(MAX_EVENT_CHARS, text.length() - at);
                    pending.add(Map.entry(stream, text.substring(at, at + take)));
                    at += take;
                }
            }
        }
    }

    /** Sends what is gathered; called by the timer and once more at the end. */
    synchronized void flush() {
        List<Map.Entry<String, String>> batch;
        synchronized (pending) {
            if (pending.isEmpty() || lost) {
                return;
            }
            batch = List.copyOf(pending);
            pending.clear();
        }
        for (int from = 0; from < batch.size(); from += 8) {
            try {
                api.events(taskId, attempt, batch.subList(from, Math.min(batch.size(), from + 8)));
            } catch (WorkerApi.CallFailed e) {
                if (e.leaseLost()) {
                    lost = true;
                    onLeaseLost.run();
                    return;
                }
                log.warn("could not stream task output; the final report still carries it", "task", taskId,
                        "status", e.status());
                return;
            } catch (java.io.IOException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops the timer and sends the rest. */
    void close() {
        timer.cancel(false);
        flush();
    }
}
