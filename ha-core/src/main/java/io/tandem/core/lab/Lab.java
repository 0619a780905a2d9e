package io.tandem.core.lab;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network of DESIGN.md ("The lab"), built entirely in network namespaces
 * whose names start with a per-run prefix; the bridges live in a namespace of
 * their own, so nothing is configured in the root namespace:
 *
 * <pre>
 * client 10.77.1.10 --[ext]-- router 10.77.1.1 / 10.77.0.1 --[lan]-- director-a 10.77.0.2
 *                                                                 +- director-b 10.77.0.3
 *                                                                 +- rs1..rsN 10.77.0.11..
 * </pre>
 *
 * <p>Teardown happens on every path: {@link #close()}; a JVM shutdown hook when
 * close was not reached; a failure while building (what was made so far is
 * removed before the exception leaves {@link #create}); and, when the owner was
 * killed outright, {@link #cleanupStale()} in a later run, guided by the record
 * each lab keeps in its {@link LabRegistry}.
 */
public final class Lab implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Lab.class);
    private static final Duration PROCESS_GRACE = Duration.ofSeconds(3);

    private final LabOptions options;
    private final LabRegistry registry;
    private final List<Netns> namespaces = Collections.synchronizedList(new ArrayList<>());
    private final Set<LabProcess> processes = ConcurrentHashMap.newKeySet();
    private final Map<String, LabHost> hosts = new LinkedHashMap<>();
    private final Thread shutdownHook;
    private LabRecord record;
    private LabHost bridges;
    private boolean kept;
    private boolean closed;

    private Lab(LabOptions options) {
        this.options = options;
        this.registry = LabRegistry.at(options.recordDirectory());
        this.shutdownHook = Thread.ofPlatform().name("lab-teardown-" + options.prefix()).unstarted(this::teardownQuietly);
    }

    /** Builds a lab with {@link LabOptions#defaults()}. */
    public static Lab create() throws IOException {
        return create(LabOptions.defaults());
    }

    /** Builds the lab; when building fails halfway, everything made so far is removed before the exception. */
    public static Lab create(LabOptions options) throws IOException {
        Lab lab = new Lab(options);
        try {
            lab.build();
            return lab;
        } catch (IOException | RuntimeException | Error e) {
            try {
                lab.close();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Removes the labs of {@link LabRegistry#defaultRegistry()} whose owner died; returns their records. */
    public static List<LabRecord> cleanupStale() throws IOException {
        return LabRegistry.defaultRegistry().cleanupStale();
    }

    private void build() throws IOException {
        if (registry.read(options.prefix()).isPresent()) {
            throw new IOException("lab " + options.prefix() + " is already recorded in " + registry.directory()
                    + " (expected: a prefix not in use)");
        }
        record = LabRecord.ownedByThisProcess(options.prefix(), List.of());
        registry.write(record);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        TopologyBuilder builder = new TopologyBuilder(this, processes);
        bridges = builder.bridges();
        add(builder.client());
        add(builder.router());
        if (options.directors()) {
            add(builder.lanHost("director-a", LabAddresses.DIRECTOR_A));
            add(builder.lanHost("director-b", LabAddresses.DIRECTOR_B));
        }
        for (int n = 1; n <= options.realServers(); n++) {
            add(builder.lanHost("rs" + n, LabAddresses.realServer(n)));
        }
        LOG.debug("lab {} up: {}", options.prefix(), hosts.values());
    }

    private void add(LabHost host) {
        hosts.put(host.name(), host);
    }

    /** Creates the namespace {@code <prefix>-<shortName>} and records it before anything else happens in it. */
    Netns newNamespace(String shortName) throws IOException {
        String name = options.prefix() + "-" + shortName;
        Netns ns = Netns.create(name);
        namespaces.add(ns);
        record = record.withNamespaces(namespaces.stream().map(Netns::name).toList());
        registry.write(record);
        return ns;
    }

    public String prefix() {
        return options.prefix();
    }

    public LabOptions options() {
        return options;
    }

    /** The names of the namespaces this lab created, bridge namespace first. */
    public List<String> namespaces() {
        synchronized (namespaces) {
            return namespaces.stream().map(Netns::name).toList();
        }
    }

    /** Every host (not the bridge namespace) in creation order: client, router, directors, rs1..rsN. */
    public List<LabHost> hosts() {
        return List.copyOf(hosts.values());
    }

    /** The host called {@code name} ({@code client}, {@code router}, {@code director-a}, {@code rs2}...). */
    public LabHost host(String name) {
        LabHost host = hosts.get(name);
        if (host == null) {
            throw new IllegalArgumentException("no host " + name + " in lab " + prefix() + " (expected one of: "
                    + hosts.keySet() + ")");
        }
        return host;
    }

    /** The namespace holding bridges {@code ext} and {@code lan} and each host's bridge port. */
    public LabHost bridges() {
        return bridges;
    }

    public LabHost client() {
        return host("client");
    }

    public LabHost router() {
        return host("router");
    }

    public LabHost directorA() {
        return host("director-a");
    }

    public LabHost directorB() {
        return host("director-b");
    }

    /** Real server {@code rs<n>}, n from 1. */
    public LabHost realServer(int n) {
        return host("rs" + n);
    }

    public List<LabHost> realServers() {
        return hosts.values().stream().filter(h -> h.name().startsWith("rs")).toList();
    }

    /**
     * Sets the bridge-namespace end of {@code iface} up or down: the host keeps
     * its carrier-less link, as when a cable is pulled at the switch.
     */
    public void setBridgePortUp(LabInterface iface, boolean up) throws IOException {
        bridges.exec("ip", "link", "set", iface.bridgePort(), up ? "up" : "down").orThrow();
    }

    /**
     * Leaves the lab running after this process exits ({@code tandem lab up}):
     * the shutdown hook is removed, {@link #close()} no longer tears it down, and
     * the record is marked kept so that only {@link LabRegistry#destroy(String)}
     * removes it.
     */
    public synchronized LabRecord keep() throws IOException {
        record = record.asKept();
        registry.write(record);
        kept = true;
        removeShutdownHook();
        return record;
    }

    /** Stops the lab's processes and deletes its namespaces and record. Safe to call twice; no-op once kept. */
    @Override
    public synchronized void close() throws IOException {
        if (closed || kept) {
            return;
        }
        closed = true;
        removeShutdownHook();
        teardown();
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to run: it tears the lab down itself
        }
    }

    private void teardownQuietly() {
        synchronized (this) {
            if (closed || kept) {
                return;
            }
            closed = true;
        }
        try {
            teardown();
        } catch (IOException | RuntimeException e) {
            System.err.println("lab " + prefix() + ": teardown at JVM exit failed: " + e);
        }
    }

    private void teardown() throws IOException {
        IOException failure = null;
        for (LabProcess process : List.copyOf(processes)) {
            process.stop(PROCESS_GRACE);
        }
        List<Netns> made = createdNamespaces();
        for (int i = made.size() - 1; i >= 0; i--) {
            try {
                made.get(i).close();
                namespaces.remove(made.get(i));
            } catch (IOException e) {
                failure = LabRegistry.accumulate(failure, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        if (record != null) {
            registry.delete(prefix());
        }
        LOG.debug("lab {} down", prefix());
    }

    private List<Netns> createdNamespaces() {
        synchronized (namespaces) {
            return List.copyOf(namespaces);
        }
    }

    @Override
    public String toString() {
        return "lab " + prefix() + " " + hosts.values();
    }
}
