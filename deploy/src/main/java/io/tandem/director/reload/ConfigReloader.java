package io.tandem.director.reload;

import io.tandem.director.run.Director;
import io.tandem.director.run.DirectorOptions;
import io.tandem.director.run.ReloadOutcome;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reload from the configuration's source (what SIGHUP does, and what a znode's change does): the
 * configuration is read and checked as {@code check-config} checks a file ({@link ConfigCheck}); one
 * with errors is rejected with each {@code file:line} problem logged and nothing changed; a good one
 * goes to {@link Director#reload}, which applies the difference.
 */
public final class ConfigReloader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    private final Director director;
    private final ConfigSource source;
    private final String configId;
    private final DirectorOptions.Subsystems subsystems;

    /** @param subsystems what the director runs: the configuration is checked for those */
    public ConfigReloader(Director director, ConfigSource source, String configId,
            DirectorOptions.Subsystems subsystems) {
        this.director = Objects.requireNonNull(director, "director");
        this.source = Objects.requireNonNull(source, "source");
        this.configId = Objects.requireNonNull(configId, "configId");
        this.subsystems = Objects.requireNonNull(subsystems, "subsystems");
    }

    /** Reads, checks and applies the source's current version (SIGHUP); never throws for a bad one. */
    public ReloadOutcome reload() {
        LOG.info("reloading {}", source.name());
        return apply(source.read(configId, subsystems));
    }

    /** Applies a version already read and checked ({@link ConfigSource#watch}); never throws for a bad one. */
    public ReloadOutcome apply(ConfigCheck.Outcome checked) {
        if (!checked.runnable()) {
            return director.rejected(source.name(), checked.errors());
        }
        checked.lines().forEach(line -> LOG.warn("reload of {}: {}", source.name(), line));
        return director.reload(checked.config().get(), source.name());
    }
}
