#!/usr/bin/env bash
# The suite under load, as issue 19 asks: a fresh clone of this checkout's HEAD, alone in a temporary folder,
# runs CI (.ci/run: npm ci, npm test, then the browser tests tagged slow) RUNS times in a row while BUSY
# CPU-bound processes (`node -e 'for(;;){}'`) run beside it. One summary line per run, then the logs' folder.
#
#   scripts/loaded-runs.sh [RUNS=5] [BUSY=2]
#
# It takes long (each run is a whole CI run on a machine whose cores are mostly taken): run it where nothing
# else needs the machine. Exit code 0 only if every run passed.
set -euo pipefail
runs="${1:-5}"
busy="${2:-2}"
src="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/al-loaded-runs-XXXXXX")"
git clone --quiet --no-hardlinks "$src" "$work/attention-lab"
commit="$(git -C "$work/attention-lab" rev-parse --short HEAD)"

burners=()
stop_burners() {
  # Only the processes this script started, by their ids.
  for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap stop_burners EXIT
for _ in $(seq "$busy"); do
  node -e 'for(;;){}' &
  burners+=("$!")
done

# Counts from a vitest summary line ("Tests  98 passed | 7 skipped (105)"), ANSI colours removed.
counts() { sed 's/\x1b\[[0-9;]*m//g' "$1" | grep -E '^ +Tests +' | sed -E 's/^ +Tests +//' | paste -sd ';' -; }

echo "loaded runs of $commit: $runs × .ci/run with $busy busy processes beside it (logs in $work)"
failed=0
for i in $(seq "$runs"); do
  log="$work/run-$i.log"
  load0="$(cut -d' ' -f1 /proc/loadavg)"
  start="$(date +%s)"
  if "$work/attention-lab/.ci/run" >"$log" 2>&1; then result=PASS; else result=FAIL; failed=$((failed + 1)); fi
  secs=$(($(date +%s) - start))
  printf 'run %d: %s in %dm%02ds, load %s → %s; tests (unit; browser; browser slow): %s\n' \
    "$i" "$result" $((secs / 60)) $((secs % 60)) "$load0" "$(cut -d' ' -f1 /proc/loadavg)" "$(counts "$log")"
  if [ "$result" = FAIL ]; then sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E 'FAIL|✗|×|Error' | head -20 | sed 's/^/    /'; fi
done
echo "$((runs - failed)) of $runs runs passed; logs in $work"
[ "$failed" -eq 0 ]
