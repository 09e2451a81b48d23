#!/usr/bin/env bash
# Compiles the BPF side of scx_javaland into one object.
#   bpf/build.sh OUT.o [SOURCE.c]   (the link-bpf Maven build calls this; CLANG overrides the compiler;
#                                    SOURCE defaults to javaland.bpf.c, a test may build a variant of it)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUT.o [SOURCE.c]}
source=${2:-$here/javaland.bpf.c}
clang=${CLANG:-clang-19}

command -v "$clang" >/dev/null || {
  echo "bpf/build.sh: $clang not found: install it (bpf/README.md lists the packages) or set CLANG." >&2
  exit 1
}
[[ -f /usr/include/bpf/bpf_helpers.h ]] || {
  echo "bpf/build.sh: libbpf's headers are missing: install libbpf-dev >= 1.4 (see bpf/README.md)." >&2
  exit 1
}

mkdir -p "$(dirname "$out")"
"$clang" -target bpf -mcpu=v3 -O2 -g -D__TARGET_ARCH_x86 -fms-extensions -Wno-microsoft-anon-tag \
  -Wall -Werror -I "$here" -c "$source" -o "$out.tmp"
# libbpf needs the BTF (.BTF, .BTF.ext), not the DWARF that -g also writes.
strip=${LLVM_STRIP:-llvm-strip-19}
if command -v "$strip" >/dev/null; then
  "$strip" -g "$out.tmp"
fi
mv "$out.tmp" "$out"
