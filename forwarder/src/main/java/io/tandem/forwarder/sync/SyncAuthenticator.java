package io.tandem.forwarder.sync;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies sync messages with HMAC-SHA256 (RFC 2104) under the
 * pair's shared key. One instance per thread (a {@link Mac} is not
 * thread-safe); it keeps its buffers, so signing and verifying allocate only
 * the byte-buffer views of the message.
 */
public final class SyncAuthenticator {
    /** The shortest key accepted: 128 bits. */
    public static final int MIN_KEY_BYTES = 16;

    private final Mac mac;
    private final byte[] computed = new byte[SyncMessageFlyweight.HMAC_LENGTH];
    private final byte[] received = new byte[SyncMessageFlyweight.HMAC_LENGTH];

    public SyncAuthenticator(byte[] key) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("sync key too short: " + key.length + " bytes (expected: >= "
                    + MIN_KEY_BYTES + ")");
        }
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * Reads a key file: hexadecimal text (at least 32 digits; white space
     * ignored) or, otherwise, the file's raw bytes.
     */
    public static byte[] readKeyFile(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        String text = new String(raw, StandardCharsets.US_ASCII).replaceAll("\\s+", "");
        if (text.length() >= 2 * MIN_KEY_BYTES && text.length() % 2 == 0 && text.matches("[0-9a-fA-F]+")) {
            return HexFormat.of().parseHex(text);
        }
        return raw;
    }

    /** Writes the HMAC of the message's first {@code messageLength - 32} bytes into its trailer. */
    public void sign(SyncMessageFlyweight message) {
        int signed = message.messageLength() - SyncMessageFlyweight.HMAC_LENGTH;
        compute(message.segment(), message.offset(), signed);
        MemorySegment.copy(computed, 0, message.segment(), ValueLayout.JAVA_BYTE, message.offset() + signed,
                SyncMessageFlyweight.HMAC_LENGTH);
    }

    /** True when the trailer matches (compared in constant time). */
    public boolean verify(SyncMessageFlyweight message) {
        int signed = message.messageLength() - SyncMessageFlyweight.HMAC_LENGTH;
        compute(message.segment(), message.offset(), signed);
        MemorySegment.copy(message.segment(), ValueLayout.JAVA_BYTE, message.offset() + signed, received, 0,
                SyncMessageFlyweight.HMAC_LENGTH);
        return MessageDigest.isEqual(computed, received);
    }

    private void compute(MemorySegment segment, long offset, int length) {
        mac.update(segment.asSlice(offset, length).asByteBuffer());
        try {
            mac.doFinal(computed, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
