package org.scxjavaland.link.bpf.internal;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import org.scxjavaland.link.bpf.ring.RingMemory;

/**
 * A BPF ring buffer map mapped into this process, as the kernel lays it out: the consumer page at
 * file offset 0, then (at one page) the producer page followed by the data area mapped twice.
 * For a RINGBUF (kernel to user) user space may write the consumer page only; for a USER_RINGBUF
 * (user to kernel) the producer page and the data, not the consumer page.
 */
final class MappedRing implements AutoCloseable {
    private final long consumerAddress;
    private final long producerAddress;
    private final long pageSize;
    private final long producerLength;
    private final RingMemory memory;

    private MappedRing(long consumerAddress, long producerAddress, long pageSize, long producerLength, int dataSize) {
        this.consumerAddress = consumerAddress;
        this.producerAddress = producerAddress;
        this.pageSize = pageSize;
        this.producerLength = producerLength;
        ByteBuffer consumer = new Pointer(consumerAddress).getByteBuffer(0, pageSize);
        ByteBuffer producer = new Pointer(producerAddress).getByteBuffer(0, pageSize);
        ByteBuffer data = new Pointer(producerAddress + pageSize).getByteBuffer(0, 2L * dataSize);
        this.memory = RingMemory.of(consumer, producer, data, dataSize);
    }

    /** Maps the kernel-to-user ring ({@code BPF_MAP_TYPE_RINGBUF}) whose fd is {@code fd}. */
    static MappedRing kernelToUser(int fd, int dataSize) {
        return map(fd, dataSize, LibC.PROT_READ | LibC.PROT_WRITE, LibC.PROT_READ);
    }

    /** Maps the user-to-kernel ring ({@code BPF_MAP_TYPE_USER_RINGBUF}) whose fd is {@code fd}. */
    static MappedRing userToKernel(int fd, int dataSize) {
        return map(fd, dataSize, LibC.PROT_READ, LibC.PROT_READ | LibC.PROT_WRITE);
    }

    private static MappedRing map(int fd, int dataSize, int consumerProt, int producerProt) {
        long page = LibC.sysconf(LibC.SC_PAGESIZE);
        long consumer = LibC.mmap(0, page, consumerProt, LibC.MAP_SHARED, fd, 0);
        if (consumer == LibC.MAP_FAILED) {
            throw new IllegalStateException("mapping a ring's consumer page failed: " + LibC.strerror(Native.getLastError()));
        }
        long producerLength = page + 2L * dataSize;
        long producer = LibC.mmap(0, producerLength, producerProt, LibC.MAP_SHARED, fd, page);
        if (producer == LibC.MAP_FAILED) {
            int errno = Native.getLastError();
            LibC.munmap(consumer, page);
            throw new IllegalStateException("mapping a ring's data failed: " + LibC.strerror(errno));
        }
        return new MappedRing(consumer, producer, page, producerLength, dataSize);
    }

    RingMemory memory() {
        return memory;
    }

    /** Unmaps the ring. Nothing may touch {@link #memory()} afterwards. */
    @Override
    public void close() {
        LibC.munmap(producerAddress, producerLength);
        LibC.munmap(consumerAddress, pageSize);
    }
}
