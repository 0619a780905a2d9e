package io.tandem.forwarder.sched;

/** The 32-bit mixing the hashing schedulers share (MurmurHash3's finaliser over a seeded key). */
final class FlowHash {
    private FlowHash() {
    }

    static int mix(long key, int seed) {
        long h = key * 0x9E3779B97F4A7C15L + seed * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (int) h;
    }

    /** {@code mix(key, seed)} reduced to {@code 0 .. bound-1}. */
    static int bucket(long key, int seed, int bound) {
        return (int) ((mix(key, seed) & 0xFFFF_FFFFL) % bound);
    }
}
