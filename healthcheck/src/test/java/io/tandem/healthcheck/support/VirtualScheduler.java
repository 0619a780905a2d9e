package io.tandem.healthcheck.support;

import io.tandem.healthcheck.schedule.CheckScheduler;
import java.time.Duration;
import java.util.PriorityQueue;

/** A {@link CheckScheduler} on a virtual clock: time moves only in {@link #advance}. */
public final class VirtualScheduler implements CheckScheduler {
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long now = 1_000_000_000L;
    private long sequence;

    private final class Task implements Comparable<Task>, Cancellable {
        final long at;
        final long seq = sequence++;
        final Runnable body;
        boolean cancelled;

        Task(long at, Runnable body) {
            this.at = at;
            this.body = body;
        }

        @Override
        public int compareTo(Task o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        Task t = new Task(now + Math.max(0, delayNanos), task);
        tasks.add(t);
        return t;
    }

    @Override
    public void execute(Runnable task) {
        schedule(0, task);
    }

    @Override
    public boolean inSchedulerThread() {
        return true;
    }

    /** Runs every task due within {@code d}, in time order, moving the clock to each. */
    public void advance(Duration d) {
        long until = now + d.toNanos();
        while (!tasks.isEmpty() && tasks.peek().at <= until) {
            Task t = tasks.poll();
            now = t.at;
            if (!t.cancelled) {
                t.body.run();
            }
        }
        now = until;
    }

    /** Seconds since the start, for readable assertions. */
    public double seconds() {
        return (now - 1_000_000_000L) / 1e9;
    }

    public long pendingTasks() {
        return tasks.stream().filter(t -> !t.cancelled).count();
    }
}
