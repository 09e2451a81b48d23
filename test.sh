#!/usr/bin/env bash
# Runs every test of scx_javaland: unit tests, the OSGi integration tests, and the tests on a
# real sched_ext kernel booted under qemu (the VM lab). Installs what Debian must provide and
# prepares the VM lab's cache (~/.cache/scx-javaland-vmlab) first; later runs are offline.
# VM_TESTS=false skips the kernel tests (they then report "skipped: VM tests off").
set -euo pipefail
cd "$(dirname "$0")"

scripts/setup-debian.sh

vm_tests=${VM_TESTS:-true}
if [ "$vm_tests" = true ]; then
  bash itests/vm/vmlab/vmlab.sh setup
fi
exec mvn -B install -Dvm.tests="$vm_tests" "$@"
