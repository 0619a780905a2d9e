package io.tandem.vrrp.testing;

import io.tandem.vrrp.engine.VrrpScheduler;
import java.util.PriorityQueue;

/** A virtual clock: tasks run in deadline order when the test advances time; nothing sleeps. */
public final class VirtualScheduler implements VrrpScheduler {
    /** Wall-clock time at virtual nanoTime 0. */
    public static final long EPOCH_MILLIS = 1_800_000_000_000L;

    private record Task(long deadline, long sequence, Runnable runnable, boolean[] cancelled) {
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> a.deadline != b.deadline
            ? Long.compare(a.deadline, b.deadline) : Long.compare(a.sequence, b.sequence));
    private long now;
    private long sequence;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public long currentTimeMillis() {
        return EPOCH_MILLIS + now / 1_000_000;
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        boolean[] cancelled = new boolean[1];
        queue.add(new Task(now + Math.max(0, delayNanos), sequence++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Runs every task due up to {@code now + nanos}, each at its own deadline, then sets the clock there. */
    public void advanceBy(long nanos) {
        advanceTo(now + nanos);
    }

    /** Runs every task due up to {@code deadline}. */
    public void advanceTo(long deadline) {
        while (!queue.isEmpty() && queue.peek().deadline <= deadline) {
            Task task = queue.poll();
            if (!task.cancelled[0]) {
                now = task.deadline;
                task.runnable.run();
            }
        }
        now = deadline;
    }

    /** Runs the tasks due now (those scheduled with no delay). */
    public void runDue() {
        advanceBy(0);
    }

    public static long seconds(double s) {
        return Math.round(s * 1_000_000_000L);
    }
}
