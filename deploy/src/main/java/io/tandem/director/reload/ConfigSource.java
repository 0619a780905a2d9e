package io.tandem.director.reload;

import io.tandem.director.run.DirectorOptions;
import java.util.function.Consumer;

/**
 * Where the director's configuration comes from: a file ({@code -f FILE}) or a znode
 * ({@code --config zk://HOST:PORT/PATH}). Each read is checked as {@code check-config} checks a file
 * ({@link ConfigCheck}), its problems named {@code NAME:LINE}.
 */
public interface ConfigSource extends AutoCloseable {
    /** How messages name the source: the file's path, or the {@code zk://} locator. */
    String name();

    /** Reads the current version and checks it for what runs; never throws for a bad configuration. */
    ConfigCheck.Outcome read(String configId, DirectorOptions.Subsystems subsystems);

    /**
     * From now on, each new version is read, checked and handed to {@code changed} (on the source's own
     * thread; it must not block). A file has no watch: SIGHUP reloads it.
     */
    default void watch(String configId, DirectorOptions.Subsystems subsystems, Consumer<ConfigCheck.Outcome> changed) {
    }

    @Override
    default void close() {
    }

    /** A keepalived.conf on disk. */
    static ConfigSource file(java.nio.file.Path file) {
        return new ConfigSource() {
            @Override
            public String name() {
                return file.toString();
            }

            @Override
            public ConfigCheck.Outcome read(String configId, DirectorOptions.Subsystems subsystems) {
                return ConfigCheck.check(file, configId, subsystems);
            }
        };
    }
}
