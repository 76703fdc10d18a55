package dev.specc.runtime.data;

/**
 * Derives independent seeds from (seed, epoch, index) so that every random choice of the data
 * pipeline is a pure function of those numbers, whatever thread makes it.
 */
final class Seeds {
    static final long SHUFFLE = 0x5EED_0001L;
    static final long AUGMENT = 0x5EED_0002L;
    static final long SPLIT = 0x5EED_0003L;

    private Seeds() {
    }

    static long derive(long purpose, long seed, long epoch, long index) {
        long h = mix(purpose);
        h = mix(h ^ seed);
        h = mix(h ^ epoch);
        return mix(h ^ index);
    }

    /** The SplitMix64 finaliser: every input bit affects every output bit. */
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A permutation of 0..n-1 by Fisher-Yates, seeded. */
    static int[] permutation(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
