#!/usr/bin/env bash
# How the commands that derive conflicts cope with a plan whose tasks share a glob: generates
# 20,000 tasks in 50 packages, every task of a package naming the same package-wide glob
# (bench/GenSharedGlob.java: 3,990,000 conflicting pairs), and times `validate`, `analyze`,
# `plan --agents 8 --format json` and `run --dry-run` on it, printing wall time, CPU time
# (user + sys) and peak RSS of each.
#
#   bench/conflict-scale.sh [--tasks N] [--packages G] [--mixed] [--heap SIZE]
#
# --packages 1 makes one clique of N tasks (N * (N - 1) / 2 pairs), every task sharing one glob.
# --mixed adds cliques overlapping those (capabilities, a shared file, tables) and explicit pairs
# (bench/GenSharedGlob.java). --heap caps the JVM's heap
# (-Xmx; default: the JVM's own). Needs GNU time at /usr/bin/time (Debian: apt-get install time).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$root"

tasks=20000
packages=50
heap=
mixed=
while (($#)); do
  case $1 in
    --tasks) tasks=$2 && shift 2 ;;
    --packages) packages=$2 && shift 2 ;;
    --heap) heap=$2 && shift 2 ;;
    --mixed) mixed=mixed && shift ;;
    *) echo "usage: $0 [--tasks N] [--packages G] [--mixed] [--heap SIZE]" >&2 && exit 2 ;;
  esac
done
if [[ ! -x /usr/bin/time ]]; then
  echo "conflict-scale: needs GNU time at /usr/bin/time (apt-get install time)" >&2
  exit 2
fi

# shellcheck source=bin/find-jdk.sh
. bin/find-jdk.sh
braid_require_jdk
./braid --version >/dev/null # build (and train) outside the measurement

mkdir -p bench/out
plan=bench/out/shared-glob-$tasks-$packages${mixed:+-mixed}.json
if [[ ! -s $plan || bench/GenSharedGlob.java -nt $plan ]]; then
  # shellcheck disable=SC2086 # mixed is one word or none
  "$BRAID_JDK/bin/java" bench/GenSharedGlob.java "$tasks" "$packages" "$plan" $mixed
fi
opts=${BRAID_JAVA_OPTS:-}
[[ -z $heap ]] || opts="-Xmx$heap $opts"

echo "braid on $plan ($tasks tasks, $packages packages${mixed:+, mixed}), ${opts:-default heap}, JDK $BRAID_JDK_MAJOR," \
  "$(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg) before"
printf '| %-28s | %8s | %8s | %14s | %4s |\n' command "wall (s)" "cpu (s)" "peak RSS (MiB)" exit
printf '|%s|%s|%s|%s|%s|\n' ------------------------------ ---------: ---------: ---------------: -----:
failed=0
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
for cmd in "validate" "analyze" "plan --agents 8 --format json" "run --dry-run --state-dir $state"; do
  tfile=$(mktemp)
  rc=0
  # shellcheck disable=SC2086 # cmd holds the command's words
  BRAID_JAVA_OPTS="$opts" /usr/bin/time -o "$tfile" -f '%e %M %U %S' \
    ./braid $cmd "$plan" >/dev/null 2>&1 || rc=$?
  read -r e m u s < <(tail -n 1 "$tfile")
  rm -f "$tfile"
  printf '| %-28s | %8s | %8s | %14s | %4s |\n' "${cmd%% --state-dir*}" "$e" \
    "$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')" "$((m / 1024))" "$rc"
  ((rc == 0)) || failed=1
done
exit "$failed"
