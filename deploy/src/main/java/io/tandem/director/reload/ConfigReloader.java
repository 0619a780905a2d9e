package io.tandem.director.reload;

import io.tandem.director.run.Director;
import io.tandem.director.run.DirectorOptions;
import io.tandem.director.run.ReloadOutcome;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reload from the configuration file (what SIGHUP does): the file is read and checked as
 * {@code check-config} checks it ({@link ConfigCheck}); a file with errors is rejected with each
 * {@code file:line} problem logged and nothing changed; a good one goes to {@link Director#reload},
 * which applies the difference. Another source of configurations (ZooKeeper) checks its model the
 * same way and calls {@link Director#reload} itself.
 */
public final class ConfigReloader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    private final Director director;
    private final Path file;
    private final String configId;
    private final DirectorOptions.Subsystems subsystems;

    /** @param subsystems what the director runs: the file is checked for those */
    public ConfigReloader(Director director, Path file, String configId, DirectorOptions.Subsystems subsystems) {
        this.director = Objects.requireNonNull(director, "director");
        this.file = Objects.requireNonNull(file, "file");
        this.configId = Objects.requireNonNull(configId, "configId");
        this.subsystems = Objects.requireNonNull(subsystems, "subsystems");
    }

    /** Reads, checks and applies the file; never throws for a bad file. */
    public ReloadOutcome reload() {
        LOG.info("reloading {}", file);
        ConfigCheck.Outcome checked = ConfigCheck.check(file, configId, subsystems);
        if (!checked.runnable()) {
            return director.rejected(file.toString(), checked.errors());
        }
        checked.lines().forEach(line -> LOG.warn("reload of {}: {}", file, line));
        return director.reload(checked.config().get(), file.toString());
    }
}
