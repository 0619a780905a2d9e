package io.tandem.director.reload;

import io.tandem.core.config.ConfigLoader;
import io.tandem.core.config.Diagnostic;
import io.tandem.core.config.Severity;
import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.director.run.DirectorOptions;
import io.tandem.director.run.HealthMapping;
import io.tandem.director.run.ServiceMapping;
import io.tandem.director.vrrp.VrrpMastership;
import io.tandem.forwarder.engine.ServiceSpec;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checks a configuration passes before Tandem runs it, the same for {@code check-config},
 * the start of {@code run} and a reload: the file's diagnostics (keepalived's parser rules,
 * {@code file:line: severity: message}), then what the engines refuse although the file is
 * well formed (tracking and notify settings the VRRP engine cannot run, virtual servers the
 * forwarder cannot carry, checkers not wired), each with its block's {@code file:line}.
 */
public final class ConfigCheck {
    /** keepalived's KEEPALIVED_EXIT_OK. */
    public static final int EXIT_OK = 0;
    /** keepalived's KEEPALIVED_EXIT_CONFIG: file not found or fatal, the configuration cannot run. */
    public static final int EXIT_CANNOT_RUN = 4;
    /** keepalived's KEEPALIVED_EXIT_CONFIG_TEST: errors in the configuration. */
    public static final int EXIT_ERRORS = 5;

    private ConfigCheck() {
    }

    /**
     * The outcome: the model, present only when it can run; every problem as one line
     * ({@code file:line: ...}) in the order found, and the errors among them; keepalived's
     * {@code -t} exit status.
     */
    public record Outcome(Optional<KeepalivedConfig> config, List<String> lines, List<String> errors,
                          int exitCode) {
        public Outcome {
            lines = List.copyOf(lines);
            errors = List.copyOf(errors);
        }

        public boolean runnable() {
            return config.isPresent();
        }
    }

    /** All checks, as {@code check-config} makes them. */
    public static Outcome check(Path file, String configId) {
        return check(file, configId, DirectorOptions.Subsystems.ALL);
    }

    /**
     * The checks for what runs: the file's diagnostics always; the VRRP engine's refusals unless
     * only the checks run, the forwarder's and the checkers' unless only VRRP runs.
     */
    public static Outcome check(Path file, String configId, DirectorOptions.Subsystems subsystems) {
        return check(ConfigLoader.load(file, configId), subsystems);
    }

    /** The same checks for a configuration loaded from elsewhere (a znode's text). */
    public static Outcome check(ConfigLoader.Result result, DirectorOptions.Subsystems subsystems) {
        List<String> lines = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Diagnostic d : result.diagnostics()) {
            lines.add(d.format());
            if (d.severity() != Severity.WARNING) {
                errors.add(d.format());
            }
        }
        if (result.config().isEmpty() || result.hasErrors()) {
            return new Outcome(Optional.empty(), lines, errors, exitCode(result.diagnostics()));
        }
        KeepalivedConfig config = result.config().get();
        try {
            if (subsystems.vrrp()) {
                VrrpMastership.checkTracking(config);
            }
            if (subsystems.forwarding()) {
                List<ServiceSpec> specs = ServiceMapping.services(config);
                HealthMapping.services(config.virtualServers(), specs.stream().map(ServiceMapping::key).toList());
            }
        } catch (IllegalArgumentException | UncheckedIOException e) {
            lines.add(e.getMessage());
            errors.add(e.getMessage());
            return new Outcome(Optional.empty(), lines, errors, EXIT_ERRORS);
        }
        return new Outcome(Optional.of(config), lines, errors, exitCode(result.diagnostics()));
    }

    /**
     * keepalived's {@code config_test_exit()}: 0 when there is nothing worse than a warning, 4 when
     * the configuration cannot be run at all, 5 for errors. (keepalived.8's table lists 3, 4 and 5, one
     * lower than the values keepalived's enum actually produces; Tandem follows the binary.)
     */
    public static int exitCode(List<Diagnostic> diagnostics) {
        if (diagnostics.stream().anyMatch(d -> d.severity() == Severity.FATAL)) {
            return EXIT_CANNOT_RUN;
        }
        if (diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR)) {
            return EXIT_ERRORS;
        }
        return EXIT_OK;
    }
}
