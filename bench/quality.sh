#!/usr/bin/env bash
# Schedule quality on real processes: random DAGs of sleep tasks (bench/GenDag.java, fixed
# seeds), run by `braid run` at N agents, against the lower bound `braid plan` prints (one
# definition: max(critical path, work/N, each resource's load)) and against a wave-by-wave execution of the same plan (each dependency level run with
# `xargs -P N`, waiting for the whole level before the next: the seeds' execution groups).
#
#   bench/quality.sh [--tasks 60] [--agents 4] [--seeds "1 2 3"]
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$root"
tasks=60
agents=4
seeds="1 2 3"
while (($#)); do
  case $1 in
    --tasks) tasks=$2 && shift 2 ;;
    --agents) agents=$2 && shift 2 ;;
    --seeds) seeds=$2 && shift 2 ;;
    *) echo "usage: $0 [--tasks N] [--agents N] [--seeds \"1 2 3\"]" >&2 && exit 2 ;;
  esac
done
# shellcheck source=bin/find-jdk.sh
. bin/find-jdk.sh
braid_require_jdk
./braid --version >/dev/null

now() { date +%s.%N; }
printf '%-5s %9s %9s %9s %9s %9s %10s\n' seed bound braid waves braid/lb waves/lb 'braid<waves'
for seed in $seeds; do
  dir=$(mktemp -d)
  "$BRAID_JDK/bin/java" bench/GenDag.java "$tasks" "$seed" "$dir"
  # estimated minutes are real seconds in these plans (GenDag), so the bound reads as seconds
  bound=$(./braid plan "$dir/braid.yaml" --agents "$agents" --format json |
    sed -n 's/.*"lower_bound_minutes" : \([0-9.]*\).*/\1/p')
  git -C "$dir" init -q
  t0=$(now)
  ./braid run "$dir/braid.yaml" --agents "$agents" --plain --quiet --fresh >/dev/null
  t1=$(now)
  # The makespan as recorded (first start to last end), without the JVM's start and exit.
  braid_s=$(./braid report --plan "$dir/braid.yaml" --format json |
    sed -n 's/.*"makespan_seconds" : \([0-9.]*\).*/\1/p')
  t2=$(now)
  while read -r wave; do
    # shellcheck disable=SC2086
    printf '%s\n' $wave | xargs -P "$agents" -n 1 sleep
  done <"$dir/waves.txt"
  t3=$(now)
  waves_s=$(echo "$t3 - $t2" | bc -l)
  wall_s=$(echo "$t1 - $t0" | bc -l)
  printf '%-5s %9.2f %9.2f %9.2f %9.3f %9.3f %10s   (braid wall with JVM: %.2f)\n' \
    "$seed" "$bound" "$braid_s" "$waves_s" \
    "$(echo "$braid_s / $bound" | bc -l)" "$(echo "$waves_s / $bound" | bc -l)" \
    "$(echo "$braid_s < $waves_s" | bc -l | sed 's/1/yes/;s/0/no/')" "$wall_s"
  rm -rf "$dir"
done
