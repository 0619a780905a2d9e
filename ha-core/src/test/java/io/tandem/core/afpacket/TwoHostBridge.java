package io.tandem.core.afpacket;

import io.tandem.core.lab.Command;
import io.tandem.core.lab.Netns;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Three namespaces with a unique per-run prefix: a bridge namespace holding
 * {@code br0}, and hosts A ({@code a0}, 192.0.2.1/24) and B ({@code b0},
 * 192.0.2.2/24), each joined to the bridge by a veth pair made from inside the
 * host namespace. IPv6 is off, so the only frames are the ones tests send.
 * Nothing touches the root namespace; {@link #close()} deletes it all.
 */
final class TwoHostBridge implements AutoCloseable {
    static final String A_IF = "a0";
    static final String B_IF = "b0";
    static final String A_IP = "192.0.2.1";
    static final String B_IP = "192.0.2.2";

    private static final Pattern MAC = Pattern.compile("link/ether ([0-9a-f:]{17})");

    final String prefix;
    Netns bridge;
    Netns a;
    Netns b;

    private TwoHostBridge(String prefix) {
        this.prefix = prefix;
    }

    static TwoHostBridge create() throws IOException {
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        TwoHostBridge lab = new TwoHostBridge("t" + HexFormat.of().formatHex(random).substring(0, 5));
        try {
            lab.build();
            return lab;
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    private void build() throws IOException {
        bridge = Netns.create(prefix + "br");
        a = Netns.create(prefix + "a");
        b = Netns.create(prefix + "b");
        for (Netns ns : new Netns[] {bridge, a, b}) {
            ns.exec("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1").orThrow();
            ns.exec("sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1").orThrow();
        }
        bridge.exec("ip", "link", "add", "br0", "type", "bridge", "stp_state", "0").orThrow();
        bridge.exec("ip", "link", "set", "br0", "up").orThrow();
        join(a, A_IF, "pa", A_IP);
        join(b, B_IF, "pb", B_IP);
        awaitUp(a, A_IF);
        awaitUp(b, B_IF);
        awaitUp(bridge, "br0");
    }

    private void join(Netns host, String hostIf, String bridgeIf, String ip) throws IOException {
        host.exec("ip", "link", "add", hostIf, "type", "veth", "peer", "name", bridgeIf, "netns", bridge.name())
                .orThrow();
        bridge.exec("ip", "link", "set", bridgeIf, "master", "br0").orThrow();
        bridge.exec("ip", "link", "set", bridgeIf, "up").orThrow();
        host.exec("ip", "addr", "add", ip + "/24", "dev", hostIf).orThrow();
        host.exec("ip", "link", "set", hostIf, "up").orThrow();
    }

    /** Waits, at most 5 s, for the link's operational state to be UP (veth carrier is set asynchronously). */
    private static void awaitUp(Netns ns, String ifName) throws IOException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            Command.Result r = ns.exec("ip", "-o", "link", "show", "dev", ifName).orThrow();
            if (r.stdout().contains("state UP")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(ifName + " in " + ns + " not UP after 5 s: " + r.stdout().strip());
            }
            Thread.onSpinWait();
        }
    }

    /** The interface's MAC address as {@code ip link} shows it. */
    static String macOf(Netns ns, String ifName) throws IOException {
        String out = ns.exec("ip", "-o", "link", "show", "dev", ifName).orThrow().stdout();
        Matcher m = MAC.matcher(out);
        if (!m.find()) {
            throw new IOException("no link/ether address for " + ifName + " in " + ns + ": " + out.strip());
        }
        return m.group(1);
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Netns ns : new Netns[] {a, b, bridge}) {
            if (ns == null) {
                continue;
            }
            try {
                ns.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
