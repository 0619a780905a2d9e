package io.tandem.forwarder.sync;

/**
 * The receiver's checks on a sync message, in order: size and header, HMAC,
 * sync id, epoch, then replay. The replay check is RFC 4303's sliding window
 * (§3.4.3, 64 messages wide) per epoch: a message from a newer epoch (a new
 * mastership) resets the window, one from an older epoch is refused.
 *
 * <p>Only a message that passes every check moves the epoch or the window, so
 * a forged message changes nothing. Rejections are counted by reason; nothing
 * throws.
 */
public final class SyncMessageValidator {
    private static final int WINDOW = 64;

    private final int syncId;
    private final SyncAuthenticator authenticator;
    private final long[] rejected = new long[SyncRejection.values().length];
    private long accepted;

    private long epoch = Long.MIN_VALUE;
    private long highestSequence = -1;
    private long window;

    public SyncMessageValidator(int syncId, SyncAuthenticator authenticator) {
        this.syncId = syncId;
        this.authenticator = authenticator;
    }

    /**
     * Checks the message in {@code message} ({@code received} bytes long).
     *
     * @return null when it is accepted, else why it was dropped
     */
    public SyncRejection validate(SyncMessageFlyweight message, int received) {
        SyncRejection why = check(message, received);
        if (why != null) {
            rejected[why.ordinal()]++;
        } else {
            accepted++;
        }
        return why;
    }

    private SyncRejection check(SyncMessageFlyweight m, int received) {
        if (received < SyncMessageFlyweight.HEADER_LENGTH + SyncMessageFlyweight.HMAC_LENGTH) {
            return SyncRejection.TRUNCATED;
        }
        if (m.magic() != SyncMessageFlyweight.MAGIC) {
            return SyncRejection.BAD_MAGIC;
        }
        if (m.version() != SyncMessageFlyweight.VERSION) {
            return SyncRejection.UNSUPPORTED_VERSION;
        }
        if (m.type() < SyncMessageFlyweight.TYPE_UPDATE || m.type() > SyncMessageFlyweight.TYPE_RESYNC_DONE) {
            return SyncRejection.UNKNOWN_TYPE;
        }
        if (m.messageLength() > received) {
            return SyncRejection.TRUNCATED;
        }
        if (m.messageLength() != SyncMessageFlyweight.lengthFor(m.entryCount())) {
            return SyncRejection.BAD_LENGTH;
        }
        if (!authenticator.verify(m)) {
            return SyncRejection.BAD_HMAC;
        }
        if (m.syncId() != syncId) {
            return SyncRejection.WRONG_SYNC_ID;
        }
        long e = m.epoch();
        if (e < epoch) {
            return SyncRejection.STALE_EPOCH;
        }
        if (e > epoch) {
            epoch = e;
            highestSequence = -1;
            window = 0;
        }
        return acceptSequence(m.sequence()) ? null : SyncRejection.REPLAYED;
    }

    /** RFC 4303 §3.4.3: bit i of the window stands for sequence {@code highest - i}. */
    private boolean acceptSequence(long seq) {
        if (seq < 0) {
            return false;
        }
        if (seq > highestSequence) {
            long shift = seq - highestSequence;
            window = shift >= WINDOW ? 1L : (window << shift) | 1L;
            highestSequence = seq;
            return true;
        }
        long age = highestSequence - seq;
        if (age >= WINDOW) {
            return false;
        }
        long bit = 1L << age;
        if ((window & bit) != 0) {
            return false;
        }
        window |= bit;
        return true;
    }

    /**
     * From now on, refuses every message of an epoch below {@code floor} (this node's own fenced epoch:
     * whoever sends below it mastered before this node's lease and has been fenced off since).
     */
    public void raiseFloor(long floor) {
        if (floor > epoch) {
            epoch = floor;
            highestSequence = -1;
            window = 0;
        }
    }

    /** The epoch of the newest accepted message ({@link Long#MIN_VALUE} before the first). */
    public long epoch() {
        return epoch;
    }

    public long accepted() {
        return accepted;
    }

    public long rejected(SyncRejection reason) {
        return rejected[reason.ordinal()];
    }
}
