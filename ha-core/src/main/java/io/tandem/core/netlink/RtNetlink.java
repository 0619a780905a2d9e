package io.tandem.core.netlink;

import io.tandem.core.linux.Errno;
import io.tandem.core.linux.Libc;
import io.tandem.core.linux.LinuxException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Links, addresses, neighbours and routes through rtnetlink (rtnetlink(7)),
 * over one request socket. It acts on the network namespace of the thread
 * that opened it. Safe for use by several threads; requests are serialised.
 */
public final class RtNetlink implements AutoCloseable {
    private static final int DUMP_ATTEMPTS = 5;
    private static final long FIRST_POLL_NANOS = 2_000_000L;
    private static final long MAX_POLL_NANOS = 100_000_000L;

    private final NetlinkSocket socket;

    private RtNetlink(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** Opens a request socket in the calling thread's network namespace. */
    public static RtNetlink open() throws LinuxException {
        return new RtNetlink(NetlinkSocket.open());
    }

    /** Every interface (RTM_GETLINK dump). */
    public List<Link> listLinks() throws IOException {
        return dump(IfInfoMsg.RTM_GETLINK, IfInfoMsg.RTM_NEWLINK, request -> request.reserve(IfInfoMsg.SIZE),
                "RTM_GETLINK(dump)", RtnlCodec::decodeLink);
    }

    /** The interface called {@code name}, or empty when there is none. */
    public Optional<Link> link(String name) throws IOException {
        if (name.isEmpty() || name.length() > IfAddress.MAX_LABEL_LENGTH) {
            throw new IllegalArgumentException("invalid interface name: '" + name + "' (expected: 1 ~ "
                    + IfAddress.MAX_LABEL_LENGTH + " characters)");
        }
        return getLink(request -> {
            request.reserve(IfInfoMsg.SIZE);
            request.attributeString(IfInfoMsg.IFLA_IFNAME, name);
        }, "RTM_GETLINK(dev " + name + ")");
    }

    /** The interface with index {@code ifindex}, or empty when there is none. */
    public Optional<Link> link(int ifindex) throws IOException {
        return getLink(request -> IfInfoMsg.index(request.buffer(), request.reserve(IfInfoMsg.SIZE), ifindex),
                "RTM_GETLINK(ifindex " + ifindex + ")");
    }

    private Optional<Link> getLink(Consumer<MessageBuilder> body, String call) throws IOException {
        List<Link> found = new ArrayList<>(1);
        AttributeCursor attributes = new AttributeCursor();
        try {
            socket.execute(IfInfoMsg.RTM_GETLINK, 0, body, () -> call, message -> {
                if (message.type() == IfInfoMsg.RTM_NEWLINK) {
                    found.add(RtnlCodec.decodeLink(message, attributes));
                }
            });
        } catch (NetlinkException e) {
            if (e.errno() == Errno.ENODEV) {
                return Optional.empty();
            }
            throw e;
        }
        return found.stream().findFirst();
    }

    /** {@code ip link set dev up}: sets IFF_UP. */
    public void setLinkUp(int ifindex) throws IOException {
        setLinkFlags(ifindex, IfInfoMsg.IFF_UP, "up");
    }

    /** {@code ip link set dev down}: clears IFF_UP. */
    public void setLinkDown(int ifindex) throws IOException {
        setLinkFlags(ifindex, 0, "down");
    }

    private void setLinkFlags(int ifindex, int flags, String what) throws IOException {
        change(IfInfoMsg.RTM_NEWLINK, 0, request -> {
            long at = request.reserve(IfInfoMsg.SIZE);
            IfInfoMsg.index(request.buffer(), at, ifindex);
            IfInfoMsg.flags(request.buffer(), at, flags);
            IfInfoMsg.change(request.buffer(), at, IfInfoMsg.IFF_UP);
        }, "RTM_NEWLINK", "", ifindex, " " + what);
    }

    /** Every IPv4 and IPv6 address of every interface (RTM_GETADDR dump). */
    public List<IfAddress> listAddresses() throws IOException {
        return dump(IfAddrMsg.RTM_GETADDR, IfAddrMsg.RTM_NEWADDR, request -> request.reserve(IfAddrMsg.SIZE),
                "RTM_GETADDR(dump)", RtnlCodec::decodeAddress);
    }

    /** The addresses of interface {@code ifindex}. */
    public List<IfAddress> listAddresses(int ifindex) throws IOException {
        return listAddresses().stream().filter(address -> address.ifindex() == ifindex).toList();
    }

    /**
     * {@code ip addr add}: assigns {@code address} (RTM_NEWADDR with
     * NLM_F_CREATE | NLM_F_EXCL). An address already there fails with EEXIST.
     */
    public void addAddress(IfAddress address) throws IOException {
        change(IfAddrMsg.RTM_NEWADDR, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, addressBody(address),
                "RTM_NEWADDR", address.cidr() + " ", address.ifindex(),
                address.label() != null ? " label " + address.label() : "");
    }

    /**
     * Builds the RTM_NEWADDR request of {@link #addAddress} and sends nothing: a takeover
     * rehearsed ahead of time does not wait for class loading and linking.
     */
    public void rehearseAddAddress(IfAddress address) {
        socket.rehearse(IfAddrMsg.RTM_NEWADDR, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, addressBody(address));
    }

    private static Consumer<MessageBuilder> addressBody(IfAddress address) {
        return request -> RtnlCodec.writeAddress(request, address);
    }

    /** {@code ip addr del}: removes {@code address}; one that is not there fails with EADDRNOTAVAIL. */
    public void removeAddress(IfAddress address) throws IOException {
        change(IfAddrMsg.RTM_DELADDR, 0, request -> RtnlCodec.writeAddress(request, address), "RTM_DELADDR",
                address.cidr() + " ", address.ifindex(), "");
    }

    /** The neighbour cache entries (ARP and NDP) of interface {@code ifindex} (RTM_GETNEIGH dump). */
    public List<Neighbour> listNeighbours(int ifindex) throws IOException {
        return dump(NdMsg.RTM_GETNEIGH, NdMsg.RTM_NEWNEIGH, request -> request.reserve(NdMsg.SIZE),
                "RTM_GETNEIGH(dump)", RtnlCodec::decodeNeighbour)
                .stream().filter(neighbour -> neighbour.ifindex() == ifindex).toList();
    }

    /**
     * The link-layer address of {@code address} on interface {@code ifindex}.
     * Unless the cache already holds it as REACHABLE or PERMANENT, asks the
     * kernel to use the entry (RTM_NEWNEIGH with NTF_USE, creating it if
     * needed), which makes the kernel resolve it with its own ARP probes, and
     * polls the cache until the entry is REACHABLE.
     *
     * @throws LinuxException EHOSTUNREACH when resolution failed (NUD_FAILED),
     *     ETIMEDOUT when it did not finish within {@code timeout}
     */
    public HardwareAddress resolveNeighbour(int ifindex, Inet4Address address, Duration timeout)
            throws IOException, InterruptedException {
        Optional<Neighbour> entry = neighbour(ifindex, address);
        if (entry.isPresent() && entry.get().resolved()) {
            return entry.get().hardwareAddress();
        }
        change(NdMsg.RTM_NEWNEIGH, Netlink.NLM_F_CREATE, request -> {
            long at = request.reserve(NdMsg.SIZE);
            NdMsg.family(request.buffer(), at, Libc.AF_INET);
            NdMsg.index(request.buffer(), at, ifindex);
            NdMsg.flags(request.buffer(), at, NdMsg.NTF_USE);
            request.attribute(NdMsg.NDA_DST, address.getAddress());
        }, "RTM_NEWNEIGH", AddressText.of(address) + " ", ifindex, " use");
        long start = System.nanoTime();
        long pause = FIRST_POLL_NANOS;
        while (true) {
            entry = neighbour(ifindex, address);
            if (entry.isPresent() && entry.get().resolved()) {
                return entry.get().hardwareAddress();
            }
            String state = entry.map(e -> NudState.toString(e.state())).orElse("absent");
            if (entry.isPresent() && entry.get().failed()) {
                throw new LinuxException("resolveNeighbour(" + AddressText.of(address) + " "
                        + device(ifindex) + "): " + state, Errno.EHOSTUNREACH);
            }
            long left = timeout.toNanos() - (System.nanoTime() - start);
            if (left <= 0) {
                throw new LinuxException("resolveNeighbour(" + AddressText.of(address) + " "
                        + device(ifindex) + "): still " + state + " after " + timeout.toMillis() + " ms",
                        Errno.ETIMEDOUT);
            }
            Thread.sleep(Duration.ofNanos(Math.min(pause, left)));
            pause = Math.min(pause * 2, MAX_POLL_NANOS);
        }
    }

    private Optional<Neighbour> neighbour(int ifindex, InetAddress address) throws IOException {
        return listNeighbours(ifindex).stream().filter(n -> n.address().equals(address)).findFirst();
    }

    /** {@code ip route add default via GATEWAY dev IFINDEX} in the main table. */
    public void addDefaultRoute(InetAddress gateway, int ifindex) throws IOException {
        change(RtMsg.RTM_NEWROUTE, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL,
                request -> RtnlCodec.writeDefaultRoute(request, gateway, ifindex, AddressScope.UNIVERSE),
                "RTM_NEWROUTE", "default via " + AddressText.of(gateway) + " ", ifindex, "");
    }

    /** {@code ip route del default via GATEWAY dev IFINDEX} from the main table. */
    public void removeDefaultRoute(InetAddress gateway, int ifindex) throws IOException {
        change(RtMsg.RTM_DELROUTE, 0,
                request -> RtnlCodec.writeDefaultRoute(request, gateway, ifindex, AddressScope.NOWHERE),
                "RTM_DELROUTE", "default via " + AddressText.of(gateway) + " ", ifindex, "");
    }

    /** {@code ip route add ROUTE}; a route already there fails with EEXIST. */
    public void addRoute(Route route) throws IOException {
        change(RtMsg.RTM_NEWROUTE, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL,
                request -> RtnlCodec.writeRoute(request, route, route.scope()), "RTM_NEWROUTE", route + " ",
                route.ifindex(), "");
    }

    /** {@code ip route del ROUTE}, of any scope; one that is not there fails with ESRCH. */
    public void removeRoute(Route route) throws IOException {
        change(RtMsg.RTM_DELROUTE, 0, request -> RtnlCodec.writeRoute(request, route, AddressScope.NOWHERE),
                "RTM_DELROUTE", route + " ", route.ifindex(), "");
    }

    /**
     * Sends a change and waits for its acknowledgement. A refusal is reported
     * as {@code OPERATION(WHAT dev NAME SUFFIX): ERRNO}, the interface named
     * once the request is over.
     */
    private void change(int type, int flags, Consumer<MessageBuilder> body, String operation, String what,
            int ifindex, String suffix) throws IOException {
        try {
            socket.execute(type, flags, body, () -> operation + "(" + what + "ifindex " + ifindex + suffix + ")",
                    ReplyHandler.IGNORE);
        } catch (NetlinkException e) {
            String named0 = ifindex == 0 ? (what + suffix).strip() : what + device(ifindex) + suffix;
            NetlinkException named = new NetlinkException(operation + "(" + named0 + ")", e.errno(),
                    e.kernelMessage());
            named.initCause(e);
            throw named;
        }
    }

    /** {@code dev NAME} for interface {@code ifindex}, or {@code ifindex N} when it cannot be found. */
    private String device(int ifindex) {
        try {
            return link(ifindex).map(link -> "dev " + link.name()).orElse("ifindex " + ifindex);
        } catch (IOException e) {
            return "ifindex " + ifindex;
        }
    }

    @FunctionalInterface
    private interface Decoder<T> {
        /** The value in {@code message}, or null to leave the message out. */
        T decode(MessageCursor message, AttributeCursor attributes) throws ProtocolException;
    }

    private <T> List<T> dump(int type, int replyType, Consumer<MessageBuilder> body, String call, Decoder<T> decoder)
            throws IOException {
        for (int attempt = 1; attempt <= DUMP_ATTEMPTS; attempt++) {
            List<T> values = new ArrayList<>();
            AttributeCursor attributes = new AttributeCursor();
            boolean consistent = socket.dump(type, body, () -> call, message -> {
                if (message.type() == replyType) {
                    T value = decoder.decode(message, attributes);
                    if (value != null) {
                        values.add(value);
                    }
                }
            });
            if (consistent) {
                return values;
            }
        }
        throw new NetlinkException(call, Errno.EINTR,
                "the table changed during each of " + DUMP_ATTEMPTS + " dumps (NLM_F_DUMP_INTR)");
    }

    @Override
    public void close() {
        socket.close();
    }
}
