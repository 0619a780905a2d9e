package io.tandem.director.cli;

import io.tandem.core.config.Diagnostic;
import io.tandem.director.reload.ConfigCheck;
import io.tandem.director.reload.ConfigSource;
import io.tandem.director.run.DirectorOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code tandem check-config -f FILE [-i ID]} (or {@code --config zk://HOST:PORT/PATH}): keepalived's {@code -t}. Prints one
 * {@code file:line: severity: message} line per problem on stderr and exits with keepalived's
 * config-test status (see {@link #exitCode}).
 */
@Command(name = "check-config",
        mixinStandardHelpOptions = true,
        description = "Check a keepalived.conf for Tandem, like keepalived -t. Every problem is printed as"
                + " 'file:line: severity: message'. A keyword keepalived knows but Tandem does not support yet"
                + " is a warning where keepalived treats it as optional, an error where ignoring it would change"
                + " behaviour.",
        exitCodeListHeading = "%nExit status (as keepalived -t, whose 2.2 binary returns these values):%n",
        exitCodeList = {
            "0:the configuration is valid (warnings may have been printed)",
            "4:the configuration cannot be run (the file or znode is missing or unreadable, ZooKeeper does not answer)",
            "5:there are configuration errors",
        })
public final class CheckConfigCommand implements Callable<Integer> {
    /** keepalived's KEEPALIVED_EXIT_OK. */
    public static final int EXIT_OK = ConfigCheck.EXIT_OK;
    /** keepalived's KEEPALIVED_EXIT_CONFIG: file not found or fatal, the configuration cannot run. */
    public static final int EXIT_CANNOT_RUN = ConfigCheck.EXIT_CANNOT_RUN;
    /** keepalived's KEEPALIVED_EXIT_CONFIG_TEST: errors in the configuration. */
    public static final int EXIT_ERRORS = ConfigCheck.EXIT_ERRORS;

    @Mixin
    ConfigOptions configuration;

    @Override
    public Integer call() {
        try (ConfigSource source = configuration.open()) {
            ConfigCheck.Outcome outcome = source.read(configuration.configId(), DirectorOptions.Subsystems.ALL);
            outcome.lines().forEach(System.err::println);
            return outcome.exitCode();
        } catch (IOException e) {
            System.err.println(e.getMessage());
            return EXIT_CANNOT_RUN;
        }
    }

    /** Checks {@code file} as {@code run} and a reload do ({@link ConfigCheck}), prints each problem, returns the exit status. */
    static int check(Path file, String configId, PrintStream out) {
        ConfigCheck.Outcome outcome = ConfigCheck.check(file, configId);
        outcome.lines().forEach(out::println);
        return outcome.exitCode();
    }

    /** keepalived's {@code config_test_exit()} ({@link ConfigCheck#exitCode}). */
    static int exitCode(List<Diagnostic> diagnostics) {
        return ConfigCheck.exitCode(diagnostics);
    }
}
