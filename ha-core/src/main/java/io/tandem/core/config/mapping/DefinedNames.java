package io.tandem.core.config.mapping;

import io.tandem.core.config.reader.Node;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The names the configuration defines (scripts, track files, instances, groups), collected from the
 * block tree before mapping, so that a reference can be checked at the line that makes it.
 */
final class DefinedNames {
    /** The kinds of named block that other blocks refer to. */
    enum Kind {
        VRRP_SCRIPT("vrrp_script"), TRACK_FILE("track_file"), VRRP_INSTANCE("vrrp_instance"),
        VIRTUAL_SERVER_GROUP("virtual_server_group"), LOCAL_ADDRESS_GROUP("local_address_group");

        final String blockName;

        Kind(String blockName) {
            this.blockName = blockName;
        }
    }

    private final Map<Kind, Set<String>> names = new EnumMap<>(Kind.class);
    private final Values values;

    DefinedNames(List<Node> top, Values values) {
        this.values = values;
        for (Kind k : Kind.values()) {
            names.put(k, new HashSet<>());
        }
        for (Node n : top) {
            Kind k = switch (n.keyword()) {
                case "vrrp_script" -> Kind.VRRP_SCRIPT;
                case "track_file", "vrrp_track_file" -> Kind.TRACK_FILE;
                case "vrrp_instance" -> Kind.VRRP_INSTANCE;
                case "virtual_server_group" -> Kind.VIRTUAL_SERVER_GROUP;
                case "local_address_group" -> Kind.LOCAL_ADDRESS_GROUP;
                default -> null;
            };
            if (k != null && n.block() && n.arg(0) != null) {
                names.get(k).add(n.arg(0));
            }
        }
    }

    /** Reports {@code name} at {@code where} if no block of {@code kind} defines it; true if defined. */
    boolean check(Node where, Kind kind, String name) {
        if (names.get(kind).contains(name)) {
            return true;
        }
        values.error(where, where.keyword() + (where.keyword().equals(name) ? "" : " " + name) + ": no " + kind.blockName
                + " named '" + name + "' (expected: one of " + (names.get(kind).isEmpty() ? "none defined"
                : String.join(", ", names.get(kind).stream().sorted().toList())) + ")");
        return false;
    }
}
