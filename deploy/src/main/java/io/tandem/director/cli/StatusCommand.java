package io.tandem.director.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tandem status [--json]}: the running director's state, services, real servers and their health. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the running director's state, services, real servers, weights and health.")
public final class StatusCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print /status as the director sent it.")
    boolean json;

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
        if (json) {
            out.println(AdminClient.get(admin.url, "/status", admin.token));
            out.flush();
            return 0;
        }
        out.print(text(AdminClient.status(admin.url, admin.token)));
        out.flush();
        return 0;
    }

    @SuppressWarnings("unchecked")
    static String text(Map<String, Object> doc) {
        StringBuilder out = new StringBuilder();
        out.append("state: ").append(doc.get("state")).append(" (").append(doc.get("mode")).append(")\n");
        if (doc.get("zookeeper") instanceof Map<?, ?> zk) {
            out.append(String.format("zookeeper: %s %s, fencing %s, policy %s%n", zk.get("connect"), zk.get("state"),
                    Boolean.TRUE.equals(zk.get("fencing")) ? "on" : "off", zk.get("policy")));
            if (zk.get("leases") instanceof Map<?, ?> leases) {
                leases.forEach((name, l) -> {
                    if (l instanceof Map<?, ?> lease) {
                        out.append(String.format("  lease %s: %s, epoch %s%n", name,
                                Boolean.TRUE.equals(lease.get("held")) ? "held"
                                        : Boolean.TRUE.equals(lease.get("queued")) ? "waiting in line" : "not held",
                                lease.get("epoch")));
                    }
                });
            }
        }
        for (Object o : (List<Object>) doc.getOrDefault("services", List.of())) {
            Map<String, Object> s = (Map<String, Object>) o;
            out.append(String.format("%s %s:%s %s%n", s.get("protocol"), s.get("address"), s.get("port"),
                    s.get("scheduler")));
            for (Object ro : (List<Object>) s.getOrDefault("real_servers", List.of())) {
                Map<String, Object> r = (Map<String, Object>) ro;
                out.append(String.format("  -> %s:%s %s weight %s health %s active %s inactive %s%n",
                        r.get("address"), r.get("port"), r.get("forward"), r.get("weight"), r.get("health"),
                        r.get("active_conns"), r.get("inactive_conns")));
            }
        }
        return out.toString();
    }
}
