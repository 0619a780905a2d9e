package io.tandem.forwarder.realserver;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What {@code tandem realserver} sets up: the mode, the VIPs to take on
 * loopback, the interface facing the director, and for TUN the decapsulating
 * device's name, the directors accepted as tunnel sources and how often the
 * counters are reported.
 *
 * @param interfaceName the interface facing the director (its ARP settings too; the tunnel is read
 *     only there); empty: any
 * @param directors the tunnel sources accepted; empty: any
 * @param statsInterval how often the decapsulation counters are logged when they changed; zero: never
 */
public record RealServerOptions(RealServerMode mode, List<Inet4Address> vips, Optional<String> interfaceName,
        String tunName, List<Inet4Address> directors, Duration statsInterval) {
    /** The TUN device's default name. */
    public static final String DEFAULT_TUN_NAME = "tandem-ipip";

    public RealServerOptions {
        if (mode == null) {
            throw new IllegalArgumentException("mode is null (expected: DR or TUN)");
        }
        vips = List.copyOf(vips);
        if (vips.isEmpty()) {
            throw new IllegalArgumentException("no VIP given (expected: at least one --vip)");
        }
        directors = List.copyOf(directors);
        if (tunName == null || tunName.isEmpty() || tunName.length() > 15) {
            throw new IllegalArgumentException("invalid TUN device name: " + tunName + " (expected: 1 ~ 15 characters)");
        }
        if (statsInterval.isNegative()) {
            throw new IllegalArgumentException("invalid stats interval: " + statsInterval + " (expected: >= 0)");
        }
    }

    public static RealServerOptions of(RealServerMode mode, List<Inet4Address> vips) {
        return new RealServerOptions(mode, vips, Optional.empty(), DEFAULT_TUN_NAME, List.of(), Duration.ofSeconds(10));
    }

    public RealServerOptions withInterface(String name) {
        return new RealServerOptions(mode, vips, Optional.ofNullable(name), tunName, directors, statsInterval);
    }

    public RealServerOptions withTunName(String name) {
        return new RealServerOptions(mode, vips, interfaceName, name, directors, statsInterval);
    }

    public RealServerOptions withDirectors(List<Inet4Address> accepted) {
        return new RealServerOptions(mode, vips, interfaceName, tunName, accepted, statsInterval);
    }

    public RealServerOptions withStatsInterval(Duration interval) {
        return new RealServerOptions(mode, vips, interfaceName, tunName, directors, interval);
    }
}
