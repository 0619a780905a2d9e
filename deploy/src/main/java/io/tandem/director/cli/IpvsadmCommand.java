package io.tandem.director.cli;

import io.tandem.director.run.StatusReport;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tandem ipvsadm -Ln [--stats|--rate|--persistent-conn|-c]}: the running director's table as ipvsadm prints it. */
@Command(name = "ipvsadm", mixinStandardHelpOptions = true,
        description = "List the running director's virtual services (or connections) in ipvsadm's own format.")
public final class IpvsadmCommand implements Callable<Integer> {
    @Option(names = {"-L", "-l", "--list"}, required = true, description = "List the table.")
    boolean list;

    @Option(names = {"-n", "--numeric"}, description = "Numeric addresses (always; accepted for ipvsadm's sake).")
    boolean numeric;

    @Option(names = {"-c", "--connection"}, description = "List the connection entries.")
    boolean connections;

    @Option(names = "--stats", description = "Counters since start.")
    boolean stats;

    @Option(names = "--rate", description = "Rates per second.")
    boolean rate;

    @Option(names = "--persistent-conn", description = "Persistent connections per real server.")
    boolean persistent;

    @Option(names = "--exact", description = "Numbers without K/M/G abbreviation.")
    boolean exact;

    @Mixin
    AdminOptions admin;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try {
            return show(spec.commandLine().getOut());
        } catch (java.io.IOException e) {
            spec.commandLine().getErr().println("tandem " + spec.name() + ": " + e.getMessage());
            return 1;
        }
    }

    private int show(java.io.PrintWriter out) throws Exception {
        Map<String, Object> doc = AdminClient.status(admin.url, admin.token);
        if (connections) {
            out.print(IpvsadmFormat.connections(StatusReport.connections(doc)));
            out.flush();
            return 0;
        }
        IpvsadmFormat.Mode mode = stats ? IpvsadmFormat.Mode.STATS : rate ? IpvsadmFormat.Mode.RATE
                : persistent ? IpvsadmFormat.Mode.PERSISTENT_CONN : IpvsadmFormat.Mode.DEFAULT;
        int size = doc.get("table_size") instanceof Number n ? n.intValue() : 0;
        out.print(IpvsadmFormat.list(StatusReport.services(doc), size, mode, exact));
        out.flush();
        return 0;
    }
}
