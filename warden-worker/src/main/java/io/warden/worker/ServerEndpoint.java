package io.warden.worker;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Where the worker connects, and how: an {@code https://} URL (or {@code http://} to a loopback
 * address, or anywhere with {@code --insecure-transport}), optionally trusting only the CAs of a
 * PEM file instead of the system roots. Outbound only: the client opens no port.
 */
record ServerEndpoint(URI base, boolean plainText, HttpClient client) {

    static final class EndpointException extends Exception {
        EndpointException(String message) {
            super(message);
        }
    }

    static ServerEndpoint open(String url, boolean insecureTransport, Path caFile) throws EndpointException {
        URI uri;
        try {
            uri = new URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (java.net.URISyntaxException e) {
            throw new EndpointException("--server is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new EndpointException("--server must be an https:// URL (or http:// to a loopback address)");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new EndpointException("--server must be scheme://host[:port][/path], without user info, query or fragment");
        }
        boolean plain = scheme.equals("http");
        if (plain && !insecureTransport && !isLoopback(uri.getHost())) {
            throw new EndpointException("refusing plain http:// to " + uri.getHost() + ", which is not a loopback address:"
                    + " the credential and task data would cross the network unencrypted."
                    + " Use https://, or --insecure-transport if you really mean it");
        }
        if (plain && caFile != null) {
            throw new EndpointException("--ca-file needs an https:// server");
        }
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (caFile != null) {
            builder.sslContext(pinned(caFile));
        }
        return new ServerEndpoint(uri, plain, builder.build());
    }

    /** Loopback by its literal form only: a name is never resolved, so DNS cannot make it "local". */
    static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        boolean literal = h.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || (h.contains(":") && h.matches("[0-9a-fA-F:.]+"));
        if (!literal) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** An SSL context trusting exactly the certificates in a PEM file. */
    private static SSLContext pinned(Path caFile) throws EndpointException {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new EndpointException("--ca-file " + caFile + " holds no certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate cert : certs) {
                store.setCertificateEntry("ca-" + i++, cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException e) {
            throw new EndpointException("cannot read --ca-file " + caFile + ": " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new EndpointException("--ca-file " + caFile + " is not a PEM certificate file: " + e.getMessage());
        }
    }

    URI resolve(String path) {
        return URI.create(base + path);
    }
}
