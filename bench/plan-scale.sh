#!/usr/bin/env bash
# How `braid plan` scales: generates plans of 10k and 100k tasks (bench/GenPlan.java, fixed
# seed) into bench/out/, runs `./braid plan FILE --agents 8 --format json` on each under a
# 1 GiB heap cap, and prints wall time, CPU time (user + sys, all threads), peak RSS, the load
# average when it ran (the machine is shared: a busy one inflates wall time) and the
# 10k -> 100k ratios.
#
#   bench/plan-scale.sh [--runs N] [--sizes "10000 100000"] [--standin]
#
# --runs N     run each size N times; report the best wall time and the highest RSS
# --standin    time `./braid --version` instead of `plan` (checks the harness itself)
# Needs GNU time at /usr/bin/time (Debian: apt-get install time).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$root"

runs=1
sizes="10000 100000"
standin=
seed=42
while (($#)); do
  case $1 in
    --runs) runs=$2 && shift 2 ;;
    --sizes) sizes=$2 && shift 2 ;;
    --standin) standin=1 && shift ;;
    *) echo "usage: $0 [--runs N] [--sizes \"10000 100000\"] [--standin]" >&2 && exit 2 ;;
  esac
done
if [[ ! -x /usr/bin/time ]]; then
  echo "plan-scale: needs GNU time at /usr/bin/time (apt-get install time)" >&2
  exit 2
fi

# shellcheck source=bin/find-jdk.sh
. bin/find-jdk.sh
braid_require_jdk

# Build (and train the CDS archive) outside the measurement.
./braid --version >/dev/null

mkdir -p bench/out
declare -A wall cpu rss status load
for n in $sizes; do
  plan=bench/out/plan-$n.json
  if [[ ! -s $plan || bench/GenPlan.java -nt $plan ]]; then
    echo "plan-scale: generating $plan" >&2
    "$BRAID_JDK/bin/java" bench/GenPlan.java "$n" "$plan" "$seed"
  fi
  if [[ -n $standin ]]; then
    cmd=(./braid --version)
  else
    cmd=(./braid plan "$plan" --agents 8 --format json)
  fi
  best='' bestcpu='' bestload='' peak=0 rc=0
  for ((r = 1; r <= runs; r++)); do
    tfile=$(mktemp)
    before=$(cut -d' ' -f1 /proc/loadavg)
    BRAID_JAVA_OPTS="-Xmx1g ${BRAID_JAVA_OPTS:-}" \
      /usr/bin/time -o "$tfile" -f '%e %M %U %S' "${cmd[@]}" >/dev/null || rc=$?
    # GNU time puts "Command exited with non-zero status N" first when the command fails.
    read -r e m u s < <(tail -n 1 "$tfile")
    rm -f "$tfile"
    c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
    if [[ -z $best ]] || awk -v a="$e" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$e bestcpu=$c bestload=$before
    fi
    ((m > peak)) && peak=$m
    echo "plan-scale: $n tasks, run $r: ${e}s wall, ${c}s cpu, $((m / 1024)) MiB," \
      "load $before, exit $rc" >&2
  done
  wall[$n]=$best cpu[$n]=$bestcpu rss[$n]=$peak status[$n]=$rc load[$n]=$bestload
done

echo
what="plan --agents 8 --format json"
[[ -z $standin ]] || what="--version (stand-in for plan)"
echo "braid $what, -Xmx1g ${BRAID_JAVA_OPTS:-}, JDK $BRAID_JDK_MAJOR, $(nproc) cores," \
  "best wall of $runs run(s)"
printf '| %8s | %8s | %8s | %14s | %12s | %4s |\n' tasks "wall (s)" "cpu (s)" "peak RSS (MiB)" \
  "load before" exit
printf '|%s|%s|%s|%s|%s|%s|\n' ---------: ---------: ---------: ---------------: -------------: -----:
failed=0
for n in $sizes; do
  printf '| %8s | %8s | %8s | %14s | %12s | %4s |\n' "$n" "${wall[$n]}" "${cpu[$n]}" \
    "$((rss[$n] / 1024))" "${load[$n]}" "${status[$n]}"
  ((status[$n] == 0)) || failed=1
done
if [[ -n ${wall[10000]:-} && -n ${wall[100000]:-} ]]; then
  awk -v a="${wall[10000]}" -v b="${wall[100000]}" -v c="${rss[10000]}" -v d="${rss[100000]}" \
    -v e="${cpu[10000]}" -v f="${cpu[100000]}" \
    'BEGIN { printf "\n10k -> 100k: wall x%.1f, cpu x%.1f, peak RSS x%.1f (linear would be x10)\n",
      b / a, f / e, d / c }'
fi
exit "$failed"
