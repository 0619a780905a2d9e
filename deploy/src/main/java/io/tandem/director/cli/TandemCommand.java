package io.tandem.director.cli;

import picocli.CommandLine.Command;

/** The {@code tandem} command and its subcommands. */
@Command(name = "tandem",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "A high-availability director for Linux: VRRP, health checks and an LVS-style forwarder.",
        subcommands = {VersionCommand.class, CheckConfigCommand.class, RunCommand.class, StatusCommand.class,
            IpvsadmCommand.class, LabCommand.class, RealServerCommand.class, DrillCommand.class, ConfigCommand.class})
public final class TandemCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
