#!/usr/bin/env bash
# Process launch cost: raw java.lang.Process variants (posix_spawn, VFORK, FORK) and Braid's
# Launcher (braid-spawn helper, JDK with and without setsid), then 2,000 tasks of
# `true` 2 at a time end to end (JVM start included) against make -j2. Writes nothing; paste the
# output into docs/benchmarks.md, "Process launch cost".
#   usage: bench/launch-cost.sh [n]     (JAVA_HOME must be a JDK 21+; run `mvn compile` first)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
mkdir -p bench/out
"${java}c" -d bench/out -cp target/classes bench/LaunchCost.java
cp=target/classes:bench/out

echo "## machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(uname -sr)"
"$java" -cp "$cp" LaunchCost "$n"
echo
"$java" -Djdk.lang.Process.launchMechanism=VFORK -cp "$cp" LaunchCost "$n" 2>/dev/null
echo
"$java" -Djdk.lang.Process.launchMechanism=FORK -cp "$cp" LaunchCost "$n" 2>/dev/null

echo
echo "## end to end: $n x true, 2 at a time, wall seconds (best of 3)"
mk=$(mktemp -d)
{
  printf 'all:'; for ((i = 0; i < n; i++)); do printf ' t%d' "$i"; done; echo
  for ((i = 0; i < n; i++)); do printf 't%d:\n\t@true\n' "$i"; done
} > "$mk/Makefile"
best() { # best wall time of 3 runs of "$@"
  local b=999 s e t
  for _ in 1 2 3; do
    s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc); if (( $(echo "$t < $b" | bc) )); then b=$t; fi
  done
  printf '%.2f' "$b"
}
printf '%-36s %s\n' "make -j2" "$(best make -s -j2 -C "$mk")"
printf '%-36s %s\n' "java Launcher braid-spawn (+JVM start)" "$(best "$java" -Xshare:auto -cp "$cp" LaunchCost e2e "$n" ALL AUTO)"
for g in ALL SHELL_ONLY; do
  printf '%-36s %s\n' "java Launcher jdk $g (+JVM start)" "$(best "$java" -Xshare:auto -cp "$cp" LaunchCost e2e "$n" "$g" JDK)"
done
printf '%-36s %s\n' "java -version (JVM start only)" "$(best "$java" -Xshare:auto -version)"
rm -rf "$mk"
