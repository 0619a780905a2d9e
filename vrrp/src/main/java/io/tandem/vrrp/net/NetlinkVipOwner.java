package io.tandem.vrrp.net;

import io.tandem.core.linux.Errno;
import io.tandem.core.netlink.IfAddress;
import io.tandem.core.netlink.Link;
import io.tandem.core.netlink.NetlinkException;
import io.tandem.core.netlink.Route;
import io.tandem.core.netlink.RtMsg;
import io.tandem.core.netlink.RtNetlink;
import io.tandem.vrrp.VipOwner;
import io.tandem.vrrp.VirtualAddress;
import io.tandem.vrrp.VirtualRoute;
import java.io.IOException;
import java.net.Inet6Address;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the virtual addresses and routes with rtnetlink (RTM_NEWADDR / RTM_DELADDR and
 * RTM_NEWROUTE / RTM_DELROUTE, as {@code ip addr} and {@code ip route} do), each address
 * with its prefix, label and scope on its device; IPv6 addresses without duplicate
 * address detection (IFA_F_NODAD, as keepalived adds them), so they are usable at once.
 * It announces them with an {@link AddressAnnouncer} per interface. An address or route
 * already present is left alone; an absent one is not an error on removal. Failures are
 * counted and logged, never thrown: the state machine must go on whatever the kernel says.
 */
public final class NetlinkVipOwner implements VipOwner {
    private static final Logger LOG = LoggerFactory.getLogger(NetlinkVipOwner.class);

    private final RtNetlink netlink;
    private final Map<String, AddressAnnouncer> announcers;
    private final AtomicLong failures = new AtomicLong();
    private final Runnable beforeAdding;
    private final Map<String, Integer> ifindexes = new HashMap<>();

    /**
     * @param announcers   an announcer per interface that may hold addresses
     * @param beforeAdding run before addresses are added (the director installs its steering
     *                     rules there, so that no packet for a VIP reaches the kernel's own stack)
     */
    public NetlinkVipOwner(RtNetlink netlink, Map<String, AddressAnnouncer> announcers, Runnable beforeAdding) {
        this.netlink = netlink;
        this.announcers = Map.copyOf(announcers);
        this.beforeAdding = beforeAdding;
    }

    @Override
    public void addAddresses(String interfaceName, List<VirtualAddress> addresses) {
        try {
            beforeAdding.run();
        } catch (RuntimeException e) {
            fail("prepare for " + addresses + " on " + interfaceName, e);
        }
        // on the takeover path: one RTM_NEWADDR per address, the index of each device looked up once
        for (VirtualAddress address : addresses) {
            String device = address.deviceOr(interfaceName);
            Optional<Integer> ifindex = ifindex(device);
            if (ifindex.isEmpty()) {
                continue;
            }
            try {
                netlink.addAddress(ifAddress(ifindex.get(), address));
                LOG.info("added {} to {}", address, device);
            } catch (NetlinkException e) {
                if (e.errno() == Errno.EEXIST) {
                    continue; // already there: left alone
                }
                if (e.errno() == Errno.ENODEV) {
                    ifindexes.remove(device); // the device was replaced: look it up again next time
                }
                fail("add " + address + " to " + device, e);
            } catch (IOException e) {
                fail("add " + address + " to " + device, e);
            }
        }
    }

    /** The index of {@code device}, from rtnetlink the first time. */
    private Optional<Integer> ifindex(String device) {
        Integer known = ifindexes.get(device);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Integer> found = new Devices().link(device).map(Link::index);
        found.ifPresent(i -> ifindexes.put(device, i));
        return found;
    }

    @Override
    public void removeAddresses(String interfaceName, List<VirtualAddress> addresses) {
        Devices devices = new Devices();
        for (VirtualAddress address : addresses) {
            String device = address.deviceOr(interfaceName);
            Optional<Link> link = devices.link(device);
            if (link.isEmpty()) {
                continue;
            }
            for (IfAddress held : devices.addresses(link.get().index())) {
                if (held.address().equals(address.address())) {
                    try {
                        netlink.removeAddress(held);
                        LOG.info("removed {} from {}", address.address().getHostAddress(), device);
                    } catch (IOException e) {
                        fail("remove " + address.address().getHostAddress() + " from " + device, e);
                    }
                }
            }
        }
    }

    @Override
    public void announce(String interfaceName, List<VirtualAddress> addresses, int repeat) {
        Map<String, List<VirtualAddress>> byDevice = new HashMap<>();
        for (VirtualAddress address : addresses) {
            byDevice.computeIfAbsent(address.deviceOr(interfaceName), d -> new java.util.ArrayList<>()).add(address);
        }
        byDevice.forEach((device, onDevice) -> {
            AddressAnnouncer announcer = announcers.get(device);
            if (announcer == null) {
                fail("announce on " + device, new IOException("no announcer for " + device));
            } else {
                announcer.announce(onDevice, VirtualAddress::address, repeat);
            }
        });
    }

    @Override
    public void addRoutes(String interfaceName, List<VirtualRoute> routes) {
        Devices devices = new Devices();
        for (VirtualRoute route : routes) {
            Optional<Route> kernel = route(route, devices);
            if (kernel.isEmpty()) {
                continue;
            }
            try {
                netlink.addRoute(kernel.get());
                LOG.info("added route {}", route);
            } catch (NetlinkException e) {
                if (e.errno() == Errno.EEXIST) {
                    LOG.info("route {} already present", route);
                } else {
                    fail("add route " + route, e);
                }
            } catch (IOException e) {
                fail("add route " + route, e);
            }
        }
    }

    @Override
    public void removeRoutes(String interfaceName, List<VirtualRoute> routes) {
        Devices devices = new Devices();
        for (VirtualRoute route : routes) {
            Optional<Route> kernel = route(route, devices);
            if (kernel.isEmpty()) {
                continue;
            }
            try {
                netlink.removeRoute(kernel.get());
                LOG.info("removed route {}", route);
            } catch (NetlinkException e) {
                if (e.errno() != Errno.ESRCH) {
                    fail("remove route " + route, e);
                }
            } catch (IOException e) {
                fail("remove route " + route, e);
            }
        }
    }

    /**
     * Looks each address's device index up (kept for the takeover), builds its RTM_NEWADDR
     * request, formats it as the takeover's log line does, and runs {@link #announce} with no
     * repeat: its frames built, none sent.
     */
    @Override
    public void rehearse(String interfaceName, List<VirtualAddress> addresses) {
        for (VirtualAddress address : addresses) {
            String device = address.deviceOr(interfaceName);
            ifindex(device).ifPresent(index -> netlink.rehearseAddAddress(ifAddress(index, address)));
            String line = "added " + address + " to " + device; // the takeover logs it (a record's equals inside)
            LOG.trace("rehearsed: {}", line);
        }
        announce(interfaceName, addresses, 0); // frames built, none sent
    }

    /** Kernel calls that failed. */
    public long failures() {
        return failures.get();
    }

    /** {@code address} on {@code ifindex}; IPv6 with IFA_F_NODAD. */
    static IfAddress ifAddress(int ifindex, VirtualAddress address) {
        IfAddress a = new IfAddress(ifindex, address.address(), address.prefixLength(), address.label(),
                address.scope(), 0);
        return address.address() instanceof Inet6Address ? a.withNoDad() : a;
    }

    private Optional<Route> route(VirtualRoute route, Devices devices) {
        int ifindex = 0;
        if (route.device() != null) {
            Optional<Link> link = devices.link(route.device());
            if (link.isEmpty()) {
                return Optional.empty();
            }
            ifindex = link.get().index();
        }
        int type = switch (route.type()) {
            case UNICAST -> RtMsg.RTN_UNICAST;
            case BLACKHOLE -> RtMsg.RTN_BLACKHOLE;
            case UNREACHABLE -> RtMsg.RTN_UNREACHABLE;
            case PROHIBIT -> RtMsg.RTN_PROHIBIT;
            case THROW -> RtMsg.RTN_THROW;
        };
        return Optional.of(new Route(type, route.destination(), route.prefixLength(), route.via(), ifindex,
                route.source(), route.table(), route.metric(), route.scope()));
    }

    /** The links and addresses one call needs, each read from the kernel once. */
    private final class Devices {
        private final Map<String, Optional<Link>> links = new HashMap<>();
        private final Map<Integer, List<IfAddress>> addresses = new HashMap<>();

        Optional<Link> link(String name) {
            return links.computeIfAbsent(name, n -> {
                try {
                    Optional<Link> link = netlink.link(n);
                    if (link.isEmpty()) {
                        fail("find " + n, new IOException("no such interface"));
                    }
                    return link;
                } catch (IOException e) {
                    fail("find " + n, e);
                    return Optional.empty();
                }
            });
        }

        List<IfAddress> addresses(int ifindex) {
            return addresses.computeIfAbsent(ifindex, i -> {
                try {
                    return netlink.listAddresses(i);
                } catch (IOException e) {
                    fail("list addresses of ifindex " + i, e);
                    return List.of();
                }
            });
        }
    }

    private void fail(String what, Exception e) {
        failures.incrementAndGet();
        LOG.warn("could not {}: {}", what, e.toString());
    }
}
