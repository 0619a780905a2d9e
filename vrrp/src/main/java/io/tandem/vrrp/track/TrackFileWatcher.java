package io.tandem.vrrp.track;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code track_file}s now and whenever they change (keepalived.conf(5) "Track files":
 * "the file will be read whenever it is modified"), on a thread of its own, through the JDK's
 * inotify-based {@link WatchService} on each file's directory, so a file replaced by a rename
 * is seen too. The value is the integer the file starts with; a file that is missing, empty or
 * holds no integer reads as 0, with a warning (keepalived's {@code init_file} default).
 */
public final class TrackFileWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrackFileWatcher.class);

    private final List<TrackFileConfig> files;
    private final BiConsumer<TrackFileConfig, Long> listener;
    private final WatchService watcher;
    private final Map<WatchKey, Path> directories = new HashMap<>();
    private final Thread thread;

    /**
     * Initialises the files ({@code init_file}) and registers the watches; {@link #start} reads
     * them once and follows them.
     *
     * @param listener told each file's value, on the watcher's thread: first once per file, then on changes
     */
    public TrackFileWatcher(List<TrackFileConfig> files, BiConsumer<TrackFileConfig, Long> listener)
            throws IOException {
        this.files = List.copyOf(files);
        this.listener = listener;
        for (TrackFileConfig f : this.files) {
            initialise(f);
        }
        this.watcher = FileSystems.getDefault().newWatchService();
        try {
            Set<Path> seen = new HashSet<>();
            for (TrackFileConfig f : this.files) {
                Path dir = directory(f);
                if (seen.add(dir)) {
                    directories.put(dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE), dir);
                }
            }
        } catch (IOException | RuntimeException e) {
            watcher.close();
            throw new IOException("cannot watch the track files: " + e.getMessage(), e);
        }
        this.thread = Thread.ofPlatform().name("vrrp-track-file").daemon().unstarted(this::watch);
    }

    /** Reads every file once, then follows them. */
    public void start() {
        for (TrackFileConfig f : files) {
            listener.accept(f, read(f.file()));
        }
        thread.start();
    }

    private static Path directory(TrackFileConfig f) {
        Path parent = f.file().toAbsolutePath().getParent();
        return parent == null ? Path.of("/") : parent;
    }

    private static void initialise(TrackFileConfig f) throws IOException {
        if (f.initValue().isEmpty() || (Files.exists(f.file()) && !f.initOverwrite())) {
            return;
        }
        try {
            Files.writeString(f.file(), f.initValue().getAsLong() + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IOException("track_file " + f.name() + ": cannot initialise " + f.file() + ": " + e.getMessage(),
                    e);
        }
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                Path dir = directories.get(key);
                Set<Path> changed = new HashSet<>();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        files.forEach(f -> changed.add(f.file().toAbsolutePath()));
                    } else if (dir != null && event.context() instanceof Path name) {
                        changed.add(dir.resolve(name));
                    }
                }
                key.reset();
                for (TrackFileConfig f : files) {
                    if (changed.contains(f.file().toAbsolutePath())) {
                        listener.accept(f, read(f.file()));
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        } catch (RuntimeException e) {
            LOG.warn("track file watcher stopped", e);
        }
    }

    /** The integer at the start of the file, 0 when there is none. */
    static long read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            LOG.warn("track file {} does not exist: read as 0", file);
            return 0;
        } catch (IOException | RuntimeException e) {
            LOG.warn("track file {} cannot be read ({}): read as 0", file, e.toString());
            return 0;
        }
        int end = 0;
        if (end < text.length() && (text.charAt(end) == '-' || text.charAt(end) == '+')) {
            end++;
        }
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        try {
            return Long.parseLong(text.substring(0, end));
        } catch (NumberFormatException e) {
            LOG.warn("track file {} holds no integer ({}): read as 0", file,
                    text.length() > 20 ? text.substring(0, 20) + "..." : text);
            return 0;
        }
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.warn("closing the track file watcher: {}", e.toString());
        }
        thread.interrupt();
    }
}
