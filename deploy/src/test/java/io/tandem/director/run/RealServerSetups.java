package io.tandem.director.run;

import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabProcess;
import io.tandem.director.sync.TandemRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code tandem realserver} as a process in a lab real server, for the lab tests of DR and TUN. */
public final class RealServerSetups {
    private RealServerSetups() {
    }

    /**
     * Starts {@code tandem realserver --mode dr|tun} for the lab's VIP on the
     * real server's lab interface (TUN: both directors accepted as tunnel
     * sources), its output in {@code log}; {@link #awaitReady} waits for it.
     */
    public static LabProcess start(LabHost rs, String mode, Path log, int statsSeconds) throws Exception {
        return start(rs, mode, LabAddresses.VIP, log, statsSeconds);
    }

    /** As {@link #start(LabHost, String, Path, int)}, for the virtual IP {@code vip}. */
    public static LabProcess start(LabHost rs, String mode, String vip, Path log, int statsSeconds) throws Exception {
        List<String> argv = new ArrayList<>(TandemRun.command("realserver", "--mode", mode.toLowerCase(Locale.ROOT),
                "--vip", vip, "--interface", rs.interfaceName(),
                "--stats-interval", Integer.toString(statsSeconds)));
        if (mode.equalsIgnoreCase("TUN")) {
            argv.addAll(List.of("--director", LabAddresses.DIRECTOR_A, "--director", LabAddresses.DIRECTOR_B));
        }
        return rs.start(argv, log);
    }

    /** Waits (up to 60 s: JVMs start slowly on a busy machine) until it reports it is ready. */
    public static void awaitReady(LabHost rs, LabProcess setup) throws Exception {
        long end = System.nanoTime() + 60_000_000_000L;
        while (!Files.readString(setup.logFile()).contains("ready for")) {
            if (!setup.isAlive() || System.nanoTime() > end) {
                throw new AssertionError(rs.name() + ": tandem realserver not ready%n"
                        + Files.readString(setup.logFile()));
            }
            Thread.sleep(50);
        }
    }
}
