package io.tandem.director.zk;

import io.tandem.core.lab.LabHost;
import io.tandem.core.netlink.IfAddress;
import io.tandem.core.netlink.RtNetlink;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which directors hold the VIP, read over rtnetlink in each director's namespace every 10 ms on a thread
 * of its own, from {@link #start} to {@link #close}: the largest number of holders seen at once, the
 * number of samples, and when each director last held it or not.
 */
final class VipSampler implements AutoCloseable {
    private static final long PERIOD_NANOS = 10_000_000;

    private final List<RtNetlink> sockets = new ArrayList<>();
    private final List<Integer> ifindexes = new ArrayList<>();
    private final InetAddress vip;
    private final AtomicInteger maxHolders = new AtomicInteger();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong twoHolderSamples = new AtomicLong();
    private final AtomicLong lateSamples = new AtomicLong();
    private final boolean[] holding;
    private volatile boolean running = true;
    private final Thread thread;

    VipSampler(String vip, List<LabHost> directors) throws Exception {
        this.vip = InetAddress.ofLiteral(vip);
        for (LabHost d : directors) {
            RtNetlink n = d.call(RtNetlink::open);
            sockets.add(n);
            ifindexes.add(n.link(d.interfaceName()).orElseThrow().index());
        }
        holding = new boolean[directors.size()];
        thread = Thread.ofPlatform().name("vip-sampler").start(this::run);
    }

    private void run() {
        long next = System.nanoTime();
        while (running) {
            try {
                int holders = 0;
                for (int i = 0; i < sockets.size(); i++) {
                    boolean h = false;
                    for (IfAddress a : sockets.get(i).listAddresses(ifindexes.get(i))) {
                        h |= a.address().equals(vip);
                    }
                    holding[i] = h;
                    holders += h ? 1 : 0;
                }
                samples.incrementAndGet();
                maxHolders.accumulateAndGet(holders, Math::max);
                if (holders > 1) {
                    twoHolderSamples.incrementAndGet();
                }
            } catch (Exception e) {
                // a namespace going away at the end: stop sampling
                return;
            }
            next += PERIOD_NANOS;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            } else {
                lateSamples.incrementAndGet();
                next = System.nanoTime();
            }
        }
    }

    /** Starts counting anew (the largest number of holders, the samples). */
    void reset() {
        maxHolders.set(0);
        samples.set(0);
        twoHolderSamples.set(0);
        lateSamples.set(0);
    }

    int maxHolders() {
        return maxHolders.get();
    }

    long samples() {
        return samples.get();
    }

    long twoHolderSamples() {
        return twoHolderSamples.get();
    }

    /** Samples taken later than their 10 ms slot (a busy machine): reported with the drill. */
    long lateSamples() {
        return lateSamples.get();
    }

    /** Whether director {@code i} (in the constructor's order) held the VIP at the last sample. */
    boolean holds(int i) {
        return holding[i];
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(2000);
        sockets.forEach(RtNetlink::close);
    }
}
