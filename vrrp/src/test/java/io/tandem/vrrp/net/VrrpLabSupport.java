package io.tandem.vrrp.net;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.VrrpState;
import io.tandem.vrrp.packet.VrrpChecksumMode;
import io.tandem.vrrp.packet.VrrpVersion;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Shared pieces of the VRRP lab tests: instance configurations, engines in a namespace, polling. */
final class VrrpLabSupport {
    static final int VRID = 51;

    private VrrpLabSupport() {
    }

    static InetAddress vip() throws IOException {
        return InetAddress.getByName(LabAddresses.VIP);
    }

    static VrrpInstanceConfig config(LabHost host, VrrpVersion version, Duration interval, int priority,
            boolean preempt) throws IOException {
        return VrrpInstanceConfig.builder("VI_1", host.interfaceName(), VRID)
                .priority(priority)
                .version(version)
                .advertInterval(interval)
                .primaryAddress(host.address())
                .virtualAddresses(List.of(vip()))
                .preempt(preempt)
                .checksumMode(VrrpChecksumMode.IPV4_PSEUDO_HEADER)
                .build();
    }

    /** Starts an engine inside {@code host}'s namespace, with one GARP burst and no second one. */
    static VrrpEngine engine(LabHost host, VrrpInstanceConfig config) throws Exception {
        return host.call(() -> VrrpEngine.start(List.of(config), new SimpleMeterRegistry(), 1, Duration.ZERO,
                change -> { }));
    }

    static VrrpState state(VrrpEngine engine) throws InterruptedException {
        return engine.states().get("VI_1");
    }

    /** Whether {@code host} holds the VIP on its lan interface, as {@code ip addr} shows it. */
    static boolean holdsVip(LabHost host) throws IOException {
        String out = host.exec("ip", "-o", "-4", "addr", "show", "dev", host.interfaceName()).orThrow().stdout();
        return out.contains(" " + LabAddresses.VIP + "/");
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
