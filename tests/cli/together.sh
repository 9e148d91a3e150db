#!/usr/bin/env bash
# Runs CLI test scripts side by side, JOBS at a time (default: the cores), each
# one's output to a log that is printed whole when the script ends; fails if
# any script failed. Most of a script's time is single-threaded (process start,
# above all under the sanitizers, and one-thread runs), so two at once on two
# cores take little more than the longer one. Scripts that time something
# (run.sh's signal handling, serve.py's latency) run alone, not through this.
#   JOBS=2 bash tests/cli/together.sh tests/cli/models.sh tests/cli/subwords.sh ...
set -u
jobs=${JOBS:-$(nproc)}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
declare -A script_of=() log_of=()
failed=0

# Waits for one script to end, prints its log, records a failure.
finish_one() {
  local pid rc
  wait -n -p pid; rc=$?
  local script=${script_of[$pid]}
  unset "script_of[$pid]"
  echo "---- $script (exit $rc)"
  cat "${log_of[$pid]}"
  [ "$rc" -eq 0 ] || { failed=1; echo "FAILED: $script" >&2; }
}

n=0
for script in "$@"; do
  while [ "${#script_of[@]}" -ge "$jobs" ]; do finish_one; done
  n=$((n + 1))
  case $script in
    *.py) /usr/bin/python3 "$script" > "$logs/$n.log" 2>&1 & ;;
    *) bash "$script" > "$logs/$n.log" 2>&1 & ;;
  esac
  script_of[$!]=$script
  log_of[$!]=$logs/$n.log
done
while [ "${#script_of[@]}" -gt 0 ]; do finish_one; done
exit "$failed"
