package io.tandem.vrrp;

import io.tandem.vrrp.packet.AddressFamily;
import io.tandem.vrrp.packet.VrrpAuthType;
import io.tandem.vrrp.packet.VrrpChecksumMode;
import io.tandem.vrrp.packet.VrrpConstants;
import io.tandem.vrrp.packet.VrrpVersion;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One {@code vrrp_instance}, immutable and valid by construction (built with {@link #builder}).
 * Defaults follow keepalived.conf(5) where it has one: priority 100, advert_int 1 s,
 * preempt on, accept on, 3 adverts to master down, pseudo-header checksum.
 */
public final class VrrpInstanceConfig {
    private final String name;
    private final String interfaceName;
    private final int vrid;
    private final int priority;
    private final VrrpVersion version;
    private final int advertIntervalCentis;
    private final InetAddress primaryAddress;
    private final List<VirtualAddress> addresses;
    private final List<VirtualAddress> excludedAddresses;
    private final List<InetAddress> virtualAddresses;
    private final List<VirtualRoute> virtualRoutes;
    private final GarpTiming garp;
    private final List<InetAddress> unicastPeers;
    private final boolean preempt;
    private final Duration preemptDelay;
    private final boolean acceptMode;
    private final InetAddress multicastGroup;
    private final boolean lowerPriorityNoAdvert;
    private final boolean higherPrioritySendAdvert;
    private final boolean checkUnicastSource;
    private final VrrpChecksumMode checksumMode;
    private final VrrpAuthType authType;
    private final byte[] authData;
    private final Duration startupDelay;
    private final int downTimerAdverts;
    private final boolean checkAdvertAddresses;
    private final List<VrrpTracker> trackers;

    private VrrpInstanceConfig(Builder b) {
        name = Objects.requireNonNull(b.name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("invalid name: \"" + name + "\" (expected: not blank)");
        }
        interfaceName = Objects.requireNonNull(b.interfaceName, "interfaceName");
        if (interfaceName.isEmpty() || interfaceName.length() > 15) {
            throw new IllegalArgumentException("invalid interface: \"" + interfaceName + "\" (expected: 1 ~ 15 characters)");
        }
        if (b.vrid < 1 || b.vrid > 255) {
            throw new IllegalArgumentException("invalid vrid: " + b.vrid + " (expected: 1 ~ 255)");
        }
        vrid = b.vrid;
        if (b.priority < 1 || b.priority > 255) {
            throw new IllegalArgumentException("invalid priority: " + b.priority + " (expected: 1 ~ 255)");
        }
        priority = b.priority;
        version = Objects.requireNonNull(b.version, "version");
        if (version == VrrpVersion.V3 && (b.advertIntervalCentis < 1 || b.advertIntervalCentis > 4095)) {
            throw new IllegalArgumentException("invalid advert interval: " + b.advertIntervalCentis
                    + " cs (expected: 1 ~ 4095 centiseconds for VRRPv3)");
        }
        if (version == VrrpVersion.V2 && (b.advertIntervalCentis % 100 != 0
                || b.advertIntervalCentis < 100 || b.advertIntervalCentis > 25500)) {
            throw new IllegalArgumentException("invalid advert interval: " + b.advertIntervalCentis
                    + " cs (expected: whole seconds 1 ~ 255 for VRRPv2)");
        }
        advertIntervalCentis = b.advertIntervalCentis;
        primaryAddress = Objects.requireNonNull(b.primaryAddress, "primaryAddress");
        AddressFamily family = AddressFamily.of(primaryAddress);
        if (version == VrrpVersion.V2 && family != AddressFamily.IPV4) {
            throw new IllegalArgumentException("invalid version: V2 for " + primaryAddress.getHostAddress()
                    + " (expected: V3 for IPv6)");
        }
        addresses = List.copyOf(b.addresses);
        excludedAddresses = List.copyOf(b.excludedAddresses);
        virtualAddresses = addresses.stream().map(VirtualAddress::address).toList();
        if (virtualAddresses.isEmpty() || virtualAddresses.size() > 255) {
            throw new IllegalArgumentException("invalid virtual address count: " + virtualAddresses.size()
                    + " (expected: 1 ~ 255)");
        }
        requireFamily("virtual address", virtualAddresses, family);
        List<InetAddress> held = heldAddresses().stream().map(VirtualAddress::address).toList();
        if (new HashSet<>(held).size() != held.size()) {
            throw new IllegalArgumentException("invalid virtual addresses: " + hosts(held)
                    + " (expected: no duplicates, excluded ones included)");
        }
        virtualRoutes = List.copyOf(b.virtualRoutes);
        garp = Objects.requireNonNull(b.garp, "garp");
        unicastPeers = List.copyOf(b.unicastPeers);
        requireFamily("unicast peer", unicastPeers, family);
        preempt = b.preempt;
        preemptDelay = Objects.requireNonNull(b.preemptDelay, "preemptDelay");
        if (preemptDelay.isNegative() || preemptDelay.compareTo(Duration.ofSeconds(1000)) > 0) {
            throw new IllegalArgumentException("invalid preempt delay: " + preemptDelay + " (expected: 0 ~ 1000 s)");
        }
        acceptMode = b.acceptMode;
        multicastGroup = b.multicastGroup != null ? b.multicastGroup
                : InetAddress.ofLiteral(family == AddressFamily.IPV4 ? VrrpConstants.IPV4_MULTICAST_GROUP
                        : VrrpConstants.IPV6_MULTICAST_GROUP);
        if (AddressFamily.of(multicastGroup) != family || !multicastGroup.isMulticastAddress()) {
            throw new IllegalArgumentException("invalid multicast group: " + multicastGroup.getHostAddress()
                    + " (expected: an " + family + " multicast address like the primary address)");
        }
        lowerPriorityNoAdvert = b.lowerPriorityNoAdvert;
        higherPrioritySendAdvert = b.higherPrioritySendAdvert;
        checkUnicastSource = b.checkUnicastSource;
        checksumMode = Objects.requireNonNull(b.checksumMode, "checksumMode");
        authType = Objects.requireNonNull(b.authType, "authType");
        authData = new byte[8];
        if (authType == VrrpAuthType.IP_AUTHENTICATION_HEADER) {
            throw new IllegalArgumentException("invalid auth type: AH (expected: NO_AUTHENTICATION or PASS)");
        }
        if (authType == VrrpAuthType.SIMPLE_TEXT_PASSWORD) {
            if (version != VrrpVersion.V2) {
                throw new IllegalArgumentException("invalid auth type: PASS with " + version + " (expected: V2)");
            }
            byte[] password = Objects.requireNonNull(b.authPassword, "authPassword").getBytes(StandardCharsets.UTF_8);
            if (password.length < 1 || password.length > 8) {
                throw new IllegalArgumentException("invalid auth password length: " + password.length
                        + " bytes (expected: 1 ~ 8)");
            }
            System.arraycopy(password, 0, authData, 0, password.length);
        }
        startupDelay = Objects.requireNonNull(b.startupDelay, "startupDelay");
        if (startupDelay.isNegative()) {
            throw new IllegalArgumentException("invalid startup delay: " + startupDelay + " (expected: >= 0)");
        }
        if (b.downTimerAdverts < 1 || b.downTimerAdverts > 100) {
            throw new IllegalArgumentException("invalid down timer adverts: " + b.downTimerAdverts + " (expected: 1 ~ 100)");
        }
        downTimerAdverts = b.downTimerAdverts;
        checkAdvertAddresses = b.checkAdvertAddresses;
        trackers = List.copyOf(b.trackers);
        Set<String> trackerNames = new HashSet<>();
        for (VrrpTracker tracker : trackers) {
            if (!trackerNames.add(tracker.name())) {
                throw new IllegalArgumentException("invalid trackers: \"" + tracker.name()
                        + "\" twice (expected: unique names)");
            }
        }
    }

    private static void requireFamily(String what, List<InetAddress> addresses, AddressFamily family) {
        for (InetAddress address : addresses) {
            if (AddressFamily.of(address) != family) {
                throw new IllegalArgumentException("invalid " + what + ": " + address.getHostAddress()
                        + " (expected: " + family + " like the primary address)");
            }
        }
    }

    private static List<String> hosts(List<InetAddress> addresses) {
        return addresses.stream().map(InetAddress::getHostAddress).toList();
    }

    /** A builder with keepalived's defaults. */
    public static Builder builder(String name, String interfaceName, int vrid) {
        return new Builder(name, interfaceName, vrid);
    }

    public String name() {
        return name;
    }

    public String interfaceName() {
        return interfaceName;
    }

    public int vrid() {
        return vrid;
    }

    /** The configured (base) priority, 1 ~ 255; 255 makes this router the address owner. */
    public int priority() {
        return priority;
    }

    /** Whether this router owns the virtual addresses (priority 255, RFC 9568 §5.2.4). */
    public boolean isAddressOwner() {
        return priority == 255;
    }

    public VrrpVersion version() {
        return version;
    }

    public AddressFamily family() {
        return AddressFamily.of(primaryAddress);
    }

    /** Advertisement_Interval in centiseconds (v2: a multiple of 100). */
    public int advertIntervalCentis() {
        return advertIntervalCentis;
    }

    /** Advertisement_Interval in nanoseconds. */
    public long advertIntervalNanos() {
        return advertIntervalCentis * 10_000_000L;
    }

    /** The interval as the version's wire field holds it: centiseconds (v3) or seconds (v2). */
    public int advertIntervalWireValue() {
        return version == VrrpVersion.V3 ? advertIntervalCentis : advertIntervalCentis / 100;
    }

    /** The primary address: the source of advertisements, compared on a priority tie. */
    public InetAddress primaryAddress() {
        return primaryAddress;
    }

    /** The advertised virtual addresses ({@code virtual_ipaddress}), in order. */
    public List<InetAddress> virtualAddresses() {
        return virtualAddresses;
    }

    /** The advertised virtual addresses with their prefix, device, label and scope. */
    public List<VirtualAddress> addresses() {
        return addresses;
    }

    /** {@code virtual_ipaddress_excluded}: held by the master, not advertised (either family). */
    public List<VirtualAddress> excludedAddresses() {
        return excludedAddresses;
    }

    /** Every address a master holds and announces: the advertised ones, then the excluded ones. */
    public List<VirtualAddress> heldAddresses() {
        if (excludedAddresses.isEmpty()) {
            return addresses;
        }
        List<VirtualAddress> all = new ArrayList<>(addresses);
        all.addAll(excludedAddresses);
        return all;
    }

    /** {@code virtual_routes}: added on becoming MASTER, removed on leaving it. */
    public List<VirtualRoute> virtualRoutes() {
        return virtualRoutes;
    }

    /** When the master announces its addresses ({@code garp_*}). */
    public GarpTiming garp() {
        return garp;
    }

    /** Unicast peers; empty means multicast. */
    public List<InetAddress> unicastPeers() {
        return unicastPeers;
    }

    /** Preempt_Mode (RFC 9568 §6.1); keepalived's {@code nopreempt} clears it. */
    public boolean preempt() {
        return preempt;
    }

    /** keepalived's {@code preempt_delay}: how long a lower-priority master is tolerated. */
    public Duration preemptDelay() {
        return preemptDelay;
    }

    /**
     * Accept_Mode (RFC 9568 §6.1). Tandem does not filter the traffic to the VIPs, so a master
     * accepts it whatever this says, as keepalived does without {@code vrrp_strict}; the
     * configuration refuses {@code no_accept}.
     */
    public boolean acceptMode() {
        return acceptMode;
    }

    /**
     * Where multicast advertisements go: 224.0.0.18 or ff02::12 (RFC 9568 §5.1.1.2, §5.1.2.2),
     * unless keepalived's {@code mcast_dst_ip} or {@code vrrp_mcast_group4/6} say otherwise.
     */
    public InetAddress multicastGroup() {
        return multicastGroup;
    }

    /**
     * keepalived's {@code lower_prio_no_advert}: a master that hears a lower priority sends no
     * advertisement in reply (without it, it answers at once, so that the other master yields).
     */
    public boolean lowerPriorityNoAdvert() {
        return lowerPriorityNoAdvert;
    }

    /** keepalived's {@code higher_prio_send_advert}: a master sends one more advertisement before yielding. */
    public boolean higherPrioritySendAdvert() {
        return higherPrioritySendAdvert;
    }

    /**
     * keepalived's {@code check_unicast_src}: with unicast peers, an advertisement from an address
     * that is not one of them is dropped ({@link io.tandem.vrrp.packet.VrrpDropReason#UNKNOWN_PEER}).
     */
    public boolean checkUnicastSource() {
        return checkUnicastSource;
    }

    public VrrpChecksumMode checksumMode() {
        return checksumMode;
    }

    public VrrpAuthType authType() {
        return authType;
    }

    /** The 8 bytes of v2 Authentication Data: the password zero-padded, or zeros (a copy). */
    public byte[] authData() {
        return authData.clone();
    }

    /** keepalived's {@code vrrp_startup_delay}: time spent in INIT before the Startup event. */
    public Duration startupDelay() {
        return startupDelay;
    }

    /** keepalived's {@code down_timer_adverts}: the RFC's factor 3 in Master_Down_Interval. */
    public int downTimerAdverts() {
        return downTimerAdverts;
    }

    /** Whether to check an advert's address list against the configured one (RFC 9568 §7.1, a MAY). */
    public boolean checkAdvertAddresses() {
        return checkAdvertAddresses;
    }

    public List<VrrpTracker> trackers() {
        return trackers;
    }

    /** Equal when every setting is: a reload keeps an instance whose configuration is equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof VrrpInstanceConfig c && name.equals(c.name) && interfaceName.equals(c.interfaceName)
                && vrid == c.vrid && priority == c.priority && version == c.version
                && advertIntervalCentis == c.advertIntervalCentis && primaryAddress.equals(c.primaryAddress)
                && virtualAddresses.equals(c.virtualAddresses) && unicastPeers.equals(c.unicastPeers)
                && preempt == c.preempt && preemptDelay.equals(c.preemptDelay) && acceptMode == c.acceptMode
                && checksumMode == c.checksumMode && authType == c.authType
                && java.util.Arrays.equals(authData, c.authData) && startupDelay.equals(c.startupDelay)
                && downTimerAdverts == c.downTimerAdverts && checkAdvertAddresses == c.checkAdvertAddresses
                && trackers.equals(c.trackers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, interfaceName, vrid, priority, virtualAddresses);
    }

    @Override
    public String toString() {
        return "VrrpInstanceConfig(" + name + ", " + interfaceName + ", vrid " + vrid + ", priority " + priority
                + ", " + version + ", " + advertIntervalCentis + " cs, " + primaryAddress.getHostAddress()
                + ", vips " + hosts(virtualAddresses) + ')';
    }

    /** Collects the settings; {@link #build()} validates them. */
    public static final class Builder {
        private final String name;
        private final String interfaceName;
        private final int vrid;
        private int priority = 100;
        private VrrpVersion version = VrrpVersion.V3;
        private int advertIntervalCentis = 100;
        private InetAddress primaryAddress;
        private List<VirtualAddress> addresses = List.of();
        private List<VirtualAddress> excludedAddresses = List.of();
        private List<VirtualRoute> virtualRoutes = List.of();
        private GarpTiming garp = GarpTiming.DEFAULTS;
        private List<InetAddress> unicastPeers = List.of();
        private boolean preempt = true;
        private Duration preemptDelay = Duration.ZERO;
        private boolean acceptMode = true;
        private InetAddress multicastGroup;
        private boolean lowerPriorityNoAdvert;
        private boolean higherPrioritySendAdvert;
        private boolean checkUnicastSource;
        private VrrpChecksumMode checksumMode = VrrpChecksumMode.IPV4_PSEUDO_HEADER;
        private VrrpAuthType authType = VrrpAuthType.NO_AUTHENTICATION;
        private String authPassword;
        private Duration startupDelay = Duration.ZERO;
        private int downTimerAdverts = 3;
        private boolean checkAdvertAddresses = true;
        private final List<VrrpTracker> trackers = new ArrayList<>();

        private Builder(String name, String interfaceName, int vrid) {
            this.name = name;
            this.interfaceName = interfaceName;
            this.vrid = vrid;
        }

        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        public Builder version(VrrpVersion version) {
            this.version = version;
            return this;
        }

        public Builder advertInterval(Duration interval) {
            long millis = interval.toMillis();
            if (millis % 10 != 0 || millis > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("invalid advert interval: " + interval + " (expected: 10 ms steps)");
            }
            this.advertIntervalCentis = (int) (millis / 10);
            return this;
        }

        public Builder primaryAddress(InetAddress address) {
            this.primaryAddress = address;
            return this;
        }

        /** The advertised addresses, each with its host prefix on the instance's interface. */
        public Builder virtualAddresses(List<InetAddress> addresses) {
            this.addresses = addresses.stream().map(VirtualAddress::of).toList();
            return this;
        }

        /** The advertised addresses with their prefix, device, label and scope. */
        public Builder addresses(List<VirtualAddress> addresses) {
            this.addresses = List.copyOf(addresses);
            return this;
        }

        public Builder excludedAddresses(List<VirtualAddress> addresses) {
            this.excludedAddresses = List.copyOf(addresses);
            return this;
        }

        public Builder virtualRoutes(List<VirtualRoute> routes) {
            this.virtualRoutes = List.copyOf(routes);
            return this;
        }

        public Builder garp(GarpTiming timing) {
            this.garp = timing;
            return this;
        }

        public Builder unicastPeers(List<InetAddress> peers) {
            this.unicastPeers = peers;
            return this;
        }

        public Builder preempt(boolean preempt) {
            this.preempt = preempt;
            return this;
        }

        public Builder preemptDelay(Duration delay) {
            this.preemptDelay = delay;
            return this;
        }

        public Builder acceptMode(boolean acceptMode) {
            this.acceptMode = acceptMode;
            return this;
        }

        /** The multicast group; null for the IANA one of the primary address's family. */
        public Builder multicastGroup(InetAddress group) {
            this.multicastGroup = group;
            return this;
        }

        public Builder lowerPriorityNoAdvert(boolean noAdvert) {
            this.lowerPriorityNoAdvert = noAdvert;
            return this;
        }

        public Builder higherPrioritySendAdvert(boolean sendAdvert) {
            this.higherPrioritySendAdvert = sendAdvert;
            return this;
        }

        public Builder checkUnicastSource(boolean check) {
            this.checkUnicastSource = check;
            return this;
        }

        public Builder checksumMode(VrrpChecksumMode mode) {
            this.checksumMode = mode;
            return this;
        }

        /** v2 only: keepalived's {@code authentication { auth_type PASS; auth_pass ... }}. */
        public Builder simplePassword(String password) {
            this.authType = VrrpAuthType.SIMPLE_TEXT_PASSWORD;
            this.authPassword = password;
            return this;
        }

        public Builder authType(VrrpAuthType type) {
            this.authType = type;
            return this;
        }

        public Builder startupDelay(Duration delay) {
            this.startupDelay = delay;
            return this;
        }

        public Builder downTimerAdverts(int adverts) {
            this.downTimerAdverts = adverts;
            return this;
        }

        public Builder checkAdvertAddresses(boolean check) {
            this.checkAdvertAddresses = check;
            return this;
        }

        public Builder track(String trackerName, int weight) {
            this.trackers.add(new VrrpTracker(trackerName, weight));
            return this;
        }

        public Builder track(VrrpTracker tracker) {
            this.trackers.add(java.util.Objects.requireNonNull(tracker, "tracker"));
            return this;
        }

        public VrrpInstanceConfig build() {
            return new VrrpInstanceConfig(this);
        }
    }
}
