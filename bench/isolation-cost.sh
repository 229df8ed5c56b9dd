#!/usr/bin/env bash
# Per-task cost of worktree isolation (worktree, commit, merge, remove) on a repository of FILES
# files: a fresh worktree per task, then slot worktrees reused (what braid run does) for each
# merge strategy; then `braid run` of TASKS one-file tasks with --isolation
# worktree against none, end to end. Writes nothing; paste the output into docs/benchmarks.md,
# "Worktree isolation cost".
#   usage: bench/isolation-cost.sh [files] [tasks]   (JAVA_HOME a JDK 21+; `mvn package` first)
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-10000}
n=${2:-30}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
mkdir -p bench/out
"${java}c" -d bench/out -cp target/classes bench/IsolationCost.java
cp=target/classes:bench/out
jar=target/braid.jar

repo=$(mktemp -d)
trap 'rm -rf "$repo"' EXIT
git -C "$repo" init -q -b main
for ((d = 0; d < 100; d++)); do
  mkdir -p "$repo/d$d"
  for ((i = d; i < files; i += 100)); do
    printf 'file %d\nline two\nline three\n' "$i" > "$repo/d$d/f$i.txt"
  done
done
git -C "$repo" add -A && git -C "$repo" commit -q -m "$files files"
echo "## machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(git --version)"
echo "## $files files ($(du -sh --exclude=.git "$repo" | cut -f1) checked out), $n tasks one after another"
"$java" -cp "$cp" IsolationCost "$repo" "$n" merge fresh
for s in merge squash rebase; do
  "$java" -cp "$cp" IsolationCost "$repo" "$n" "$s" slot
done

echo
echo "## braid run: $n tasks of one file edit each, -j2, wall seconds (best of 3)"
{
  echo "version: 1"
  echo "tasks:"
  for ((i = 0; i < n; i++)); do
    printf '  - {task_id: T%d, file_scope: [d%d/f%d.txt], command: "echo x >> d%d/f%d.txt"}\n' \
      "$i" $((i % 100)) "$i" $((i % 100)) "$i"
  done
} > "$repo/braid.yaml"
best() {
  local b=999 s e t
  for _ in 1 2 3; do
    s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc); if (( $(echo "$t < $b" | bc) )); then b=$t; fi
    git -C "$repo" checkout -q -- . && git -C "$repo" clean -qfd -e braid.yaml
  done
  printf '%.2f' "$b"
}
for iso in none worktree; do
  printf '%-22s %s\n' "--isolation $iso" \
    "$(best "$java" -jar "$jar" run "$repo/braid.yaml" --plain -q --fresh -j2 --isolation "$iso")"
done
