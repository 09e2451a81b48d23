#!/usr/bin/env bash
# Installs from Debian what building, running and testing scx_javaland needs, once.
# Idempotent: when everything is there it changes nothing and says nothing.
# As root it installs; otherwise it prints the exact commands to run and fails.
set -euo pipefail

# Packages from bookworm main (qemu, busybox, xz, cpio, stress-ng and python3: the VM tests and their
# loads; rt-tests, sysbench, linux-perf and python3-matplotlib: the kernel benchmark suite; chromium
# and chromium-driver: the compare report's page is tested in headless Chromium; shellcheck: CI checks
# the shell scripts).
MAIN_PKGS=(clang-19 qemu-system-x86 busybox-static xz-utils cpio stress-ng python3 rt-tests sysbench linux-perf
  python3-matplotlib chromium chromium-driver shellcheck)
# libbpf >= 1.4 and bpftool >= 7.5 come from bookworm-backports (1.1.2 in main is too old).
BACKPORTS_PKGS=(libbpf1 libbpf-dev bpftool)
BACKPORTS_LIST=/etc/apt/sources.list.d/bookworm-backports.list

missing_main=()
for p in "${MAIN_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing_main+=("$p")
done

libbpf_ok() {
  local v
  v=$(dpkg-query -W -f='${Version}' libbpf-dev 2>/dev/null) || return 1
  dpkg --compare-versions "$v" ge 1:1.4 && command -v bpftool >/dev/null
}

need_backports=0
libbpf_ok || need_backports=1

[ ${#missing_main[@]} -eq 0 ] && [ $need_backports -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "scx_javaland needs Debian packages that are not installed; run as root:" >&2
  [ $need_backports -eq 1 ] && echo "  echo 'deb http://deb.debian.org/debian bookworm-backports main' > $BACKPORTS_LIST" >&2
  echo "  apt-get update" >&2
  [ ${#missing_main[@]} -gt 0 ] && echo "  apt-get install -y ${missing_main[*]}" >&2
  [ $need_backports -eq 1 ] && echo "  apt-get install -y -t bookworm-backports ${BACKPORTS_PKGS[*]}" >&2
  exit 1
fi

if [ $need_backports -eq 1 ] && ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  # A backports suite is safe in the system's sources: nothing comes from it unless asked with -t.
  echo 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-backports main' > "$BACKPORTS_LIST"
fi
backports_note=""
[ $need_backports -eq 1 ] && backports_note="(and libbpf/bpftool from bookworm-backports)"
echo "Installing Debian packages: ${missing_main[*]} $backports_note" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=300 update -qq
[ ${#missing_main[@]} -gt 0 ] && apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing_main[@]}" >/dev/null
[ $need_backports -eq 1 ] && apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends -t bookworm-backports "${BACKPORTS_PKGS[@]}" >/dev/null
exit 0
