package io.tandem.forwarder.sync;

/** Why a received sync message was dropped; each reason has its own counter. */
public enum SyncRejection {
    /** Shorter than a header plus trailer, or than its own length field. */
    TRUNCATED("truncated"),
    BAD_MAGIC("bad_magic"),
    UNSUPPORTED_VERSION("unsupported_version"),
    UNKNOWN_TYPE("unknown_type"),
    /** The length field disagrees with the entry count. */
    BAD_LENGTH("bad_length"),
    /** The HMAC does not match: forged, corrupted, or signed with another key. */
    BAD_HMAC("bad_hmac"),
    /** Another pair's message (sync id differs). */
    WRONG_SYNC_ID("wrong_sync_id"),
    /** From a master of an earlier mastership epoch. */
    STALE_EPOCH("stale_epoch"),
    /** A sequence number already seen, or older than the replay window. */
    REPLAYED("replayed");

    private final String label;

    SyncRejection(String label) {
        this.label = label;
    }

    /** The metric label value. */
    public String label() {
        return label;
    }
}
