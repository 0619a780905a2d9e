package io.tandem.vrrp.testing;

import io.tandem.vrrp.MastershipFence;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A lease service on the virtual clock, as ZooKeeper's ephemeral sequential nodes behave: each router
 * has a {@link Session}; a lease's holder is the first router in its line; a request reaches the
 * service {@code delayNanos} after it is made, and so does the service's answer. A session that
 * {@link #expire expires} leaves every line; a router that {@link Session#die dies} says nothing more,
 * and its place in line stays until its session expires.
 */
public final class VirtualLeases {
    private final VirtualScheduler scheduler;
    private final long delayNanos;
    private final Map<String, List<String>> lines = new HashMap<>();
    private final Map<String, Session> sessions = new LinkedHashMap<>();

    public VirtualLeases(VirtualScheduler scheduler, long delayNanos) {
        this.scheduler = scheduler;
        this.delayNanos = delayNanos;
    }

    /** The fence of router {@code router}. */
    public Session session(String router) {
        return sessions.computeIfAbsent(router, Session::new);
    }

    /** The router's session expires: its places in line are gone. */
    public void expire(String router) {
        lines.values().forEach(l -> l.remove(router));
        publish();
    }

    /** The line for {@code lease}, holder first. */
    public List<String> line(String lease) {
        return List.copyOf(lines.getOrDefault(lease, List.of()));
    }

    private List<String> lineOf(String lease) {
        return lines.computeIfAbsent(lease, k -> new ArrayList<>());
    }

    private void publish() {
        for (Session s : sessions.values()) {
            s.publish();
        }
    }

    /** One router's view of the service: a {@link MastershipFence}. */
    public final class Session implements MastershipFence {
        private final String router;
        private final Map<String, Set<String>> members = new HashMap<>();
        /** What this router was told, per lease; what it answers from. */
        private final Map<String, Boolean> held = new HashMap<>();
        private final Set<String> queued = new HashSet<>();
        private LeaseListener listener;
        private boolean alive = true;
        public int grants;

        private Session(String router) {
            this.router = router;
        }

        /** The router is gone without a word (kill -9): nothing it asks reaches the service any more. */
        public void die() {
            alive = false;
        }

        @Override
        public boolean holds(String lease) {
            return held.getOrDefault(lease, false);
        }

        @Override
        public boolean queued(String lease) {
            return queued.contains(lease);
        }

        @Override
        public void want(String lease, String member) {
            if (members.computeIfAbsent(lease, k -> new HashSet<>()).add(member) && members.get(lease).size() == 1) {
                scheduler.schedule(() -> {
                    if (alive && !members.getOrDefault(lease, Set.of()).isEmpty() && !lineOf(lease).contains(router)) {
                        lineOf(lease).add(router);
                        VirtualLeases.this.publish();
                    }
                }, delayNanos);
            }
        }

        @Override
        public void unwant(String lease, String member) {
            Set<String> m = members.getOrDefault(lease, new HashSet<>());
            if (m.remove(member) && m.isEmpty()) {
                held.put(lease, false);
                queued.remove(lease);
                scheduler.schedule(() -> {
                    if (alive && members.getOrDefault(lease, Set.of()).isEmpty()) {
                        lineOf(lease).remove(router);
                        VirtualLeases.this.publish();
                    }
                }, delayNanos);
            }
        }

        @Override
        public void listen(LeaseListener newListener) {
            listener = newListener;
        }

        private void publish() {
            if (!alive) {
                return;
            }
            for (Map.Entry<String, List<String>> e : lines.entrySet()) {
                String lease = e.getKey();
                boolean first = !e.getValue().isEmpty() && e.getValue().getFirst().equals(router);
                boolean inLine = e.getValue().contains(router);
                scheduler.schedule(() -> {
                    if (inLine) {
                        queued.add(lease);
                    } else {
                        queued.remove(lease);
                    }
                    if (held.getOrDefault(lease, false) != first) {
                        held.put(lease, first);
                        if (first) {
                            grants++;
                        }
                        if (listener != null) {
                            listener.leaseChanged(lease, first, first ? "first in line" : "another router is first");
                        }
                    }
                }, delayNanos);
            }
        }
    }
}
