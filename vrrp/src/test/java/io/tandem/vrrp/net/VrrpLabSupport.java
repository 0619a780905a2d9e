package io.tandem.vrrp.net;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabIpv6;
import io.tandem.core.netlink.RtNetlink;
import io.tandem.vrrp.GarpTiming;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.VrrpState;
import io.tandem.vrrp.VrrpStateChange;
import io.tandem.vrrp.VrrpStateListener;
import io.tandem.vrrp.packet.AddressFamily;
import io.tandem.vrrp.packet.VrrpChecksumMode;
import io.tandem.vrrp.packet.VrrpVersion;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/** Shared pieces of the VRRP lab tests: instance configurations, engines in a namespace, timing, polling. */
final class VrrpLabSupport {
    static final int VRID = 51;
    /** One gratuitous ARP / NA per address on becoming master, no second burst. */
    static final GarpTiming ONE_BURST = GarpTiming.DEFAULTS.withMaster(1, Duration.ZERO);

    private VrrpLabSupport() {
    }

    static InetAddress vip() throws IOException {
        return InetAddress.getByName(LabAddresses.VIP);
    }

    /** The lab's VIP of {@code family}: 10.77.0.100 or fd77::100. */
    static String vipText(AddressFamily family) {
        return family == AddressFamily.IPV4 ? LabAddresses.VIP : LabIpv6.VIP;
    }

    static VrrpInstanceConfig config(LabHost host, VrrpVersion version, Duration interval, int priority,
            boolean preempt) throws IOException, InterruptedException {
        return config(host, AddressFamily.IPV4, version, interval, priority, preempt);
    }

    /** VI_1 on the host's lan interface: from its IPv4 address, or from its link-local address for IPv6 (v3). */
    static VrrpInstanceConfig config(LabHost host, AddressFamily family, VrrpVersion version, Duration interval,
            int priority, boolean preempt) throws IOException, InterruptedException {
        return builder(host, family, version, interval, priority).preempt(preempt).build();
    }

    static VrrpInstanceConfig.Builder builder(LabHost host, AddressFamily family, VrrpVersion version,
            Duration interval, int priority) throws IOException, InterruptedException {
        InetAddress primary = family == AddressFamily.IPV4 ? host.address() : LabIpv6.linkLocal(host);
        return VrrpInstanceConfig.builder("VI_1", host.interfaceName(), VRID)
                .priority(priority)
                .version(family == AddressFamily.IPV4 ? version : VrrpVersion.V3)
                .advertInterval(interval)
                .primaryAddress(primary)
                .virtualAddresses(List.of(InetAddress.getByName(vipText(family))))
                .checksumMode(VrrpChecksumMode.IPV4_PSEUDO_HEADER)
                .garp(ONE_BURST);
    }

    /** Starts an engine inside {@code host}'s namespace. */
    static VrrpEngine engine(LabHost host, VrrpInstanceConfig config) throws Exception {
        return engine(host, config, change -> { });
    }

    static VrrpEngine engine(LabHost host, VrrpInstanceConfig config, VrrpStateListener listener) throws Exception {
        return host.call(() -> VrrpEngine.start(List.of(config), new SimpleMeterRegistry(), listener));
    }

    static VrrpState state(VrrpEngine engine) throws InterruptedException {
        return engine.states().get("VI_1");
    }

    /** Whether {@code host} holds the IPv4 VIP on its lan interface, as {@code ip addr} shows it. */
    static boolean holdsVip(LabHost host) throws IOException {
        return holdsVip(host, AddressFamily.IPV4);
    }

    static boolean holdsVip(LabHost host, AddressFamily family) throws IOException {
        String out = host.exec("ip", "-o", family == AddressFamily.IPV4 ? "-4" : "-6", "addr", "show", "dev",
                host.interfaceName()).orThrow().stdout();
        return out.contains(" " + vipText(family) + "/");
    }

    /** The MAC the lab router's neighbour cache holds for the VIP on the lan, or "" when it has no entry. */
    static String routerEntryForVip(Lab lab, AddressFamily family) throws IOException {
        LabHost router = lab.router();
        String out = router.exec("ip", family == AddressFamily.IPV4 ? "-4" : "-6", "neigh", "show", vipText(family),
                "dev", router.ifaceOn("lan").name()).orThrow().stdout();
        String[] words = out.strip().split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("lladdr")) {
                return words[i + 1];
            }
        }
        return "";
    }

    /** When each state was entered, on the engine's loop ({@link System#nanoTime()}). */
    static final class Transitions implements VrrpStateListener {
        private final Map<VrrpState, Long> enteredAt = new ConcurrentHashMap<>();

        @Override
        public void stateChanged(VrrpStateChange change) {
            enteredAt.put(change.to(), System.nanoTime());
        }

        /** When {@code state} was last entered, or -1. */
        long at(VrrpState state) {
            return enteredAt.getOrDefault(state, -1L);
        }

        void clear() {
            enteredAt.clear();
        }
    }

    /** A host's port on the lab switch, set down and up over rtnetlink from the bridge namespace. */
    static final class SwitchPort implements AutoCloseable {
        private final RtNetlink netlink;
        private final int ifindex;

        SwitchPort(Lab lab, LabHost host) throws Exception {
            netlink = lab.bridges().call(RtNetlink::open);
            ifindex = netlink.link(host.bridgePort()).orElseThrow().index();
        }

        /** Pulls the cable at the switch; returns {@link System#nanoTime()} just before the request. */
        long cut() throws IOException {
            long t0 = System.nanoTime();
            netlink.setLinkDown(ifindex);
            return t0;
        }

        void restore() throws IOException {
            netlink.setLinkUp(ifindex);
        }

        @Override
        public void close() throws IOException {
            restore();
            netlink.close();
        }
    }

    /** Polls {@code condition} every 5 ms; returns the milliseconds it took, or -1 past {@code limit}. */
    static long await(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(5);
        }
        return -1;
    }

    /** A condition that may throw, for {@link #await}. */
    interface Check {
        boolean test() throws Exception;
    }

    static BooleanSupplier quietly(Check check) {
        return () -> {
            try {
                return check.test();
            } catch (Exception e) {
                return false;
            }
        };
    }
}
