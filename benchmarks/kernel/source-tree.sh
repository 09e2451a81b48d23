#!/usr/bin/env bash
# Prints the path of a configured source tree for the suite's parallel build: Debian's zlib, its
# source package fetched once through an apt state of its own (never the system's sources) into
# CACHE/src, unpacked and configured there. Offline once cached.
#   usage: source-tree.sh CACHE
set -euo pipefail
cache=${1:?usage: source-tree.sh CACHE}
tree=$cache/src/zlib
if [ ! -f "$tree/.configured" ]; then
  d=$cache/apt
  mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$cache/src"
  echo 'deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main' >"$d/sources.list"
  a=(-o "Dir::Etc::SourceList=$d/sources.list" -o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$d/lists"
     -o "Dir::Cache=$d/cache" -o Dir::State::status=/dev/null)
  apt-get "${a[@]}" update -qq >&2
  (cd "$cache/src" && apt-get "${a[@]}" source --download-only zlib >&2)
  rm -rf "$tree"
  (cd "$cache/src" && dpkg-source -x --no-check zlib_*.dsc zlib >&2)
  (cd "$tree" && ./configure >&2 && touch .configured)
fi
echo "$tree"
