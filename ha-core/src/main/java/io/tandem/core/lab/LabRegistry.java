package io.tandem.core.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder of {@link LabRecord}s, one file per live lab named after its
 * prefix ({@code /run/tandem-lab/tl1a2b3}). Removing a recorded lab deletes
 * only the namespaces its record lists, so nothing it did not create is touched.
 */
public final class LabRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(LabRegistry.class);

    private final Path directory;

    private LabRegistry(Path directory) {
        this.directory = directory;
    }

    public static LabRegistry at(Path directory) {
        return new LabRegistry(directory);
    }

    /** The registry under {@link LabOptions#DEFAULT_RECORD_DIRECTORY}. */
    public static LabRegistry defaultRegistry() {
        return at(LabOptions.DEFAULT_RECORD_DIRECTORY);
    }

    public Path directory() {
        return directory;
    }

    /** Writes (or replaces) the record of {@code record.prefix()} atomically. */
    public void write(LabRecord record) throws IOException {
        Files.createDirectories(directory);
        Path target = directory.resolve(record.prefix());
        Path temp = directory.resolve("." + record.prefix() + ".tmp");
        Files.writeString(temp, record.format(), StandardCharsets.UTF_8);
        try {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public Optional<LabRecord> read(String prefix) throws IOException {
        Path file = directory.resolve(prefix);
        try {
            return Optional.of(LabRecord.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Every readable record; an unreadable file is logged and left alone. */
    public List<LabRecord> list() throws IOException {
        List<LabRecord> records = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return records;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "[a-z]*")) {
            for (Path file : files) {
                try {
                    read(file.getFileName().toString()).ifPresent(records::add);
                } catch (IOException e) {
                    LOG.warn("ignoring unreadable lab record: {}", e.getMessage());
                }
            }
        }
        records.sort((a, b) -> a.prefix().compareTo(b.prefix()));
        return records;
    }

    public void delete(String prefix) throws IOException {
        Files.deleteIfExists(directory.resolve(prefix));
    }

    /**
     * Removes every lab whose owner is dead and which was not kept on purpose
     * (see {@link LabRecord#stale()}); returns the records of the labs removed.
     */
    public List<LabRecord> cleanupStale() throws IOException {
        List<LabRecord> removed = new ArrayList<>();
        for (LabRecord record : list()) {
            if (record.stale()) {
                LOG.info("removing stale lab {} (owner pid {} is gone): {}", record.prefix(), record.ownerPid(),
                        record.namespaces());
                destroy(record);
                removed.add(record);
            }
        }
        return removed;
    }

    /**
     * Removes the lab {@code prefix}: kills the processes in its namespaces,
     * deletes the namespaces its record lists (newest first), then the record.
     * Returns false when no such lab is recorded.
     */
    public boolean destroy(String prefix) throws IOException {
        Optional<LabRecord> record = read(prefix);
        if (record.isEmpty()) {
            return false;
        }
        destroy(record.get());
        return true;
    }

    private void destroy(LabRecord record) throws IOException {
        IOException failure = null;
        List<String> namespaces = new ArrayList<>(record.namespaces());
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            try {
                Netns.existing(namespaces.get(i)).close();
            } catch (IOException e) {
                failure = accumulate(failure, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        delete(record.prefix());
    }

    static IOException accumulate(IOException first, IOException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
