package io.tandem.director.cli;

import io.tandem.core.config.ConfigLoader;
import io.tandem.director.reload.ConfigSource;
import io.tandem.director.zk.ZnodeConfigSource;
import io.tandem.director.zk.ZnodeLocator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where {@code run} and {@code check-config} take the configuration: {@code -f FILE} (keepalived's
 * option), or {@code --config FILE|zk://HOST:PORT[,HOST:PORT]/PATH}; and the config id of {@code @ID} lines.
 */
final class ConfigOptions {
    /** How long start-up waits for the ensemble of a {@code zk://} configuration. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = {"-f", "--use-file"}, paramLabel = "FILE", defaultValue = "/etc/keepalived/keepalived.conf",
            description = "The configuration file (default: ${DEFAULT-VALUE}).")
    Path file;

    @Option(names = "--config", paramLabel = "FILE|zk://HOST:PORT[,HOST:PORT]/PATH",
            description = "The configuration: a file, or a znode, read at start and watched"
                    + " (written with 'tandem config push'). Not with -f.")
    String config;

    @Option(names = {"-i", "--config-id"}, paramLabel = "ID",
            description = "The config id that '@ID' lines must match (default: the host name up to its first dot).")
    String configId;

    String configId() {
        return configId == null ? ConfigLoader.defaultConfigId() : configId;
    }

    /** The {@code zk://} locator given, if any; a malformed one is a usage error. */
    java.util.Optional<ZnodeLocator> locator() {
        if (config == null || !ZnodeLocator.isLocator(config)) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(ZnodeLocator.parse(config));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--config: " + e.getMessage());
        }
    }

    /**
     * Opens the source: the file, or the znode (connected and found).
     *
     * @throws IOException when the znode's ensemble does not answer or the znode is missing
     */
    ConfigSource open() throws IOException {
        if (config != null && spec.commandLine().getParseResult().hasMatchedOption("-f")) {
            throw new ParameterException(spec.commandLine(), "-f " + file + " and --config " + config
                    + " both name a configuration (expected: one of them)");
        }
        java.util.Optional<ZnodeLocator> locator = locator();
        if (locator.isPresent()) {
            return ZnodeConfigSource.open(locator.get(), CONNECT_TIMEOUT);
        }
        return ConfigSource.file(config == null ? file : Path.of(config));
    }
}
