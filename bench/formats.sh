#!/usr/bin/env bash
# Reading and exporting a large spec-kit tasks.md: 100 phases of 100 tasks (10 [P] groups each),
# one file path per task. Prints wall time and peak memory of validate and export.
# Usage: bench/formats.sh [TASKS_PER_PHASE] [PHASES]
set -euo pipefail
cd "$(dirname "$0")/.."
per=${1:-100}
phases=${2:-100}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
n=0
{
  echo "# Tasks: bench"
  for ((ph = 1; ph <= phases; ph++)); do
    printf '\n## Phase %d: Part %d\n\n' "$ph" "$ph"
    for ((i = 0; i < per; i++)); do
      n=$((n + 1))
      p=""
      if ((i % 10)); then p=" [P]"; fi
      printf -- '- [ ] T%05d%s [US%d] Implement piece %d in src/part%d/file%d.py\n' \
        "$n" "$p" "$ph" "$n" "$ph" "$i"
    done
  done
} > "$dir/tasks.md"
./braid --version > /dev/null
echo "$n tasks"
for cmd in "validate $dir/tasks.md" \
  "export $dir/tasks.md --to make --command true -o $dir/Makefile" \
  "export $dir/tasks.md --to github-actions --command true -o $dir/wf.yml" \
  "export $dir/tasks.md --to mermaid -o $dir/g.mmd"; do
  label=$(echo "$cmd" | sed -e "s|$dir/||g")
  /usr/bin/time -f "%e s  %M KB  braid $label" ./braid $cmd > /dev/null 2> "$dir/err" || true
  tail -1 "$dir/err"
done
