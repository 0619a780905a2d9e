package io.tandem.vrrp.packet;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One VRRP ADVERTISEMENT, valid by construction.
 *
 * <pre>
 * VRRPv3 (RFC 9568 §5.1):
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Type  | Virtual Rtr ID|   Priority    |Count IPvX Addr|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |(rsvd) |     Max Adver Int     |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      IPvX Address(es) ...                     |
 *
 * VRRPv2 (RFC 3768 §5.1):
 * |Version| Type  | Virtual Rtr ID|   Priority    | Count IP Addrs|
 * |   Auth Type   |   Adver Int   |          Checksum             |
 * |                      IP Address(es) ...                       |
 * |                     Authentication Data (1)                   |
 * |                     Authentication Data (2)                   |
 * </pre>
 *
 * <p>The advertisement interval is kept in the unit of the version's field:
 * centiseconds for v3 (1 ~ 4095), seconds for v2 (1 ~ 255); {@link #adverIntervalNanos()}
 * converts. The checksum is not a field: it belongs to the encoding.
 */
public final class VrrpAdvertisement {
    private static final byte[] NO_AUTH_DATA = new byte[VrrpConstants.AUTH_DATA_LENGTH];

    private final VrrpVersion version;
    private final AddressFamily family;
    private final int vrid;
    private final int priority;
    private final int adverInterval;
    private final List<InetAddress> addresses;
    private final VrrpAuthType authType;
    private final byte[] authData;

    /** A VRRPv3 advertisement (IPv4 or IPv6, decided by the addresses). */
    public static VrrpAdvertisement v3(int vrid, int priority, int maxAdverIntervalCentis, List<InetAddress> addresses) {
        return new VrrpAdvertisement(VrrpVersion.V3, vrid, priority, maxAdverIntervalCentis, addresses,
                VrrpAuthType.NO_AUTHENTICATION, NO_AUTH_DATA);
    }

    /** A VRRPv2 advertisement without authentication. */
    public static VrrpAdvertisement v2(int vrid, int priority, int adverIntervalSeconds, List<InetAddress> addresses) {
        return new VrrpAdvertisement(VrrpVersion.V2, vrid, priority, adverIntervalSeconds, addresses,
                VrrpAuthType.NO_AUTHENTICATION, NO_AUTH_DATA);
    }

    /**
     * @param version        VRRP version
     * @param vrid           Virtual Rtr ID, 1 ~ 255
     * @param priority       0 ~ 255 (0: master stopping, 255: address owner)
     * @param adverInterval  v3: Max Adver Int in centiseconds 1 ~ 4095; v2: Adver Int in seconds 1 ~ 255
     * @param addresses      1 ~ 255 addresses of one family; IPv6 only with v3
     * @param authType       v2 Auth Type; v3 requires {@link VrrpAuthType#NO_AUTHENTICATION}
     * @param authData       v2 Authentication Data, exactly 8 bytes (copied); all zero unless a password is used
     */
    public VrrpAdvertisement(VrrpVersion version, int vrid, int priority, int adverInterval,
                             List<InetAddress> addresses, VrrpAuthType authType, byte[] authData) {
        this.version = Objects.requireNonNull(version, "version");
        if (vrid < 1 || vrid > 255) {
            throw new IllegalArgumentException("invalid vrid: " + vrid + " (expected: 1 ~ 255)");
        }
        if (priority < 0 || priority > 255) {
            throw new IllegalArgumentException("invalid priority: " + priority + " (expected: 0 ~ 255)");
        }
        if (version == VrrpVersion.V3 && (adverInterval < 1 || adverInterval > VrrpConstants.V3_MAX_ADVER_INT_CENTIS)) {
            throw new IllegalArgumentException("invalid max advert interval: " + adverInterval
                    + " (expected: 1 ~ 4095 centiseconds)");
        }
        if (version == VrrpVersion.V2 && (adverInterval < 1 || adverInterval > VrrpConstants.V2_MAX_ADVER_INT_SECONDS)) {
            throw new IllegalArgumentException("invalid advert interval: " + adverInterval + " (expected: 1 ~ 255 seconds)");
        }
        Objects.requireNonNull(addresses, "addresses");
        if (addresses.isEmpty() || addresses.size() > 255) {
            throw new IllegalArgumentException("invalid address count: " + addresses.size() + " (expected: 1 ~ 255)");
        }
        this.addresses = List.copyOf(addresses);
        this.family = AddressFamily.of(this.addresses.getFirst());
        for (InetAddress address : this.addresses) {
            if (AddressFamily.of(address) != family) {
                throw new IllegalArgumentException("invalid address: " + address.getHostAddress()
                        + " (expected: " + family + " like the first address)");
            }
        }
        if (version == VrrpVersion.V2 && family != AddressFamily.IPV4) {
            throw new IllegalArgumentException("invalid address family: " + family + " (expected: IPV4 for VRRPv2)");
        }
        this.authType = Objects.requireNonNull(authType, "authType");
        if (version == VrrpVersion.V3 && authType != VrrpAuthType.NO_AUTHENTICATION) {
            throw new IllegalArgumentException("invalid auth type: " + authType + " (expected: NO_AUTHENTICATION for VRRPv3)");
        }
        Objects.requireNonNull(authData, "authData");
        if (authData.length != VrrpConstants.AUTH_DATA_LENGTH) {
            throw new IllegalArgumentException("invalid auth data length: " + authData.length + " (expected: 8)");
        }
        this.authData = authData.clone();
        this.vrid = vrid;
        this.priority = priority;
        this.adverInterval = adverInterval;
    }

    public VrrpVersion version() {
        return version;
    }

    public AddressFamily family() {
        return family;
    }

    /** Virtual Rtr ID, 1 ~ 255. */
    public int vrid() {
        return vrid;
    }

    /** Priority, 0 ~ 255. */
    public int priority() {
        return priority;
    }

    /** The interval field as on the wire: centiseconds for v3, seconds for v2. */
    public int adverInterval() {
        return adverInterval;
    }

    /** The advertisement interval in nanoseconds. */
    public long adverIntervalNanos() {
        return version == VrrpVersion.V3 ? adverInterval * 10_000_000L : adverInterval * 1_000_000_000L;
    }

    /** The IPvX Address(es), unmodifiable. */
    public List<InetAddress> addresses() {
        return addresses;
    }

    /** v2 Auth Type; always {@link VrrpAuthType#NO_AUTHENTICATION} for v3. */
    public VrrpAuthType authType() {
        return authType;
    }

    /** A copy of the 8 bytes of v2 Authentication Data. */
    public byte[] authData() {
        return authData.clone();
    }

    /** Whether the Authentication Data equals {@code expected} (8 bytes), in constant time. */
    public boolean authDataEquals(byte[] expected) {
        return java.security.MessageDigest.isEqual(authData, expected);
    }

    /** This advertisement with another priority (the priority-0 advert of a stopping master). */
    public VrrpAdvertisement withPriority(int newPriority) {
        return new VrrpAdvertisement(version, vrid, newPriority, adverInterval, addresses, authType, authData);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VrrpAdvertisement a
                && version == a.version && vrid == a.vrid && priority == a.priority
                && adverInterval == a.adverInterval && addresses.equals(a.addresses)
                && authType == a.authType && Arrays.equals(authData, a.authData);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, vrid, priority, adverInterval, addresses, authType, Arrays.hashCode(authData));
    }

    @Override
    public String toString() {
        return "VrrpAdvertisement(" + version + ", vrid=" + vrid + ", priority=" + priority
                + ", interval=" + adverInterval + (version == VrrpVersion.V3 ? "cs" : "s")
                + ", addresses=" + addresses.stream().map(InetAddress::getHostAddress).toList()
                + (authType == VrrpAuthType.NO_AUTHENTICATION ? "" : ", auth=" + authType) + ')';
    }
}
