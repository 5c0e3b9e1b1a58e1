package io.warden.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The network between the CLI and a real server: a loopback TCP relay that carries every byte both
 * ways unchanged, and keeps a copy of each HTTP request the client sent, so that a test can check
 * what went over the wire (request line, headers, body) while the real server does the answering.
 *
 * <p>It can also fail the way a network does, which no server can be asked to do:
 * {@link #silence()} leaves the open connections open but carries nothing more on them (a peer
 * that vanished without closing: a laptop that slept, a NAT that forgot the connection), and
 * {@link #drop()} cuts them; {@link #hold} delays one request. Connections opened afterwards work
 * normally. While the server is down, a new connection is accepted and closed at once.
 */
final class Wire implements AutoCloseable {

    /** One request as the client sent it. */
    record Request(String method, String target, Map<String, String> headers, String body) {

        String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }

        /** The query as sent (still encoded), or null. */
        String rawQuery() {
            int q = target.indexOf('?');
            return q < 0 ? null : target.substring(q + 1);
        }

        Map<String, String> query() {
            Map<String, String> query = new LinkedHashMap<>();
            if (rawQuery() != null) {
                for (String pair : rawQuery().split("&")) {
                    int eq = pair.indexOf('=');
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return query;
        }

        /** A header by name, any case; null when absent. */
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** {@code GET /v1/roles/operator}: method and path, without the query. */
        String line() {
            return method + " " + path();
        }

        @Override
        public String toString() {
            return method + " " + target;
        }
    }

    private final ServerSocket listener;
    private final int upstreamPort;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final List<Held> holds = new CopyOnWriteArrayList<>();

    private Wire(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("wire-accept").start(this::accept);
    }

    /** A wire to the server listening on {@code port} of the loopback address. */
    static Wire to(int port) throws IOException {
        return new Wire(port);
    }

    /** The URL a client uses to reach the server through this wire. */
    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** Every request sent through this wire so far, in the order they were complete. */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests sent after the first {@code skip}: what one command sent, with skip = the count before it. */
    List<Request> requestsSince(int skip) {
        List<Request> all = requests();
        return all.subList(Math.min(skip, all.size()), all.size());
    }

    /**
     * Holds back the next request that matches, until {@link Held#release()}: a slow network
     * between two requests of one command, so that the test can change something in between.
     */
    Held hold(Predicate<Request> which) {
        Held held = new Held(which);
        holds.add(held);
        return held;
    }

    /** A request held back on its way to the server. */
    static final class Held {

        private final Predicate<Request> which;
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        private Held(Predicate<Request> which) {
            this.which = which;
        }

        /** Waits until the request has reached the wire (and not the server). */
        void awaitArrival() throws InterruptedException {
            if (!arrived.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the request to hold back was not sent within 30 s");
            }
        }

        /** Lets the request go on to the server. */
        void release() {
            released.countDown();
        }

        private void holdBack() {
            arrived.countDown();
            try {
                released.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The open connections stay open but carry nothing more, in either direction. */
    void silence() {
        // A copy: a connection opened meanwhile is not affected.
        List.copyOf(links).forEach(link -> link.silent = true);
    }

    /** Cuts the open connections. */
    void drop() {
        // A copy: a connection opened meanwhile (the client reconnecting at once) is not cut.
        List.copyOf(links).forEach(Link::close);
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        drop();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            Socket upstream;
            try {
                upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
            } catch (IOException e) {
                closeQuietly(client); // the server is down
                continue;
            }
            Link link = new Link(client, upstream);
            links.add(link);
            Thread.ofVirtual().name("wire-up").start(() -> link.pump(client, upstream, new RequestReader()));
            Thread.ofVirtual().name("wire-down").start(() -> link.pump(upstream, client, null));
        }
    }

    /** One client connection and its connection to the server. */
    private final class Link {

        private final Socket client;
        private final Socket upstream;
        private volatile boolean silent;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void pump(Socket from, Socket to, RequestReader reader) {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buffer)) != -1; ) {
                    if (silent) {
                        continue;
                    }
                    if (reader != null) {
                        reader.feed(buffer, n);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed or was cut
            }
            if (!silent) {
                close();
            }
        }

        void close() {
            links.remove(this);
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    /** Splits the bytes a client sends into HTTP/1.1 requests (the CLI sends bodies with Content-Length). */
    private final class RequestReader {

        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        void feed(byte[] bytes, int length) {
            pending.write(bytes, 0, length);
            byte[] data = pending.toByteArray();
            int start = 0;
            while (true) {
                int headEnd = indexOf(data, start, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                if (headEnd < 0) {
                    break;
                }
                String[] head = new String(data, start, headEnd - start, StandardCharsets.ISO_8859_1).split("\r\n");
                Map<String, String> headers = new LinkedHashMap<>();
                for (int i = 1; i < head.length; i++) {
                    int colon = head[i].indexOf(':');
                    headers.putIfAbsent(head[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).strip());
                }
                int bodyStart = headEnd + 4;
                int bodyLength = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                if (data.length - bodyStart < bodyLength) {
                    break;
                }
                String[] requestLine = head[0].split(" ");
                Request request = new Request(requestLine[0], requestLine[1], headers,
                        new String(data, bodyStart, bodyLength, StandardCharsets.UTF_8));
                requests.add(request);
                for (Held held : holds) {
                    if (held.which.test(request) && holds.remove(held)) {
                        held.holdBack(); // before the bytes are passed on
                    }
                }
                start = bodyStart + bodyLength;
            }
            pending.reset();
            pending.write(data, start, data.length - start);
        }

        private static int indexOf(byte[] data, int from, byte[] needle) {
            outer:
            for (int i = from; i <= data.length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (data[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** All requests' {@link Request#line()}s, for comparing a sequence of calls. */
    static List<String> lines(List<Request> requests) {
        List<String> lines = new ArrayList<>();
        requests.forEach(r -> lines.add(r.line()));
        return lines;
    }
}
