#!/usr/bin/env bash
# Prints the folder of an old libbpf (bookworm's 1.1, older than the 1.4 scx_javaland needs), for
# the test that provokes "libbpf too old" for real. Fetched once with apt-get download from the
# system's own bookworm sources, extracted, and kept in the VM lab's cache.
set -euo pipefail
dir=${VMLAB_CACHE:-$HOME/.cache/scx-javaland-vmlab}/libbpf-old
if [ ! -e "$dir/libbpf.so.1" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && { apt-get download -q libbpf1/bookworm >/dev/null 2>&1 \
      || { apt-get update -qq && apt-get download -q libbpf1/bookworm >/dev/null; }; })
  dpkg-deb -x "$work"/libbpf1_*.deb "$work/x"
  mkdir -p "$dir"
  cp -a "$work"/x/usr/lib/x86_64-linux-gnu/libbpf.so.1* "$dir/"
fi
echo "$dir"
