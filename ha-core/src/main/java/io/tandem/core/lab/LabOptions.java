package io.tandem.core.lab;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * What a {@link Lab} is built with: the name prefix that every namespace it
 * creates carries, the number of real servers, whether the two directors are
 * created, and the folder that records live labs (see {@link LabRegistry}).
 * Valid by construction; change one setting with the {@code with...} methods.
 */
public record LabOptions(String prefix, int realServers, boolean directors, Path recordDirectory) {
    /** Where live labs are recorded unless told otherwise. */
    public static final Path DEFAULT_RECORD_DIRECTORY = Path.of("/run/tandem-lab");
    /** rs1..rs88 take 10.77.0.11..10.77.0.98, below the VIP 10.77.0.100. */
    public static final int MAX_REAL_SERVERS = 88;

    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9]{1,9}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public LabOptions {
        requireValidPrefix(prefix);
        if (realServers < 0 || realServers > MAX_REAL_SERVERS) {
            throw new IllegalArgumentException("invalid number of real servers: " + realServers
                    + " (expected: 0 ~ " + MAX_REAL_SERVERS + ")");
        }
        if (recordDirectory == null) {
            throw new IllegalArgumentException("invalid record directory: null (expected: a folder path)");
        }
    }

    /** {@code prefix}, when it is a valid lab prefix; short, so that names derived from it stay short. */
    public static String requireValidPrefix(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("invalid lab prefix: " + prefix
                    + " (expected: a lowercase letter, then 1 ~ 9 lowercase letters or digits)");
        }
        return prefix;
    }

    /** A fresh random prefix, two real servers, both directors, records under {@code /run/tandem-lab}. */
    public static LabOptions defaults() {
        return new LabOptions(randomPrefix(), 2, true, DEFAULT_RECORD_DIRECTORY);
    }

    /** {@code "tl"} followed by 5 random hex digits, unique enough for concurrent runs on one machine. */
    public static String randomPrefix() {
        byte[] bytes = new byte[3];
        RANDOM.nextBytes(bytes);
        return "tl" + HexFormat.of().formatHex(bytes).substring(0, 5);
    }

    public LabOptions withPrefix(String newPrefix) {
        return new LabOptions(newPrefix, realServers, directors, recordDirectory);
    }

    public LabOptions withRealServers(int count) {
        return new LabOptions(prefix, count, directors, recordDirectory);
    }

    public LabOptions withDirectors(boolean create) {
        return new LabOptions(prefix, realServers, create, recordDirectory);
    }

    public LabOptions withRecordDirectory(Path directory) {
        return new LabOptions(prefix, realServers, directors, directory);
    }
}
