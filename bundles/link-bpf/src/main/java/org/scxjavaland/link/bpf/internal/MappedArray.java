package org.scxjavaland.link.bpf.internal;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The value of a one-element, mmapable BPF array map (a global data section such as .bss) mapped
 * from the map's fd. libbpf before 1.5 maps it only for skeletons; mapping it here works with any.
 */
final class MappedArray implements AutoCloseable {
    private final long address;
    private final long length;
    private final ByteBuffer buffer;

    private MappedArray(long address, long length, int valueSize) {
        this.address = address;
        this.length = length;
        this.buffer = new Pointer(address).getByteBuffer(0, valueSize).order(ByteOrder.nativeOrder());
    }

    static MappedArray of(int fd, int valueSize) {
        long page = LibC.sysconf(LibC.SC_PAGESIZE);
        long length = (valueSize + page - 1) / page * page;
        long address = LibC.mmap(0, length, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
        if (address == LibC.MAP_FAILED) {
            throw new IllegalStateException("mapping a BPF array map failed: " + LibC.strerror(Native.getLastError()));
        }
        return new MappedArray(address, length, valueSize);
    }

    ByteBuffer buffer() {
        return buffer;
    }

    @Override
    public void close() {
        LibC.munmap(address, length);
    }
}
