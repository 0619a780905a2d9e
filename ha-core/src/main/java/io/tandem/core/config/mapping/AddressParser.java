package io.tandem.core.config.mapping;

import io.tandem.core.config.model.AddressScope;
import io.tandem.core.config.model.IpAddressSpec;
import io.tandem.core.config.model.RouteSpec;
import io.tandem.core.config.reader.Node;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Parses the address and route lines of {@code virtual_ipaddress}, {@code static_ipaddress},
 * {@code virtual_routes} and {@code static_routes} (ip-address(8) / ip-route(8) syntax as
 * keepalived.conf(5) accepts it), and address ranges ({@code A.B.C.D-E}, {@code A-B}, {@code A/N}).
 * In these list blocks each line is a {@link Node} whose keyword is the line's first word.
 */
final class AddressParser {
    private static final List<String> UNSUPPORTED_ADDRESS_OPTIONS = List.of(
            "peer", "home", "-nodad", "mngtmpaddr", "noprefixroute", "autojoin", "track_group", "preferred_lft",
            "use_vmac");

    private final Values values;

    AddressParser(Values values) {
        this.values = values;
    }

    /** An address line, or empty after reporting why not. */
    Optional<IpAddressSpec> address(Node line) {
        List<String> w = line.words();
        Prefixed p = prefixed(line, w.getFirst());
        if (p == null) {
            return Optional.empty();
        }
        InetAddress broadcast = null;
        String dev = null;
        String label = null;
        AddressScope scope = AddressScope.GLOBAL;
        boolean noTrack = false;
        for (int i = 1; i < w.size(); i++) {
            String option = w.get(i);
            switch (option) {
                case "brd", "broadcast" -> {
                    String v = next(line, w, ++i, "an IP address, + or -");
                    if (v != null && !v.equals("+") && !v.equals("-")) {
                        broadcast = values.ip(line, v);
                    }
                }
                case "dev" -> dev = next(line, w, ++i, "an interface name");
                case "label" -> label = next(line, w, ++i, "a label");
                case "scope" -> {
                    String v = next(line, w, ++i, "global|site|link|host|nowhere");
                    AddressScope s = v == null ? null : scope(line, v);
                    scope = s == null ? scope : s;
                }
                case "no_track" -> noTrack = true;
                default -> {
                    if (UNSUPPORTED_ADDRESS_OPTIONS.contains(option)) {
                        values.error(line, "address option '" + option + "' is not supported yet; keepalived would"
                                + " apply it to " + w.getFirst() + ", so ignoring it would change behaviour");
                    } else {
                        values.error(line, "unknown address option '" + option + "' (expected: brd, dev, scope,"
                                + " label, no_track)");
                    }
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new IpAddressSpec(p.address, p.prefix, Optional.ofNullable(broadcast),
                Optional.ofNullable(dev), scope, Optional.ofNullable(label), noTrack));
    }

    /**
     * A route line, or empty after reporting why not: an optional type, then the destination and the
     * options in any order (keepalived's samples write {@code src IP DEST via GW}).
     */
    Optional<RouteSpec> route(Node line) {
        List<String> w = line.words();
        RouteSpec.RouteType type = RouteSpec.RouteType.UNICAST;
        var r = new Object() {
            Prefixed dest;
            InetAddress src;
            InetAddress via;
            InetAddress or;
            String dev;
            AddressScope scope;
            Integer table;
            Integer metric;
            boolean noTrack;
        };
        for (int i = 0; i < w.size(); i++) {
            String option = w.get(i);
            switch (option) {
                case "src" -> r.src = ipOption(line, w, ++i);
                case "via" -> r.via = ipOption(line, w, ++i);
                case "gw" -> {
                    values.warning(line, "route option 'gw' is deprecated (expected: via); taken as via");
                    r.via = ipOption(line, w, ++i);
                }
                case "or" -> {
                    values.warning(line, "route option 'or' is deprecated (keepalived suggests nexthop); taken as"
                            + " a second gateway");
                    r.or = ipOption(line, w, ++i);
                }
                case "dev", "oif" -> r.dev = next(line, w, ++i, "an interface name");
                case "scope" -> {
                    String v = next(line, w, ++i, "global|site|link|host|nowhere");
                    r.scope = v == null ? null : scope(line, v);
                }
                case "table" -> r.table = number(line, w, ++i, "table");
                case "metric", "priority", "preference" -> r.metric = number(line, w, ++i, option);
                case "no_track" -> r.noTrack = true;
                case "blackhole", "unreachable", "prohibit", "throw" -> {
                    if (i != 0) {
                        values.error(line, "route type '" + option + "' must come first");
                        return Optional.empty();
                    }
                    type = RouteSpec.RouteType.valueOf(option.toUpperCase(Locale.ROOT));
                }
                default -> {
                    if (r.dest == null && (option.equals("default") || option.indexOf('.') > 0
                            || option.indexOf(':') >= 0)) {
                        r.dest = option.equals("default") ? new Prefixed(InetAddress.ofLiteral("0.0.0.0"), 0)
                                : prefixed(line, option);
                        if (r.dest == null) {
                            return Optional.empty();
                        }
                        continue;
                    }
                    values.error(line, "route option '" + option + "' is not supported yet; keepalived would"
                            + " pass it to the kernel, so ignoring it would change behaviour"
                            + " (supported: src, via, gw, or, dev, scope, table, metric, no_track)");
                    return Optional.empty();
                }
            }
        }
        if (r.dest == null) {
            values.error(line, "route '" + String.join(" ", w) + "': missing destination (expected: ADDRESS[/PREFIX])");
            return Optional.empty();
        }
        return Optional.of(new RouteSpec(type, r.dest.address, r.dest.prefix, Optional.ofNullable(r.src),
                Optional.ofNullable(r.via), Optional.ofNullable(r.or), Optional.ofNullable(r.dev),
                Optional.ofNullable(r.scope), r.table == null ? OptionalInt.empty() : OptionalInt.of(r.table),
                r.metric == null ? OptionalInt.empty() : OptionalInt.of(r.metric), r.noTrack));
    }

    /**
     * An address range {@code A}, {@code A-B} (B a full address or the last IPv4 byte / IPv6 group),
     * or {@code A/N}; returns {first, last} or null after reporting.
     */
    InetAddress[] range(Node line, String spec) {
        int dash = spec.indexOf('-');
        int slash = spec.indexOf('/');
        if (slash > 0) {
            Prefixed p = prefixed(line, spec);
            if (p == null) {
                return null;
            }
            int bits = p.address.getAddress().length * 8;
            BigInteger base = new BigInteger(1, p.address.getAddress());
            BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - p.prefix).subtract(BigInteger.ONE);
            BigInteger first = base.andNot(hostMask);
            return new InetAddress[] {toAddress(first, bits), toAddress(first.or(hostMask), bits)};
        }
        if (dash < 0) {
            InetAddress a = values.ip(line, spec);
            return a == null ? null : new InetAddress[] {a, a};
        }
        InetAddress first = values.ip(line, spec.substring(0, dash));
        if (first == null) {
            return null;
        }
        String end = spec.substring(dash + 1);
        InetAddress last = Values.parseIp(end);
        if (last == null) {
            last = lastFromSuffix(first, end);
        }
        if (last == null || last.getAddress().length != first.getAddress().length
                || new BigInteger(1, last.getAddress()).compareTo(new BigInteger(1, first.getAddress())) < 0) {
            values.error(line, "address range " + spec + ": invalid end '" + end
                    + "' (expected: an address or last byte not below " + first.getHostAddress() + ")");
            return null;
        }
        return new InetAddress[] {first, last};
    }

    private static InetAddress lastFromSuffix(InetAddress first, String end) {
        byte[] a = first.getAddress();
        try {
            if (a.length == 4) {
                int v = Integer.parseInt(end);
                if (v < 0 || v > 255) {
                    return null;
                }
                a[3] = (byte) v;
            } else {
                int v = Integer.parseInt(end, 16);
                if (v < 0 || v > 0xffff) {
                    return null;
                }
                a[14] = (byte) (v >> 8);
                a[15] = (byte) v;
            }
            return InetAddress.getByAddress(a);
        } catch (NumberFormatException | java.net.UnknownHostException e) {
            return null;
        }
    }

    private static InetAddress toAddress(BigInteger value, int bits) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[bits / 8];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        try {
            return InetAddress.getByAddress(out);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("address of " + out.length + " bytes", e);
        }
    }

    private record Prefixed(InetAddress address, int prefix) {
    }

    private Prefixed prefixed(Node line, String spec) {
        int slash = spec.indexOf('/');
        String addr = slash < 0 ? spec : spec.substring(0, slash);
        InetAddress a = Values.parseIp(addr);
        if (a == null) {
            values.error(line, "'" + spec + "': not an IP address (expected: ADDRESS[/PREFIX])");
            return null;
        }
        int max = a.getAddress().length * 8;
        if (slash < 0) {
            return new Prefixed(a, max);
        }
        String p = spec.substring(slash + 1);
        try {
            int prefix = Integer.parseInt(p);
            if (prefix >= 0 && prefix <= max) {
                return new Prefixed(a, prefix);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        values.error(line, "'" + spec + "': invalid prefix length " + p + " (expected: 0 ~ " + max + ")");
        return null;
    }

    private String next(Node line, List<String> w, int i, String expected) {
        if (i >= w.size()) {
            values.error(line, "'" + w.get(i - 1) + "' needs a value (expected: " + expected + ")");
            return null;
        }
        return w.get(i);
    }

    private InetAddress ipOption(Node line, List<String> w, int i) {
        String v = next(line, w, i, "an IP address");
        return v == null ? null : values.ip(line, v);
    }

    private Integer number(Node line, List<String> w, int i, String option) {
        String v = next(line, w, i, "a number");
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseUnsignedInt(v);
        } catch (NumberFormatException e) {
            values.error(line, option + " " + v + ": not a number (expected: 0 ~ 4294967295)");
            return null;
        }
    }

    private AddressScope scope(Node line, String v) {
        try {
            return AddressScope.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            values.error(line, "scope " + v + ": invalid value (expected: global|site|link|host|nowhere)");
            return null;
        }
    }
}
