package io.tandem.core.lab;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What is known about one live lab, kept on disk so that a lab whose owner
 * died without tearing it down can be found and removed later: its prefix,
 * the process that built it, and each namespace it created.
 *
 * @param prefix     the lab's prefix
 * @param ownerPid   the pid of the process that built it
 * @param ownerStart when that process started (tells a reused pid apart), or null if unknown
 * @param kept       true when the lab was left running on purpose ({@code tandem lab up}):
 *                   it is not stale when its owner exits
 * @param namespaces the namespaces created so far, in creation order
 */
public record LabRecord(String prefix, long ownerPid, Instant ownerStart, boolean kept, List<String> namespaces) {

    public LabRecord {
        LabOptions.requireValidPrefix(prefix);
        namespaces = List.copyOf(namespaces);
        for (String ns : namespaces) {
            if (!ns.startsWith(prefix + "-")) {
                throw new IllegalArgumentException("invalid namespace in lab record " + prefix + ": " + ns
                        + " (expected: a name starting with " + prefix + "-)");
            }
        }
    }

    /** A record owned by this process. */
    static LabRecord ownedByThisProcess(String prefix, List<String> namespaces) {
        ProcessHandle self = ProcessHandle.current();
        return new LabRecord(prefix, self.pid(), self.info().startInstant().orElse(null), false, namespaces);
    }

    public LabRecord withNamespaces(List<String> all) {
        return new LabRecord(prefix, ownerPid, ownerStart, kept, all);
    }

    public LabRecord asKept() {
        return new LabRecord(prefix, ownerPid, ownerStart, true, namespaces);
    }

    /** True while the owning process runs (the same process: a reused pid does not count). */
    public boolean ownerAlive() {
        Optional<ProcessHandle> owner = ProcessHandle.of(ownerPid);
        if (owner.isEmpty() || !owner.get().isAlive()) {
            return false;
        }
        Optional<Instant> started = owner.get().info().startInstant();
        return ownerStart == null || started.isEmpty() || started.get().equals(ownerStart);
    }

    /** Stale: not kept on purpose, and its owner is gone. */
    public boolean stale() {
        return !kept && !ownerAlive();
    }

    /** The file form: one {@code key=value} per line. */
    String format() {
        return "prefix=" + prefix + "\n"
                + "owner=" + ownerPid + "\n"
                + "ownerStart=" + (ownerStart == null ? "" : ownerStart) + "\n"
                + "kept=" + kept + "\n"
                + "namespaces=" + String.join(" ", namespaces) + "\n";
    }

    /** Parses {@link #format()}; {@code source} names the file in error messages. */
    static LabRecord parse(String text, String source) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (!line.isBlank() && eq > 0) {
                fields.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        try {
            String start = field(fields, "ownerStart", source);
            String names = field(fields, "namespaces", source);
            List<String> namespaces = names.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(names.split("\\s+")));
            return new LabRecord(field(fields, "prefix", source), Long.parseLong(field(fields, "owner", source)),
                    start.isEmpty() ? null : Instant.parse(start), Boolean.parseBoolean(field(fields, "kept", source)),
                    namespaces);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IOException("invalid lab record " + source + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
    }

    private static String field(Map<String, String> fields, String key, String source) throws IOException {
        String value = fields.get(key);
        if (value == null) {
            throw new IOException("invalid lab record " + source + ": no " + key + "= line (expected: prefix, owner,"
                    + " ownerStart, kept, namespaces)");
        }
        return value;
    }
}
