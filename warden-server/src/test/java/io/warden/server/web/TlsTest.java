package io.warden.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.server.WardenServer;
import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTPS from PEM files: the server speaks only TLS on its port, sends HSTS, names its session
 * cookie {@code __Host-} and marks it Secure; and it refuses to start half-configured or exposed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class TlsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ADMIN_PASSWORD = "tls-admin-passphrase-that-is-long";

    private SelfSigned certificate;
    private ConfigurableApplicationContext context;
    private URI https;
    private HttpClient client;

    /** A self-signed EC P-256 certificate for 127.0.0.1 and localhost, written as PEM files. */
    record SelfSigned(X509Certificate certificate, Path certFile, Path keyFile) {

        static SelfSigned create(Path dir) throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=localhost");
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
                    keys.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));

            Files.createDirectories(dir);
            Path certFile = dir.resolve("cert.pem");
            Path keyFile = dir.resolve("key.pem");
            Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()));
            Files.writeString(keyFile, pem("PRIVATE KEY", keys.getPrivate().getEncoded())); // JCA encodes PKCS#8
            return new SelfSigned(cert, certFile, keyFile);
        }

        private static String pem(String type, byte[] der) {
            String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
            return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
        }

        /** A client context that trusts this certificate and nothing else. */
        SSLContext trustingOnlyThis() throws Exception {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("warden-test", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        }
    }

    /** Starts the server the way {@link TestServer} does, minus its plain-HTTP client and setup. */
    private static ConfigurableApplicationContext startServer(TestDatabase db, String... extraArgs) {
        List<String> args = new ArrayList<>(db.serverArgs());
        args.add("--warden.port=0");
        args.add("--logging.structured.format.console=");
        args.addAll(List.of(extraArgs));
        return new SpringApplication(WardenServer.class).run(args.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @BeforeAll
    void start() throws Exception {
        TestDatabase db = TestDatabase.sqlite();
        certificate = SelfSigned.create(Files.createTempDirectory("warden-tls-"));
        context = startServer(db, "--warden.tls.cert=" + certificate.certFile(), "--warden.tls.key=" + certificate.keyFile());
        https = URI.create("https://127.0.0.1:" + port(context));
        client = HttpClient.newBuilder().sslContext(certificate.trustingOnlyThis()).connectTimeout(Duration.ofSeconds(5))
                .build();

        String setupToken = Files.readString(db.dataDir().resolve("setup-token")).strip();
        var setup = post("/v1/setup", "{\"token\":\"" + setupToken + "\",\"username\":\"admin\",\"password\":\""
                + ADMIN_PASSWORD + "\"}");
        assertThat(setup.statusCode()).as(setup.body()).isEqualTo(201);
    }

    @AfterAll
    void stop() {
        if (context != null) {
            context.close();
        }
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(https.resolve(path)).timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    @Test
    void healthOverHttpsCarriesHsts() throws Exception {
        var r = send(request("/healthz").GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("status").asString()).isEqualTo("ok");
        assertThat(r.headers().firstValue("Strict-Transport-Security"))
                .hasValueSatisfying(v -> assertThat(v).contains("max-age=").doesNotContain("max-age=0"));
        assertThat(r.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).isIn("TLSv1.3", "TLSv1.2"));
    }

    @Test
    void errorAnswersOverHttpsCarryHstsToo() throws Exception {
        var r = send(request("/v1/auth/whoami").GET().build());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Strict-Transport-Security")).isPresent();
    }

    @Test
    void plainHttpToTheTlsPortIsNotServed() {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(context) + "/healthz"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> r;
        try {
            r = plain.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return; // the connection was dropped: not served, as it should be
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        // Tomcat may answer a plain request on a TLS port with its own fixed 400 "requires TLS" reply.
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).doesNotContain("\"ok\"").contains("requires TLS");
    }

    @Test
    void loginOverHttpsSetsAHostPrefixedSecureCookie() throws Exception {
        var r = post("/v1/auth/login", "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        SetCookie session = SetCookie.find(r.headers(), "__Host-warden_session").orElseThrow();
        assertThat(session.has("Secure")).isTrue();
        assertThat(session.has("HttpOnly")).isTrue();
        assertThat(session.attribute("SameSite")).hasValueSatisfying(v -> assertThat(v).isEqualToIgnoringCase("Strict"));
        assertThat(session.attribute("Path")).as("__Host- cookies need Path=/").hasValue("/");
        assertThat(session.has("Domain")).as("__Host- cookies must not name a Domain").isFalse();
        assertThat(SetCookie.find(r.headers(), "warden_session")).as("no plain-named cookie over TLS").isEmpty();

        SetCookie csrf = SetCookie.find(r.headers(), AuthenticationFilter.CSRF_COOKIE).orElseThrow();
        assertThat(csrf.has("Secure")).isTrue();

        var whoami = send(request("/v1/auth/whoami").header("Cookie", session.pair()).GET().build());
        assertThat(whoami.statusCode()).as(whoami.body()).isEqualTo(200);
        JsonNode me = JSON.readTree(whoami.body());
        assertThat(me.path("user").asString()).isEqualTo("admin");
        assertThat(me.path("via").asString()).isEqualTo("session");

        // The same value under the plain-HTTP name is no credential on a TLS server.
        var plainName = send(request("/v1/auth/whoami").header("Cookie", "warden_session=" + session.value()).GET().build());
        assertThat(plainName.statusCode()).isEqualTo(401);
    }

    @Test
    void clientThatDoesNotTrustTheCertificateIsRefused() {
        HttpClient defaultTrust = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> defaultTrust.send(request("/healthz").GET().build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    // --- refusing to start --------------------------------------------------------------------------

    /** Every message along the cause chain of a failed start, so assertions do not depend on Spring's wrapping. */
    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append('\n');
        }
        return all.toString();
    }

    @Test
    void certificateWithoutAKeyRefusesToStart() {
        assertThatThrownBy(() -> startServer(TestDatabase.sqlite(), "--warden.tls.cert=" + certificate.certFile()).close())
                .satisfies(e -> assertThat(messages(e)).contains("--tls-cert needs --tls-key"));
    }

    @Test
    void allInterfacesWithoutTlsRefusesToStart() {
        assertThatThrownBy(() -> startServer(TestDatabase.sqlite(), "--warden.bind=0.0.0.0").close())
                .satisfies(e -> assertThat(messages(e)).contains("without TLS"));
    }

    @Test
    void allInterfacesWithExplicitInsecureHttpStartsAndSaysSo(CapturedOutput output) {
        try (TestServer server = TestServer.start(TestDatabase.sqlite(), "--warden.bind=0.0.0.0",
                "--warden.tls.insecure-http=true")) {
            assertThat(server.api().get("/healthz").status()).isEqualTo(200);
            assertThat(server.api().get("/v1/auth/whoami").status()).isEqualTo(200);
            assertThat(output.getAll()).contains("INSECURE: serving plain HTTP on 0.0.0.0");
        }
    }

    @Test
    void allInterfacesWithTlsStarts() throws Exception {
        try (ConfigurableApplicationContext exposed = startServer(TestDatabase.sqlite(), "--warden.bind=0.0.0.0",
                "--warden.tls.cert=" + certificate.certFile(), "--warden.tls.key=" + certificate.keyFile())) {
            var r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port(exposed) + "/healthz"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }
}
