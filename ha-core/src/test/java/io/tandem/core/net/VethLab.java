package io.tandem.core.net;

import io.tandem.core.lab.Command;
import io.tandem.core.lab.Netns;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Two namespaces, "a" and "b", joined by a veth pair made from inside "a":
 * 10.99.0.1/24, fe80::1, fd00:99::1/64 on a's end; .2, ::2 on b's. Duplicate
 * address detection is off so every address is usable at once. Names carry a
 * per-run prefix; {@link #close} removes both namespaces (and with them the pair).
 */
final class VethLab implements AutoCloseable {
    static final InetAddress A4 = address("10.99.0.1");
    static final InetAddress B4 = address("10.99.0.2");
    static final InetAddress A6_LINK_LOCAL = address("fe80::1");
    static final InetAddress B6_LINK_LOCAL = address("fe80::2");
    static final InetAddress A6 = address("fd00:99::1");
    static final InetAddress B6 = address("fd00:99::2");
    static final InetAddress VRRP_GROUP_V4 = address("224.0.0.18");
    static final InetAddress VRRP_GROUP_V6 = address("ff02::12");

    final String prefix;
    final String ifA;
    final String ifB;
    private Netns a;
    private Netns b;

    private VethLab(String prefix) {
        this.prefix = prefix;
        this.ifA = prefix + "a0";
        this.ifB = prefix + "b0";
    }

    static VethLab create() throws IOException {
        VethLab lab = new VethLab("t" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 5));
        try {
            lab.build();
            return lab;
        } catch (IOException | RuntimeException e) {
            try {
                lab.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void build() throws IOException {
        a = Netns.create(prefix + "-a");
        b = Netns.create(prefix + "-b");
        for (Netns ns : new Netns[] {a, b}) {
            ns.exec("sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0")
                    .orThrow();
        }
        a.exec("ip", "link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", b.name()).orThrow();
        configure(a, ifA, "10.99.0.1/24", "fe80::1/64", "fd00:99::1/64");
        configure(b, ifB, "10.99.0.2/24", "fe80::2/64", "fd00:99::2/64");
        awaitLowerUp(a, ifA);
        awaitLowerUp(b, ifB);
    }

    private static void configure(Netns ns, String dev, String v4, String linkLocal, String ula) throws IOException {
        ns.exec("ip", "link", "set", "dev", dev, "addrgenmode", "none").orThrow();
        ns.exec("ip", "addr", "add", v4, "dev", dev).orThrow();
        ns.exec("ip", "-6", "addr", "add", linkLocal, "dev", dev, "nodad").orThrow();
        ns.exec("ip", "-6", "addr", "add", ula, "dev", dev, "nodad").orThrow();
        ns.exec("ip", "link", "set", "dev", dev, "up").orThrow();
    }

    /** Waits (at most 10 s) until the link has carrier, so the first packet is not lost to a noop qdisc. */
    private static void awaitLowerUp(Netns ns, String dev) throws IOException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        Command.Result r;
        do {
            r = ns.exec("ip", "-o", "link", "show", "dev", dev).orThrow();
            if (r.stdout().contains("LOWER_UP") && r.stdout().contains("state UP")) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for " + dev, e);
            }
        } while (System.nanoTime() < deadline);
        throw new IOException(dev + " in " + ns + " not up after 10 s: " + r.stdout().strip());
    }

    Netns a() {
        return a;
    }

    Netns b() {
        return b;
    }

    /** Deletes both namespaces; the veth pair goes with them. Safe to call twice. */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Netns ns : new Netns[] {b, a}) {
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

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(literal, e);
        }
    }
}
