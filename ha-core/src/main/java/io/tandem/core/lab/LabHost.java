package io.tandem.core.lab;

import java.io.File;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * One namespace of a {@link Lab}: a host (client, router, director, real
 * server) with its lab-side interfaces, or the bridge namespace (no
 * interfaces of its own). Runs commands, long-lived programs and captures in
 * its namespace; the programs are stopped when the lab is torn down.
 */
public final class LabHost {
    private final String name;
    private final Netns namespace;
    private final List<LabInterface> interfaces;
    private final Set<LabProcess> processes;

    LabHost(String name, Netns namespace, List<LabInterface> interfaces, Set<LabProcess> processes) {
        this.name = name;
        this.namespace = namespace;
        this.interfaces = List.copyOf(interfaces);
        this.processes = processes;
    }

    /** The short name: {@code client}, {@code router}, {@code director-a}, {@code rs1}, {@code bridge}. */
    public String name() {
        return name;
    }

    public Netns namespace() {
        return namespace;
    }

    /** Its lab-side interfaces: eth0 (and eth1 on the router), in order. */
    public List<LabInterface> interfaces() {
        return interfaces;
    }

    /** Its first lab-side interface (eth0). */
    public LabInterface iface() {
        if (interfaces.isEmpty()) {
            throw new IllegalStateException(name + " has no lab-side interface (expected: a host, not the bridge namespace)");
        }
        return interfaces.getFirst();
    }

    /** Its interface on {@code bridge} ({@code "ext"} or {@code "lan"}). */
    public LabInterface ifaceOn(String bridge) {
        return interfaces.stream().filter(i -> i.bridge().equals(bridge)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("host " + name + " has no interface on bridge "
                        + bridge + " (expected one of: " + interfaces.stream().map(LabInterface::bridge).toList() + ")"));
    }

    /** The name of eth0 inside the namespace. */
    public String interfaceName() {
        return iface().name();
    }

    public Inet4Address address() {
        return iface().address();
    }

    /** eth0's address, dotted. */
    public String ip() {
        return iface().ip();
    }

    /** eth0's MAC, lowercase with colons. */
    public String mac() {
        return iface().mac();
    }

    /** The bridge-namespace end of eth0's veth. */
    public String bridgePort() {
        return iface().bridgePort();
    }

    /** Runs {@code argv} in the namespace to completion (30 s limit); check {@code .ok()} or call {@code .orThrow()}. */
    public Command.Result exec(String... argv) throws IOException {
        return namespace.exec(argv);
    }

    public Command.Result exec(Duration timeout, String... argv) throws IOException {
        return namespace.exec(timeout, argv);
    }

    /** Runs Java code on a thread inside the namespace (see {@link Netns#call}). */
    public <T> T call(Callable<T> task) throws Exception {
        return namespace.call(task);
    }

    /**
     * Sends ICMP echo requests from inside the namespace until one is answered or
     * {@code timeout} passes (Java's {@link InetAddress#isReachable}, which uses
     * a raw ICMP socket when run as root, as lab tests are; no ping binary needed).
     */
    public boolean ping(String ip, Duration timeout) throws IOException {
        return ping(ip, 0, timeout);
    }

    /** As {@link #ping(String, Duration)}, with the requests' IP TTL set to {@code ttl} (0: the default). */
    public boolean ping(String ip, int ttl, Duration timeout) throws IOException {
        if (ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("invalid ttl: " + ttl + " (expected: 0 ~ 255)");
        }
        InetAddress target = InetAddress.getByName(ip);
        try {
            return call(() -> target.isReachable(null, ttl, Math.toIntExact(timeout.toMillis())));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("ping " + ip + " from " + namespace.name() + " failed", e);
        }
    }

    /**
     * Starts {@code argv} in the namespace, its stdout and stderr appended to
     * {@code logFile}. The lab stops it at teardown if it still runs.
     */
    public LabProcess start(List<String> argv, Path logFile) throws IOException {
        if (logFile.getParent() != null) {
            Files.createDirectories(logFile.getParent());
        }
        return launch(new ProcessBuilder(commandLine(argv))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())), logFile);
    }

    /** Starts tcpdump on {@code iface} with the BPF expression {@code bpfFilter}; returns once it listens. */
    public Capture capture(String iface, String bpfFilter) throws IOException {
        return Capture.start(this, iface, bpfFilter);
    }

    /** Replaces the default route: its next hop becomes {@code gateway} (e.g. {@link LabAddresses#NAT_GATEWAY_VIP}). */
    public void setDefaultGateway(String gateway) throws IOException {
        exec("ip", "route", "replace", "default", "via", gateway).orThrow();
    }

    /** The next hop of the IPv4 default route, if there is one. */
    public Optional<String> defaultGateway() throws IOException {
        String[] words = exec("ip", "-4", "route", "show", "default").orThrow().stdout().strip().split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("via")) {
                return Optional.of(words[i + 1]);
            }
        }
        return Optional.empty();
    }

    List<String> commandLine(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("invalid command: [] (expected: a program and its arguments)");
        }
        List<String> full = new ArrayList<>(namespace.prefix());
        full.addAll(argv);
        return full;
    }

    LabProcess launch(ProcessBuilder builder, Path logFile) throws IOException {
        LabProcess process = LabProcess.start(builder, logFile, processes::remove);
        processes.add(process);
        return process;
    }

    @Override
    public String toString() {
        return name + " (" + namespace.name() + (interfaces.isEmpty() ? "" : ", "
                + interfaces.stream().map(i -> i.name() + " " + i.cidr() + " " + i.mac()).toList()) + ")";
    }
}
