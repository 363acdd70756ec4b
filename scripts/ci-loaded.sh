#!/usr/bin/env bash
# Runs .ci/run beside LOAD_PROCS (default 2) CPU-bound processes, which it
# starts first and stops however the run ends: on two cores that leaves the
# tests about a third of the machine. Every gate of .ci/run must hold there,
# since CI shares its machine; a test that fails only under load is a test
# that depends on the machine's speed, to be fixed, not retried.
#
#   make ci-loaded                  # or: LOAD_PROCS=3 scripts/ci-loaded.sh
set -euo pipefail
cd "$(dirname "$0")/.."

hogs=()
stop_hogs() {
  for pid in "${hogs[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait "${hogs[@]}" 2>/dev/null || true
}
trap stop_hogs EXIT
for _ in $(seq "${LOAD_PROCS:-2}"); do
  # A busy loop of the shell itself: no I/O, one core each.
  bash -c 'while :; do :; done' &
  hogs+=("$!")
done
echo "--- ci-loaded: ${#hogs[@]} CPU-bound processes (${hogs[*]}) beside .ci/run; load $(cut -d' ' -f1-3 /proc/loadavg)"
start=$SECONDS
status=0
bash .ci/run || status=$?
echo "--- ci-loaded: .ci/run exited $status after $((SECONDS - start))s beside ${#hogs[@]} CPU-bound processes; load $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
