#!/usr/bin/env bash
# Runs the phases of `make test` one after the other, and prints how long each took and whether
# it passed. Every phase runs, also after one failed, so one run shows every failure; the exit
# status is that of the first phase that failed.
# Usage: scripts/phases.sh NAME COMMAND [NAME COMMAND ...]
set -uo pipefail
names=(); seconds=(); results=(); status=0
while (($# >= 2)); do
  name=$1 command=$2; shift 2
  echo; echo "=== $name: $command"
  start=$(date +%s)
  bash -c "$command"; rc=$?
  names+=("$name"); seconds+=($(($(date +%s) - start))); results+=("$([ $rc -eq 0 ] && echo ok || echo "FAILED ($rc)")")
  ((status == 0 && rc != 0)) && status=$rc
done
total=0
echo; echo "Phase times of this run:"
for i in "${!names[@]}"; do
  printf '  %-12s %5d s  %s\n' "${names[$i]}" "${seconds[$i]}" "${results[$i]}"
  total=$((total + seconds[i]))
done
printf '  %-12s %5d s (%d min %d s)\n' total "$total" $((total / 60)) $((total % 60))
exit "$status"
