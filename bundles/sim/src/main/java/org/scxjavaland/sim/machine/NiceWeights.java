package org.scxjavaland.sim.machine;

/**
 * Nice value to sched_ext weight, as Linux computes it: the kernel's load weight of the nice
 * level (1024 at nice 0, each level about 1.25 times the next) scaled to 100 at nice 0 and
 * rounded, within 1..10000.
 */
final class NiceWeights {

    /** The kernel's load weight for nice -20 .. 19. */
    private static final int[] LOAD_WEIGHT = {
        88761, 71755, 56483, 46273, 36291,
        29154, 23254, 18705, 14949, 11916,
        9548, 7620, 6100, 4904, 3906,
        3121, 2501, 1991, 1586, 1277,
        1024, 820, 655, 526, 423,
        335, 272, 215, 172, 137,
        110, 87, 70, 56, 45,
        36, 29, 23, 18, 15,
    };

    private NiceWeights() {
    }

    /** Weight (1..10000, 100 for nice 0) of a nice value in -20..19. */
    static long weightOf(int nice) {
        long load = LOAD_WEIGHT[nice + 20];
        long weight = (load * 100 + 512) / 1024;
        return Math.max(1, Math.min(10_000, weight));
    }
}
