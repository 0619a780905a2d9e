package io.tandem.director.drill;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The drills, in the order {@code tandem drill all} runs them, and how one is run. */
public final class Drills {
    private static final List<Drill> ALL = List.of(new MasterCrashDrill(), new MasterFreezeDrill(),
            new PartitionDrill(), new RealServerCrashDrill(), new RollingRestartDrill(), new ReloadDrill());

    private Drills() {
    }

    public static List<String> names() {
        return ALL.stream().map(Drill::name).toList();
    }

    public static String description(String name) {
        return drill(name).description();
    }

    private static Drill drill(String name) {
        return ALL.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("unknown drill: " + name + " (expected: one of " + names() + ")"));
    }

    /** Runs drill {@code name} on {@code stack}, printing as it goes; an exception is a failed check. */
    public static DrillReport run(String name, DrillStack stack, PrintWriter out) {
        Drill drill = drill(name);
        DrillReport report = new DrillReport(name, out, System::currentTimeMillis);
        report.print("drill " + name + " (compose project " + stack.project() + "): " + drill.description());
        try {
            drill.run(stack, report);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            report.check("the drill runs to its end", false, "interrupted");
        } catch (Exception e) {
            report.check("the drill runs to its end", false, e.toString());
        }
        report.print(report.verdict());
        return report;
    }

    /** Runs every drill in turn. */
    public static List<DrillReport> runAll(DrillStack stack, PrintWriter out) {
        List<DrillReport> reports = new ArrayList<>();
        for (String name : names()) {
            reports.add(run(name, stack, out));
        }
        return reports;
    }
}
