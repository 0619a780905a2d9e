package io.tandem.forwarder.sync;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.io.FlowKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync daemon: one thread and one UDP socket (IPVS's port 8848, group
 * 224.0.0.81, or unicast peers) carrying the connection table from the
 * master to the standby.
 *
 * <p>As <b>master</b> it drains the worker's outbox into messages of up to
 * {@code maxlen} bytes, sends one when it is full or when its first change
 * has waited {@link SyncOptions#flush()}, and answers a standby's
 * RESYNC_REQUEST by having the worker walk its whole table (pages, then
 * RESYNC_DONE) while live changes go on. Every message is signed
 * (HMAC-SHA256) and carries the sync id, the mastership epoch (it grows with
 * every takeover, past any epoch this node has heard) and a sequence number.
 *
 * <p>As <b>backup</b> it asks for a bulk resync (again every second until
 * one completes), checks every message ({@link SyncMessageValidator}:
 * length, HMAC, sync id, epoch, replay window) and hands the entries of
 * accepted ones to the worker through the inbox. What it drops it counts by
 * reason; a forged, replayed or stale message changes nothing.
 *
 * <p><b>Workers.</b> With {@code n} forwarding workers there is one
 * {@link WorkerSync} and one outbox/inbox pair per worker (the rings are
 * single-producer, single-consumer; this thread is the one consumer of every
 * outbox and the one producer of every inbox). The master drains every
 * outbox into the same messages; a RESYNC_REQUEST starts a walk on every
 * worker and RESYNC_DONE goes out once, after the last walk's end has been
 * drained (so after every page). The backup hands each connection entry to
 * the worker that will own the flow after a takeover, by the fanout key
 * ({@link FlowKey}): the client's port. That is also right for FULLNAT,
 * whose replies are keyed by the local port: the master's owner chose the
 * local port from its own slice ({@link FlowKey#ownedPorts}), so
 * {@code owner(localPort) == owner(clientPort)} whenever both directors run
 * the same number of workers; an entry where they differ is still routed by
 * the client port and counted ({@link #ownerMismatch()}: the directors'
 * worker counts differ). Persistence templates carry no port: they go to
 * every worker, which keeps the first it has for a client
 * ({@link WorkerSync#templateKept()}).
 *
 * <p>Roles change with {@link #becomeMaster()} and {@link #becomeBackup()},
 * which the director calls as VRRP decides. The socket is opened in the
 * constructor, on the caller's thread (and so in its network namespace).
 */
public final class ConnectionSync implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionSync.class);
    private static final long REQUEST_PERIOD_NANOS = 1_000_000_000L;
    private static final long LOG_PERIOD_NANOS = 10_000_000_000L;
    private static final int RECEIVE_BUFFER = 65_536;
    /**
     * Resync pages sent per millisecond at most (about 25 MB/s at 1472 bytes):
     * a bulk resync must not overrun the standby's socket buffer (rmem_max is
     * often 208 KiB). A million entries take about 1.6 s.
     */
    private static final int RESYNC_MESSAGES_PER_MS = 16;
    private static final int RESYNC_BURST = 32;

    private enum Role { BACKUP, MASTER }

    /** For {@link #becomeMaster(long)}: no fence, the epoch is chosen here. */
    public static final long NOT_FENCED = -1;

    private final SyncOptions options;
    private final WorkerSync[] workers;
    private final List<Consumer<Runnable>> onWorkers;
    private final Runnable[] startResyncs;
    private final SyncRing[] outboxes;
    private final SyncRing[] inboxes;
    /** Workers whose resync walk has been asked for and whose end has not been drained yet. */
    private final boolean[] walkPending;
    private final SyncEntryFlyweight received = new SyncEntryFlyweight();
    private final LongSupplier nanoClock;
    private final DatagramChannel channel;
    private final Selector selector;
    private final List<InetSocketAddress> destinations = new ArrayList<>();
    private final ByteBuffer sendBuffer;
    private final MemorySegment sendSegment;
    private final ByteBuffer receiveBuffer;
    private final MemorySegment receiveSegment;
    private final SyncMessageFlyweight out = new SyncMessageFlyweight();
    private final SyncMessageFlyweight in = new SyncMessageFlyweight();
    private final SyncAuthenticator authenticator;
    private final SyncMessageValidator updates;
    private final SyncMessageValidator requests;
    private final int perMessage;
    private final long flushNanos;
    /** This process's request epoch: a restarted standby's requests are never taken for replays. */
    private final long requestEpoch;

    private volatile Role wanted = Role.BACKUP;
    private volatile boolean running = true;
    private volatile Role role = Role.BACKUP;
    private volatile long epoch;
    private volatile long fencedEpoch = NOT_FENCED;

    private long sequence;
    private long requestSequence;
    private int pendingType;
    private int pendingCount;
    private long firstPendingAt;
    private boolean resyncPending = true;
    private long nextRequestAt;
    private long resyncEntries;
    private long lastLogAt = Long.MIN_VALUE;
    private long resyncTokens = RESYNC_BURST;
    private long tokensAt;

    private volatile long messagesSent;
    private volatile long entriesSent;
    private volatile long bytesSent;
    private volatile long sendErrors;
    private volatile long messagesReceived;
    private volatile long entriesReceived;
    private volatile long ignored;
    private volatile long inboxOverflow;
    private volatile long ownerMismatch;
    private volatile long resyncRequestsSent;
    private volatile long resyncsServed;
    private volatile long resyncsCompleted;
    private volatile long lastResyncEntries;
    private volatile long maxFlushDelayNanos;

    /**
     * @param onWorker runs a task on the forwarder worker's thread (its command queue)
     */
    public ConnectionSync(SyncOptions options, WorkerSync worker, SyncRing outbox, SyncRing inbox,
            Consumer<Runnable> onWorker, LongSupplier nanoClock) throws IOException {
        this(options, List.of(worker), List.of(outbox), List.of(inbox), List.of(onWorker), nanoClock);
    }

    /**
     * The daemon of {@code workers.size()} forwarding workers: worker {@code i} has
     * {@code outboxes.get(i)}, {@code inboxes.get(i)} and runs tasks through {@code onWorkers.get(i)}.
     */
    public ConnectionSync(SyncOptions options, List<WorkerSync> workers, List<SyncRing> outboxes,
            List<SyncRing> inboxes, List<Consumer<Runnable>> onWorkers, LongSupplier nanoClock) throws IOException {
        int n = workers.size();
        if (n < 1 || outboxes.size() != n || inboxes.size() != n || onWorkers.size() != n) {
            throw new IllegalArgumentException("invalid sync workers: " + n + " workers, " + outboxes.size()
                    + " outboxes, " + inboxes.size() + " inboxes, " + onWorkers.size()
                    + " command queues (expected: the same number, at least 1)");
        }
        this.options = options;
        this.workers = workers.toArray(WorkerSync[]::new);
        this.outboxes = outboxes.toArray(SyncRing[]::new);
        this.inboxes = inboxes.toArray(SyncRing[]::new);
        this.onWorkers = List.copyOf(onWorkers);
        this.startResyncs = new Runnable[n];
        for (int i = 0; i < n; i++) {
            startResyncs[i] = this.workers[i]::startResync;
        }
        this.walkPending = new boolean[n];
        this.nanoClock = nanoClock;
        this.perMessage = options.entriesPerMessage();
        this.flushNanos = options.flush().toNanos();
        this.requestEpoch = System.currentTimeMillis();
        this.authenticator = new SyncAuthenticator(options.key());
        this.updates = new SyncMessageValidator(options.syncId(), authenticator);
        this.requests = new SyncMessageValidator(options.syncId(), authenticator);
        this.sendBuffer = ByteBuffer.allocateDirect(options.maxLength());
        this.sendSegment = MemorySegment.ofBuffer(sendBuffer);
        this.receiveBuffer = ByteBuffer.allocateDirect(RECEIVE_BUFFER);
        this.receiveSegment = MemorySegment.ofBuffer(receiveBuffer);
        out.wrap(sendSegment, 0, options.maxLength());
        in.wrap(receiveSegment, 0, RECEIVE_BUFFER);

        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        Selector sel = null;
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            if (options.unicastPeers().isEmpty()) {
                ch.bind(new InetSocketAddress(options.port()));
                String name = options.interfaceName().orElseThrow();
                NetworkInterface nif = NetworkInterface.getByName(name);
                if (nif == null) {
                    throw new IOException("sync interface " + name + " not found (expected: lvs_sync_daemon IFACE)");
                }
                ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
                ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, options.ttl());
                ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, false);
                ch.join(options.group(), nif);
                destinations.add(new InetSocketAddress(options.group(), options.port()));
            } else {
                ch.bind(options.unicastSource().map(a -> new InetSocketAddress(a, options.port()))
                        .orElseGet(() -> new InetSocketAddress(options.port())));
                for (var peer : options.unicastPeers()) {
                    destinations.add(new InetSocketAddress(peer, options.port()));
                }
            }
            ch.configureBlocking(false);
            sel = Selector.open();
            ch.register(sel, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            if (sel != null) {
                sel.close();
            }
            ch.close();
            throw e;
        }
        this.channel = ch;
        this.selector = sel;
        if (!options.keyConfigured()) {
            LOG.warn("connection sync without a key: messages are checked for integrity but not authenticated"
                    + " (expected: sync_daemon {{ key_file FILE }} with the same key on both directors)");
        }
        LOG.info("connection sync: sync id {}, {} (maxlen {}, {} entries a message)", options.syncId(),
                destinations, options.maxLength(), perMessage);
    }

    // ---------------------------------------------------------------- roles

    /** This node is master: its changes go out from now on. */
    public void becomeMaster() {
        becomeMaster(NOT_FENCED);
    }

    /**
     * This node is master under a fence (ZooKeeper): its messages carry {@code fencedEpoch}, the
     * lease's own number, which grows with every takeover whoever takes over; so a master that lost
     * its lease (and a standby that heard the new master) refuses the stale one's messages. With
     * {@link #NOT_FENCED} the epoch is this node's own: the time, past any epoch it has heard.
     */
    public void becomeMaster(long fencedEpoch) {
        this.fencedEpoch = fencedEpoch;
        for (WorkerSync w : workers) {
            w.setSending(true);
        }
        wanted = Role.MASTER;
        selector.wakeup();
    }

    /** This node is backup: it listens, and asks for the whole table. */
    public void becomeBackup() {
        for (WorkerSync w : workers) {
            w.setSending(false);
        }
        wanted = Role.BACKUP;
        selector.wakeup();
    }

    public boolean master() {
        return role == Role.MASTER;
    }

    // ---------------------------------------------------------------- loop

    @Override
    public void run() {
        while (running) {
            try {
                long now = nanoClock.getAsLong();
                changeRole(now);
                if (role == Role.MASTER) {
                    drainOutbox(now);
                } else {
                    discardOutbox();
                    if (resyncPending && now - nextRequestAt >= 0) {
                        sendResyncRequest();
                        nextRequestAt = now + REQUEST_PERIOD_NANOS;
                    }
                }
                receiveAll(now);
                selector.select(role == Role.MASTER && outboxesEmpty() && pendingCount == 0 ? 2 : 1);
                selector.selectedKeys().clear();
            } catch (IOException | RuntimeException e) {
                if (running) {
                    logRateLimited("connection sync loop: {}", e.toString());
                }
            }
        }
    }

    private void changeRole(long now) {
        Role w = wanted;
        if (w == role) {
            return;
        }
        if (w == Role.MASTER) {
            long fenced = fencedEpoch;
            long heard = updates.epoch() == Long.MIN_VALUE ? 0 : updates.epoch() + 1;
            // fenced: the lease's epoch is above every earlier master's; past the one heard all the same (an
            // epoch granted without ZooKeeper under fail-open may not be)
            epoch = Math.max(fenced != NOT_FENCED ? fenced : System.currentTimeMillis(), heard);
            if (fenced != NOT_FENCED) {
                updates.raiseFloor(fenced); // as backup later, a master fenced off before this lease is refused
            }
            sequence = 0;
            pendingCount = 0;
            tokensAt = now;
            Arrays.fill(walkPending, false); // asked for in an earlier mastership: no standby waits
            LOG.info("connection sync: master, epoch {}", epoch);
        } else {
            resyncPending = true;
            nextRequestAt = now;
            pendingCount = 0;
            LOG.info("connection sync: backup, asking the master for its table");
        }
        role = w;
    }

    private boolean outboxesEmpty() {
        for (SyncRing outbox : outboxes) {
            if (outbox.size() != 0) {
                return false;
            }
        }
        return true;
    }

    private void discardOutbox() {
        for (SyncRing outbox : outboxes) {
            while (outbox.peek() >= 0) {
                outbox.release();
            }
        }
    }

    private void drainOutbox(long now) throws IOException {
        long elapsedMs = (now - tokensAt) / 1_000_000L;
        if (elapsedMs > 0) {
            resyncTokens = Math.min(RESYNC_BURST, resyncTokens + elapsedMs * RESYNC_MESSAGES_PER_MS);
            tokensAt += elapsedMs * 1_000_000L;
        }
        for (int i = 0; i < outboxes.length; i++) {
            drainOutbox(i, now);
        }
        if (pendingCount > 0 && now - firstPendingAt >= flushNanos) {
            flush(now);
        }
    }

    /** Drains worker {@code worker}'s outbox (at most one ring's worth, so no worker starves the others). */
    private void drainOutbox(int worker, long now) throws IOException {
        SyncRing outbox = outboxes[worker];
        int budget = workers.length == 1 ? Integer.MAX_VALUE : outbox.capacity();
        for (int type; budget-- > 0 && (type = outbox.peek()) >= 0; ) {
            if (type == SyncRing.SLOT_RESYNC && pendingCount == 0 && resyncTokens <= 0) {
                break; // paced: the rest of the walk waits in the outbox
            }
            if (type == SyncRing.SLOT_RESYNC_DONE) {
                outbox.release();
                boolean asked = walkPending[worker];
                walkPending[worker] = false;
                // one RESYNC_DONE for all the workers, after the last walk's pages; with one worker, every walk's end
                if ((asked || workers.length == 1) && !anyWalkPending()) {
                    flush(now);
                    out.writeHeader(SyncMessageFlyweight.TYPE_RESYNC_DONE, options.syncId(), epoch, sequence++, 0);
                    send();
                    resyncsServed++;
                }
                continue;
            }
            if (pendingCount > 0 && type != pendingType) {
                flush(now);
            }
            if (pendingCount == 0) {
                pendingType = type;
                firstPendingAt = now;
            }
            outbox.entry().copyTo(sendSegment, out.entryOffset(pendingCount++));
            outbox.release();
            if (pendingCount == perMessage) {
                flush(now);
            }
        }
    }

    private boolean anyWalkPending() {
        for (boolean pending : walkPending) {
            if (pending) {
                return true;
            }
        }
        return false;
    }

    private void flush(long now) throws IOException {
        if (pendingCount == 0) {
            return;
        }
        out.writeHeader(pendingType, options.syncId(), epoch, sequence++, pendingCount);
        if (pendingType == SyncRing.SLOT_RESYNC) {
            resyncTokens--;
        }
        entriesSent += pendingCount;
        long delay = now - firstPendingAt;
        if (delay > maxFlushDelayNanos) {
            maxFlushDelayNanos = delay;
        }
        pendingCount = 0;
        send();
    }

    private void sendResyncRequest() throws IOException {
        out.writeHeader(SyncMessageFlyweight.TYPE_RESYNC_REQUEST, options.syncId(), requestEpoch, requestSequence++,
                0);
        resyncEntries = 0;
        send();
        resyncRequestsSent++;
    }

    /** Signs the message in the send buffer and sends it to every destination. */
    private void send() throws IOException {
        authenticator.sign(out);
        int length = out.messageLength();
        for (int i = 0; i < destinations.size(); i++) {
            sendBuffer.clear().limit(length);
            try {
                if (channel.send(sendBuffer, destinations.get(i)) == 0) {
                    sendErrors++;
                    continue;
                }
            } catch (IOException e) {
                sendErrors++;
                logRateLimited("connection sync: send to {} failed: {}", destinations.get(i), e.toString());
                continue;
            }
            messagesSent++;
            bytesSent += length;
        }
    }

    private void receiveAll(long now) throws IOException {
        for (int n = 0; n < 256; n++) {
            receiveBuffer.clear();
            SocketAddress from = channel.receive(receiveBuffer);
            if (from == null) {
                return;
            }
            handle(receiveBuffer.position(), from);
        }
    }

    private void handle(int length, SocketAddress from) {
        int type = length > SyncMessageFlyweight.TYPE_OFFSET ? in.type() : 0;
        boolean request = type == SyncMessageFlyweight.TYPE_RESYNC_REQUEST;
        if (request != (role == Role.MASTER)) {
            ignored++; // a master takes only requests; a backup takes only the master's messages
            return;
        }
        SyncMessageValidator validator = request ? requests : updates;
        SyncRejection why = validator.validate(in, length);
        if (why != null) {
            logRateLimited("connection sync: dropped a message from {}: {}", from, why.label());
            return;
        }
        messagesReceived++;
        switch (type) {
            case SyncMessageFlyweight.TYPE_RESYNC_REQUEST -> {
                LOG.info("connection sync: {} asks for the whole table", from);
                for (int i = 0; i < workers.length; i++) {
                    walkPending[i] = true;
                    onWorkers.get(i).accept(startResyncs[i]);
                }
            }
            case SyncMessageFlyweight.TYPE_RESYNC_DONE -> {
                if (resyncPending) {
                    resyncPending = false;
                    lastResyncEntries = resyncEntries;
                    resyncsCompleted++;
                    LOG.info("connection sync: bulk resync complete, {} entries", resyncEntries);
                }
            }
            default -> {
                int count = in.entryCount();
                for (int i = 0; i < count; i++) {
                    long offset = in.entryOffset(i);
                    if (workers.length == 1) {
                        deliver(0, offset);
                        continue;
                    }
                    received.wrap(receiveSegment, offset);
                    if (received.kind() == SyncEntryFlyweight.KIND_TEMPLATE) {
                        for (int w = 0; w < workers.length; w++) {
                            deliver(w, offset); // no port to key it by: every worker may schedule the client
                        }
                    } else {
                        deliver(owner(received), offset);
                    }
                }
                entriesReceived += count;
                if (type == SyncMessageFlyweight.TYPE_RESYNC_PAGE) {
                    resyncEntries += count;
                    // the master is sending: ask again only if it falls silent
                    nextRequestAt = nanoClock.getAsLong() + REQUEST_PERIOD_NANOS;
                }
            }
        }
    }

    private void deliver(int worker, long offset) {
        SyncEntryFlyweight slot = inboxes[worker].claim(SyncRing.SLOT_UPDATE);
        if (slot == null) {
            inboxOverflow++;
            return;
        }
        slot.copyFrom(receiveSegment, offset);
        inboxes[worker].commit();
    }

    /**
     * The worker that will own entry {@code e}'s flow after a takeover: the fanout program's key, the client's port
     * (a request's source port, a NAT reply's destination port). A FULLNAT reply is keyed by the local port, which
     * the master's owner took from its own slice: the same worker when both directors run as many workers.
     */
    private int owner(SyncEntryFlyweight e) {
        int n = workers.length;
        int owner = FlowKey.owner(FlowKey.mix(e.clientPort()), n);
        if (e.kind() == SyncEntryFlyweight.KIND_CONNECTION && e.method() == ForwardMethod.FULLNAT.ordinal()
                && FlowKey.owner(FlowKey.mix(e.localPort()), n) != owner) {
            ownerMismatch++;
        }
        return owner;
    }

    private void logRateLimited(String format, Object... args) {
        long now = nanoClock.getAsLong();
        if (lastLogAt == Long.MIN_VALUE || now - lastLogAt >= LOG_PERIOD_NANOS) {
            lastLogAt = now;
            LOG.warn(format, args);
        }
    }

    // ---------------------------------------------------------------- counters

    public long epoch() {
        return epoch;
    }

    public long messagesSent() {
        return messagesSent;
    }

    public long entriesSent() {
        return entriesSent;
    }

    public long bytesSent() {
        return bytesSent;
    }

    public long sendErrors() {
        return sendErrors;
    }

    public long messagesReceived() {
        return messagesReceived;
    }

    public long entriesReceived() {
        return entriesReceived;
    }

    /** Messages for the other role (a backup's requests reaching a backup, updates reaching a master). */
    public long ignored() {
        return ignored;
    }

    public long inboxOverflow() {
        return inboxOverflow;
    }

    /**
     * FULLNAT entries whose local port another worker owns than their client port: the master ran another number
     * of workers (its replies would reach a worker without the flow after a takeover). Routed by the client port.
     */
    public long ownerMismatch() {
        return ownerMismatch;
    }

    /** The forwarding workers this daemon serves. */
    public int workers() {
        return workers.length;
    }

    /** Messages dropped for {@code reason}, updates and requests together. */
    public long rejected(SyncRejection reason) {
        return updates.rejected(reason) + requests.rejected(reason);
    }

    public long resyncRequestsSent() {
        return resyncRequestsSent;
    }

    public long resyncsServed() {
        return resyncsServed;
    }

    public long resyncsCompleted() {
        return resyncsCompleted;
    }

    public long lastResyncEntries() {
        return lastResyncEntries;
    }

    /** The longest a change has waited in the master's batch before its message went out. */
    public long maxFlushDelayNanos() {
        return maxFlushDelayNanos;
    }

    public SyncOptions options() {
        return options;
    }

    /** Stops the loop; the owner joins the thread, then closes. */
    public void stop() {
        running = false;
        selector.wakeup();
    }

    @Override
    public void close() throws IOException {
        stop();
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }
}
