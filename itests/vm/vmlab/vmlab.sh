#!/usr/bin/env bash
# shellcheck disable=SC2015 # each "A && B || C" here means C when A or B fails, as intended
# vmlab: boot a real sched_ext kernel (Debian trixie-backports) under qemu TCG, with the
# host's root shared read-only over 9p, run one command in it as root, and bring back its
# exit code and output. See ../README.md.
set -euo pipefail

readonly VMLAB_VERSION=1
CACHE=${VMLAB_CACHE:-$HOME/.cache/scx-javaland-vmlab}
readonly SUITE=trixie-backports
readonly MIRROR=${VMLAB_MIRROR:-http://deb.debian.org/debian}
# The modules 9p needs are not built in; these are the roots, their depends= are followed.
readonly ROOT_MODULES="9p 9pnet_virtio"
# Extracted in the first pass so that the usual closure needs a single pass over the deb.
readonly KNOWN_MODULES="netfs 9pnet 9pnet_virtio 9p"
readonly GUEST_JAVA_HOME=${VMLAB_JAVA_HOME:-$(j=$(readlink -f "$(command -v java 2>/dev/null || echo /usr/lib/jvm/java-17-openjdk-amd64/bin/java)"); echo "${j%/bin/java}")}
# Exit codes of `run` besides the command's own.
readonly RC_TIMEOUT=124 RC_HARNESS=125 RC_USAGE=2

say() { echo "vmlab: $*" >&2; }
die() { say "error: $*"; exit "$RC_HARNESS"; }
bad_usage() { say "error: $*"; exit "$RC_USAGE"; }
usage() {
  cat >&2 <<'EOF'
usage: vmlab.sh setup [--refresh]     fetch and build the kernel + initramfs into the cache (idempotent, offline when cached)
       vmlab.sh run [--timeout SECS] [--mem MB] [--smp N] [--env NAME=VALUE]... [--out DIR]
                    [--report FILE] [--keep] [-v] -- COMMAND [ARG]...
                                      boot the guest, run COMMAND as root in the host's cwd, print its output,
                                      exit with its code (124: timeout, 125: harness or guest failure)
       vmlab.sh btf OUT_FILE          boot the guest and copy its /sys/kernel/btf/vmlinux to OUT_FILE
       vmlab.sh info                  print the cache folder, kernel version and cache size
environment: VMLAB_CACHE      the cache folder (default ~/.cache/scx-javaland-vmlab)
             VMLAB_OFFLINE=1  fail instead of using the network or apt
             VMLAB_VERBOSE=1  like -v: one line of timings per run
             VMLAB_JAVA_HOME  the JDK the guest's PATH, JAVA_HOME and LD_LIBRARY_PATH point at
             VMLAB_TCG_THREAD single|multi (default multi: one host thread per vCPU)
             VMLAB_KERNEL_ARGS extra kernel command line (e.g. loglevel=7 to see the boot)
EOF
  exit "$RC_USAGE"
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------------------------------
# Host tools

is_static() { ! ldd "$1" >/dev/null 2>&1; }

ensure_host_tools() {
  local missing=()
  command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
  # The initramfs has no libc: only a static busybox runs there.
  if [[ ! -x /bin/busybox ]] || ! is_static /bin/busybox; then missing+=(busybox-static); fi
  command -v xz >/dev/null || missing+=(xz-utils)
  # Debian's kernels are zstd-compressed; unpacking vmlinux saves each boot its decompression.
  command -v zstd >/dev/null || missing+=(zstd)
  command -v apt-get >/dev/null || die "apt-get not found: vmlab needs a Debian-like host."
  ((${#missing[@]} == 0)) && return 0
  [[ ${VMLAB_OFFLINE:-0} == 1 ]] && die "missing host packages (${missing[*]}) and VMLAB_OFFLINE=1."
  ((EUID == 0)) || die "missing host packages (${missing[*]}): install them or run setup as root."
  mkdir -p "$CACHE"
  local log=$CACHE/apt-install.log
  say "installing ${missing[*]} with apt-get (log: $log)"
  # A failing third-party source must not stop the install from Debian's own archive.
  apt-get update >"$log" 2>&1 || say "warning: apt-get update reported errors; trying the install anyway"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >>"$log" 2>&1 \
    || { tail -n 20 "$log" | sed 's/^/  | /' >&2; die "apt-get install ${missing[*]} failed (log: $log)."; }
}

# ---------------------------------------------------------------------------------------
# Fetching the kernel with an apt state of our own (never the system's sources)

apt_opts() {
  local d=$CACHE/apt
  echo "-o Dir::Etc::SourceList=$d/sources.list -o Dir::Etc::SourceParts=/dev/null" \
       "-o Dir::State::Lists=$d/lists -o Dir::Cache=$d/cache -o Dir::State::status=/dev/null" \
       "-o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null" \
       "-o APT::Sandbox::User=root -o Debug::NoLocking=1"
}

apt_update() {
  local d=$CACHE/apt
  mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $SUITE main" >"$d/sources.list"
  # shellcheck disable=SC2046
  apt-get $(apt_opts) -qq update >&2 || die "apt-get update of $SUITE failed (is $MIRROR reachable?)."
}

# Prints the ABI name (e.g. 7.3.4+deb13-amd64) of the kernel linux-image-amd64 pulls in.
resolve_kernel() {
  local image binary
  # shellcheck disable=SC2046
  image=$(apt-cache $(apt_opts) depends linux-image-amd64 2>/dev/null \
    | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n1)
  [[ -n $image ]] || die "linux-image-amd64 in $SUITE depends on no linux-image-<version> package."
  # shellcheck disable=SC2046
  binary=$(apt-cache $(apt_opts) depends "$image" 2>/dev/null \
    | sed -n 's/^ *Depends: \(linux-binary-[0-9][^ ]*\)$/\1/p' | head -n1)
  # Older layouts ship the vmlinuz in linux-image-<abi> itself.
  echo "${binary:-$image}"
}

# Extracts from the modules deb the closure of ROOT_MODULES into $2 (decompressed .ko files)
# and writes their load order to $2/modules.order.
extract_modules() {
  local deb=$1 out=$2 tmp=$2.x wanted=() have=" " pass=0 m d dep
  mkdir -p "$out" "$tmp"
  read -ra wanted <<<"$KNOWN_MODULES"
  while ((${#wanted[@]})); do
    ((++pass > 5)) && die "module dependencies of 9p do not converge: ${wanted[*]}."
    local pats=()
    for m in "${wanted[@]}"; do pats+=("*/$m.ko*" "*/${m//_/-}.ko*"); done
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards --no-anchored "${pats[@]}" 2>/dev/null || true
    local next=()
    for m in "${wanted[@]}"; do
      local f
      f=$(find "$tmp" -name "$m.ko*" -o -name "${m//_/-}.ko*" | head -n1)
      [[ -n $f ]] || die "module $m is not in $(basename "$deb")."
      case $f in
        *.xz) xz -dc "$f" >"$out/$m.ko" ;;
        *.zst) zstd -qdc "$f" >"$out/$m.ko" ;;
        *.gz) gzip -dc "$f" >"$out/$m.ko" ;;
        *) cp "$f" "$out/$m.ko" ;;
      esac
      have+="$m "
      dep=$(tr '\0' '\n' <"$out/$m.ko" | sed -n 's/^depends=//p' | head -n1)
      echo "${dep//,/ }" >"$out/$m.deps"
      for d in ${dep//,/ }; do [[ $have == *" $d "* || " ${next[*]} " == *" $d "* ]] || next+=("$d"); done
    done
    wanted=("${next[@]}")
  done
  rm -rf "$tmp"
  # Load order: dependencies first (depth-first over the .deps files).
  local order=" "
  visit() {
    local d
    for d in $(<"$out/$1.deps"); do [[ $order == *" $d "* ]] || visit "$d"; done
    order+="$1 "
  }
  for m in $ROOT_MODULES; do [[ $order == *" $m "* ]] || visit "$m"; done
  rm -f "$out"/*.deps
  for m in $order; do echo "$m.ko"; done >"$out/modules.order"
}

# extract_vmlinux BZIMAGE OUT: unpacks the ELF vmlinux inside a bzImage. qemu boots it through
# its PVH entry, which skips the in-guest decompression (seconds under TCG); it also carries the
# kernel's .BTF section. Fails when the payload is not understood or has no PVH entry.
extract_vmlinux() {
  local bz=$1 out=$2 setup off len start magic dec expected
  # Boot protocol: setup_sects at 0x1f1, payload_offset/payload_length at 0x248/0x24c.
  setup=$(od -An -tu1 -j $((0x1f1)) -N1 "$bz" | tr -d ' ')
  ((setup == 0)) && setup=4
  read -r off len < <(od -An -tu4 -j $((0x248)) -N8 "$bz")
  start=$(((setup + 1) * 512 + off))
  magic=$(od -An -tx1 -j "$start" -N6 "$bz" | tr -d ' \n')
  case $magic in
    28b52ffd*) command -v zstd >/dev/null || return 1; dec="zstd -qdc" ;;
    fd377a585a00) dec="xz -qdc" ;;
    1f8b*) dec="gzip -dc" ;;
    *) return 1 ;;
  esac
  # The kernel's build appends the uncompressed size to the payload; the decompressors
  # complain about those 4 bytes, so their status is not the test, the size is.
  tail -c +$((start + 1)) "$bz" | head -c "$len" | $dec >"$out" 2>/dev/null || true
  expected=$(tail -c +$((start + len - 3)) "$bz" | head -c 4 | od -An -tu4 | tr -d ' ')
  [[ $(stat -c %s "$out") == "$expected" && $(head -c 4 "$out" | od -An -tx1 | tr -d ' ') == 7f454c46 ]] || return 1
  # The PVH entry: an ELF note named "Xen" of type 18 (XEN_ELFNOTE_PHYS32_ENTRY).
  LC_ALL=C grep -qaP '\x04\x00\x00\x00\x08\x00\x00\x00\x12\x00\x00\x00Xen\x00' "$out"
}

# ---------------------------------------------------------------------------------------
# The initramfs: a static busybox, the 9p modules, and this /init.

init_script() {
  cat <<'EOF'
#!/bin/busybox sh
# PID 1 of the vmlab guest: mount the host's root, run /run/vmlab/job.sh in it, hand back
# the results through the writable share, power off.
/bin/busybox mkdir -p /bin /proc /sys /dev /host /out
/bin/busybox --install -s /bin
export PATH=/bin
mount -t devtmpfs devtmpfs /dev
exec </dev/null >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
for c in /sys/devices/system/cpu/cpu[0-9]*/online; do echo 1 >"$c"; done
fail() { echo "vmlab-init: error: $*"; echo "$*" >/out/init-error; poweroff -f; sleep 10; }
for m in $(cat /lib/vmlab/modules.order); do insmod "/lib/vmlab/$m" || fail "insmod $m failed"; done
o=trans=virtio,version=9p2000.L,msize=512000
mount -t 9p -o "$o,ro,cache=loose" hostroot /host || fail "mounting the host root over 9p failed"
mount -t proc proc /host/proc
mount -t sysfs sysfs /host/sys
mount -t devtmpfs devtmpfs /host/dev
mkdir -p /host/dev/pts /host/dev/shm
mount -t devpts devpts /host/dev/pts
mount -t tmpfs tmpfs /host/dev/shm
# A project checked out under /tmp (vmlab.keep=/tmp/NAME) stays visible through the guest's own /tmp.
keep=$(sed -n 's/.*vmlab\.keep=\([^ ]*\).*/\1/p' /proc/cmdline)
if [ -n "$keep" ]; then mkdir -p /keep && mount -o bind "/host$keep" /keep || fail "binding $keep failed"; fi
mount -t tmpfs -o mode=1777 tmpfs /host/tmp
if [ -n "$keep" ]; then mkdir -p "/host$keep" && mount -o bind /keep "/host$keep" || fail "binding $keep failed"; fi
mount -t tmpfs -o mode=755 tmpfs /host/run
mount -t bpf bpf /host/sys/fs/bpf 2>/dev/null
mount -t cgroup2 cgroup2 /host/sys/fs/cgroup 2>/dev/null
mount -t tracefs tracefs /host/sys/kernel/tracing 2>/dev/null
mkdir -p /host/run/vmlab /host/run/vmlab-out
mount -t 9p -o "$o" results /host/run/vmlab || fail "mounting the results share failed"
hostname vmlab
read t0 rest </proc/uptime
echo "vmlab-init: command started at ${t0}s"
# Output goes to the initramfs (RAM) first: many small writes to a 9p share are slow.
env -i chroot /host /bin/sh /run/vmlab/job.sh >/out/stdout 2>/out/stderr </dev/null
rc=$?
read t1 rest </proc/uptime
echo "vmlab-init: command exited with $rc at ${t1}s"
r=/host/run/vmlab
dd if=/out/stdout of=$r/stdout bs=1048576 2>/dev/null
dd if=/out/stderr of=$r/stderr bs=1048576 2>/dev/null
if [ -n "$(ls -A /host/run/vmlab-out)" ]; then
  tar -cf /out/out.tar -C /host/run/vmlab-out . && dd if=/out/out.tar of=$r/out.tar bs=1048576 2>/dev/null
fi
echo "$t0 $t1" >$r/timing
# Written last: its presence tells the host that everything else is complete.
echo "$rc" >$r/rc
umount $r
sync
poweroff -f
EOF
}

initramfs_stamp() {
  { init_script; cat "$1/modules.order"; sha256sum </bin/busybox; echo "$VMLAB_VERSION"; } | sha256sum | cut -d' ' -f1
}

# build_initramfs MODULES_DIR OUT_CPIO
build_initramfs() {
  local mods=$1 out=$2 root
  root=$(mktemp -d "$CACHE/initramfs.XXXXXX")
  mkdir -p "$root/bin" "$root/lib/vmlab"
  cp /bin/busybox "$root/bin/busybox"
  init_script >"$root/init"
  chmod 755 "$root/init"
  cp "$mods"/*.ko "$mods/modules.order" "$root/lib/vmlab/"
  (cd "$root" && find . | /bin/busybox cpio -o -H newc 2>/dev/null) >"$out.tmp"
  rm -rf "$root"
  mv "$out.tmp" "$out"
  initramfs_stamp "$mods" >"$out.stamp"
}

# ---------------------------------------------------------------------------------------
# setup

ready() {
  [[ -s $CACHE/kernel.version && -s $CACHE/vmlinuz && -s $CACHE/initramfs.cpio && -s $CACHE/modules/modules.order ]]
}

fresh_initramfs() {
  [[ -s $CACHE/initramfs.cpio.stamp && $(cat "$CACHE/initramfs.cpio.stamp") == "$(initramfs_stamp "$CACHE/modules")" ]]
}

cmd_setup() {
  local refresh=0
  while (($#)); do
    case $1 in
      --refresh) refresh=1 ;;
      *) usage ;;
    esac
    shift
  done
  ensure_host_tools
  mkdir -p "$CACHE"
  # Two builds at once (e.g. two test JVMs) must not interleave in the cache.
  local rc=0
  exec 9>"$CACHE/.setup.lock"
  flock 9
  setup_locked "$refresh" || rc=$?
  exec 9>&-
  return "$rc"
}

setup_locked() {
  local refresh=$1 t0
  t0=$(now)
  # Leftovers of a setup that was killed; nobody else builds while we hold the lock.
  find "$CACHE" -maxdepth 1 -type d \( -name 'stage.*' -o -name 'initramfs.*' \) -exec rm -rf {} +
  if ((!refresh)) && ready; then
    if ! fresh_initramfs; then
      say "rebuilding the initramfs (the harness changed)"
      build_initramfs "$CACHE/modules" "$CACHE/initramfs.cpio"
    fi
    if [[ ! -f $CACHE/vmlinux && ! -f $CACHE/vmlinux.none ]]; then
      extract_vmlinux "$CACHE/vmlinuz" "$CACHE/vmlinux.tmp" && mv "$CACHE/vmlinux.tmp" "$CACHE/vmlinux" \
        || { rm -f "$CACHE/vmlinux.tmp"; touch "$CACHE/vmlinux.none"; }
    fi
    say "ready: kernel $(cat "$CACHE/kernel.version") (cached in $CACHE, $(elapsed "$t0") s)"
    return 0
  fi
  [[ ${VMLAB_OFFLINE:-0} == 1 ]] && die "the cache $CACHE is not ready and VMLAB_OFFLINE=1."

  say "resolving the current sched_ext kernel in $SUITE"
  apt_update
  local binary abi
  binary=$(resolve_kernel)
  abi=${binary#linux-binary-}
  abi=${abi#linux-image-}
  if ((refresh)) && ready && [[ $(cat "$CACHE/kernel.version") == "$abi" ]]; then
    say "ready: kernel $abi is still the current one ($(elapsed "$t0") s)"
    return 0
  fi

  local stage
  stage=$(mktemp -d "$CACHE/stage.XXXXXX")
  # shellcheck disable=SC2064
  trap "rm -rf '$stage'" EXIT
  say "downloading $binary and linux-modules-$abi"
  # shellcheck disable=SC2046
  (cd "$stage" && apt-get $(apt_opts) -qq download "$binary" "linux-modules-$abi" >&2) \
    || die "downloading $binary and linux-modules-$abi from $SUITE failed."
  local kernel_deb modules_deb
  kernel_deb=$(ls "$stage"/"${binary}"_*.deb)
  modules_deb=$(ls "$stage"/linux-modules-"${abi}"_*.deb)

  dpkg-deb --fsys-tarfile "$kernel_deb" | tar -x -C "$stage" --wildcards --no-anchored '*vmlinuz*'
  local vmlinuz
  vmlinuz=$(find "$stage" -type f -name 'vmlinuz*' | head -n1)
  [[ -n $vmlinuz ]] || die "no vmlinuz in $(basename "$kernel_deb")."
  mv "$vmlinuz" "$stage/vmlinuz"
  local image=$stage/vmlinuz
  if extract_vmlinux "$stage/vmlinuz" "$stage/vmlinux"; then
    image=$stage/vmlinux
  else
    rm -f "$stage/vmlinux"
    say "note: booting the compressed vmlinuz (no PVH-bootable vmlinux inside it)"
  fi
  extract_modules "$modules_deb" "$stage/modules"
  build_initramfs "$stage/modules" "$stage/initramfs.cpio"

  # Prove the kernel boots and has sched_ext before it replaces a working cache.
  say "booting $abi once to check it"
  local probe
  probe=$(VMLINUZ=$image INITRAMFS=$stage/initramfs.cpio \
    cmd_run --timeout 120 -- sh -c 'uname -r; cat /sys/kernel/sched_ext/state') \
    || die "the freshly built guest did not run a command (kernel $abi)."
  [[ $probe == "$abi"$'\n'* ]] || die "the guest runs kernel '${probe%%$'\n'*}', expected $abi."
  [[ $probe == *$'\n'disabled ]] || die "kernel $abi has no usable sched_ext (state: '${probe#*$'\n'}')."

  rm -rf "$CACHE/modules"
  mv "$stage/modules" "$CACHE/modules"
  mv "$stage/vmlinuz" "$CACHE/vmlinuz"
  rm -f "$CACHE/vmlinux" "$CACHE/vmlinux.none"
  if [[ -f $stage/vmlinux ]]; then mv "$stage/vmlinux" "$CACHE/vmlinux"; else touch "$CACHE/vmlinux.none"; fi
  mv "$stage/initramfs.cpio.stamp" "$CACHE/initramfs.cpio.stamp"
  mv "$stage/initramfs.cpio" "$CACHE/initramfs.cpio"
  echo "$binary" >"$CACHE/kernel.package"
  echo "$abi" >"$CACHE/kernel.version"
  rm -rf "$stage"
  trap - EXIT
  say "ready: kernel $abi (built in $CACHE in $(elapsed "$t0") s)"
}

# ---------------------------------------------------------------------------------------
# run

# POSIX single-quoting: the job script is run by the host's /bin/sh (dash) in the guest.
shq() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# boot_guest TIMEOUT SMP MEM VMLINUZ INITRAMFS RUN_DIR: one qemu run; returns qemu's (or timeout's) code.
boot_guest() {
  local timeout=$1 smp=$2 mem=$3 vmlinuz=$4 initramfs=$5 run=$6 qpid rc=0
  # maxcpus=1: the kernel boots on one CPU and /init brings the others up. Under multi-threaded
  # TCG, code patching (static keys) while another vCPU runs it rarely ends in an int3 oops, and
  # boot is when most of it happens.
  # -nographic without a serial on stdio: the console goes to the log, the terminal is untouched.
  timeout -k 5 "$timeout" qemu-system-x86_64 \
    -accel "tcg,thread=${VMLAB_TCG_THREAD:-multi}" -cpu max -smp "$smp" -m "$mem" \
    -nographic -no-reboot -nic none -vga none -monitor none -serial "file:$run/console.log" \
    -kernel "$vmlinuz" -initrd "$initramfs" \
    -append "console=ttyS0 quiet panic=-1 no_timer_check maxcpus=1 ${VMLAB_KEEP_TMP:+vmlab.keep=$VMLAB_KEEP_TMP} ${VMLAB_KERNEL_ARGS:-}" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs "local,path=$run,mount_tag=results,security_model=none,multidevs=remap" \
    </dev/null >"$run/qemu.out" 2>&1 &
  qpid=$!
  # A killed harness must not leave its guest behind.
  trap 'kill $qpid 2>/dev/null; wait $qpid 2>/dev/null; say "interrupted; console log: $run/console.log"; exit 130' INT TERM HUP
  wait $qpid || rc=$?
  trap - INT TERM HUP
  return "$rc"
}

cmd_run() {
  local timeout=600 mem=2048 smp=2 keep=0 verbose=${VMLAB_VERBOSE:-0} out="" report="" envs=()
  while (($#)); do
    case $1 in
      --timeout) timeout=${2:?}; shift ;;
      --mem) mem=${2:?}; shift ;;
      --smp) smp=${2:?}; shift ;;
      --env) [[ ${2:?} == [A-Za-z_]*=* ]] || bad_usage "--env wants NAME=VALUE, got '$2'."; envs+=("$2"); shift ;;
      --out) out=${2:?}; shift ;;
      --report) report=${2:?}; shift ;;
      --keep) keep=1 ;;
      -v) verbose=1 ;;
      --) shift; break ;;
      *) usage ;;
    esac
    shift
  done
  (($#)) || usage
  [[ $timeout =~ ^[0-9]+$ && $mem =~ ^[0-9]+$ && $smp =~ ^[0-9]+$ ]] || bad_usage "--timeout, --mem and --smp want whole numbers."

  local vmlinuz=${VMLINUZ:-} initramfs=${INITRAMFS:-$CACHE/initramfs.cpio}
  if [[ -z $vmlinuz ]]; then
    ensure_host_tools
    ready && fresh_initramfs && [[ -f $CACHE/vmlinux || -f $CACHE/vmlinux.none ]] || cmd_setup
    vmlinuz=$CACHE/vmlinuz
    [[ -f $CACHE/vmlinux ]] && vmlinuz=$CACHE/vmlinux
  fi
  local kernel
  kernel=$(cat "$CACHE/kernel.version" 2>/dev/null || echo unknown)

  local cwd
  cwd=$(pwd -P)
  # The guest has its own /tmp: a cwd below it is bound back in from the host (its top folder).
  VMLAB_KEEP_TMP=
  case $cwd in
    /tmp/*[[:space:]]*)
      die "the cwd $cwd has a space in it, which the guest cannot bind back into its own /tmp: run from another folder." ;;
    /tmp/*)
      local below=${cwd#/tmp/}
      VMLAB_KEEP_TMP=/tmp/${below%%/*} ;;
    /tmp | /run | /run/* | /proc | /proc/* | /sys | /sys/* | /dev | /dev/*)
      die "the cwd $cwd is hidden in the guest (it has its own /run, /proc, /sys, /dev): run from another folder." ;;
  esac
  mkdir -p "$CACHE/runs"
  # Failed runs are kept for their logs; a day later they go.
  find "$CACHE/runs" -mindepth 1 -maxdepth 1 -mtime +0 -exec rm -rf {} + 2>/dev/null || true
  local run
  run=$(mktemp -d "$CACHE/runs/run.XXXXXX")
  local log=$run/console.log
  {
    echo "export PATH=$(shq "$GUEST_JAVA_HOME/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")"
    echo "export HOME=/root LANG=C.UTF-8 TERM=dumb XDG_CACHE_HOME=/tmp/.cache VMLAB=1"
    echo "export VMLAB_KERNEL=$(shq "$kernel") VMLAB_OUT=/run/vmlab-out"
    echo "export JAVA_HOME=$(shq "$GUEST_JAVA_HOME") LD_LIBRARY_PATH=$(shq "$GUEST_JAVA_HOME/lib")"
    # Options every JVM in the guest wants; not JAVA_TOOL_OPTIONS, which the JVM echoes on stderr.
    echo "export VMLAB_JAVA_OPTS='-Djna.tmpdir=/tmp'"
    local e
    for e in "${envs[@]}"; do echo "export ${e%%=*}=$(shq "${e#*=}")"; done
    echo "cd $(shq "$cwd") 2>/dev/null || { echo $(shq "vmlab: error: the cwd $cwd is not visible in the guest.") >&2; exit $RC_HARNESS; }"
    printf 'exec'
    for e in "$@"; do printf ' %s' "$(shq "$e")"; done
    echo
  } >"$run/job.sh"

  local t0 rc=0 attempt=1 left=$timeout
  t0=$(now)
  while :; do
    boot_guest "$left" "$smp" "$mem" "$vmlinuz" "$initramfs" "$run" || rc=$?
    # A kernel that crashed before the command started (a rare boot-time crash under TCG) gets one
    # more boot: nothing of the command has run yet.
    ((attempt == 1 && rc != 124 && rc != 137)) && [[ ! -f $run/rc ]] \
      && ! grep -q 'vmlab-init: command started' "$log" 2>/dev/null \
      && grep -qE 'Kernel panic|Oops|BUG:' "$log" 2>/dev/null || break
    left=$(awk -v t="$timeout" -v a="$t0" -v b="$(now)" 'BEGIN { printf "%d", t - (b - a) }')
    ((left >= 10)) || break
    mv "$log" "$run/console.boot1.log"
    say "warning: the guest crashed while booting (log: $run/console.boot1.log); booting again"
    attempt=2 rc=0
  done
  local wall
  wall=$(elapsed "$t0")

  local result
  if ((rc == 124 || rc == 137)); then
    if grep -q 'vmlab-init: command started' "$log" 2>/dev/null; then
      say "timeout: the command was still running after $timeout s; the guest was killed (console log: $log)"
      # What the command wrote to /dev/console (its progress trail, if it keeps one) says where it was.
      tail -n 15 "$log" 2>/dev/null | sed 's/^/  | /' >&2
    else
      say "timeout: the guest did not reach the command within $timeout s and was killed (console log: $log)"
    fi
    result=$RC_TIMEOUT
  elif [[ -f $run/rc ]]; then
    result=$(cat "$run/rc")
    cat "$run/stdout"
    cat "$run/stderr" >&2
    if [[ -n $out && -f $run/out.tar ]]; then
      mkdir -p "$out" && tar -xf "$run/out.tar" -C "$out" || die "unpacking the guest's VMLAB_OUT into $out failed."
    fi
  else
    say "error: the guest stopped without a result (qemu exit $rc); console log: $log"
    { tail -n 25 "$log"; cat "$run/qemu.out"; } 2>/dev/null | sed 's/^/  | /' >&2
    result=$RC_HARNESS
  fi

  local t_start="" t_end=""
  [[ -f $run/timing ]] && read -r t_start t_end <"$run/timing"
  if ((verbose)); then
    local took='?'
    [[ -n $t_end ]] && took=$(awk -v a="$t_start" -v b="$t_end" 'BEGIN { printf "%.2f", b - a }')
    say "kernel $kernel; boot to command ${t_start:-?} s; command $took s; total $wall s; exit $result"
  fi
  if [[ -n $report ]]; then
    printf 'exit=%s\nkernel=%s\nboot_to_command_s=%s\ncommand_end_s=%s\nwall_s=%s\nconsole_log=%s\n' \
      "$result" "$kernel" "$t_start" "$t_end" "$wall" "$log" >"$report"
  fi
  if ((keep)); then
    say "kept the run folder $run"
  elif [[ $result != "$RC_TIMEOUT" && $result != "$RC_HARNESS" ]]; then
    rm -rf "$run"
  fi
  return "$result"
}

# ---------------------------------------------------------------------------------------
# btf, info

cmd_btf() {
  (($# == 1)) || usage
  local dest tmp
  dest=$(realpath -m "$1")
  mkdir -p "$(dirname "$dest")"
  tmp=$(mktemp -d "$CACHE/btf.XXXXXX" 2>/dev/null || { mkdir -p "$CACHE" && mktemp -d "$CACHE/btf.XXXXXX"; })
  # sysfs hands this file out a page per read: gather it in the guest's RAM, ship it in one piece.
  cd /
  # shellcheck disable=SC2016 # $VMLAB_OUT is the guest's
  cmd_run --timeout 120 --out "$tmp" -- sh -c 'cat /sys/kernel/btf/vmlinux >"$VMLAB_OUT/vmlinux"' \
    || { rm -rf "$tmp"; die "reading /sys/kernel/btf/vmlinux in the guest failed."; }
  # BTF starts with the magic 0xeB9F, little-endian on x86.
  [[ $(od -An -tx1 -N2 "$tmp/vmlinux" 2>/dev/null | tr -d ' ') == 9feb ]] \
    || { rm -rf "$tmp"; die "the guest's /sys/kernel/btf/vmlinux is not BTF."; }
  mv "$tmp/vmlinux" "$dest"
  rm -rf "$tmp"
  say "wrote $dest ($(stat -c %s "$dest") bytes, kernel $(cat "$CACHE/kernel.version"))"
}

cmd_info() {
  echo "cache: $CACHE"
  if ready; then
    echo "kernel: $(cat "$CACHE/kernel.version") ($(cat "$CACHE/kernel.package" 2>/dev/null))"
    echo "size: $(du -sh "$CACHE" | cut -f1)"
  else
    echo "kernel: none yet (run: vmlab.sh setup)"
  fi
}

(($#)) || usage
sub=$1
shift
case $sub in
  setup) cmd_setup "$@" ;;
  run) cmd_run "$@" ;;
  btf) cmd_btf "$@" ;;
  info) cmd_info "$@" ;;
  -h | --help | help) usage ;;
  *) say "unknown subcommand '$sub'"; usage ;;
esac
