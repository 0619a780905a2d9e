package io.tandem.director.cli;

import io.tandem.director.reload.ConfigCheck;
import io.tandem.director.run.DirectorOptions;
import io.tandem.director.zk.ZnodeLocator;
import io.tandem.director.zk.ZnodeWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tandem config push --zk zk://HOST:PORT/PATH FILE}: the configuration of directors started with {@code --config zk://}. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Manage a configuration kept in ZooKeeper.",
        subcommands = ConfigCommand.Push.class)
public final class ConfigCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * Checks FILE as {@code check-config} does and writes it to the znode only when it is valid: every
     * director watching the znode applies it as a reload. A file with errors is refused (exit 5) and the
     * znode keeps what it had. Includes are not inlined: they are read on each director.
     */
    @Command(name = "push", mixinStandardHelpOptions = true,
            description = "Check a keepalived.conf and write it to a znode (directors run with --config zk://... apply"
                    + " it). A file with errors is refused and nothing is written.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:written", "4:the file is unreadable, or ZooKeeper did not answer or refused the write",
                "5:the file has errors: nothing written"})
    static final class Push implements Callable<Integer> {
        @Option(names = "--zk", required = true, paramLabel = "zk://HOST:PORT[,HOST:PORT]/PATH",
                description = "The znode to write.")
        String zk;

        @Option(names = {"-i", "--config-id"}, paramLabel = "ID",
                description = "The config id to check '@ID' lines with (default: this host's).")
        String configId;

        @Parameters(paramLabel = "FILE", description = "The keepalived.conf to check and write.")
        Path file;

        @Override
        public Integer call() {
            ZnodeLocator locator;
            try {
                locator = ZnodeLocator.parse(zk);
            } catch (IllegalArgumentException e) {
                System.err.println("--zk: " + e.getMessage());
                return 2;
            }
            ConfigCheck.Outcome checked = ConfigCheck.check(file,
                    configId == null ? io.tandem.core.config.ConfigLoader.defaultConfigId() : configId,
                    DirectorOptions.Subsystems.ALL);
            checked.lines().forEach(System.err::println);
            if (!checked.runnable()) {
                System.err.println(file + ": not written to " + locator + " (fix the errors above)");
                return checked.exitCode() == ConfigCheck.EXIT_OK ? ConfigCheck.EXIT_ERRORS : checked.exitCode();
            }
            try {
                byte[] data = Files.readAllBytes(file);
                int version = ZnodeWriter.write(locator, data, ConfigOptions.CONNECT_TIMEOUT);
                System.out.println(file + ": written to " + locator + " (" + data.length + " bytes, version "
                        + version + ")");
                return 0;
            } catch (IOException e) {
                System.err.println(file + ": not written: " + e.getMessage());
                return ConfigCheck.EXIT_CANNOT_RUN;
            }
        }
    }
}
