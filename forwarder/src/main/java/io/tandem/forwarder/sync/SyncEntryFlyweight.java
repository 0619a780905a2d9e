package io.tandem.forwarder.sync;

import static io.tandem.forwarder.sync.SyncMessageFlyweight.BYTE;
import static io.tandem.forwarder.sync.SyncMessageFlyweight.INT;
import static io.tandem.forwarder.sync.SyncMessageFlyweight.SHORT;

import java.lang.foreign.MemorySegment;

/**
 * One connection in a sync message (IPv4): what the standby needs to
 * forward the flow exactly as the master did after a takeover, including
 * FULLNAT's local address and port.
 *
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+---------------+---------------+
 * |     kind      |   protocol    |     state     |    method     |
 * +---------------+---------------+---------------+---------------+
 * |                        client address                         |
 * |                        virtual address                        |
 * |                      real-server address                      |
 * |                  local address (FULLNAT, else client)         |
 * +-------------------------------+-------------------------------+
 * |          client port          |          virtual port         |
 * |        real-server port       |           local port          |
 * +-------------------------------+-------------------------------+
 * |                 remaining timeout (milliseconds)              |
 * +---------------------------------------------------------------+
 * |                 persistence netmask (templates)               |
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class SyncEntryFlyweight {
    public static final int LENGTH = 36;

    /** A connection was created or changed state. */
    public static final int KIND_CONNECTION = 1;
    /** A persistence template was created or refreshed. */
    public static final int KIND_TEMPLATE = 2;
    /** A connection ended on the master before its timeout (reset, drained server). */
    public static final int KIND_REMOVED = 3;

    private static final int KIND = 0;
    private static final int PROTOCOL = 1;
    private static final int STATE = 2;
    private static final int METHOD = 3;
    private static final int CLIENT_ADDR = 4;
    private static final int VIRTUAL_ADDR = 8;
    private static final int DEST_ADDR = 12;
    private static final int LOCAL_ADDR = 16;
    private static final int CLIENT_PORT = 20;
    private static final int VIRTUAL_PORT = 22;
    private static final int DEST_PORT = 24;
    private static final int LOCAL_PORT = 26;
    private static final int TIMEOUT = 28;
    private static final int NETMASK = 32;

    private MemorySegment segment;
    private long offset;

    public SyncEntryFlyweight wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public int kind() {
        return segment.get(BYTE, offset + KIND) & 0xFF;
    }

    public int protocol() {
        return segment.get(BYTE, offset + PROTOCOL) & 0xFF;
    }

    public int state() {
        return segment.get(BYTE, offset + STATE) & 0xFF;
    }

    public int method() {
        return segment.get(BYTE, offset + METHOD) & 0xFF;
    }

    public int clientAddr() {
        return segment.get(INT, offset + CLIENT_ADDR);
    }

    public int virtualAddr() {
        return segment.get(INT, offset + VIRTUAL_ADDR);
    }

    public int destAddr() {
        return segment.get(INT, offset + DEST_ADDR);
    }

    public int localAddr() {
        return segment.get(INT, offset + LOCAL_ADDR);
    }

    public int clientPort() {
        return segment.get(SHORT, offset + CLIENT_PORT) & 0xFFFF;
    }

    public int virtualPort() {
        return segment.get(SHORT, offset + VIRTUAL_PORT) & 0xFFFF;
    }

    public int destPort() {
        return segment.get(SHORT, offset + DEST_PORT) & 0xFFFF;
    }

    public int localPort() {
        return segment.get(SHORT, offset + LOCAL_PORT) & 0xFFFF;
    }

    public long timeoutMillis() {
        return segment.get(INT, offset + TIMEOUT) & 0xFFFF_FFFFL;
    }

    public int netmask() {
        return segment.get(INT, offset + NETMASK);
    }

    /** Copies a whole entry from {@code source} at {@code sourceOffset} into this one. */
    public SyncEntryFlyweight copyFrom(MemorySegment source, long sourceOffset) {
        MemorySegment.copy(source, sourceOffset, segment, offset, LENGTH);
        return this;
    }

    /** Copies this entry whole to {@code target} at {@code targetOffset}. */
    public void copyTo(MemorySegment target, long targetOffset) {
        MemorySegment.copy(segment, offset, target, targetOffset, LENGTH);
    }

    /** Writes every field of one entry. */
    public SyncEntryFlyweight write(int kind, int protocol, int state, int method,
            int clientAddr, int clientPort, int virtualAddr, int virtualPort,
            int destAddr, int destPort, int localAddr, int localPort, long timeoutMillis, int netmask) {
        segment.set(BYTE, offset + KIND, (byte) kind);
        segment.set(BYTE, offset + PROTOCOL, (byte) protocol);
        segment.set(BYTE, offset + STATE, (byte) state);
        segment.set(BYTE, offset + METHOD, (byte) method);
        segment.set(INT, offset + CLIENT_ADDR, clientAddr);
        segment.set(INT, offset + VIRTUAL_ADDR, virtualAddr);
        segment.set(INT, offset + DEST_ADDR, destAddr);
        segment.set(INT, offset + LOCAL_ADDR, localAddr);
        segment.set(SHORT, offset + CLIENT_PORT, (short) clientPort);
        segment.set(SHORT, offset + VIRTUAL_PORT, (short) virtualPort);
        segment.set(SHORT, offset + DEST_PORT, (short) destPort);
        segment.set(SHORT, offset + LOCAL_PORT, (short) localPort);
        segment.set(INT, offset + TIMEOUT, (int) Math.min(0xFFFF_FFFFL, Math.max(0, timeoutMillis)));
        segment.set(INT, offset + NETMASK, netmask);
        return this;
    }
}
