package io.tandem.director.cli;

import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabInterface;
import io.tandem.core.lab.LabOptions;
import io.tandem.core.lab.LabRecord;
import io.tandem.core.lab.LabRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tandem lab up|down}: the lab of DESIGN.md in network namespaces, left
 * running for hands-on work and removed again. Labs are recorded under
 * {@code /run/tandem-lab}; {@code down} removes only labs recorded by {@code up}
 * (and labs whose owner died), never a lab a running test still owns.
 */
@Command(name = "lab", mixinStandardHelpOptions = true, description = "Build or remove the network-namespace lab.",
        subcommands = {LabCommand.Up.class, LabCommand.Down.class, LabCommand.Demo.class,
            LabCommand.Drill.class})
public final class LabCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line that runs this program again (the directors the demo and the drills start). */
    static List<String> launcher() {
        return List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.tandem.director.Main");
    }

    /** {@code tandem lab up}: builds a lab and leaves it running. */
    @Command(name = "up", mixinStandardHelpOptions = true, description = "Build the lab and leave it running; prints its hosts and addresses.")
    static final class Up implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--prefix", paramLabel = "P",
                description = "Name prefix of the lab's namespaces (default: tl + 5 random hex digits).")
        String prefix;

        @Option(names = "--real-servers", paramLabel = "N", defaultValue = "2",
                description = "Number of real servers rs1..rsN (default: ${DEFAULT-VALUE}).")
        int realServers;

        @Option(names = "--no-directors", description = "Leave out director-a and director-b.")
        boolean noDirectors;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            LabOptions options;
            try {
                options = LabOptions.defaults().withRealServers(realServers).withDirectors(!noDirectors);
                if (prefix != null) {
                    options = options.withPrefix(prefix);
                }
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("tandem lab up: " + e.getMessage());
                return 2;
            }
            LabRegistry.at(options.recordDirectory()).cleanupStale();
            Lab lab = Lab.create(options);
            lab.keep();
            out.printf("lab %s is up (remove it with: tandem lab down --prefix %s)%n", lab.prefix(), lab.prefix());
            out.printf("%-11s %-20s %s%n", "host", "namespace", "interfaces (name address mac, bridge port)");
            out.printf("%-11s %-20s %s%n", "bridges", lab.bridges().namespace().name(), "ext lan");
            for (LabHost host : lab.hosts()) {
                out.printf("%-11s %-20s %s%n", host.name(), host.namespace().name(), describe(host.interfaces()));
            }
            out.printf("enter a host with: ip netns exec %s bash%n", lab.client().namespace().name());
            out.flush();
            return 0;
        }

        private static String describe(List<LabInterface> interfaces) {
            StringBuilder s = new StringBuilder();
            for (LabInterface i : interfaces) {
                if (!s.isEmpty()) {
                    s.append("; ");
                }
                s.append(i.name()).append(' ').append(i.cidr()).append(' ').append(i.mac())
                        .append(", ").append(i.bridge()).append(':').append(i.bridgePort());
            }
            return s.toString();
        }
    }

    /** {@code tandem lab down}: removes labs recorded by {@code lab up}. */
    @Command(name = "down", mixinStandardHelpOptions = true, description = "Remove a lab left running by `tandem lab up`.")
    static final class Down implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true)
        Which which;

        static final class Which {
            @Option(names = "--prefix", paramLabel = "P", required = true, description = "The lab to remove.")
            String prefix;

            @Option(names = "--all", required = true,
                    description = "Remove every lab left by `lab up`, and labs whose owner died.")
            boolean all;
        }

        @Override
        public Integer call() throws IOException {
            LabRegistry registry = LabRegistry.defaultRegistry();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (which != null && which.all) {
                int removed = 0;
                for (LabRecord record : registry.list()) {
                    if (record.kept() && registry.destroy(record.prefix())) {
                        out.printf("lab %s removed%n", record.prefix());
                        removed++;
                    }
                }
                for (LabRecord record : registry.cleanupStale()) {
                    out.printf("lab %s removed (its owner, pid %d, had died)%n", record.prefix(), record.ownerPid());
                    removed++;
                }
                out.printf("%d lab(s) removed%n", removed);
                return 0;
            }
            List<LabRecord> kept = registry.list().stream().filter(LabRecord::kept).toList();
            String prefix = which != null ? which.prefix : null;
            if (prefix == null) {
                if (kept.size() != 1) {
                    err.printf("tandem lab down: %s (expected: --prefix P or --all)%n", kept.isEmpty()
                            ? "no lab is up" : kept.size() + " labs are up: " + kept.stream().map(LabRecord::prefix).toList());
                    return kept.isEmpty() ? 0 : 2;
                }
                prefix = kept.getFirst().prefix();
            }
            LabRecord record = registry.read(prefix).orElse(null);
            if (record == null) {
                err.printf("tandem lab down: no lab recorded with prefix %s (recorded: %s)%n", prefix,
                        registry.list().stream().map(LabRecord::prefix).toList());
                return 1;
            }
            if (!record.kept() && record.ownerAlive()) {
                err.printf("tandem lab down: lab %s belongs to running process %d, which removes it itself%n",
                        prefix, record.ownerPid());
                return 1;
            }
            registry.destroy(prefix);
            out.printf("lab %s removed%n", prefix);
            return 0;
        }
    }

    /** {@code tandem lab demo}: a director pair in a fresh lab, a failover and a failback, and a report. */
    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = "Run two directors in a new lab, cut the master's link, give it back, and report what a"
                    + " client saw. Removes the lab at the end. Exit 0 when every phase passed.")
    static final class Demo implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            java.nio.file.Path work = java.nio.file.Files.createTempDirectory("tandem-demo-");
            List<String> launcher = launcher();
            io.tandem.director.lab.LabDemo.Result result = new io.tandem.director.lab.LabDemo(out, work, launcher).run();
            return result.passed() ? 0 : 1;
        }
    }

    /** {@code tandem lab drill [NAME...]}: named failure drills, each on a lab of its own. */
    @Command(name = "drill", mixinStandardHelpOptions = true,
            description = "Run failure drills on a director pair in new labs and report what a client saw:"
                    + " link (master link cut and back), kill (master SIGKILLed and restarted), realserver"
                    + " (a real server crashes and returns), partition (VRRP cut between the directors)."
                    + " Exit 0 when every drill passed.")
    static final class Drill implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Parameters(paramLabel = "NAME", arity = "0..*",
                description = "Drills to run (default: all, in the order link, kill, realserver, partition).")
        List<String> names = List.of();

        @Override
        public Integer call() throws Exception {
            for (String name : names) {
                if (!io.tandem.director.lab.LabDrill.NAMES.contains(name)) {
                    spec.commandLine().getErr().printf("tandem lab drill: unknown drill %s (expected: one of %s)%n",
                            name, io.tandem.director.lab.LabDrill.NAMES);
                    return 2;
                }
            }
            java.nio.file.Path work = java.nio.file.Files.createTempDirectory("tandem-drill-");
            List<String> launcher = launcher();
            var reports = new io.tandem.director.lab.LabDrill(spec.commandLine().getOut(), work, launcher).run(names);
            return reports.stream().allMatch(io.tandem.director.lab.LabDrill.Report::passed) ? 0 : 1;
        }
    }
}
