package io.tandem.forwarder.realserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How many packets the kernel dropped for one raw socket because its receive
 * buffer was full: the {@code drops} column of {@code /proc/net/raw}
 * (proc(5)), on the row of the socket's inode. Read when reporting, never
 * per packet.
 */
final class RawSocketDrops {
    private static final int INODE_COLUMN = 9;

    private RawSocketDrops() {
    }

    /** The socket {@code fd}'s drop count in the calling thread's namespace, or -1 when it cannot be read. */
    static long of(int fd) {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            if (!link.startsWith("socket:[") || !link.endsWith("]")) {
                return -1;
            }
            return parse(Files.readAllLines(Path.of("/proc/thread-self/net/raw")),
                    link.substring("socket:[".length(), link.length() - 1));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The {@code drops} of the row whose inode is {@code inode} in {@code /proc/net/raw}'s lines, or -1. */
    static long parse(List<String> lines, String inode) {
        for (String line : lines) {
            String[] columns = line.strip().split("\\s+");
            if (columns.length > INODE_COLUMN + 1 && columns[INODE_COLUMN].equals(inode)) {
                try {
                    return Long.parseLong(columns[columns.length - 1]);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
