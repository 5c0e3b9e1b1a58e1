package io.warden.server.web;

import io.warden.server.WardenProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The client's address: the socket peer, unless the peer is a configured trusted proxy, in which
 * case the right-most address of {@code X-Forwarded-For} that is not itself a trusted proxy.
 * A client can write anything into the header; only proxies we trust get to speak for it.
 */
@Component
public final class ClientAddress {

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    record Cidr(BigInteger network, BigInteger mask, int length) {
        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length * 8 != length) {
                return false;
            }
            return new BigInteger(1, bytes).and(mask).equals(network);
        }
    }

    private final List<Cidr> trusted;

    ClientAddress(WardenProperties props) {
        this.trusted = props.edge().trustedProxies().stream().map(ClientAddress::parseCidr).toList();
    }

    /** Parses {@code 10.0.0.0/8}, {@code ::1/128} or a single address. Never does a DNS lookup. */
    static Cidr parseCidr(String s) {
        String[] parts = s.strip().split("/", 2);
        InetAddress address = literal(parts[0]);
        if (address == null) {
            throw new IllegalArgumentException("trusted proxy '" + s + "' is not an IP address or CIDR");
        }
        int bits = address.getAddress().length * 8;
        int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bits;
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("trusted proxy '" + s + "' has a bad prefix length");
        }
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
        return new Cidr(new BigInteger(1, address.getAddress()).and(mask), mask, bits);
    }

    /** An IP literal as an address, or null: refuses anything that would need a DNS lookup. */
    static InetAddress literal(String s) {
        // Only full dotted quads and colon forms reach InetAddress: for those it parses and never
        // asks a resolver (a short form such as 10/8 or 2130706433 would be taken as a name).
        if (s == null || !(IPV4.matcher(s).matches() || (s.contains(":") && IPV6.matcher(s).matches()))) {
            return null;
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private boolean isTrusted(InetAddress a) {
        for (Cidr c : trusted) {
            if (c.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The unit a rate limit counts: the address, or for IPv6 its /64, since one client usually
     * holds a whole /64 and could otherwise take a fresh bucket per address.
     */
    static String rateKey(String address) {
        InetAddress a = literal(address);
        if (a == null || a.getAddress().length != 16) {
            return address;
        }
        byte[] b = a.getAddress();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            sb.append(String.format("%02x%02x:", b[i], b[i + 1]));
        }
        return sb.append(":/64").toString();
    }

    public String of(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        InetAddress peerAddress = literal(peer);
        if (peerAddress == null || trusted.isEmpty() || !isTrusted(peerAddress)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        var headers = request.getHeaders("X-Forwarded-For");
        while (headers.hasMoreElements()) {
            for (String hop : headers.nextElement().split(",")) {
                hops.add(hop.strip());
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = literal(hops.get(i));
            if (hop == null) {
                return peer; // garbage in the chain: do not guess past it
            }
            if (!isTrusted(hop)) {
                return hop.getHostAddress();
            }
        }
        return peer;
    }
}
