package io.tandem.vrrp;

import io.tandem.vrrp.packet.AddressFamily;
import io.tandem.vrrp.packet.VrrpAuthType;
import io.tandem.vrrp.packet.VrrpChecksumMode;
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
    private final List<InetAddress> virtualAddresses;
    private final List<InetAddress> unicastPeers;
    private final boolean preempt;
    private final Duration preemptDelay;
    private final boolean acceptMode;
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
        virtualAddresses = List.copyOf(b.virtualAddresses);
        if (virtualAddresses.isEmpty() || virtualAddresses.size() > 255) {
            throw new IllegalArgumentException("invalid virtual address count: " + virtualAddresses.size()
                    + " (expected: 1 ~ 255)");
        }
        requireFamily("virtual address", virtualAddresses, family);
        if (new HashSet<>(virtualAddresses).size() != virtualAddresses.size()) {
            throw new IllegalArgumentException("invalid virtual addresses: " + hosts(virtualAddresses)
                    + " (expected: no duplicates)");
        }
        unicastPeers = List.copyOf(b.unicastPeers);
        requireFamily("unicast peer", unicastPeers, family);
        preempt = b.preempt;
        preemptDelay = Objects.requireNonNull(b.preemptDelay, "preemptDelay");
        if (preemptDelay.isNegative() || preemptDelay.compareTo(Duration.ofSeconds(1000)) > 0) {
            throw new IllegalArgumentException("invalid preempt delay: " + preemptDelay + " (expected: 0 ~ 1000 s)");
        }
        acceptMode = b.acceptMode;
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

    public List<InetAddress> virtualAddresses() {
        return virtualAddresses;
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

    /** Accept_Mode (RFC 9568 §6.1); enforced by the forwarder's steering rules, not here. */
    public boolean acceptMode() {
        return acceptMode;
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
        private List<InetAddress> virtualAddresses = List.of();
        private List<InetAddress> unicastPeers = List.of();
        private boolean preempt = true;
        private Duration preemptDelay = Duration.ZERO;
        private boolean acceptMode = true;
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

        public Builder virtualAddresses(List<InetAddress> addresses) {
            this.virtualAddresses = addresses;
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
