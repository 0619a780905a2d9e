package io.tandem.vrrp.net;

import io.netty.util.concurrent.EventExecutor;
import io.tandem.core.netlink.IfAddress;
import io.tandem.core.netlink.Link;
import io.tandem.core.netlink.RtNetlink;
import io.tandem.vrrp.VipOwner;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the virtual addresses with rtnetlink (RTM_NEWADDR / RTM_DELADDR, as {@code ip addr}
 * does; host prefix, as keepalived gives a VIP without one) and announces them with
 * gratuitous ARP: {@code garp_master_repeat} frames at once, and the same again after
 * {@code garp_master_delay} (keepalived.conf(5)), so that switches and hosts that missed
 * the first burst learn the new master. An address already present is left alone; an
 * absent one is not an error on removal. Failures are counted and logged, never thrown:
 * the state machine must go on whatever the kernel says.
 */
public final class NetlinkVipOwner implements VipOwner {
    private static final Logger LOG = LoggerFactory.getLogger(NetlinkVipOwner.class);

    private final RtNetlink netlink;
    private final Map<String, GratuitousArp> garp;
    private final EventExecutor executor;
    private final int garpRepeat;
    private final Duration garpDelay;
    private final AtomicLong failures = new AtomicLong();
    private final Runnable beforeAdding;

    /**
     * @param garp       a sender per interface that may hold VIPs
     * @param executor   the instances' event loop, for the delayed second burst
     * @param garpRepeat frames per address per burst, at least 1
     * @param garpDelay  time to the second burst; zero for none
     */
    public NetlinkVipOwner(RtNetlink netlink, Map<String, GratuitousArp> garp, EventExecutor executor, int garpRepeat,
            Duration garpDelay) {
        this(netlink, garp, executor, garpRepeat, garpDelay, () -> { });
    }

    /**
     * @param beforeAdding run before addresses are added (the director installs its steering
     *                     rules there, so that no packet for a VIP reaches the kernel's own stack)
     */
    public NetlinkVipOwner(RtNetlink netlink, Map<String, GratuitousArp> garp, EventExecutor executor, int garpRepeat,
            Duration garpDelay, Runnable beforeAdding) {
        this.beforeAdding = beforeAdding;
        if (garpRepeat < 1) {
            throw new IllegalArgumentException("invalid garp repeat: " + garpRepeat + " (expected: at least 1)");
        }
        this.netlink = netlink;
        this.garp = Map.copyOf(garp);
        this.executor = executor;
        this.garpRepeat = garpRepeat;
        this.garpDelay = garpDelay;
    }

    @Override
    public void addAddresses(String interfaceName, List<InetAddress> addresses) {
        Optional<Link> link = link(interfaceName);
        if (link.isEmpty()) {
            return;
        }
        try {
            beforeAdding.run();
        } catch (RuntimeException e) {
            fail("prepare for " + addresses + " on " + interfaceName, e);
        }
        List<IfAddress> present = list(link.get().index());
        for (InetAddress address : addresses) {
            if (present.stream().anyMatch(a -> a.address().equals(address))) {
                continue;
            }
            try {
                netlink.addAddress(hostAddress(link.get().index(), address));
                LOG.info("added {} to {}", address.getHostAddress(), interfaceName);
            } catch (IOException e) {
                fail("add " + address.getHostAddress() + " to " + interfaceName, e);
            }
        }
    }

    @Override
    public void removeAddresses(String interfaceName, List<InetAddress> addresses) {
        Optional<Link> link = link(interfaceName);
        if (link.isEmpty()) {
            return;
        }
        List<IfAddress> present = list(link.get().index());
        for (InetAddress address : addresses) {
            for (IfAddress held : present) {
                if (held.address().equals(address)) {
                    try {
                        netlink.removeAddress(held);
                        LOG.info("removed {} from {}", address.getHostAddress(), interfaceName);
                    } catch (IOException e) {
                        fail("remove " + address.getHostAddress() + " from " + interfaceName, e);
                    }
                }
            }
        }
    }

    @Override
    public void announce(String interfaceName, List<InetAddress> addresses) {
        GratuitousArp sender = garp.get(interfaceName);
        if (sender == null) {
            fail("announce on " + interfaceName, new IOException("no gratuitous ARP sender for " + interfaceName));
            return;
        }
        burst(sender, addresses);
        if (!garpDelay.isZero()) {
            executor.schedule(() -> burst(sender, addresses), garpDelay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void burst(GratuitousArp sender, List<InetAddress> addresses) {
        for (int i = 0; i < garpRepeat; i++) {
            sender.announce(addresses);
        }
    }

    /** Kernel calls that failed. */
    public long failures() {
        return failures.get();
    }

    static IfAddress hostAddress(int ifindex, InetAddress address) {
        return IfAddress.of(ifindex, address, address instanceof Inet4Address ? 32 : 128);
    }

    private Optional<Link> link(String interfaceName) {
        try {
            Optional<Link> link = netlink.link(interfaceName);
            if (link.isEmpty()) {
                fail("find " + interfaceName, new IOException("no such interface"));
            }
            return link;
        } catch (IOException e) {
            fail("find " + interfaceName, e);
            return Optional.empty();
        }
    }

    private List<IfAddress> list(int ifindex) {
        try {
            return netlink.listAddresses(ifindex);
        } catch (IOException e) {
            fail("list addresses of ifindex " + ifindex, e);
            return List.of();
        }
    }

    private void fail(String what, Exception e) {
        failures.incrementAndGet();
        LOG.warn("could not {}: {}", what, e.toString());
    }
}
