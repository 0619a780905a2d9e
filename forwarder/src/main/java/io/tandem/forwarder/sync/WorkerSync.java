package io.tandem.forwarder.sync;

import io.tandem.forwarder.conn.ConnectionTable;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.service.ServiceTable;
import io.tandem.forwarder.service.VirtualService;

/**
 * Connection sync on the forwarder worker's side, the one thread that owns
 * the connection table. On the master it writes what changed (a new flow, a
 * state change, a long flow due for a refresh, the persistence template that
 * placed it) to the outbox, and walks the whole table into it a little per
 * cycle when a standby asks for a bulk resync. On the standby it applies the
 * entries that the sync daemon verified and put in the inbox: each becomes a
 * connection entry like the master's, with the same real server, FULLNAT
 * local address and port, state and remaining lifetime, so that after a
 * takeover its packets find it.
 *
 * <p>Nothing here blocks or allocates: a full outbox drops the change and
 * counts it (the entry stays due, so its next packet offers it again).
 * Only the worker thread calls it, apart from {@link #setSending}.
 */
public final class WorkerSync {
    /** Inbox entries applied, and table entries walked for a resync, per worker cycle. */
    public static final int BUDGET = 256;

    private final ConnectionTable table;
    private final ServiceTable services;
    private final SyncRing outbox;
    private final SyncRing inbox;
    private final long refreshNanos;
    private final boolean replaceTemplates;
    private volatile boolean sending;

    private boolean walking;
    private int walkCursor;

    private long offered;
    private long overflow;
    private long applied;
    private long unknownService;
    private long unknownRealServer;
    private long badEntry;
    private long applyTableFull;
    private long resyncWalks;
    private long templateKept;

    /**
     * @param refreshNanos how long an entry may go unsent while its flow is
     *     busy (keeps the standby's copy from expiring)
     */
    public WorkerSync(ConnectionTable table, ServiceTable services, SyncRing outbox, SyncRing inbox,
            long refreshNanos) {
        this(table, services, outbox, inbox, refreshNanos, true);
    }

    /**
     * @param replaceTemplates what a synced persistence template does to this worker's template of the same client
     *     with another real server: replaces it (one worker: the master's word counts), or leaves it (several
     *     workers: every worker receives every template, and the master's workers each keep their own, so two of
     *     them may disagree; the first one received stays, counted in {@link #templateKept()})
     */
    public WorkerSync(ConnectionTable table, ServiceTable services, SyncRing outbox, SyncRing inbox,
            long refreshNanos, boolean replaceTemplates) {
        if (refreshNanos <= 0) {
            throw new IllegalArgumentException("invalid sync refresh period: " + refreshNanos + " ns (expected: > 0)");
        }
        this.table = table;
        this.services = services;
        this.outbox = outbox;
        this.inbox = inbox;
        this.refreshNanos = refreshNanos;
        this.replaceTemplates = replaceTemplates;
    }

    /** Master: changes go out. Set by the sync daemon as mastership changes. */
    public void setSending(boolean sending) {
        this.sending = sending;
    }

    public boolean sending() {
        return sending;
    }

    // ---------------------------------------------------------------- master side

    /**
     * Connection {@code id} just passed a packet: offer it to the standby if
     * it is new or changed state ({@code changed}) or is due for a refresh.
     */
    public void onPacket(int id, boolean changed, long now) {
        if (!sending || (!changed && !table.syncDue(id, now, refreshNanos))) {
            return;
        }
        int template = table.templateOf(id);
        if (template != ConnectionTable.NONE && table.syncDue(template, now, refreshNanos)) {
            if (write(SyncRing.SLOT_UPDATE, template, now)) {
                table.markSynced(template, now);
            }
        }
        if (write(SyncRing.SLOT_UPDATE, id, now)) {
            table.markSynced(id, now);
        }
    }

    /**
     * A standby asked for the whole table: walk it into the outbox from the
     * start. A request during a walk joins it (the walk already sends
     * everything; restarting would never finish a big table).
     */
    public void startResync() {
        if (walking) {
            return;
        }
        walking = true;
        walkCursor = 0;
        resyncWalks++;
    }

    private boolean write(int slotType, int id, long now) {
        SyncEntryFlyweight e = outbox.claim(slotType);
        if (e == null) {
            overflow++;
            return false;
        }
        long remaining = Math.max(0, (table.expiresAt(id) - now) / 1_000_000L);
        if (table.isTemplate(id)) {
            VirtualService s = services.get(table.service(id));
            e.write(SyncEntryFlyweight.KIND_TEMPLATE, s == null ? 0 : s.protocol(), 0, 0,
                    table.clientAddr(id), 0, table.virtualAddr(id), table.virtualPort(id),
                    table.destAddr(id), table.destPort(id), 0, 0,
                    Math.max(remaining, table.templateTimeoutMillis(id)), s == null ? 0 : s.persistenceMask());
        } else {
            e.write(SyncEntryFlyweight.KIND_CONNECTION, table.protocol(id), table.state(id), table.method(id).ordinal(),
                    table.clientAddr(id), table.clientPort(id), table.virtualAddr(id), table.virtualPort(id),
                    table.destAddr(id), table.destPort(id), table.localAddr(id), table.localPort(id), remaining, 0);
        }
        outbox.commit();
        offered++;
        return true;
    }

    // ---------------------------------------------------------------- each cycle

    /** One worker cycle's share: apply inbox entries, advance a resync walk. Returns the work done. */
    public int doWork(long now) {
        int work = 0;
        for (; work < BUDGET && inbox.peek() >= 0; work++) {
            apply(inbox.entry(), now);
            inbox.release();
        }
        if (walking) {
            work += walk(now);
        }
        return work;
    }

    private int walk(long now) {
        int n = 0;
        // the walk fills at most an eighth of the outbox, so live changes never queue long behind it
        int room = outbox.capacity() / 8 - outbox.size();
        for (; n < Math.min(BUDGET, room); n++) {
            int id = table.nextLive(walkCursor);
            if (id == ConnectionTable.NONE) {
                if (outbox.claim(SyncRing.SLOT_RESYNC_DONE) == null) {
                    overflow++;
                    return n; // retried next cycle
                }
                outbox.commit();
                walking = false;
                return n + 1;
            }
            if (table.expiresAt(id) - now > 0 && !write(SyncRing.SLOT_RESYNC, id, now)) {
                return n; // the outbox is full: go on from here next cycle
            }
            walkCursor = id + 1;
        }
        return n;
    }

    // ---------------------------------------------------------------- standby side

    /** Makes (or updates) the entry the master described. */
    void apply(SyncEntryFlyweight e, long now) {
        int protocol = e.protocol();
        if (protocol != 6 && protocol != 17) {
            badEntry++;
            return;
        }
        VirtualService service = services.lookup(protocol, e.virtualAddr(), e.virtualPort());
        if (service == null) {
            unknownService++;
            return;
        }
        int slot = service.findRealServer(e.destAddr(), e.destPort());
        long expires = now + e.timeoutMillis() * 1_000_000L;
        switch (e.kind()) {
            case SyncEntryFlyweight.KIND_CONNECTION -> {
                if (slot < 0) {
                    unknownRealServer++;
                    return;
                }
                if (e.method() >= ForwardMethod.values().length) {
                    badEntry++;
                    return;
                }
                int id = table.lookupIn(protocol, e.clientAddr(), e.clientPort(), e.virtualAddr(), e.virtualPort(),
                        now);
                if (id != ConnectionTable.NONE && (table.destAddr(id) != e.destAddr()
                        || table.destPort(id) != e.destPort() || table.localAddr(id) != e.localAddr()
                        || table.localPort(id) != e.localPort())) {
                    table.remove(id); // the master placed the flow elsewhere: its word is the one that counts
                    id = ConnectionTable.NONE;
                }
                if (id == ConnectionTable.NONE) {
                    int template = service.persistent()
                            ? table.lookupTemplate(e.clientAddr() & service.persistenceMask(), e.virtualAddr(),
                                    e.virtualPort(), now)
                            : ConnectionTable.NONE;
                    id = table.create(protocol, e.clientAddr(), e.clientPort(), e.virtualAddr(), e.virtualPort(),
                            e.destAddr(), e.destPort(), e.localAddr(), e.localPort(),
                            ForwardMethod.ofOrdinal(e.method()), service.id(), slot, template, now);
                    if (id == ConnectionTable.NONE) {
                        applyTableFull++;
                        return;
                    }
                }
                table.restore(id, e.state(), expires);
                applied++;
            }
            case SyncEntryFlyweight.KIND_TEMPLATE -> {
                if (slot < 0) {
                    unknownRealServer++;
                    return;
                }
                int id = table.lookupTemplate(e.clientAddr(), e.virtualAddr(), e.virtualPort(), now);
                if (id != ConnectionTable.NONE
                        && (table.destAddr(id) != e.destAddr() || table.destPort(id) != e.destPort())) {
                    if (!replaceTemplates) {
                        templateKept++;
                        return;
                    }
                    table.remove(id);
                    id = ConnectionTable.NONE;
                }
                if (id == ConnectionTable.NONE) {
                    id = table.createTemplate(e.clientAddr(), e.virtualAddr(), e.virtualPort(), e.destAddr(),
                            e.destPort(), service.id(), slot, service.persistenceTimeoutNanos(), now);
                    if (id == ConnectionTable.NONE) {
                        applyTableFull++;
                        return;
                    }
                }
                table.restore(id, -1, expires);
                applied++;
            }
            case SyncEntryFlyweight.KIND_REMOVED -> {
                int id = table.lookupIn(protocol, e.clientAddr(), e.clientPort(), e.virtualAddr(), e.virtualPort(),
                        now);
                if (id != ConnectionTable.NONE) {
                    table.remove(id);
                }
                applied++;
            }
            default -> badEntry++;
        }
    }

    // ---------------------------------------------------------------- counters

    /** Entries written to the outbox. */
    public long offered() {
        return offered;
    }

    /** Entries not sent because the outbox was full. */
    public long overflow() {
        return overflow;
    }

    /** Entries from the master applied to this table. */
    public long applied() {
        return applied;
    }

    /** Entries for a virtual service this director does not have. */
    public long unknownService() {
        return unknownService;
    }

    /** Entries for a real server this director does not have. */
    public long unknownRealServer() {
        return unknownRealServer;
    }

    /** Entries with an unknown kind, protocol or forwarding method. */
    public long badEntry() {
        return badEntry;
    }

    /** Entries not applied because the table was full. */
    public long applyTableFull() {
        return applyTableFull;
    }

    public long resyncWalks() {
        return resyncWalks;
    }

    /** Synced templates not applied because this worker has one of the same client to another real server. */
    public long templateKept() {
        return templateKept;
    }

    public boolean walking() {
        return walking;
    }
}
