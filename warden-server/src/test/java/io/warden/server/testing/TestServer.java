package io.warden.server.testing;

import io.warden.server.WardenServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** A real Warden server in this JVM on a random loopback port, over a {@link TestDatabase}. */
public final class TestServer implements AutoCloseable {

    /** The first admin every test server is set up with. */
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "correct-horse-battery-staple-42";

    private final ConfigurableApplicationContext context;
    private final Api api;

    private TestServer(ConfigurableApplicationContext context, TestDatabase db, boolean setUp) {
        this.context = context;
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        Api anonymous = new Api(URI.create("http://127.0.0.1:" + port));
        this.api = setUp ? anonymous.withToken(adminToken(anonymous, db)) : anonymous;
    }

    /** Sets the server up on first start (setup token from the data directory), then logs in as admin. */
    private static String adminToken(Api anonymous, TestDatabase db) {
        Path tokenFile = db.dataDir().resolve("setup-token");
        if (Files.exists(tokenFile)) {
            try {
                String token = Files.readString(tokenFile).strip();
                var setup = anonymous.post("/v1/setup", "{\"token\":\"" + token + "\",\"username\":\"" + ADMIN
                        + "\",\"password\":\"" + ADMIN_PASSWORD + "\"}");
                if (setup.status() != 201) {
                    throw new IllegalStateException("setup failed: " + setup.body());
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return login(anonymous, ADMIN, ADMIN_PASSWORD);
    }

    /** A personal API token for a user. */
    public static String login(Api anonymous, String username, String password) {
        var r = anonymous.post("/v1/auth/token", "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
        if (r.status() != 201) {
            throw new IllegalStateException("login of " + username + " failed: " + r.status() + " " + r.body());
        }
        return r.json().path("token").asString();
    }

    public static TestServer start(TestDatabase db, String... extraArgs) {
        return start(db, List.of(), extraArgs);
    }

    /** Starts with extra configuration classes (test-only controllers, for instance). */
    public static TestServer start(TestDatabase db, List<Class<?>> extraSources, String... extraArgs) {
        return start(db, true, extraSources, extraArgs);
    }

    /** A server left as it first starts: no users, a setup token in the data directory, an anonymous client. */
    public static TestServer startWithoutSetup(TestDatabase db, String... extraArgs) {
        return start(db, false, List.of(), extraArgs);
    }

    private static TestServer start(TestDatabase db, boolean setUp, List<Class<?>> extraSources, String... extraArgs) {
        List<String> args = new ArrayList<>(db.serverArgs());
        args.add("--warden.port=0");
        args.add("--logging.structured.format.console=");
        args.addAll(List.of(extraArgs));
        List<Class<?>> sources = new ArrayList<>();
        sources.add(WardenServer.class);
        sources.addAll(extraSources);
        SpringApplication app = new SpringApplication(sources.toArray(Class<?>[]::new));
        return new TestServer(app.run(args.toArray(String[]::new)), db, setUp);
    }

    /** An API client authenticated as the admin (anonymous for {@link #startWithoutSetup}). */
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
