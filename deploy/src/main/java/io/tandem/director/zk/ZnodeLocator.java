package io.tandem.director.zk;

import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.zookeeper.common.PathUtils;

/**
 * Where a configuration lives in ZooKeeper: {@code zk://HOST:PORT[,HOST:PORT...]/PATH}, the ensemble's
 * connect string and the znode's absolute path. Valid by construction; {@link #toString()} gives the
 * locator back, the name every diagnostic of that configuration carries ({@code zk://...:LINE}).
 */
public record ZnodeLocator(String connect, String path) {
    public static final String SCHEME = "zk://";
    private static final String EXPECTED = "expected: zk://HOST:PORT[,HOST:PORT]/PATH";
    /** A host name or IPv4 address (letters, digits, dots, hyphens), or an IPv6 address in brackets. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+]");

    public ZnodeLocator {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(path, "path");
        for (String server : connect.split(",", -1)) {
            checkServer(server, connect);
        }
        checkPath(path);
    }

    /** Whether {@code value} is meant as a locator (starts with {@code zk://}) rather than a file. */
    public static boolean isLocator(String value) {
        return value.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /** Parses {@code zk://HOST:PORT[,HOST:PORT]/PATH}; an {@link IllegalArgumentException} names what is wrong. */
    public static ZnodeLocator parse(String value) {
        Objects.requireNonNull(value, "value");
        if (!isLocator(value)) {
            throw new IllegalArgumentException("invalid configuration locator: " + value + " (" + EXPECTED + ")");
        }
        String rest = value.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        if (slash < 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException("missing znode path in " + value + " (" + EXPECTED
                    + ", PATH as /tandem/config)");
        }
        String connect = rest.substring(0, slash);
        if (connect.isEmpty()) {
            throw new IllegalArgumentException("missing HOST:PORT in " + value + " (" + EXPECTED + ")");
        }
        try {
            return new ZnodeLocator(connect, rest.substring(slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " in " + value, e);
        }
    }

    private static void checkServer(String server, String connect) {
        int colon = server.lastIndexOf(':');
        if (colon < 0 || server.endsWith("]")) {
            throw new IllegalArgumentException("missing port: '" + server + "' (expected: HOST:PORT, as 10.0.0.5:2181)");
        }
        String host = server.substring(0, colon);
        String port = server.substring(colon + 1);
        if (host.isEmpty() || !HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("invalid host: '" + host + "' (expected: a host name, an IPv4"
                    + " address or an [IPv6] address)");
        }
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            number = -1;
        }
        if (number < 1 || number > 65535) {
            throw new IllegalArgumentException("invalid port: '" + port + "' of " + host + " (expected: 1 ~ 65535)");
        }
    }

    private static void checkPath(String path) {
        if (path.length() < 2 || path.endsWith("/")) {
            throw new IllegalArgumentException("invalid znode path: '" + path + "' (expected: an absolute path"
                    + " with no trailing slash, as /tandem/config)");
        }
        try {
            PathUtils.validatePath(path);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid znode path: '" + path + "': " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return SCHEME + connect + path;
    }
}
