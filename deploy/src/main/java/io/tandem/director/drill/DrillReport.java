package io.tandem.director.drill;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What one drill did and saw, printed as it goes: timed events, what the
 * client and the metrics said, and the drill's checks. A check is passed,
 * failed, or not run (with the reason: what the build cannot do yet); the
 * drill passes when no check failed and at least one ran.
 */
public final class DrillReport {
    /** The outcome of one check. */
    public enum Outcome { PASS, FAIL, NOT_RUN }

    /** One of the drill's checks and what was observed. */
    public record Check(String what, Outcome outcome, String observed) {
    }

    private final String drill;
    private final PrintWriter out;
    private final LongSupplier clock;
    private final long start;
    private final List<Check> checks = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();

    public DrillReport(String drill, PrintWriter out, LongSupplier clock) {
        this.drill = drill;
        this.out = out;
        this.clock = clock;
        this.start = clock.getAsLong();
    }

    public String drill() {
        return drill;
    }

    /** When the drill began (the clock's milliseconds). */
    public long start() {
        return start;
    }

    /** A timed event: {@code +1.234 s  text}. */
    public void event(String format, Object... args) {
        print(String.format("  %+8.3f s  %s", (clock.getAsLong() - start) / 1000.0, String.format(format, args)));
    }

    /** An untimed line: what the client or the metrics said. */
    public void note(String label, String text) {
        print(String.format("  %-9s %s", label + ":", text));
    }

    public void check(String what, boolean passed, String observed) {
        add(new Check(what, passed ? Outcome.PASS : Outcome.FAIL, observed));
    }

    public void notRun(String what, String reason) {
        add(new Check(what, Outcome.NOT_RUN, reason));
    }

    private void add(Check c) {
        checks.add(c);
        print(String.format("  %-9s %-7s %s: %s", "check:", c.outcome().name().replace('_', ' '), c.what(),
                c.observed()));
    }

    public List<Check> checks() {
        return List.copyOf(checks);
    }

    /** Every line printed so far. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    public boolean passed() {
        return checks.stream().noneMatch(c -> c.outcome() == Outcome.FAIL)
                && checks.stream().anyMatch(c -> c.outcome() == Outcome.PASS);
    }

    /** The closing line. */
    public String verdict() {
        long notRun = checks.stream().filter(c -> c.outcome() == Outcome.NOT_RUN).count();
        long failed = checks.stream().filter(c -> c.outcome() == Outcome.FAIL).count();
        return String.format("drill %s: %s (%d checks passed, %d failed%s)", drill, passed() ? "PASS" : "FAIL",
                checks.size() - failed - notRun, failed, notRun > 0 ? ", " + notRun + " not run" : "");
    }

    void print(String line) {
        lines.add(line);
        out.println(line);
        out.flush();
    }
}
