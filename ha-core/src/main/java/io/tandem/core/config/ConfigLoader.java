package io.tandem.core.config;

import io.tandem.core.config.mapping.ConfigMapper;
import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.core.config.reader.BlockTreeBuilder;
import io.tandem.core.config.reader.ConfigReader;
import io.tandem.core.config.reader.Node;
import io.tandem.core.config.reader.SourceLine;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Loads a keepalived.conf: reads it ({@link ConfigReader}), builds the block tree
 * ({@link BlockTreeBuilder}) and maps it ({@link ConfigMapper}). Never throws for bad input: every
 * problem is a {@link Diagnostic}.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /** The outcome of a load: the model (absent only when the file could not be read) and the diagnostics. */
    public record Result(Optional<KeepalivedConfig> config, List<Diagnostic> diagnostics) {
        public Result {
            diagnostics = List.copyOf(diagnostics);
        }

        public boolean hasErrors() {
            return diagnostics.stream().anyMatch(d -> d.severity() != Severity.WARNING);
        }

        public boolean isFatal() {
            return diagnostics.stream().anyMatch(d -> d.severity() == Severity.FATAL);
        }
    }

    /** Loads {@code file} with the default config id (the host name's first label, as keepalived). */
    public static Result load(Path file) {
        return load(file, defaultConfigId());
    }

    /** Loads {@code file}; {@code @configId} lines apply, {@code @^configId} lines do not. */
    public static Result load(Path file, String configId) {
        Diagnostics diagnostics = new Diagnostics();
        List<SourceLine> lines = new ConfigReader(configId, diagnostics).read(file);
        return map(lines, Location.ofFile(file), diagnostics);
    }

    /**
     * Loads a configuration given as {@code text} (a znode's data), every diagnostic naming
     * {@code source} ({@code zk://HOST:PORT/PATH:LINE}); its includes are local files, relative ones
     * from {@code includeBase}.
     */
    public static Result load(String source, String text, Path includeBase, String configId) {
        Diagnostics diagnostics = new Diagnostics();
        List<SourceLine> lines = new ConfigReader(configId, diagnostics).read(source, text, includeBase);
        return map(lines, new Location(includeBase, 0, source), diagnostics);
    }

    private static Result map(List<SourceLine> lines, Location whole, Diagnostics diagnostics) {
        if (diagnostics.list().stream().anyMatch(d -> d.severity() == Severity.FATAL)) {
            return new Result(Optional.empty(), diagnostics.list());
        }
        List<Node> tree = new BlockTreeBuilder(diagnostics).build(lines, whole);
        KeepalivedConfig config = new ConfigMapper(diagnostics).map(tree);
        return new Result(Optional.of(config), diagnostics.list());
    }

    /** keepalived's default config id: the node name up to the first dot (keepalived.conf(5)). */
    public static String defaultConfigId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
        }
        int dot = host.indexOf('.');
        return dot > 0 ? host.substring(0, dot) : host;
    }
}
