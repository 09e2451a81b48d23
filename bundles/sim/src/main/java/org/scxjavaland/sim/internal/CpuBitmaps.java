package org.scxjavaland.sim.internal;

import java.util.function.IntPredicate;

/** CPU bitmaps (a bit per CPU, 64 to a word), searched as the idle-CPU picks search them. */
final class CpuBitmaps {
    private CpuBitmaps() {
    }

    /**
     * The first CPU at or after {@code from}, wrapping around (as a scan from {@code from} would
     * find it), a word at a time, that is set in {@code idle} and {@code allowed} (and in
     * {@code domain} unless it is null), not set in {@code excluded} (unless null), and that
     * {@code accept} takes (null: any); -1 if none.
     */
    static int first(long[] idle, long[] allowed, long[] domain, long[] excluded, int from, IntPredicate accept) {
        int words = idle.length;
        int first = from >>> 6;
        long atOrAfter = -1L << (from & 63);
        for (int k = 0; k <= words; k++) {
            int w = first + k;
            if (w >= words) {
                w -= words;
            }
            long bits = idle[w] & allowed[w];
            if (domain != null) {
                bits &= domain[w];
            }
            if (excluded != null) {
                bits &= ~excluded[w];
            }
            if (k == 0) {
                bits &= atOrAfter;
            } else if (k == words) {
                bits &= ~atOrAfter; // back at the first word: the CPUs before from
            }
            while (bits != 0) {
                int c = (w << 6) + Long.numberOfTrailingZeros(bits);
                if (accept == null || accept.test(c)) {
                    return c;
                }
                bits &= bits - 1;
            }
        }
        return -1;
    }
}
