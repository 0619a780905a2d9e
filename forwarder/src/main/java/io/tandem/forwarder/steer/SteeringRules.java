package io.tandem.forwarder.steer;

import io.tandem.core.lab.Command;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the kernel's IP stack away from the traffic the forwarder carries.
 * The forwarder's AF_PACKET sockets see a frame before the netdev ingress
 * hook runs; an nftables table on that hook then drops the kernel's copy, so
 * the kernel neither answers a client's SYN with a reset nor routes a real
 * server's NAT reply a second time.
 *
 * <p>One table per director instance ({@code netdev tandem_NAME}), installed
 * on activation (VRRP master), removed on deactivation and on exit; a table
 * left by a crashed run is replaced at start, since installing first deletes
 * any table of the same name.
 */
public final class SteeringRules {
    /** What to keep from the kernel. */
    public record Match(int protocol, String field, String address, int port, List<String> exceptTo) {
        public Match {
            exceptTo = List.copyOf(exceptTo);
            for (String a : exceptTo) {
                if (!a.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                    throw new IllegalArgumentException("invalid address: " + a + " (expected: dotted IPv4)");
                }
            }
        }

        /** Client traffic to a virtual service. */
        public static Match toService(int protocol, String vip, int port) {
            return new Match(protocol, "daddr", vip, port, List.of());
        }

        /** A NAT real server's replies (they arrive addressed to the client). */
        public static Match fromRealServer(int protocol, String rip, int port) {
            return new Match(protocol, "saddr", rip, port, List.of());
        }

        /**
         * A NAT real server's replies, except those addressed to the director's
         * own {@code localAddresses}: its health checks to RIP:port share the source.
         */
        public static Match fromRealServer(int protocol, String rip, int port, List<String> localAddresses) {
            return new Match(protocol, "saddr", rip, port, localAddresses);
        }

        /**
         * A NAT real server's ICMP errors (the forwarder carries those about a
         * connection to the client), except those addressed to the director's
         * own {@code localAddresses}: UDP health checks learn from them.
         */
        public static Match icmpErrorsFromRealServer(String rip, List<String> localAddresses) {
            return new Match(ICMP, "saddr", rip, 0, localAddresses);
        }

        /** Replies to a FULLNAT local address (any port). */
        public static Match toLocalAddress(String lip) {
            return new Match(0, "daddr", lip, 0, List.of());
        }

        String rule() {
            StringBuilder r = new StringBuilder("ip ").append(field).append(' ').append(address);
            if (!exceptTo.isEmpty()) {
                r.append(" ip daddr != { ").append(String.join(", ", exceptTo)).append(" }");
            }
            if (protocol == ICMP) {
                r.append(" icmp type { ").append(ICMP_ERRORS).append(" }");
            } else if (protocol != 0) {
                String proto = protocol == 6 ? "tcp" : "udp";
                r.append(' ').append(proto);
                r.append(field.equals("daddr") ? " dport " : " sport ").append(port);
            }
            return r.append(" counter drop").toString();
        }
    }

    private static final int ICMP = 1;
    /** RFC 792's error messages that quote a datagram (redirects are the kernel's business). */
    private static final String ICMP_ERRORS = "destination-unreachable, source-quench, time-exceeded, parameter-problem";

    private final String table;
    private final String device;
    private final List<String> commandPrefix;

    /**
     * @param instance names the table ({@code tandem_INSTANCE}); letters, digits and _ only
     * @param device the interface the forwarder receives on
     */
    public SteeringRules(String instance, String device) {
        this(instance, device, List.of());
    }

    /**
     * @param commandPrefix runs nft through it, e.g. {@code ip netns exec NS} in the lab
     */
    public SteeringRules(String instance, String device, List<String> commandPrefix) {
        if (!instance.matches("[A-Za-z0-9_]{1,40}")) {
            throw new IllegalArgumentException("invalid steering instance name: " + instance
                    + " (expected: 1 to 40 letters, digits or _)");
        }
        if (!device.matches("[A-Za-z0-9_.:@-]{1,15}")) {
            throw new IllegalArgumentException("invalid device name: " + device + " (expected: an interface name)");
        }
        this.table = "tandem_" + instance;
        this.device = device;
        this.commandPrefix = List.copyOf(commandPrefix);
    }

    public String tableName() {
        return table;
    }

    /** The nft script that (re)creates the table with {@code matches}. */
    public String script(List<Match> matches) {
        StringBuilder s = new StringBuilder();
        s.append("table netdev ").append(table).append(" {}\n");
        s.append("delete table netdev ").append(table).append('\n');
        s.append("table netdev ").append(table).append(" {\n");
        s.append("  chain ingress {\n");
        s.append("    type filter hook ingress device \"").append(device).append("\" priority -500; policy accept;\n");
        for (Match m : matches) {
            s.append("    ").append(m.rule()).append('\n');
        }
        s.append("  }\n}\n");
        return s.toString();
    }

    /** Installs (or replaces) the table atomically: nft applies one script as one transaction. */
    public void install(List<Match> matches) throws IOException {
        Path file = Files.createTempFile("tandem-steering", ".nft");
        try {
            Files.writeString(file, script(matches), StandardCharsets.US_ASCII);
            Command.run(nft("-f", file.toString()), Duration.ofSeconds(10)).orThrow();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private List<String> nft(String... args) {
        List<String> argv = new ArrayList<>(commandPrefix);
        argv.add("nft");
        argv.addAll(List.of(args));
        return argv;
    }

    /** Removes the table; absent already is fine. */
    public void remove() throws IOException {
        Command.Result r = Command.run(nft("delete", "table", "netdev", table), Duration.ofSeconds(10));
        if (!r.ok() && !r.stderr().contains("No such file")) {
            r.orThrow();
        }
    }
}
