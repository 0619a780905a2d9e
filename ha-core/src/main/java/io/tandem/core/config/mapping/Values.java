package io.tandem.core.config.mapping;

import io.tandem.core.config.Diagnostics;
import io.tandem.core.config.model.ScriptCommand;
import io.tandem.core.config.reader.Node;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads the arguments of a statement, reporting a bad one with the keyword, the value and what was
 * expected ({@code "virtual_router_id 300: out of range (expected: 1 ~ 255)"}). Every reader returns
 * null (or empty) after reporting, so a mapper keeps the default and carries on.
 */
final class Values {
    /** Dotted quad only: InetAddress would also take "10" as 0.0.0.10. */
    private static final java.util.regex.Pattern IPV4 =
            java.util.regex.Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    private final Diagnostics diagnostics;

    Values(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    Diagnostics diagnostics() {
        return diagnostics;
    }

    void error(Node n, String message) {
        diagnostics.error(n.location(), message);
    }

    void warning(Node n, String message) {
        diagnostics.warning(n.location(), message);
    }

    /** The {@code i}-th argument, or null after reporting it missing. */
    String string(Node n, int i, String expected) {
        String v = n.arg(i);
        if (v == null) {
            error(n, n.keyword() + ": missing value (expected: " + expected + ")");
        }
        return v;
    }

    /** A whole number in [min, max], or null. */
    Long integer(Node n, int i, long min, long max) {
        String expected = min + " ~ " + max;
        String v = string(n, i, expected);
        if (v == null) {
            return null;
        }
        long value;
        try {
            value = Long.parseLong(v);
        } catch (NumberFormatException e) {
            error(n, n.keyword() + " " + v + ": not a whole number (expected: " + expected + ")");
            return null;
        }
        if (value < min || value > max) {
            error(n, n.keyword() + " " + v + ": out of range (expected: " + expected + ")");
            return null;
        }
        return value;
    }

    Integer intValue(Node n, int i, int min, int max) {
        Long v = integer(n, i, min, max);
        return v == null ? null : v.intValue();
    }

    /** A TIMER: seconds with up to 6 decimals, in [minSeconds, maxSeconds], or null. */
    Duration timer(Node n, int i, double minSeconds, double maxSeconds) {
        String expected = "seconds " + fmt(minSeconds) + " ~ " + fmt(maxSeconds);
        String v = string(n, i, expected);
        if (v == null) {
            return null;
        }
        BigDecimal seconds;
        try {
            seconds = new BigDecimal(v);
        } catch (NumberFormatException e) {
            error(n, n.keyword() + " " + v + ": not a number of seconds (expected: " + expected + ")");
            return null;
        }
        if (seconds.compareTo(BigDecimal.valueOf(minSeconds)) < 0 || seconds.compareTo(BigDecimal.valueOf(maxSeconds)) > 0) {
            error(n, n.keyword() + " " + v + ": out of range (expected: " + expected + ")");
            return null;
        }
        return Duration.ofNanos(seconds.movePointRight(6).longValue() * 1000);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** A BOOL (on|off|true|false|yes|no); {@code ifAbsent} when there is no argument, null when invalid. */
    Boolean bool(Node n, int i, boolean ifAbsent) {
        String v = n.arg(i);
        if (v == null) {
            return ifAbsent;
        }
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> {
                error(n, n.keyword() + " " + v + ": not a boolean (expected: on|off|true|false|yes|no)");
                yield null;
            }
        };
    }

    /** An IPv4 or IPv6 literal (never a host name: no DNS at configuration time), or null. */
    InetAddress ip(Node n, int i) {
        String v = string(n, i, "an IPv4 or IPv6 address");
        return v == null ? null : ip(n, v);
    }

    InetAddress ip(Node n, String v) {
        InetAddress a = parseIp(v);
        if (a == null) {
            error(n, n.keyword() + " " + v + ": not an IP address (expected: an IPv4 or IPv6 literal)");
        }
        return a;
    }

    /** The address, or null if {@code v} is not an IPv4/IPv6 literal; never a DNS lookup. */
    static InetAddress parseIp(String v) {
        if (v.indexOf(':') < 0 && !IPV4.matcher(v).matches()) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(v);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A file path, or null (a path with a NUL byte is reported). */
    java.nio.file.Path path(Node n, String v) {
        try {
            return java.nio.file.Path.of(v);
        } catch (java.nio.file.InvalidPathException e) {
            error(n, n.keyword() + " " + v + ": not a valid path (" + e.getReason() + ")");
            return null;
        }
    }

    /** A port 0..65535, or null. */
    Integer port(Node n, int i) {
        return intValue(n, i, 0, 65535);
    }

    /** One of {@code choices} (case-insensitive), returned upper-cased, or null. */
    String choice(Node n, int i, String... choices) {
        String expected = String.join("|", choices);
        String v = string(n, i, expected);
        if (v == null) {
            return null;
        }
        for (String c : choices) {
            if (c.equalsIgnoreCase(v)) {
                return c;
            }
        }
        error(n, n.keyword() + " " + v + ": invalid value (expected: " + expected + ")");
        return null;
    }

    /** {@code keyword SCRIPT [USER [GROUP]]}: a notify/quorum script, or empty. */
    Optional<ScriptCommand> script(Node n) {
        String command = string(n, 0, "a script path, optionally followed by user and group");
        if (command == null) {
            return Optional.empty();
        }
        if (n.argCount() > 3) {
            error(n, n.keyword() + ": " + n.argCount() + " arguments (expected: SCRIPT [USER [GROUP]];"
                    + " quote a script that takes arguments)");
        }
        ScriptCommand s = ScriptCommand.of(command, Optional.ofNullable(n.arg(1)), Optional.ofNullable(n.arg(2)));
        if (s.argv().isEmpty()) {
            error(n, n.keyword() + ": empty script (expected: a program path)");
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /** Reports a block where a plain statement was expected, or the reverse; true if the shape is right. */
    boolean shape(Node n, boolean block) {
        if (n.block() == block) {
            return true;
        }
        error(n, n.keyword() + (block ? ": expected a block { ... }" : ": unexpected block { ... } after this keyword"));
        return false;
    }

    /** Reports arguments beyond {@code max}; returns whether the count was fine. */
    boolean maxArgs(Node n, int max, String usage) {
        if (n.argCount() > max) {
            error(n, n.keyword() + ": unexpected '" + n.arg(max) + "' (expected: " + usage + ")");
            return false;
        }
        return true;
    }
}
