#!/usr/bin/env bash
# Throughput and overhead of `braid run` against make -j2, xargs -P2 and GNU parallel, measured
# in the same run (issue 3's targets). For each size N: N independent tasks of `true`, 2 at a
# time; then 200 tasks of `sleep 0.05`, 2 at a time (ideal 5.0 s). Each round runs every tool
# once, in turn, so that load from other work on the machine hits them alike; the table shows
# the median of the rounds and the ratio to make (and to xargs).
#   usage: bench/throughput.sh [rounds] [sizes...]     (default: 3 rounds, sizes 2000 20000)
# Sizes of 10,000 and more get LARGE_ROUNDS rounds (default 1) and no GNU parallel (minutes).
# Extra rows: `BRAID_SPAWN=jdk` (the JDK starts the processes, no braid-spawn helper) and
# `BRAID_JAVA_OPTS=-XX:TieredStopAtLevel=4` (C2 as well: the launcher's default is C1 only).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
shift || true
sizes=("${@:-2000}")
if [[ $# -eq 0 ]]; then sizes=(2000 20000); fi

./braid --version >/dev/null # builds the jar and the CDS archive if needed
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# plan N COMMAND: a Braid plan of N independent tasks, a Makefile, and xargs/parallel input
plan() {
  local n=$1 cmd=$2 dir=$work/$1-${2// /_}
  mkdir -p "$dir"
  {
    printf '{"version": 1, "tasks": [\n'
    for ((i = 0; i < n; i++)); do
      printf '%s{"task_id": "T%d", "command": "%s"}\n' "$([[ $i -gt 0 ]] && echo ,)" "$i" "$cmd"
    done
    printf ']}\n'
  } >"$dir/plan.json"
  {
    printf 'all:'
    for ((i = 0; i < n; i++)); do printf ' t%d' "$i"; done
    echo
    for ((i = 0; i < n; i++)); do printf 't%d:\n\t@%s\n' "$i" "$cmd"; done
  } >"$dir/Makefile"
  echo "$dir"
}

now() { date +%s.%N; }

# measure LABEL CMD...: appends one wall time (seconds) to $work/times/LABEL
measure() {
  local label=$1 s e
  shift
  s=$(now)
  "$@" >/dev/null 2>&1 || echo "warning: $label exited $?" >&2
  e=$(now)
  echo "$e - $s" | bc >>"$work/times/$label"
}

median() { sort -n "$1" | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }

have() { command -v "$1" >/dev/null 2>&1; }

# bench NAME N COMMAND ARG PROGRAM...: one table; xargs and parallel run `PROGRAM... ARG` N times
bench() {
  local name=$1 n=$2 cmd=$3 xarg=$4 dir rounds=$rounds
  shift 4
  local xcmd=("$@")
  if ((n >= 10000)); then rounds=${LARGE_ROUNDS:-1}; fi
  dir=$(plan "$n" "$cmd")
  rm -rf "$work/times"
  mkdir -p "$work/times"
  local tools=(make xargs)
  if have parallel && ((n < 10000)); then tools+=(parallel); fi
  tools+=(braid braid-jdk braid-c2)
  for ((r = 1; r <= rounds; r++)); do
    for t in "${tools[@]}"; do
      case $t in
        make) measure make make -s -j2 -C "$dir" ;;
        xargs) measure xargs bash -c 'yes "$0" | head -n "$1" | xargs -P2 -n1 "${@:2}"' \
          "$xarg" "$n" "${xcmd[@]}" ;;
        parallel) measure parallel bash -c 'yes "$0" | head -n "$1" | parallel --will-cite -j2 "${@:2}"' \
          "$xarg" "$n" "${xcmd[@]}" ;;
        braid) rm -rf "$dir/state"
          measure braid ./braid run "$dir/plan.json" --agents 2 --plain --fresh --state-dir "$dir/state" ;;
        braid-c2) rm -rf "$dir/state"
          measure braid-c2 env BRAID_JAVA_OPTS=-XX:TieredStopAtLevel=4 ./braid run "$dir/plan.json" \
            --agents 2 --plain --fresh --state-dir "$dir/state" ;;
        braid-jdk) rm -rf "$dir/state"
          measure braid-jdk env BRAID_SPAWN=jdk ./braid run "$dir/plan.json" --agents 2 --plain \
            --fresh --state-dir "$dir/state" ;;
      esac
    done
  done
  local mk xa
  mk=$(median "$work/times/make")
  xa=$(median "$work/times/xargs")
  echo
  echo "### $name: $n x \`$cmd\`, 2 at a time (median of $rounds rounds, wall s, JVM start included)"
  echo
  echo "| runner | s | / make | / xargs |"
  echo "|---|---:|---:|---:|"
  for t in "${tools[@]}"; do
    local m
    m=$(median "$work/times/$t")
    printf '| %s | %s | %.2f | %.2f |\n' "$(label "$t")" "$m" "$(echo "$m / $mk" | bc -l)" \
      "$(echo "$m / $xa" | bc -l)"
  done
  if ! have parallel; then echo "(GNU parallel not installed: skipped)"; fi
  if have parallel && ((n >= 10000)); then echo "(GNU parallel skipped at this size)"; fi
}

label() {
  case $1 in
    make) echo '`make -s -j2` (generated Makefile)' ;;
    xargs) echo '`xargs -P2 -n1`' ;;
    parallel) echo '`parallel -j2`' ;;
    braid) echo '`braid run --agents 2 --plain --fresh`' ;;
    braid-jdk) echo 'same, `BRAID_SPAWN=jdk` (no helper)' ;;
    braid-c2) echo 'same, `BRAID_JAVA_OPTS=-XX:TieredStopAtLevel=4` (C2 too)' ;;
  esac
}

echo "## machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg) before, $(uname -sr)"
for n in "${sizes[@]}"; do
  bench throughput "$n" true x true
done
bench overhead 200 "sleep 0.05" 0.05 sleep
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
