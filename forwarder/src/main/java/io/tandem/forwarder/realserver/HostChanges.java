package io.tandem.forwarder.realserver;

import io.tandem.core.netlink.IfAddress;
import io.tandem.core.netlink.RtNetlink;
import io.tandem.core.netlink.Sysctl;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * What the real server changed on its host, in order, each with the way to
 * take it back: a kernel parameter set from its old value, an address added,
 * a device created. {@link #undo()} takes back exactly those changes, newest
 * first, and nothing that was already so before. Every change and every undo
 * is reported as one line ({@code set net.ipv4.conf.all.arp_ignore 0 -> 1}).
 */
public final class HostChanges {
    /** Takes one change back. */
    @FunctionalInterface
    public interface Undo {
        void run() throws IOException;
    }

    private record Change(String undone, Undo undo) {
    }

    private final Sysctl sysctl;
    private final Consumer<String> report;
    private final List<Change> changes = new ArrayList<>();

    /** @param report told one line per change made, left alone, or undone */
    public HostChanges(Sysctl sysctl, Consumer<String> report) {
        this.sysctl = sysctl;
        this.report = report;
    }

    /**
     * Sets the kernel parameter {@code name} to {@code value} unless
     * {@code keep} accepts its current value; returns its value before.
     */
    public int sysctl(String name, int value, IntPredicate keep) throws IOException {
        int old = sysctl.readInt(name);
        if (keep.test(old)) {
            report.accept("kept " + name + " " + old);
            return old;
        }
        sysctl.write(name, value);
        record("set " + name + " " + old + " -> " + value, "restored " + name + " " + value + " -> " + old,
                () -> sysctl.write(name, old));
        return old;
    }

    /** Sets {@code name} to exactly {@code value} (kept when it already is). */
    public int sysctl(String name, int value) throws IOException {
        return sysctl(name, value, old -> old == value);
    }

    /** Adds {@code address} with {@code netlink} unless the interface has it already. */
    public void address(RtNetlink netlink, IfAddress address, String interfaceName) throws IOException {
        for (IfAddress a : netlink.listAddresses(address.ifindex())) {
            if (a.sameAssignment(address)) {
                report.accept("kept " + address.cidr() + " on " + interfaceName);
                return;
            }
        }
        netlink.addAddress(address);
        record("added " + address.cidr() + " to " + interfaceName, "removed " + address.cidr() + " from "
                + interfaceName, () -> netlink.removeAddress(address));
    }

    /** Records a change made by the caller, reported as {@code done} now and {@code undone} when taken back. */
    public void record(String done, String undone, Undo undo) {
        changes.add(new Change(undone, undo));
        report.accept(done);
    }

    /** How many changes are recorded and not yet taken back. */
    public int size() {
        return changes.size();
    }

    /**
     * Takes every recorded change back, newest first. A change that cannot be
     * taken back is reported and the others are still undone; the first
     * failure is thrown at the end.
     */
    public void undo() throws IOException {
        IOException first = null;
        for (int i = changes.size() - 1; i >= 0; i--) {
            Change c = changes.remove(i);
            try {
                c.undo().run();
                report.accept(c.undone());
            } catch (IOException | RuntimeException e) {
                report.accept("could not undo (" + c.undone() + "): " + e.getMessage());
                IOException io = e instanceof IOException x ? x : new IOException(e);
                if (first == null) {
                    first = io;
                } else {
                    first.addSuppressed(io);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
