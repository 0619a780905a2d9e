package io.tandem.core.config.mapping;

import io.tandem.core.config.model.TrackedFile;
import io.tandem.core.config.model.TrackedInterface;
import io.tandem.core.config.model.TrackedScript;
import io.tandem.core.config.model.UnicastPeer;
import io.tandem.core.config.reader.Node;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The list blocks shared by {@code vrrp_instance} and {@code vrrp_sync_group}: {@code track_interface},
 * {@code track_script}, {@code track_file} (each line {@code NAME [weight W [reverse]]}) and
 * {@code unicast_peer} ({@code IP [min_ttl N] [max_ttl N]}).
 */
final class Trackers {
    private final Values values;
    private final DefinedNames names;

    /** {@code names} may be null where no references are checked (address lists). */
    Trackers(Values values, DefinedNames names) {
        this.values = values;
        this.names = names;
    }

    List<TrackedInterface> interfaces(Node block) {
        List<TrackedInterface> out = new ArrayList<>();
        for (Node line : lines(block)) {
            Weighted w = weighted(line, 253);
            if (w != null) {
                out.add(new TrackedInterface(line.keyword(), w.weight.orElse(0), w.reverse));
            }
        }
        return out;
    }

    List<TrackedScript> scripts(Node block) {
        List<TrackedScript> out = new ArrayList<>();
        for (Node line : lines(block)) {
            Weighted w = weighted(line, 253);
            if (w != null && names.check(line, DefinedNames.Kind.VRRP_SCRIPT, line.keyword())) {
                out.add(new TrackedScript(line.keyword(), w.weight, w.reverse));
            }
        }
        return out;
    }

    List<TrackedFile> files(Node block) {
        List<TrackedFile> out = new ArrayList<>();
        for (Node line : lines(block)) {
            Weighted w = weighted(line, 254);
            if (w != null && names.check(line, DefinedNames.Kind.TRACK_FILE, line.keyword())) {
                out.add(new TrackedFile(line.keyword(), w.weight, w.reverse));
            }
        }
        return out;
    }

    List<UnicastPeer> unicastPeers(Node block) {
        List<UnicastPeer> out = new ArrayList<>();
        for (Node line : lines(block)) {
            InetAddress a = values.ip(line, line.keyword());
            if (a == null) {
                continue;
            }
            OptionalInt min = OptionalInt.empty();
            OptionalInt max = OptionalInt.empty();
            for (int i = 0; i < line.argCount(); i++) {
                switch (line.arg(i)) {
                    case "min_ttl" -> min = GlobalDefsMapper.optionalInt(values.intValue(line, ++i, 0, 255));
                    case "max_ttl" -> max = GlobalDefsMapper.optionalInt(values.intValue(line, ++i, 0, 255));
                    default -> values.error(line, "unicast_peer " + line.keyword() + ": unknown option '" + line.arg(i)
                            + "' (expected: min_ttl N, max_ttl N)");
                }
            }
            out.add(new UnicastPeer(a, min, max));
        }
        return out;
    }

    /** The lines of a list block; reports the statement if it is not a block. */
    List<Node> lines(Node block) {
        if (!values.shape(block, true)) {
            return List.of();
        }
        List<Node> out = new ArrayList<>();
        for (Node line : block.children()) {
            if (line.block()) {
                values.error(line, "unexpected block { ... } inside " + block.keyword()
                        + " (expected: one entry per line)");
            } else {
                out.add(line);
            }
        }
        return out;
    }

    private record Weighted(OptionalInt weight, boolean reverse) {
    }

    private Weighted weighted(Node line, int limit) {
        OptionalInt weight = OptionalInt.empty();
        boolean reverse = false;
        for (int i = 0; i < line.argCount(); i++) {
            switch (line.arg(i)) {
                case "weight" -> {
                    Integer w = values.intValue(new Node("weight", line.args().subList(i + 1, line.argCount()),
                            line.location(), List.of(), false), 0, -limit, limit);
                    if (w == null) {
                        return null;
                    }
                    weight = OptionalInt.of(w);
                    i++;
                }
                case "reverse" -> reverse = true;
                default -> {
                    values.error(line, line.keyword() + ": unexpected '" + line.arg(i)
                            + "' (expected: NAME [weight -" + limit + " ~ " + limit + " [reverse]])");
                    return null;
                }
            }
        }
        return new Weighted(weight, reverse);
    }
}
