package io.warden.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.server.WardenProperties;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.util.unit.DataSize;

/** Whose address a request comes from: only a trusted proxy may speak for the client. */
class ClientAddressTest {

    private static WardenProperties props(String... trustedProxies) {
        return new WardenProperties(Path.of("/tmp/unused"), "127.0.0.1", 0,
                new WardenProperties.Db(null, null, null, 10),
                new WardenProperties.Limits(DataSize.ofMegabytes(1), 64, 1000, 1000),
                new WardenProperties.Watch(Duration.ofSeconds(1), Duration.ofSeconds(15)),
                new WardenProperties.Identity(Duration.ofMinutes(30), Duration.ofHours(12), Duration.ofDays(30),
                        Duration.ofDays(365), 5, Duration.ofMinutes(15)),
                new WardenProperties.Edge(List.of(trustedProxies), List.of(), new WardenProperties.RateLimit(10, 20),
                        new WardenProperties.RateLimit(1200, 2400)),
                new WardenProperties.Tls(null, null, false), null, null);
    }

    private static ClientAddress trusting(String... cidrs) {
        return new ClientAddress(props(cidrs));
    }

    private static MockHttpServletRequest from(String peer, String... forwardedFor) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/auth/login");
        request.setRemoteAddr(peer);
        for (String value : forwardedFor) {
            request.addHeader("X-Forwarded-For", value);
        }
        return request;
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    // --- CIDR parsing -----------------------------------------------------------------------------

    @Test
    void ipv4CidrCoversItsRangeOnly() throws Exception {
        ClientAddress.Cidr tenSlash8 = ClientAddress.parseCidr("10.0.0.0/8");
        assertThat(tenSlash8.contains(ip("10.0.0.1"))).isTrue();
        assertThat(tenSlash8.contains(ip("10.255.255.255"))).isTrue();
        assertThat(tenSlash8.contains(ip("11.0.0.0"))).isFalse();
        assertThat(tenSlash8.contains(ip("9.255.255.255"))).isFalse();

        ClientAddress.Cidr slash22 = ClientAddress.parseCidr(" 192.168.4.0/22 ");
        assertThat(slash22.contains(ip("192.168.7.254"))).isTrue();
        assertThat(slash22.contains(ip("192.168.8.1"))).isFalse();
        assertThat(slash22.contains(ip("192.168.3.255"))).isFalse();
    }

    @Test
    void hostBitsInTheNetworkAreIgnored() throws Exception {
        ClientAddress.Cidr sloppy = ClientAddress.parseCidr("10.1.2.3/8");
        assertThat(sloppy.contains(ip("10.200.0.1"))).isTrue();
        assertThat(sloppy).isEqualTo(ClientAddress.parseCidr("10.0.0.0/8"));
    }

    @Test
    void slashZeroCoversEveryAddressOfItsFamily() throws Exception {
        ClientAddress.Cidr any4 = ClientAddress.parseCidr("0.0.0.0/0");
        assertThat(any4.contains(ip("203.0.113.9"))).isTrue();
        assertThat(any4.contains(ip("2001:db8::1"))).isFalse();
    }

    @Test
    void ipv6CidrCoversItsRangeOnly() throws Exception {
        ClientAddress.Cidr docs = ClientAddress.parseCidr("2001:db8::/32");
        assertThat(docs.contains(ip("2001:db8::1"))).isTrue();
        assertThat(docs.contains(ip("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"))).isTrue();
        assertThat(docs.contains(ip("2001:db9::1"))).isFalse();

        ClientAddress.Cidr uniqueLocal = ClientAddress.parseCidr("fd00::/8");
        assertThat(uniqueLocal.contains(ip("fd12:3456::1"))).isTrue();
        assertThat(uniqueLocal.contains(ip("fe80::1"))).isFalse();
    }

    @Test
    void familiesNeverMatchEachOther() throws Exception {
        assertThat(ClientAddress.parseCidr("::/0").contains(ip("10.0.0.1"))).isFalse();
        assertThat(ClientAddress.parseCidr("0.0.0.0/0").contains(ip("::1"))).isFalse();
    }

    @Test
    void singleAddressIsAFullLengthPrefix() throws Exception {
        ClientAddress.Cidr one = ClientAddress.parseCidr("192.0.2.10");
        assertThat(one.length()).isEqualTo(32);
        assertThat(one.contains(ip("192.0.2.10"))).isTrue();
        assertThat(one.contains(ip("192.0.2.11"))).isFalse();
        assertThat(one).isEqualTo(ClientAddress.parseCidr("192.0.2.10/32"));

        ClientAddress.Cidr loop6 = ClientAddress.parseCidr("::1");
        assertThat(loop6.length()).isEqualTo(128);
        assertThat(loop6.contains(ip("::1"))).isTrue();
        assertThat(loop6.contains(ip("::2"))).isFalse();
    }

    @Test
    void badInputIsRefused() {
        for (String bad : new String[] {"", "/", "10.0.0.0/33", "10.0.0.0/-1", "::/129", "10.0.0.0/abc", "10.0.0.0/",
                "10.0.0.0/8/9", "::g", "10.0.0.0 /8x", "fe80::1%eth0", "*"}) {
            assertThatThrownBy(() -> ClientAddress.parseCidr(bad)).as("'%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void digitsAndDotsThatAreNotAnAddressAreRefused() {
        // These pass the literal pre-check, so InetAddress.getByName sends them to the resolver: today
        // they are refused only because no resolver answers for such names.
        for (String bad : new String[] {"300.1.2.3", "1.2.3.4.5", "10.0.0.256/8"}) {
            assertThatThrownBy(() -> ClientAddress.parseCidr(bad)).as("'%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void hostnamesAreRefusedWithoutAskingDns() {
        // Each of these resolves (or could resolve) through a resolver; refusal must not depend on one.
        for (String name : new String[] {"localhost", "localhost/32", "example.com", "proxy.internal/24", "cafe.dead",
                "beef", "face.b00c"}) {
            assertThatThrownBy(() -> ClientAddress.parseCidr(name)).as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not an IP address");
            assertThat(ClientAddress.literal(name)).as(name).isNull();
        }
    }

    @Test
    void aTrustedProxyListWithAHostnameDoesNotConstruct() {
        assertThatThrownBy(() -> trusting("10.0.0.0/8", "localhost")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("localhost");
    }

    // --- X-Forwarded-For ----------------------------------------------------------------------------

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        assertThat(trusting().of(from("198.51.100.7", "203.0.113.1"))).isEqualTo("198.51.100.7");
    }

    @Test
    void headerFromAnUntrustedPeerIsIgnored() {
        ClientAddress clients = trusting("10.0.0.0/8");
        assertThat(clients.of(from("198.51.100.7", "203.0.113.1"))).isEqualTo("198.51.100.7");
        assertThat(clients.of(from("198.51.100.7", "10.0.0.5"))).isEqualTo("198.51.100.7");
    }

    @Test
    void headerFromATrustedPeerNamesTheClient() {
        ClientAddress clients = trusting("10.0.0.0/8");
        assertThat(clients.of(from("10.0.0.2", "203.0.113.1"))).isEqualTo("203.0.113.1");
        assertThat(clients.of(from("10.0.0.2", " 203.0.113.1 "))).isEqualTo("203.0.113.1");
    }

    @Test
    void trustedPeerWithoutTheHeaderIsTheClient() {
        assertThat(trusting("10.0.0.0/8").of(from("10.0.0.2"))).isEqualTo("10.0.0.2");
    }

    @Test
    void rightMostUntrustedHopWins() {
        ClientAddress clients = trusting("10.0.0.0/8");
        // client 203.0.113.1 -> proxy 198.51.100.9 (not ours) -> our proxies 10.0.0.3, 10.0.0.2
        assertThat(clients.of(from("10.0.0.2", "203.0.113.1, 198.51.100.9, 10.0.0.3"))).isEqualTo("198.51.100.9");
        // the same chain split over several header lines
        assertThat(clients.of(from("10.0.0.2", "203.0.113.1", "198.51.100.9", "10.0.0.3"))).isEqualTo("198.51.100.9");
    }

    @Test
    void spoofedLeftMostEntryIsIgnored() {
        ClientAddress clients = trusting("10.0.0.0/8");
        // the client wrote "1.2.3.4" itself; our proxy appended the address it really saw
        assertThat(clients.of(from("10.0.0.2", "1.2.3.4, 203.0.113.50"))).isEqualTo("203.0.113.50");
        assertThat(clients.of(from("10.0.0.2", "127.0.0.1, 203.0.113.50"))).isEqualTo("203.0.113.50");
    }

    @Test
    void garbageInTheChainFallsBackToThePeer() {
        ClientAddress clients = trusting("10.0.0.0/8");
        for (String chain : new String[] {"evil.example", "203.0.113.1, unknown", "203.0.113.1, ", "",
                "203.0.113.1, localhost, 10.0.0.3", "300.0.0.1", "203.0.113.1;drop"}) {
            assertThat(clients.of(from("10.0.0.2", chain))).as("'%s'", chain).isEqualTo("10.0.0.2");
        }
    }

    @Test
    void garbageLeftOfTheFirstUntrustedHopDoesNotMatter() {
        assertThat(trusting("10.0.0.0/8").of(from("10.0.0.2", "not-an-address, 203.0.113.1"))).isEqualTo("203.0.113.1");
    }

    @Test
    void chainOfOnlyTrustedHopsIsThePeer() {
        assertThat(trusting("10.0.0.0/8").of(from("10.0.0.2", "10.0.0.9, 10.0.0.3"))).isEqualTo("10.0.0.2");
    }

    @Test
    void ipv6ProxiesAndClients() {
        ClientAddress clients = trusting("fd00::/8", "127.0.0.1/32");
        assertThat(clients.of(from("fd00::2", "2001:db8::7"))).isEqualTo("2001:db8:0:0:0:0:0:7");
        assertThat(clients.of(from("2001:db8::9", "203.0.113.1"))).isEqualTo("2001:db8::9");
        assertThat(clients.of(from("127.0.0.1", "fd00::3, 2001:db8::7"))).isEqualTo("2001:db8:0:0:0:0:0:7");
    }

    @Test
    void aPeerThatIsNotAnAddressIsTakenAsItIs() {
        // Behind a unix socket or an odd connector: nothing to trust, the header stays ignored.
        assertThat(trusting("10.0.0.0/8").of(from("proxy.local", "203.0.113.1"))).isEqualTo("proxy.local");
    }

    @Test
    void rateLimitsCountAnIpv6ClientByItsSlash64() {
        assertThat(ClientAddress.rateKey("2001:db8:1:2:aaaa::1")).isEqualTo(ClientAddress.rateKey("2001:db8:1:2:bbbb::9"));
        assertThat(ClientAddress.rateKey("2001:db8:1:2::1")).isNotEqualTo(ClientAddress.rateKey("2001:db8:1:3::1"));
        assertThat(ClientAddress.rateKey("10.0.0.1")).isEqualTo("10.0.0.1");
    }
}
