package io.warden.server.web;

import io.warden.server.WardenProperties;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Refuses to listen on a non-loopback address without TLS: credentials would cross the network
 * in the clear. {@code --insecure-http} overrides that (behind a TLS-terminating proxy, say), and
 * then a warning is logged at start and every hour.
 */
@Component
class ListenAddressGuard implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ListenAddressGuard.class);
    static final Duration REMINDER = Duration.ofHours(1);

    private final String bind;
    private final boolean tls;
    private final boolean insecureHttp;
    private ScheduledExecutorService reminder;

    ListenAddressGuard(WardenProperties props) {
        this.bind = props.bind();
        this.tls = props.tls().enabled();
        this.insecureHttp = props.tls().insecureHttp();
        check();
    }

    /** True when serving would expose plain HTTP beyond this machine (allowed only with --insecure-http). */
    boolean exposesPlainHttp() {
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot resolve bind address '" + bind + "'");
        }
        return !address.isLoopbackAddress() && !tls;
    }

    private void check() {
        if (exposesPlainHttp() && !insecureHttp) {
            throw new IllegalStateException("refusing to listen on " + bind + " without TLS: give --tls-cert and"
                    + " --tls-key, bind to loopback (127.0.0.1), or accept the risk with --insecure-http");
        }
    }

    @Override
    public void start() {
        if (exposesPlainHttp()) {
            warn();
            reminder = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("insecure-http-warning").factory());
            reminder.scheduleAtFixedRate(this::warn, REMINDER.toMinutes(), REMINDER.toMinutes(), TimeUnit.MINUTES);
        }
    }

    private void warn() {
        log.warn("INSECURE: serving plain HTTP on {} (--insecure-http): tokens, passwords and session cookies"
                + " cross the network unencrypted", bind);
    }

    @Override
    public void stop() {
        if (reminder != null) {
            reminder.shutdownNow();
            reminder = null;
        }
    }

    @Override
    public boolean isRunning() {
        return reminder != null;
    }
}
