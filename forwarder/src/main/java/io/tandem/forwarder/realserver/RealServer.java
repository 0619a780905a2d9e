package io.tandem.forwarder.realserver;

import io.tandem.core.linux.Libc;
import io.tandem.core.net.IpFamily;
import io.tandem.core.net.RawIpSocket;
import io.tandem.core.net.TunDevice;
import io.tandem.core.netlink.IfAddress;
import io.tandem.core.netlink.Link;
import io.tandem.core.netlink.RtNetlink;
import io.tandem.core.netlink.Sysctl;
import io.tandem.core.packet.Ipv4Flyweight;
import java.io.IOException;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A DR or TUN real server's side of LVS, set up on this host as the seeds
 * describe it, and taken back on {@link #close()}:
 *
 * <ol>
 * <li>each VIP as a /32 on loopback, so the client's packet to the VIP is
 *     local (DR: it arrives with only its MACs changed; TUN: once unwrapped);</li>
 * <li>{@code arp_ignore = 1} and {@code arp_announce = 2} on {@code all},
 *     {@code lo} and the interface facing the director, so that only the
 *     director answers ARP for the VIP and the host never announces it;</li>
 * <li>TUN only: a TUN device that the decapsulated packets enter through
 *     ({@link DecapsulationLoop}, for kernels without the ipip module), with
 *     reverse-path filtering off on it (the client's address routes through
 *     the other interface; the LVS HOWTO does the same for {@code tunl0}).
 *     When {@code all.rp_filter} is on it is turned off too, and every
 *     other interface gets its old value, so their filtering stays as it was.</li>
 * </ol>
 *
 * <p>Nothing that was already so is changed, and {@link #close()} undoes
 * exactly what was changed (see {@link HostChanges}); each step is reported
 * as one line.
 */
public final class RealServer implements AutoCloseable {
    /** The tunnel socket's receive buffer: some 30,000 small packets, so a reader held up for a moment loses none. */
    static final int RECEIVE_BUFFER = 8 << 20;

    private final RealServerOptions options;
    private final HostChanges changes;
    private final RtNetlink netlink;
    private final RawIpSocket socket;
    private final DecapsulationLoop loop;
    private final Thread thread;
    private final Consumer<String> report;
    private boolean closed;

    private RealServer(RealServerOptions options, HostChanges changes, RtNetlink netlink, RawIpSocket socket,
            DecapsulationLoop loop, Consumer<String> report) {
        this.options = options;
        this.changes = changes;
        this.netlink = netlink;
        this.socket = socket;
        this.loop = loop;
        this.report = report;
        this.thread = loop == null ? null : Thread.ofPlatform().name("decapsulation").daemon().start(loop);
    }

    /**
     * Sets the host up; when a step fails, what was done is undone before the
     * exception leaves. Must run on a thread in the host's network namespace.
     *
     * @param report told one line per change and, for TUN, the counters from time to time
     */
    public static RealServer start(RealServerOptions options, Consumer<String> report) throws IOException {
        HostChanges changes = new HostChanges(Sysctl.proc(), report);
        RtNetlink netlink = RtNetlink.open();
        RawIpSocket socket = null;
        try {
            Link lo = netlink.listLinks().stream().filter(Link::loopback).findFirst()
                    .orElseThrow(() -> new IOException("no loopback interface (expected: lo)"));
            if (options.interfaceName().isPresent()) {
                String name = options.interfaceName().get();
                netlink.link(name).orElseThrow(() -> new IOException("no interface " + name
                        + " (expected: the interface facing the director)"));
            }
            for (Inet4Address vip : options.vips()) {
                changes.address(netlink, IfAddress.of(lo.index(), vip, 32), lo.name());
            }
            List<String> arpScopes = new ArrayList<>(List.of("all", lo.name()));
            options.interfaceName().ifPresent(arpScopes::add);
            for (String scope : arpScopes) {
                // arp_ignore 1: answer only for addresses of the interface asked on (2, 3 and 8 are stricter)
                changes.sysctl(conf(scope, "arp_ignore"), 1, old -> old >= 1);
                // arp_announce 2: always the best local address of the outgoing interface, never the VIP
                changes.sysctl(conf(scope, "arp_announce"), 2);
            }
            DecapsulationLoop loop = null;
            if (options.mode() == RealServerMode.TUN) {
                TunDevice tun = TunDevice.open(options.tunName());
                changes.record("created TUN device " + tun.name() + " (user-space IPIP decapsulation)",
                        "removed TUN device " + tun.name(), tun::close);
                netlink.setLinkUp(Libc.ifNameToIndex(tun.name()));
                filterNoReversePath(netlink, changes, tun.name());
                socket = RawIpSocket.openNonBlocking(IpFamily.IPV4, Ipv4Flyweight.PROTOCOL_IPIP);
                socket.setReceiveBufferSize(RECEIVE_BUFFER);
                if (options.interfaceName().isPresent()) {
                    socket.bindToDevice(options.interfaceName().get());
                }
                IpipDecapsulator decapsulator = new IpipDecapsulator(ints(options.vips()), ints(options.directors()));
                loop = new DecapsulationLoop(socket, tun, decapsulator, System::nanoTime,
                        options.statsInterval().toNanos(), report);
                report.accept("decapsulating IP-in-IP for " + options.vips().stream()
                        .map(Inet4Address::getHostAddress).toList() + " into " + tun.name()
                        + (options.directors().isEmpty() ? " from any director" : " from "
                        + options.directors().stream().map(Inet4Address::getHostAddress).toList()));
            }
            return new RealServer(options, changes, netlink, socket, loop, report);
        } catch (IOException | RuntimeException e) {
            try {
                if (socket != null) {
                    socket.close();
                }
                changes.undo();
            } catch (IOException | RuntimeException undo) {
                e.addSuppressed(undo);
            }
            netlink.close();
            throw e;
        }
    }

    /** The decapsulated packets arrive on {@code tun} with the client's source, which routes elsewhere. */
    private static void filterNoReversePath(RtNetlink netlink, HostChanges changes, String tun) throws IOException {
        changes.sysctl(conf(tun, "rp_filter"), 0);
        int all = Sysctl.proc().readInt(conf("all", "rp_filter"));
        if (all == 0) {
            return;
        }
        // the effective value is max(all, interface): keep every other interface's as it was
        for (Link link : netlink.listLinks()) {
            if (!link.name().equals(tun)) {
                changes.sysctl(conf(link.name(), "rp_filter"), all, old -> old >= all);
            }
        }
        changes.sysctl(conf("all", "rp_filter"), 0);
    }

    private static String conf(String scope, String key) {
        return "net.ipv4.conf." + scope.replace('.', '/') + "." + key;
    }

    private static int[] ints(List<Inet4Address> addresses) {
        int[] out = new int[addresses.size()];
        for (int i = 0; i < out.length; i++) {
            byte[] b = addresses.get(i).getAddress();
            out[i] = (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
        }
        return out;
    }

    public RealServerOptions options() {
        return options;
    }

    /** The decapsulation loop (TUN), or null (DR). */
    public DecapsulationLoop decapsulation() {
        return loop;
    }

    /** Stops decapsulating and undoes every change, newest first; reports the counters and each undo. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (loop != null) {
                loop.stop();
                try {
                    thread.join(TimeUnit.SECONDS.toMillis(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                report.accept(loop.summary());
                socket.close();
            }
            changes.undo();
        } finally {
            netlink.close();
        }
    }
}
