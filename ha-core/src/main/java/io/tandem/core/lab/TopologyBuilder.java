package io.tandem.core.lab;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds the lab of DESIGN.md ("The lab") namespace by namespace: the bridge
 * namespace with bridges {@code ext} and {@code lan}, then each host joined to
 * its bridge by a veth pair created from inside the host's namespace. Every
 * namespace is handed to {@link Lab#newNamespace} first, so that a failure
 * halfway leaves the lab knowing exactly what to remove.
 */
final class TopologyBuilder {
    static final String EXT = "ext";
    static final String LAN = "lan";

    /** One interface to give a host: the bridge it joins and its address there. */
    private record Attachment(String bridge, String ip) {
    }

    private final Lab lab;
    private final Set<LabProcess> processes;
    private LabHost bridges;

    TopologyBuilder(Lab lab, Set<LabProcess> processes) {
        this.lab = lab;
        this.processes = processes;
    }

    LabHost bridges() throws IOException {
        Netns ns = lab.newNamespace("br");
        // The bridge namespace carries no IP traffic of its own: no IPv6 chatter from bridge or ports.
        ns.exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
                .orThrow();
        for (String bridge : List.of(EXT, LAN)) {
            ns.exec("ip", "link", "add", bridge, "type", "bridge", "stp_state", "0", "mcast_snooping", "0").orThrow();
            ns.exec("ip", "link", "set", bridge, "up").orThrow();
        }
        bridges = new LabHost("bridge", ns, List.of(), processes);
        return bridges;
    }

    LabHost client() throws IOException {
        return host("client", List.of(new Attachment(EXT, LabAddresses.CLIENT)), LabAddresses.ROUTER_EXTERNAL);
    }

    LabHost router() throws IOException {
        LabHost router = host("router", List.of(new Attachment(EXT, LabAddresses.ROUTER_EXTERNAL),
                new Attachment(LAN, LabAddresses.ROUTER_LAN)), null);
        router.exec("sysctl", "-q", "-w", "net.ipv4.ip_forward=1").orThrow();
        return router;
    }

    LabHost lanHost(String name, String ip) throws IOException {
        return host(name, List.of(new Attachment(LAN, ip)), LabAddresses.ROUTER_LAN);
    }

    private LabHost host(String name, List<Attachment> attachments, String gateway) throws IOException {
        Netns ns = lab.newNamespace(name);
        List<LabInterface> interfaces = new ArrayList<>();
        for (int i = 0; i < attachments.size(); i++) {
            interfaces.add(attach(ns, name, "eth" + i, attachments.get(i)));
        }
        if (gateway != null) {
            ns.exec("ip", "route", "add", "default", "via", gateway).orThrow();
        }
        return new LabHost(name, ns, interfaces, processes);
    }

    private LabInterface attach(Netns ns, String host, String ifname, Attachment at) throws IOException {
        String port = host + "-" + ifname;
        Inet4Address address = (Inet4Address) InetAddress.getByName(at.ip());
        ns.exec("ip", "link", "add", ifname, "address", macFor(address), "type", "veth",
                "peer", "name", port, "netns", bridges.namespace().name()).orThrow();
        ns.exec("ip", "address", "add", at.ip() + "/" + LabAddresses.PREFIX_LENGTH, "dev", ifname).orThrow();
        ns.exec("ip", "link", "set", ifname, "up").orThrow();
        bridges.exec("ip", "link", "set", port, "master", at.bridge()).orThrow();
        bridges.exec("ip", "link", "set", port, "up").orThrow();
        return new LabInterface(host, ifname, at.bridge(), address, LabAddresses.PREFIX_LENGTH,
                readMac(ns, ifname), port);
    }

    /** A locally administered unicast MAC derived from the address: 10.77.0.11 -> 02:00:0a:4d:00:0b. */
    static String macFor(Inet4Address address) {
        byte[] ip = address.getAddress();
        return String.format("02:00:%02x:%02x:%02x:%02x", ip[0] & 0xff, ip[1] & 0xff, ip[2] & 0xff, ip[3] & 0xff);
    }

    /** The MAC the kernel reports for {@code ifname}, from {@code ip -o link show}. */
    private static String readMac(Netns ns, String ifname) throws IOException {
        String out = ns.exec("ip", "-o", "link", "show", "dev", ifname).orThrow().stdout();
        String[] words = out.strip().split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("link/ether")) {
                return words[i + 1].toLowerCase(java.util.Locale.ROOT);
            }
        }
        throw new IOException("ip -o link show dev " + ifname + " in " + ns.name()
                + ": no link/ether address in: " + out.strip());
    }
}
