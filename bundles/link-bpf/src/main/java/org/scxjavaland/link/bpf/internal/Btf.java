package org.scxjavaland.link.bpf.internal;

import com.sun.jna.Pointer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the BPF object's own type information (BTF) through libbpf: where a global variable sits
 * in its section, and the member offsets of a struct. The link finds its variables by name rather
 * than trusting the compiler's placement, and the layout test compares the C structs with the
 * Java side's offsets.
 *
 * <p>Layout of what {@code btf__type_by_id} returns: {@code struct btf_type {u32 name_off;
 * u32 info; u32 size_or_type;}} followed, for a struct, by {@code vlen} members {@code {u32
 * name_off; u32 type; u32 offset_in_bits;}}, for a section by {@code vlen} entries {@code {u32
 * type; u32 offset; u32 size;}}. {@code vlen} is {@code info & 0xffff}, the kind
 * {@code (info >> 24) & 0x1f}, and {@code info >> 31} is the kind flag (bitfield offsets).
 */
final class Btf {
    private static final int TYPE_HEADER = 12;
    private static final int ENTRY = 12;

    private final long btf;

    private Btf(long btf) {
        this.btf = btf;
    }

    /** The BTF of an open object; throws when the object has none. */
    static Btf of(long obj) {
        long btf = Libbpf.bpf_object__btf(obj);
        if (btf == 0) {
            throw new IllegalStateException("The BPF object carries no BTF (it must be built with -g)");
        }
        return new Btf(btf);
    }

    /**
     * Offset of the global variable {@code variable} in the section {@code section} (e.g.
     * {@code .bss}), or -1 when it is not there.
     */
    int variableOffset(String section, String variable) {
        int id = Libbpf.btf__find_by_name_kind(btf, section, Libbpf.BTF_KIND_DATASEC);
        if (id < 0) {
            return -1;
        }
        Pointer sec = type(id);
        int vlen = sec.getInt(4) & 0xffff;
        for (int i = 0; i < vlen; i++) {
            int varId = sec.getInt(TYPE_HEADER + i * ENTRY);
            if (variable.equals(name(type(varId)))) {
                return sec.getInt(TYPE_HEADER + i * ENTRY + 4);
            }
        }
        return -1;
    }

    /** Size in bytes of the global variable {@code variable} in {@code section}, or -1. */
    int variableSize(String section, String variable) {
        int id = Libbpf.btf__find_by_name_kind(btf, section, Libbpf.BTF_KIND_DATASEC);
        if (id < 0) {
            return -1;
        }
        Pointer sec = type(id);
        int vlen = sec.getInt(4) & 0xffff;
        for (int i = 0; i < vlen; i++) {
            if (variable.equals(name(type(sec.getInt(TYPE_HEADER + i * ENTRY))))) {
                return sec.getInt(TYPE_HEADER + i * ENTRY + 8);
            }
        }
        return -1;
    }

    /** Size in bytes of {@code struct name}, or -1 when the object does not define it. */
    int structSize(String name) {
        int id = Libbpf.btf__find_by_name_kind(btf, name, Libbpf.BTF_KIND_STRUCT);
        return id < 0 ? -1 : type(id).getInt(8);
    }

    /** Byte offset of each member of {@code struct name}, in declaration order (empty when not defined). */
    Map<String, Integer> memberOffsets(String name) {
        Map<String, Integer> offsets = new LinkedHashMap<>();
        int id = Libbpf.btf__find_by_name_kind(btf, name, Libbpf.BTF_KIND_STRUCT);
        if (id < 0) {
            return offsets;
        }
        Pointer struct = type(id);
        int info = struct.getInt(4);
        boolean bitfields = info < 0;
        for (int i = 0; i < (info & 0xffff); i++) {
            int base = TYPE_HEADER + i * ENTRY;
            int bits = struct.getInt(base + 8);
            if (bitfields) {
                bits &= 0xffffff;
            }
            offsets.put(Libbpf.btf__name_by_offset(btf, struct.getInt(base)), bits / 8);
        }
        return offsets;
    }

    private Pointer type(int id) {
        long address = Libbpf.btf__type_by_id(btf, id);
        if (address == 0) {
            throw new IllegalStateException("BTF type " + id + " does not exist");
        }
        return new Pointer(address);
    }

    private String name(Pointer type) {
        return Libbpf.btf__name_by_offset(btf, type.getInt(0));
    }
}
