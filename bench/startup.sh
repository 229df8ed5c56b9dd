#!/usr/bin/env bash
# Startup time of `./braid --version`, the launcher's configuration against the variants it
# chose not to use. Uses hyperfine when installed, else a bash loop on `date +%s%N`.
# Installs nothing. Results go to docs/benchmarks.md ("Startup") by hand.
#
#   bench/startup.sh [--build] [RUNS]    (RUNS defaults to 30)
#
# --build  also time one first use from a clean tree (deletes target/, then builds)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$root"
build=
if [[ ${1:-} == --build ]]; then
  build=1
  shift
fi
runs=${1:-30}

# shellcheck source=bin/find-jdk.sh
. bin/find-jdk.sh
braid_require_jdk
java=$BRAID_JDK/bin/java
jar=target/braid.jar
jsa=target/braid.jsa

./braid --version >/dev/null # build and train the archive outside the measurement
echo "JDK $BRAID_JDK_MAJOR ($BRAID_JDK), $(nproc) cores, $runs runs each; load before: $(cut -d" " -f1-3 /proc/loadavg)"

native=--enable-native-access=ALL-UNNAMED
appcds="-XX:SharedArchiveFile=$jsa -XX:+AutoCreateSharedArchive -Xlog:cds=off -Xlog:cds+dynamic=off"
# name|command|command run before each timing ('' for none)
cases=(
  "launcher (AppCDS + Serial GC), warm|./braid --version|"
  "launcher, archive missing: trains it, then runs|./braid --version|rm -f $jsa"
  "java -jar, no CDS at all (-Xshare:off)|$java -Xshare:off $native -jar $jar --version|"
  "java -jar, JDK's default CDS only|$java $native -jar $jar --version|"
  "java -jar, default CDS + Serial GC|$java -XX:+UseSerialGC $native -jar $jar --version|"
  "java -jar, AppCDS, G1|$java $appcds $native -jar $jar --version|"
  "java -jar, AppCDS + Serial GC (= launcher's JVM)|$java $appcds -XX:+UseSerialGC $native -jar $jar --version|"
  "java -jar, AppCDS + Serial GC + TieredStopAtLevel=1|$java $appcds -XX:+UseSerialGC -XX:TieredStopAtLevel=1 $native -jar $jar --version|"
)

if command -v hyperfine >/dev/null; then
  tmp=$(mktemp -d)
  warm=() cold=()
  for c in "${cases[@]}"; do
    IFS='|' read -r name cmd prep <<<"$c"
    if [[ -n $prep ]]; then cold+=(--prepare "$prep" -n "$name" "$cmd"); else warm+=(-n "$name" "$cmd"); fi
  done
  # One run for the warm cases, so hyperfine interleaves nothing but compares them directly.
  hyperfine -N --warmup 3 --runs "$runs" --style none --export-markdown "$tmp/warm.md" "${warm[@]}"
  # A --prepare that is a shell command needs hyperfine's shell (its spawn time is subtracted).
  hyperfine --warmup 1 --runs "$runs" --style none --export-markdown "$tmp/cold.md" "${cold[@]}"
  cat "$tmp/warm.md"
  sed 1,2d "$tmp/cold.md"
  rm -rf "$tmp"
else
  printf '| %-55s | %9s | %8s |\n' case "mean [ms]" "min [ms]"
  for c in "${cases[@]}"; do
    IFS='|' read -r name cmd prep <<<"$c"
    total=0 min=
    for ((i = 0; i < runs; i++)); do
      if [[ -n $prep ]]; then eval "$prep"; fi
      t0=$(date +%s%N)
      $cmd >/dev/null
      t1=$(date +%s%N)
      ms=$(((t1 - t0) / 1000000))
      total=$((total + ms))
      if [[ -z $min || $ms -lt $min ]]; then min=$ms; fi
    done
    printf '| %-55s | %9s | %8s |\n' "$name" "$((total / runs))" "$min"
  done
fi
if [[ -n $build ]]; then
  rm -rf target
  t0=$(date +%s%N)
  ./braid --version >/dev/null 2>&1
  t1=$(date +%s%N)
  echo
  echo "first use from a clean tree (build, train archive, run): $(((t1 - t0) / 1000000)) ms"
fi
echo "load after: $(cut -d" " -f1-3 /proc/loadavg)"
# Leave a trained archive behind (the "cold" case deleted it).
rm -f "$jsa"
./braid --version >/dev/null
