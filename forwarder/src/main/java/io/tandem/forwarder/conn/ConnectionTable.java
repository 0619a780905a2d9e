package io.tandem.forwarder.conn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The connection table (the seeds' 连接信息表, IPVS's {@code ip_vs_conn_tab}) for
 * IPv4 flows: off-heap, fixed capacity, no Java object per connection, no
 * allocation on lookup, create or expiry.
 *
 * <p>Each connection is one 64-byte entry, reachable from two hash chains:
 * the <em>in</em> key that client packets carry (protocol, client address and
 * port, virtual address and port) and the <em>out</em> key that the real
 * server's replies carry (protocol, real-server address and port, and the
 * address and port it answers to: the client's for NAT, the director's local
 * address for FULLNAT). Chain heads are ints, one bucket per entry, so a
 * connection costs 64 + 2 x 4 = 72 bytes.
 *
 * <pre>
 *  0      4      8      12     16   18   20   22   24 25 26   28     32           40     44     48     52     56     60
 * +------+------+------+------+----+----+----+----+--+--+----+------+------------+------+------+------+------+------+------+
 * |caddr |vaddr |daddr |laddr |cprt|vprt|dprt|lprt|pr|st|flgs|svc   |expires (ns)|dest  |inNext|outNxt|pkts  |tmpl  |synced|
 * +------+------+------+------+----+----+----+----+--+--+----+------+------------+------+------+------+------+------+------+
 * </pre>
 *
 * <p>Entries expire by IPVS's per-state timeouts ({@link Timeouts}); an expired
 * entry is removed when a lookup meets it or when {@link #expire} sweeps past
 * it. A persistence template ({@link #createTemplate}) outlives its timeout
 * while connections it placed are still in the table, as IPVS's
 * {@code n_control} does.
 *
 * <p>Owned by one worker thread (STYLE.md: one owner per piece of mutable state).
 */
public final class ConnectionTable implements AutoCloseable {
    public static final int NONE = -1;
    public static final int ENTRY_SIZE = 64;

    /** The protocol byte of a persistence template (IPVS uses cport 0; a reserved protocol keeps them apart). */
    public static final int TEMPLATE_PROTOCOL = 0xFF;

    private static final long CLIENT_ADDR = 0;
    private static final long VIRTUAL_ADDR = 4;
    private static final long DEST_ADDR = 8;
    private static final long LOCAL_ADDR = 12;
    private static final long CLIENT_PORT = 16;
    private static final long VIRTUAL_PORT = 18;
    private static final long DEST_PORT = 20;
    private static final long LOCAL_PORT = 22;
    private static final long PROTOCOL = 24;
    private static final long STATE = 25;
    private static final long FLAGS = 26;
    private static final long SERVICE = 28;
    private static final long EXPIRES = 32;
    private static final long DEST = 40;
    private static final long IN_NEXT = 44;
    private static final long OUT_NEXT = 48;
    /** A connection's packet count, or a template's count of the connections it placed. */
    private static final long PACKETS = 52;
    /** A connection's template id, or a template's own timeout in milliseconds. */
    private static final long TEMPLATE = 56;
    /** When the entry was last sent to the standby (milliseconds of the table clock, wrapping), see {@link #syncDue}. */
    private static final long SYNCED = 60;

    private static final int F_USED = 0x1;
    private static final int F_INACTIVE = 0x2;
    private static final int F_NO_OUTPUT = 0x4;
    private static final int F_TEMPLATE = 0x8;
    private static final int FWD_SHIFT = 8;
    private static final int FWD_MASK = 0x7 << FWD_SHIFT;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final boolean LITTLE_ENDIAN = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;

    private final Arena arena;
    private final MemorySegment entries;
    private final MemorySegment inBuckets;
    private final MemorySegment outBuckets;
    private final int capacity;
    private final int bucketMask;
    private final Timeouts timeouts;
    private final DestinationCounters counters;

    private int highWater;
    private int freeHead = NONE;
    private int size;
    private int sweepCursor;
    private long tableFull;

    public ConnectionTable(int capacity, Timeouts timeouts, DestinationCounters counters) {
        if (capacity < 1 || capacity > (1 << 30)) {
            throw new IllegalArgumentException("invalid capacity: " + capacity + " (expected: 1 ~ 1073741824)");
        }
        this.capacity = capacity;
        this.timeouts = timeouts;
        this.counters = counters;
        int buckets = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        this.bucketMask = buckets - 1;
        this.arena = Arena.ofShared();
        this.entries = arena.allocate((long) capacity * ENTRY_SIZE, 64);
        this.inBuckets = arena.allocate((long) buckets * Integer.BYTES, 64);
        this.outBuckets = arena.allocate((long) buckets * Integer.BYTES, 64);
        inBuckets.fill((byte) 0xFF);
        outBuckets.fill((byte) 0xFF);
    }

    /** Off-heap bytes held per connection at full capacity: the entry and its two bucket heads. */
    public double bytesPerConnection() {
        return ENTRY_SIZE + 2.0 * Integer.BYTES * (bucketMask + 1) / capacity;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    /** New connections refused because the table was full. */
    public long tableFull() {
        return tableFull;
    }

    // ---------------------------------------------------------------- hashing

    private static int hash(int protocol, int addrA, int portA, int addrB, int portB) {
        long h = (addrA & 0xFFFF_FFFFL) * 0x9E3779B97F4A7C15L;
        h ^= ((addrB & 0xFFFF_FFFFL) << 32 | (portA & 0xFFFF) << 16 | (portB & 0xFFFF)) * 0xC2B2AE3D27D4EB4FL;
        h ^= protocol;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int) h;
    }

    private static long base(int id) {
        return (long) id * ENTRY_SIZE;
    }

    private int head(MemorySegment buckets, int bucket) {
        return buckets.getAtIndex(INT, bucket);
    }

    // ---------------------------------------------------------------- lookup

    /**
     * The connection a client packet belongs to, or {@link #NONE}. An entry
     * found expired is removed and not returned.
     */
    public int lookupIn(int protocol, int clientAddr, int clientPort, int virtualAddr, int virtualPort, long now) {
        int bucket = hash(protocol, clientAddr, clientPort, virtualAddr, virtualPort) & bucketMask;
        // the key's adjacent fields compared as one long (addresses) and one int (ports)
        long addresses = pair(clientAddr, virtualAddr);
        int ports = pair16(clientPort, virtualPort);
        for (int id = head(inBuckets, bucket); id != NONE; id = entries.get(INT, base(id) + IN_NEXT)) {
            long b = base(id);
            if (entries.get(LONG, b + CLIENT_ADDR) == addresses
                    && entries.get(INT, b + CLIENT_PORT) == ports
                    && (entries.get(BYTE, b + PROTOCOL) & 0xFF) == protocol) {
                return live(id, now);
            }
        }
        return NONE;
    }

    /**
     * The connection a real server's reply belongs to, or {@link #NONE}:
     * {@code source} is the real server, {@code destination} the client (NAT)
     * or the director's local address (FULLNAT).
     */
    public int lookupOut(int protocol, int sourceAddr, int sourcePort, int destinationAddr, int destinationPort,
            long now) {
        int bucket = hash(protocol, sourceAddr, sourcePort, destinationAddr, destinationPort) & bucketMask;
        long addresses = pair(sourceAddr, destinationAddr);
        int ports = pair16(sourcePort, destinationPort);
        for (int id = head(outBuckets, bucket); id != NONE; id = entries.get(INT, base(id) + OUT_NEXT)) {
            long b = base(id);
            if (entries.get(LONG, b + DEST_ADDR) == addresses
                    && entries.get(INT, b + DEST_PORT) == ports
                    && (entries.get(BYTE, b + PROTOCOL) & 0xFF) == protocol) {
                return live(id, now);
            }
        }
        return NONE;
    }

    /**
     * Two adjacent 4-byte fields, {@code first} at the lower offset, as the native-order long that
     * reads them both (CLIENT_ADDR + VIRTUAL_ADDR, DEST_ADDR + LOCAL_ADDR).
     */
    private static long pair(int first, int second) {
        return LITTLE_ENDIAN ? (long) second << 32 | (first & 0xFFFF_FFFFL) : (long) first << 32 | (second & 0xFFFF_FFFFL);
    }

    /** Two adjacent 2-byte fields (CLIENT_PORT + VIRTUAL_PORT, DEST_PORT + LOCAL_PORT) as the native-order int. */
    private static int pair16(int first, int second) {
        return LITTLE_ENDIAN ? (second & 0xFFFF) << 16 | (first & 0xFFFF) : (first & 0xFFFF) << 16 | (second & 0xFFFF);
    }

    /** The persistence template for a (masked) client address and a virtual service, or {@link #NONE}. */
    public int lookupTemplate(int maskedClientAddr, int virtualAddr, int virtualPort, long now) {
        return lookupIn(TEMPLATE_PROTOCOL, maskedClientAddr, 0, virtualAddr, virtualPort, now);
    }

    private int live(int id, long now) {
        if (entries.get(LONG, base(id) + EXPIRES) - now > 0) {
            return id;
        }
        if (controlled(id) > 0) {
            touch(id, now);
            return id;
        }
        remove(id);
        return NONE;
    }

    // ---------------------------------------------------------------- create

    /**
     * Adds a connection; {@code localAddr:localPort} is what the real server
     * answers to: the client for NAT, DR and TUN, the director's local address
     * for FULLNAT. Returns its id, or {@link #NONE} when the table is full.
     *
     * @param template the persistence template that placed it, or {@link #NONE}
     */
    public int create(int protocol, int clientAddr, int clientPort, int virtualAddr, int virtualPort,
            int destAddr, int destPort, int localAddr, int localPort,
            ForwardMethod method, int service, int destination, int template, long now) {
        int id = allocate();
        if (id == NONE) {
            return NONE;
        }
        long b = base(id);
        entries.set(INT, b + CLIENT_ADDR, clientAddr);
        entries.set(INT, b + VIRTUAL_ADDR, virtualAddr);
        entries.set(INT, b + DEST_ADDR, destAddr);
        entries.set(INT, b + LOCAL_ADDR, localAddr);
        entries.set(SHORT, b + CLIENT_PORT, (short) clientPort);
        entries.set(SHORT, b + VIRTUAL_PORT, (short) virtualPort);
        entries.set(SHORT, b + DEST_PORT, (short) destPort);
        entries.set(SHORT, b + LOCAL_PORT, (short) localPort);
        entries.set(BYTE, b + PROTOCOL, (byte) protocol);
        entries.set(BYTE, b + STATE, (byte) TcpState.NONE);
        int flags = F_USED | method.ordinal() << FWD_SHIFT;
        if (!method.repliesThroughDirector()) {
            flags |= F_NO_OUTPUT;
        }
        entries.set(INT, b + SERVICE, service);
        entries.set(INT, b + DEST, destination);
        entries.set(INT, b + PACKETS, 0);
        entries.set(INT, b + TEMPLATE, template);
        entries.set(INT, b + SYNCED, 0);
        if (template != NONE) {
            entries.set(INT, base(template) + PACKETS, controlled(template) + 1);
        }
        // IPVS counts a new connection as active, then its first state change settles it
        boolean inactive = protocol != 6;
        if (inactive) {
            flags |= F_INACTIVE;
        }
        entries.set(SHORT, b + FLAGS, (short) flags);
        counters.adjust(service, destination, inactive ? 0 : 1, inactive ? 1 : 0);
        entries.set(LONG, b + EXPIRES, now + (protocol == 6 ? timeouts.tcpNanos(TcpState.NONE) : timeouts.udpNanos()));
        link(id, protocol, clientAddr, clientPort, virtualAddr, virtualPort, destAddr, destPort, localAddr, localPort);
        size++;
        return id;
    }

    /**
     * Adds a persistence template: new flows from the same client network to
     * the same virtual service go to {@code destination} until
     * {@code timeoutNanos} after the last connection it placed is gone.
     */
    public int createTemplate(int maskedClientAddr, int virtualAddr, int virtualPort, int destAddr, int destPort,
            int service, int destination, long timeoutNanos, long now) {
        int id = allocate();
        if (id == NONE) {
            return NONE;
        }
        long b = base(id);
        entries.set(INT, b + CLIENT_ADDR, maskedClientAddr);
        entries.set(INT, b + VIRTUAL_ADDR, virtualAddr);
        entries.set(INT, b + DEST_ADDR, destAddr);
        entries.set(INT, b + LOCAL_ADDR, maskedClientAddr);
        entries.set(SHORT, b + CLIENT_PORT, (short) 0);
        entries.set(SHORT, b + VIRTUAL_PORT, (short) virtualPort);
        entries.set(SHORT, b + DEST_PORT, (short) destPort);
        entries.set(SHORT, b + LOCAL_PORT, (short) 0);
        entries.set(BYTE, b + PROTOCOL, (byte) TEMPLATE_PROTOCOL);
        entries.set(BYTE, b + STATE, (byte) TcpState.NONE);
        entries.set(SHORT, b + FLAGS, (short) (F_USED | F_TEMPLATE));
        entries.set(INT, b + SERVICE, service);
        entries.set(INT, b + DEST, destination);
        entries.set(INT, b + PACKETS, 0);
        entries.set(INT, b + TEMPLATE, (int) Math.min(Integer.MAX_VALUE, timeoutNanos / 1_000_000L));
        entries.set(INT, b + SYNCED, 0);
        entries.set(LONG, b + EXPIRES, now + timeoutNanos);
        link(id, TEMPLATE_PROTOCOL, maskedClientAddr, 0, virtualAddr, virtualPort, destAddr, destPort,
                maskedClientAddr, 0);
        size++;
        return id;
    }

    private int allocate() {
        int id;
        if (freeHead != NONE) {
            id = freeHead;
            freeHead = entries.get(INT, base(id) + IN_NEXT);
        } else if (highWater < capacity) {
            id = highWater++;
        } else {
            tableFull++;
            return NONE;
        }
        return id;
    }

    private void link(int id, int protocol, int clientAddr, int clientPort, int virtualAddr, int virtualPort,
            int destAddr, int destPort, int localAddr, int localPort) {
        long b = base(id);
        int in = hash(protocol, clientAddr, clientPort, virtualAddr, virtualPort) & bucketMask;
        entries.set(INT, b + IN_NEXT, head(inBuckets, in));
        inBuckets.setAtIndex(INT, in, id);
        int out = hash(protocol, destAddr, destPort, localAddr, localPort) & bucketMask;
        entries.set(INT, b + OUT_NEXT, head(outBuckets, out));
        outBuckets.setAtIndex(INT, out, id);
    }

    // ---------------------------------------------------------------- state

    /**
     * A TCP segment of connection {@code id} passed the director in
     * {@code direction} ({@link TcpState#INPUT} from the client,
     * {@link TcpState#OUTPUT} from the real server): advance IPVS's state,
     * re-count active/inactive, and restart the state's timeout.
     *
     * @return true when the segment changed the entry's state (the standby must hear of it)
     */
    public boolean onTcpSegment(int id, int direction, int tcpFlags, long now) {
        long b = base(id);
        int flags = entries.get(SHORT, b + FLAGS) & 0xFFFF;
        int stored = flags;
        if ((flags & F_NO_OUTPUT) != 0) {
            if (direction == TcpState.OUTPUT) {
                flags &= ~F_NO_OUTPUT;
            } else {
                direction = TcpState.INPUT_ONLY;
            }
        }
        int state = entries.get(BYTE, b + STATE);
        int next = TcpState.next(state, direction, tcpFlags);
        if (next != state) {
            flags = setState(b, flags, next);
        }
        if (flags != stored) {
            entries.set(SHORT, b + FLAGS, (short) flags);
        }
        entries.set(INT, b + PACKETS, entries.get(INT, b + PACKETS) + 1);
        entries.set(LONG, b + EXPIRES, now + timeouts.tcpNanos(next));
        return next != state;
    }

    /** Moves the entry at {@code b} to {@code next}, re-counting active/inactive; returns the new flags. */
    private int setState(long b, int flags, int next) {
        boolean wasInactive = (flags & F_INACTIVE) != 0;
        boolean inactive = next != TcpState.ESTABLISHED;
        if (wasInactive != inactive) {
            flags = inactive ? flags | F_INACTIVE : flags & ~F_INACTIVE;
            counters.adjust(entries.get(INT, b + SERVICE), entries.get(INT, b + DEST),
                    inactive ? -1 : 1, inactive ? 1 : -1);
        }
        entries.set(BYTE, b + STATE, (byte) next);
        return flags;
    }

    /**
     * Takes a connection's state and remaining lifetime from the master's
     * sync message (the standby's side of connection sync): the entry counts
     * as active or inactive as the state says, and expires when the master's
     * would have. A TCP entry made by sync has seen no output yet either way:
     * the first reply after a takeover settles it, as on the master.
     */
    public void restore(int id, int state, long expiresAt) {
        long b = base(id);
        int flags = entries.get(SHORT, b + FLAGS) & 0xFFFF;
        if ((flags & F_TEMPLATE) == 0 && entries.get(BYTE, b + PROTOCOL) == 6
                && state >= 0 && state < TcpState.COUNT && state != entries.get(BYTE, b + STATE)) {
            flags = setState(b, flags, state);
            entries.set(SHORT, b + FLAGS, (short) flags);
        }
        entries.set(LONG, b + EXPIRES, expiresAt);
    }

    /**
     * True when connection {@code id} was last sent to the standby
     * {@code refreshNanos} or longer ago (or never), so a long flow is
     * refreshed on the standby before it could expire there.
     */
    public boolean syncDue(int id, long now, long refreshNanos) {
        int last = entries.get(INT, base(id) + SYNCED);
        return last == 0 || (int) (now / 1_000_000L) - last >= refreshNanos / 1_000_000L;
    }

    /** Notes that connection {@code id} has just been sent to the standby. */
    public void markSynced(int id, long now) {
        int ms = (int) (now / 1_000_000L);
        entries.set(INT, base(id) + SYNCED, ms == 0 ? 1 : ms);
    }

    /** A UDP datagram of connection {@code id} passed: restart the UDP timeout. */
    public void onUdpDatagram(int id, long now) {
        long b = base(id);
        entries.set(INT, b + PACKETS, entries.get(INT, b + PACKETS) + 1);
        entries.set(LONG, b + EXPIRES, now + timeouts.udpNanos());
    }

    private void touch(int template, long now) {
        long timeout = entries.get(INT, base(template) + TEMPLATE) * 1_000_000L;
        entries.set(LONG, base(template) + EXPIRES, now + timeout);
    }

    private int controlled(int id) {
        long b = base(id);
        return (entries.get(SHORT, b + FLAGS) & F_TEMPLATE) != 0 ? entries.get(INT, b + PACKETS) : 0;
    }

    // ---------------------------------------------------------------- removal

    /** Removes connection {@code id} (expiry, reset, or a drained server's {@code expire_nodest_conn}). */
    public void remove(int id) {
        long b = base(id);
        int flags = entries.get(SHORT, b + FLAGS) & 0xFFFF;
        if ((flags & F_USED) == 0) {
            throw new IllegalStateException("connection " + id + " is not in the table");
        }
        int protocol = entries.get(BYTE, b + PROTOCOL) & 0xFF;
        int in = hash(protocol, entries.get(INT, b + CLIENT_ADDR), entries.get(SHORT, b + CLIENT_PORT),
                entries.get(INT, b + VIRTUAL_ADDR), entries.get(SHORT, b + VIRTUAL_PORT)) & bucketMask;
        unlink(inBuckets, in, id, IN_NEXT);
        int out = hash(protocol, entries.get(INT, b + DEST_ADDR), entries.get(SHORT, b + DEST_PORT),
                entries.get(INT, b + LOCAL_ADDR), entries.get(SHORT, b + LOCAL_PORT)) & bucketMask;
        unlink(outBuckets, out, id, OUT_NEXT);
        if ((flags & F_TEMPLATE) == 0) {
            boolean inactive = (flags & F_INACTIVE) != 0;
            counters.adjust(entries.get(INT, b + SERVICE), entries.get(INT, b + DEST),
                    inactive ? 0 : -1, inactive ? -1 : 0);
            int template = entries.get(INT, b + TEMPLATE);
            if (template != NONE) {
                long t = base(template);
                entries.set(INT, t + PACKETS, Math.max(0, entries.get(INT, t + PACKETS) - 1));
            }
        }
        entries.set(SHORT, b + FLAGS, (short) 0);
        entries.set(INT, b + IN_NEXT, freeHead);
        freeHead = id;
        size--;
    }

    private void unlink(MemorySegment buckets, int bucket, int id, long nextField) {
        int prev = NONE;
        for (int cur = head(buckets, bucket); cur != NONE; cur = entries.get(INT, base(cur) + nextField)) {
            if (cur == id) {
                int next = entries.get(INT, base(cur) + nextField);
                if (prev == NONE) {
                    buckets.setAtIndex(INT, bucket, next);
                } else {
                    entries.set(INT, base(prev) + nextField, next);
                }
                return;
            }
            prev = cur;
        }
        throw new IllegalStateException("connection " + id + " missing from its hash chain");
    }

    /**
     * Sweeps up to {@code budget} entries from where the last sweep stopped
     * and removes the expired ones; returns how many it removed. Call it from
     * the owner's loop with a small budget so expiry never stalls forwarding.
     */
    public int expire(long now, int budget) {
        int removed = 0;
        for (int n = 0; n < budget && highWater > 0; n++) {
            if (sweepCursor >= highWater) {
                sweepCursor = 0;
            }
            int id = sweepCursor++;
            long b = base(id);
            if ((entries.get(SHORT, b + FLAGS) & F_USED) != 0 && entries.get(LONG, b + EXPIRES) - now <= 0) {
                if (controlled(id) > 0) {
                    touch(id, now);
                } else {
                    remove(id);
                    removed++;
                }
            }
        }
        return removed;
    }

    // ---------------------------------------------------------------- fields

    public boolean isLive(int id) {
        return id >= 0 && id < highWater && (entries.get(SHORT, base(id) + FLAGS) & F_USED) != 0;
    }

    public int protocol(int id) {
        return entries.get(BYTE, base(id) + PROTOCOL) & 0xFF;
    }

    public int clientAddr(int id) {
        return entries.get(INT, base(id) + CLIENT_ADDR);
    }

    public int clientPort(int id) {
        return entries.get(SHORT, base(id) + CLIENT_PORT) & 0xFFFF;
    }

    public int virtualAddr(int id) {
        return entries.get(INT, base(id) + VIRTUAL_ADDR);
    }

    public int virtualPort(int id) {
        return entries.get(SHORT, base(id) + VIRTUAL_PORT) & 0xFFFF;
    }

    public int destAddr(int id) {
        return entries.get(INT, base(id) + DEST_ADDR);
    }

    public int destPort(int id) {
        return entries.get(SHORT, base(id) + DEST_PORT) & 0xFFFF;
    }

    public int localAddr(int id) {
        return entries.get(INT, base(id) + LOCAL_ADDR);
    }

    public int localPort(int id) {
        return entries.get(SHORT, base(id) + LOCAL_PORT) & 0xFFFF;
    }

    public int state(int id) {
        return entries.get(BYTE, base(id) + STATE);
    }

    public int service(int id) {
        return entries.get(INT, base(id) + SERVICE);
    }

    public int destination(int id) {
        return entries.get(INT, base(id) + DEST);
    }

    public ForwardMethod method(int id) {
        return ForwardMethod.ofOrdinal((entries.get(SHORT, base(id) + FLAGS) & FWD_MASK) >>> FWD_SHIFT);
    }

    public boolean isTemplate(int id) {
        return (entries.get(SHORT, base(id) + FLAGS) & F_TEMPLATE) != 0;
    }

    public boolean isInactive(int id) {
        return (entries.get(SHORT, base(id) + FLAGS) & F_INACTIVE) != 0;
    }

    public long expiresAt(int id) {
        return entries.get(LONG, base(id) + EXPIRES);
    }

    /** The persistence template that placed connection {@code id}, or {@link #NONE}. */
    public int templateOf(int id) {
        return isTemplate(id) ? NONE : entries.get(INT, base(id) + TEMPLATE);
    }

    /** A template's own timeout in milliseconds (what each connection it places restarts). */
    public long templateTimeoutMillis(int template) {
        return isTemplate(template) ? entries.get(INT, base(template) + TEMPLATE) : 0;
    }

    /**
     * The first live entry at or after {@code from}, or {@link #NONE}: a
     * cursor for walking the table a little at a time (bulk resync).
     */
    public int nextLive(int from) {
        for (int id = Math.max(0, from); id < highWater; id++) {
            if ((entries.get(SHORT, base(id) + FLAGS) & F_USED) != 0) {
                return id;
            }
        }
        return NONE;
    }

    public int packets(int id) {
        return isTemplate(id) ? 0 : entries.get(INT, base(id) + PACKETS);
    }

    /** Visits every live entry (for listings such as {@code ipvsadm -Lnc}; not for the packet path). */
    public void forEach(java.util.function.IntConsumer visitor) {
        for (int id = 0; id < highWater; id++) {
            if ((entries.get(SHORT, base(id) + FLAGS) & F_USED) != 0) {
                visitor.accept(id);
            }
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
