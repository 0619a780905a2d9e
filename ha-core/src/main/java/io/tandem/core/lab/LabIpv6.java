package io.tandem.core.lab;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * IPv6 beside the lab's IPv4 plan (DESIGN.md, "The lab"), for tests that need it: unique
 * local addresses on both networks, the router forwarding between them, default routes on
 * the client and the directors, all without duplicate address detection so they are usable
 * at once. Every host also has the link-local address the kernel gave its interface;
 * {@link #enable} waits until those have passed their own detection.
 *
 * <pre>
 * client fd77:1::10 --[ext]-- router fd77:1::1 / fd77::1 --[lan]-- director-a fd77::2
 *                                                               +- director-b fd77::3
 *   VIP fd77::100
 * </pre>
 *
 * The addresses live in the lab's namespaces and go with them.
 */
public final class LabIpv6 {
    public static final int PREFIX_LENGTH = 64;
    public static final String CLIENT = "fd77:1::10";
    public static final String ROUTER_EXTERNAL = "fd77:1::1";
    public static final String ROUTER_LAN = "fd77::1";
    public static final String DIRECTOR_A = "fd77::2";
    public static final String DIRECTOR_B = "fd77::3";
    /** The service's virtual IPv6 address, held by the master director. */
    public static final String VIP = "fd77::100";

    private static final Duration LINK_LOCAL_WAIT = Duration.ofSeconds(10);

    private LabIpv6() {
    }

    /** Adds the addresses and routes above to {@code lab}'s client, router and directors. */
    public static void enable(Lab lab) throws IOException, InterruptedException {
        LabHost router = lab.router();
        router.exec("sysctl", "-q", "-w", "net.ipv6.conf.all.forwarding=1").orThrow();
        add(router, router.ifaceOn(TopologyBuilder.EXT).name(), ROUTER_EXTERNAL);
        add(router, router.ifaceOn(TopologyBuilder.LAN).name(), ROUTER_LAN);
        add(lab.client(), lab.client().interfaceName(), CLIENT);
        lab.client().exec("ip", "-6", "route", "replace", "default", "via", ROUTER_EXTERNAL).orThrow();
        if (lab.options().directors()) {
            for (LabHost director : new LabHost[] {lab.directorA(), lab.directorB()}) {
                add(director, director.interfaceName(), director == lab.directorA() ? DIRECTOR_A : DIRECTOR_B);
                director.exec("ip", "-6", "route", "replace", "default", "via", ROUTER_LAN).orThrow();
            }
        }
        for (LabHost host : lab.hosts()) {
            for (LabInterface iface : host.interfaces()) {
                linkLocal(host, iface.name());
            }
        }
    }

    private static void add(LabHost host, String ifname, String address) throws IOException {
        host.exec("ip", "-6", "addr", "replace", address + "/" + PREFIX_LENGTH, "dev", ifname, "nodad").orThrow();
    }

    /** The link-local address of {@code host}'s lab interface, once it has passed duplicate address detection. */
    public static Inet6Address linkLocal(LabHost host) throws IOException, InterruptedException {
        return linkLocal(host, host.interfaceName());
    }

    /** The link-local address of {@code ifname} in {@code host}, once usable (at most 10 s). */
    public static Inet6Address linkLocal(LabHost host, String ifname) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + LINK_LOCAL_WAIT.toNanos();
        String out;
        do {
            out = host.exec("ip", "-6", "-o", "addr", "show", "dev", ifname, "scope", "link").orThrow().stdout();
            Optional<Inet6Address> usable = parseLinkLocal(out);
            if (usable.isPresent()) {
                return usable.get();
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new IOException(ifname + " in " + host.name() + " has no usable link-local address after "
                + LINK_LOCAL_WAIT.toSeconds() + " s: " + out.strip());
    }

    /** The first fe80:: address of {@code ip -6 -o addr} output that is not tentative. */
    static Optional<Inet6Address> parseLinkLocal(String ipOutput) {
        for (String line : ipOutput.split("\n")) {
            String[] words = line.strip().split("\\s+");
            for (int i = 0; i + 1 < words.length; i++) {
                if (words[i].equals("inet6") && !line.contains("tentative")) {
                    String address = words[i + 1].substring(0, words[i + 1].indexOf('/'));
                    return Optional.of((Inet6Address) InetAddress.ofLiteral(address));
                }
            }
        }
        return Optional.empty();
    }
}
