package io.tandem.director.cli;

import io.tandem.forwarder.realserver.RealServer;
import io.tandem.forwarder.realserver.RealServerMode;
import io.tandem.forwarder.realserver.RealServerOptions;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tandem realserver --mode dr|tun --vip VIP}: sets this host up as an
 * LVS real server in DR or TUN mode (the VIP on loopback, arp_ignore /
 * arp_announce; for TUN, user-space IPIP decapsulation into a TUN device for
 * kernels without the ipip module), stays in the foreground, and undoes
 * exactly what it changed on SIGTERM or SIGINT. Every change and undo is
 * logged as one line.
 */
@Command(name = "realserver", mixinStandardHelpOptions = true,
        description = "Set this host up as a DR or TUN real server until stopped (SIGTERM undoes every change).")
public final class RealServerCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RealServerCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--mode", required = true, paramLabel = "dr|tun",
            description = "How the director reaches this host: dr (MACs rewritten) or tun (IP in IP).")
    String mode;

    @Option(names = "--vip", required = true, paramLabel = "VIP",
            description = "A virtual IPv4 address to serve (repeatable).")
    List<String> vips;

    @Option(names = "--interface", paramLabel = "IF",
            description = "The interface facing the director: its ARP settings too, and the only one tunnels"
                    + " are read from (default: any).")
    String interfaceName;

    @Option(names = "--director", paramLabel = "ADDR",
            description = "TUN: a director address accepted as tunnel source (repeatable; default: any).")
    List<String> directors = new ArrayList<>();

    @Option(names = "--tun-name", paramLabel = "NAME", defaultValue = RealServerOptions.DEFAULT_TUN_NAME,
            description = "TUN: the device decapsulated packets enter through (default: ${DEFAULT-VALUE}).")
    String tunName;

    @Option(names = "--stats-interval", paramLabel = "SECONDS", defaultValue = "10",
            description = "TUN: log the decapsulation counters this often when they changed; 0: never"
                    + " (default: ${DEFAULT-VALUE}).")
    double statsSeconds;

    @Override
    public Integer call() throws Exception {
        RealServerOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("tandem realserver: " + e.getMessage());
            return 2;
        }
        RealServer server;
        try {
            server = RealServer.start(options, LOG::info);
        } catch (IOException e) {
            spec.commandLine().getErr().println("tandem realserver: " + e.getMessage()
                    + " (every change made before was undone)");
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("tandem-realserver-stop").unstarted(() -> {
            LOG.info("stopping: undoing the changes");
            try {
                server.close();
            } catch (IOException e) {
                LOG.error("could not undo every change: {}", e.getMessage());
            }
            stopped.countDown();
        }));
        LOG.info("real server ({}) ready for {}", options.mode(), vips);
        stopped.await();
        return 0;
    }

    RealServerOptions options() {
        RealServerMode m = switch (mode.toLowerCase(java.util.Locale.ROOT)) {
            case "dr" -> RealServerMode.DR;
            case "tun" -> RealServerMode.TUN;
            default -> throw new IllegalArgumentException("invalid mode: " + mode + " (expected: dr or tun)");
        };
        if (statsSeconds < 0 || Double.isNaN(statsSeconds)) {
            throw new IllegalArgumentException("invalid stats interval: " + statsSeconds + " (expected: >= 0)");
        }
        if (!directors.isEmpty() && m != RealServerMode.TUN) {
            throw new IllegalArgumentException("--director is for --mode tun (expected: no --director with dr)");
        }
        return RealServerOptions.of(m, addresses("--vip", vips))
                .withInterface(interfaceName)
                .withTunName(tunName)
                .withDirectors(addresses("--director", directors))
                .withStatsInterval(Duration.ofMillis(Math.round(statsSeconds * 1000)));
    }

    private static List<Inet4Address> addresses(String option, List<String> texts) {
        List<Inet4Address> out = new ArrayList<>();
        for (String t : texts) {
            InetAddress a;
            try {
                a = InetAddress.ofLiteral(t);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid " + option + ": " + t + " (expected: an IPv4 address)");
            }
            if (!(a instanceof Inet4Address v4)) {
                throw new IllegalArgumentException("invalid " + option + ": " + t
                        + " (expected: an IPv4 address; TUN and the forwarder carry IPv4)");
            }
            out.add(v4);
        }
        return out;
    }
}
