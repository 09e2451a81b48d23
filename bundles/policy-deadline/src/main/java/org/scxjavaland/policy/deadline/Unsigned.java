package org.scxjavaland.policy.deadline;

/** The u64 arithmetic the policy's times and vtimes need (the kernel side's fields are unsigned). */
final class Unsigned {
    private Unsigned() {
    }

    /** {@code a - b}, or 0 when {@code b} is larger. */
    static long saturatingSub(long a, long b) {
        return Long.compareUnsigned(a, b) > 0 ? a - b : 0;
    }

    static long max(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    static long min(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    /**
     * {@code a / b} of unsigned {@code a} by a positive {@code b}: a signed division when {@code a}
     * has no top bit (always, for times below 292 years), which is several times cheaper than
     * {@link Long#divideUnsigned} on the JDKs that do not make that an intrinsic.
     */
    static long divide(long a, long b) {
        return a >= 0 ? a / b : Long.divideUnsigned(a, b);
    }
}
