package io.tandem.forwarder.engine;

import io.tandem.core.netlink.HardwareAddress;
import io.tandem.core.netlink.Neighbour;
import io.tandem.core.netlink.RtNetlink;
import java.io.IOException;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link NeighbourMacs} filled from the kernel's neighbour table of one
 * interface: every period it dumps the table (RTM_GETNEIGH) and, for each
 * address the forwarder needs (real servers, gateways, and the misses the
 * worker posted) that is not resolved yet, asks the kernel to resolve it
 * (RTM_NEWNEIGH with NTF_USE, so the kernel sends its own ARP requests).
 * Runs on its own thread; the rtnetlink socket was opened in the
 * forwarder's network namespace.
 */
final class NeighbourResolver implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(NeighbourResolver.class);
    private static final Duration RESOLVE_TIMEOUT = Duration.ofMillis(300);

    private final RtNetlink netlink;
    private final int ifindex;
    private final NeighbourMacs macs;
    private final Set<Integer> targets = new LinkedHashSet<>();
    /** Targets added at runtime (new real servers), taken by the next round. */
    private final Queue<Integer> added = new ConcurrentLinkedQueue<>();
    private final Semaphore wake = new Semaphore(0);
    private final Duration period;
    private volatile boolean running = true;

    NeighbourResolver(RtNetlink netlink, int ifindex, NeighbourMacs macs, Set<Integer> targets, Duration period) {
        this.netlink = netlink;
        this.ifindex = ifindex;
        this.macs = macs;
        this.targets.addAll(targets);
        this.period = period;
    }

    /** One round: read the table, resolve what is missing, publish. */
    void refresh() throws IOException, InterruptedException {
        for (Integer a; (a = added.poll()) != null; ) {
            targets.add(a);
        }
        for (int a : macs.drainWanted()) {
            targets.add(macs.routes().nextHop(a));
        }
        Map<Integer, Long> known = new HashMap<>();
        for (Neighbour n : netlink.listNeighbours(ifindex)) {
            if (n.usable() && n.address() instanceof Inet4Address v4 && n.hardwareAddress().isEthernet()) {
                known.put(Ipv4.toInt(v4), mac(n.hardwareAddress()));
            }
        }
        for (int target : targets) {
            if (!known.containsKey(target)) { // INCOMPLETE, FAILED or absent: ask the kernel to resolve it
                try {
                    HardwareAddress mac = netlink.resolveNeighbour(ifindex, Ipv4.fromInt(target), RESOLVE_TIMEOUT);
                    known.put(target, mac(mac));
                } catch (IOException e) {
                    LOG.debug("neighbour {} not resolved yet: {}", Ipv4.text(target), e.getMessage());
                }
            }
        }
        macs.publish(known);
    }

    static long mac(HardwareAddress address) {
        long mac = 0;
        for (byte b : address.bytes()) {
            mac = mac << 8 | (b & 0xFF);
        }
        return mac;
    }

    @Override
    public void run() {
        while (running) {
            try {
                refresh();
                wake.tryAcquire(period.toNanos(), TimeUnit.NANOSECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("neighbour refresh failed: {}", e.toString());
            }
        }
    }

    /** Adds an address to resolve (any thread) and starts a round now rather than at the next period. */
    void addTarget(int address) {
        added.add(address);
        wake.release();
    }

    void stop() {
        running = false;
    }
}
