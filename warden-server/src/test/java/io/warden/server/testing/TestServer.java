package io.warden.server.testing;

import io.warden.server.WardenServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** A real Warden server in this JVM on a random loopback port, over a {@link TestDatabase}. */
public final class TestServer implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final Api api;

    private TestServer(ConfigurableApplicationContext context) {
        this.context = context;
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.api = new Api(URI.create("http://127.0.0.1:" + port));
    }

    public static TestServer start(TestDatabase db, String... extraArgs) {
        return start(db, List.of(), extraArgs);
    }

    /** Starts with extra configuration classes (test-only controllers, for instance). */
    public static TestServer start(TestDatabase db, List<Class<?>> extraSources, String... extraArgs) {
        List<String> args = new ArrayList<>(db.serverArgs());
        args.add("--warden.port=0");
        args.add("--logging.structured.format.console=");
        args.addAll(List.of(extraArgs));
        List<Class<?>> sources = new ArrayList<>();
        sources.add(WardenServer.class);
        sources.addAll(extraSources);
        SpringApplication app = new SpringApplication(sources.toArray(Class<?>[]::new));
        return new TestServer(app.run(args.toArray(String[]::new)));
    }

    public Api api() {
        return api;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
