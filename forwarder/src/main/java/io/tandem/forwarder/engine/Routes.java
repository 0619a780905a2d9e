package io.tandem.forwarder.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The IPv4 routes of one interface, as the kernel lists them in
 * {@code /proc/net/route}, for the forwarder's next-hop choice: the longest
 * matching prefix gives either a gateway or "on-link" (gateway 0.0.0.0).
 * Immutable; {@link #nextHop} allocates nothing.
 */
public final class Routes {
    private static final int RTF_UP = 0x1;

    private final int[] destinations;
    private final int[] masks;
    private final int[] gateways;

    private Routes(List<int[]> routes) {
        destinations = new int[routes.size()];
        masks = new int[routes.size()];
        gateways = new int[routes.size()];
        for (int i = 0; i < routes.size(); i++) {
            destinations[i] = routes.get(i)[0];
            masks[i] = routes.get(i)[1];
            gateways[i] = routes.get(i)[2];
        }
    }

    /**
     * Parses {@code /proc/net/route} text (little-endian hex fields) and keeps
     * the routes of {@code device} that are up, longest prefix first.
     */
    public static Routes parse(String procNetRoute, String device) {
        List<int[]> routes = new ArrayList<>();
        String[] lines = procNetRoute.split("\n");
        for (int n = 1; n < lines.length; n++) {
            String[] f = lines[n].trim().split("\\s+");
            if (f.length < 8 || !f[0].equals(device)) {
                continue;
            }
            int flags = Integer.parseInt(f[3], 16);
            if ((flags & RTF_UP) == 0) {
                continue;
            }
            routes.add(new int[] {hostOrder(f[1]), hostOrder(f[7]), hostOrder(f[2])});
        }
        routes.sort(Comparator.comparingInt((int[] r) -> Integer.bitCount(r[1])).reversed());
        return new Routes(routes);
    }

    /** The kernel prints each address as the hex of its in-memory (network order) int on a little-endian host. */
    private static int hostOrder(String hex) {
        return Integer.reverseBytes((int) Long.parseLong(hex, 16));
    }

    /** The gateway toward {@code destination}, the destination itself when on-link, or when no route matches. */
    public int nextHop(int destination) {
        for (int i = 0; i < masks.length; i++) {
            if ((destination & masks[i]) == destinations[i]) {
                return gateways[i] == 0 ? destination : gateways[i];
            }
        }
        return destination;
    }

    /** Every gateway these routes name (to resolve ahead of traffic). */
    public int[] gateways() {
        return java.util.Arrays.stream(gateways).filter(g -> g != 0).distinct().toArray();
    }

    public int size() {
        return masks.length;
    }
}
