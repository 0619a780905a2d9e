package io.tandem.forwarder.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncMessageTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final int SYNC_ID = 7;

    private final Arena arena = Arena.ofAuto();
    private final SyncAuthenticator signer = new SyncAuthenticator(KEY);
    private final SyncMessageValidator validator = new SyncMessageValidator(SYNC_ID, new SyncAuthenticator(KEY));

    /** A signed UPDATE with {@code entries} connections; returns its segment. */
    private MemorySegment message(int syncId, long epoch, long sequence, int entries, SyncAuthenticator auth) {
        MemorySegment seg = arena.allocate(1500);
        SyncMessageFlyweight m = new SyncMessageFlyweight().wrap(seg, 0, 1500);
        m.writeHeader(SyncMessageFlyweight.TYPE_UPDATE, syncId, epoch, sequence, entries);
        SyncEntryFlyweight e = new SyncEntryFlyweight();
        for (int i = 0; i < entries; i++) {
            e.wrap(seg, m.entryOffset(i)).write(SyncEntryFlyweight.KIND_CONNECTION, 6, 1, 3,
                    0x0A4D010A, 40000 + i, 0x0A4D0064, 80, 0x0A4D000B, 8080, 0x0A4D00C8, 61000 + i, 900_000, 0);
        }
        auth.sign(m);
        return seg;
    }

    private SyncRejection receive(MemorySegment seg) {
        SyncMessageFlyweight m = new SyncMessageFlyweight().wrap(seg, 0, (int) seg.byteSize());
        return validator.validate(m, m.messageLength() == 0 ? (int) seg.byteSize() : m.messageLength());
    }

    @Test
    void aSignedMessageIsAcceptedAndReadsBack() {
        MemorySegment seg = message(SYNC_ID, 1, 0, 3, signer);
        assertThat(receive(seg)).isNull();
        SyncMessageFlyweight m = new SyncMessageFlyweight().wrap(seg, 0, 1500);
        assertThat(m.entryCount()).isEqualTo(3);
        assertThat(m.messageLength()).isEqualTo(32 + 3 * 36 + 32);
        SyncEntryFlyweight e = new SyncEntryFlyweight().wrap(seg, m.entryOffset(2));
        assertThat(e.clientPort()).isEqualTo(40002);
        assertThat(e.localAddr()).isEqualTo(0x0A4D00C8);
        assertThat(e.localPort()).isEqualTo(61002);
        assertThat(e.destPort()).isEqualTo(8080);
        assertThat(e.method()).isEqualTo(3);
        assertThat(e.timeoutMillis()).isEqualTo(900_000);
        assertThat(validator.accepted()).isEqualTo(1);
        assertThat(validator.epoch()).isEqualTo(1);
    }

    @Test
    void aForgedOrWronglyKeyedMessageChangesNothing() {
        MemorySegment forged = message(SYNC_ID, 5, 0, 1, signer);
        forged.set(ValueLayout.JAVA_BYTE, SyncMessageFlyweight.HEADER_LENGTH + 4, (byte) 99); // client address
        assertThat(receive(forged)).isEqualTo(SyncRejection.BAD_HMAC);
        byte[] otherKey = "another key, also 32 bytes long!".getBytes(StandardCharsets.US_ASCII);
        assertThat(receive(message(SYNC_ID, 5, 0, 1, new SyncAuthenticator(otherKey))))
                .isEqualTo(SyncRejection.BAD_HMAC);
        assertThat(validator.epoch()).isEqualTo(Long.MIN_VALUE);
        assertThat(validator.rejected(SyncRejection.BAD_HMAC)).isEqualTo(2);
        assertThat(validator.accepted()).isZero();
    }

    @Test
    void replaysAreRefusedAndReorderingWithinTheWindowIsNot() {
        assertThat(receive(message(SYNC_ID, 1, 10, 1, signer))).isNull();
        assertThat(receive(message(SYNC_ID, 1, 10, 1, signer))).isEqualTo(SyncRejection.REPLAYED);
        assertThat(receive(message(SYNC_ID, 1, 8, 1, signer))).isNull();
        assertThat(receive(message(SYNC_ID, 1, 8, 1, signer))).isEqualTo(SyncRejection.REPLAYED);
        assertThat(receive(message(SYNC_ID, 1, 100, 1, signer))).isNull();
        assertThat(receive(message(SYNC_ID, 1, 36, 1, signer))).isEqualTo(SyncRejection.REPLAYED); // 64 old
        assertThat(receive(message(SYNC_ID, 1, 40, 1, signer))).isNull();                           // 60 old
        assertThat(validator.rejected(SyncRejection.REPLAYED)).isEqualTo(3);
    }

    @Test
    void aNewEpochResetsTheWindowAndAnOldOneIsStale() {
        assertThat(receive(message(SYNC_ID, 1, 500, 1, signer))).isNull();
        assertThat(receive(message(SYNC_ID, 2, 0, 1, signer))).isNull();
        assertThat(receive(message(SYNC_ID, 1, 501, 1, signer))).isEqualTo(SyncRejection.STALE_EPOCH);
        assertThat(validator.epoch()).isEqualTo(2);
    }

    @Test
    void otherPairsAndMalformedMessagesAreCountedByReason() {
        assertThat(receive(message(SYNC_ID + 1, 1, 0, 1, signer))).isEqualTo(SyncRejection.WRONG_SYNC_ID);

        MemorySegment badMagic = message(SYNC_ID, 1, 1, 1, signer);
        badMagic.set(ValueLayout.JAVA_BYTE, 0, (byte) 'X');
        assertThat(receive(badMagic)).isEqualTo(SyncRejection.BAD_MAGIC);

        MemorySegment badVersion = message(SYNC_ID, 1, 1, 1, signer);
        badVersion.set(ValueLayout.JAVA_BYTE, SyncMessageFlyweight.VERSION_OFFSET, (byte) 9);
        assertThat(receive(badVersion)).isEqualTo(SyncRejection.UNSUPPORTED_VERSION);

        MemorySegment badCount = message(SYNC_ID, 1, 1, 2, signer);
        badCount.set(ValueLayout.JAVA_BYTE, SyncMessageFlyweight.COUNT_OFFSET + 1, (byte) 5);
        assertThat(receive(badCount)).isEqualTo(SyncRejection.BAD_LENGTH);

        MemorySegment whole = message(SYNC_ID, 1, 1, 2, signer);
        SyncMessageFlyweight m = new SyncMessageFlyweight().wrap(whole, 0, 1500);
        assertThat(validator.validate(m, m.messageLength() - 1)).isEqualTo(SyncRejection.TRUNCATED);
        assertThat(validator.validate(m, 10)).isEqualTo(SyncRejection.TRUNCATED);
        assertThat(validator.accepted()).isZero();
    }

    @Test
    void garbageNeverThrows() {
        Random random = new Random(1);
        MemorySegment seg = arena.allocate(1500);
        SyncMessageFlyweight m = new SyncMessageFlyweight().wrap(seg, 0, 1500);
        byte[] junk = new byte[1500];
        for (int i = 0; i < 20_000; i++) {
            random.nextBytes(junk);
            MemorySegment.copy(junk, 0, seg, ValueLayout.JAVA_BYTE, 0, junk.length);
            if (i % 2 == 0) {
                seg.set(SyncMessageFlyweight.INT, 0, SyncMessageFlyweight.MAGIC);
                seg.set(ValueLayout.JAVA_BYTE, SyncMessageFlyweight.VERSION_OFFSET, (byte) 1);
                seg.set(ValueLayout.JAVA_BYTE, SyncMessageFlyweight.TYPE_OFFSET, (byte) 1);
            }
            assertThat(validator.validate(m, random.nextInt(1501))).isNotNull();
        }
        assertThat(validator.accepted()).isZero();
    }

    @Test
    void sizesAndKeysAreChecked(@TempDir Path dir) throws Exception {
        assertThat(SyncMessageFlyweight.entriesThatFit(1472)).isEqualTo(39);
        SyncMessageFlyweight small = new SyncMessageFlyweight().wrap(arena.allocate(100), 0, 100);
        assertThatThrownBy(() -> small.writeHeader(1, 1, 1, 1, 2))
                .hasMessage("sync message too long: 2 entries need 136 bytes (expected: <= 100)");
        assertThatThrownBy(() -> new SyncAuthenticator(new byte[8]))
                .hasMessage("sync key too short: 8 bytes (expected: >= 16)");
        Path hex = Files.writeString(dir.resolve("hex.key"), "00112233445566778899aabbccddeeff\n");
        assertThat(SyncAuthenticator.readKeyFile(hex)).hasSize(16).startsWith(0x00, 0x11);
        byte[] rawKey = "not hex: a raw 32-byte secret!!!".getBytes(StandardCharsets.US_ASCII);
        Path raw = Files.write(dir.resolve("raw.key"), rawKey);
        assertThat(SyncAuthenticator.readKeyFile(raw)).isEqualTo(rawKey);
    }
}
