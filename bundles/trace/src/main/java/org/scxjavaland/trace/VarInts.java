package org.scxjavaland.trace;

/**
 * LEB128 variable-length integers as the trace format stores them: 7 bits a byte, lowest first,
 * the high bit set on every byte but the last; signed values zigzag-coded first (0, -1, 1, -2 ...
 * become 0, 1, 2, 3 ...), so that small differences of either sign take one byte.
 */
final class VarInts {
    /** The most bytes a 64-bit value takes. */
    static final int MAX_BYTES = 10;

    private VarInts() {
    }

    /** Writes {@code value} (taken as unsigned) at {@code at}; returns the index after it. */
    static int putUnsigned(byte[] into, int at, long value) {
        while ((value & ~0x7fL) != 0) {
            into[at++] = (byte) ((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        into[at++] = (byte) value;
        return at;
    }

    static int putSigned(byte[] into, int at, long value) {
        return putUnsigned(into, at, zigzag(value));
    }

    static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    static long unzigzag(long value) {
        return (value >>> 1) ^ -(value & 1);
    }
}
