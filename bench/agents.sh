#!/usr/bin/env bash
# What reading agents costs Braid: (1) the output parser against plain output, the same bytes
# through `braid run` as a command task (no parser) and as an agent task (claude-stream-json
# parser); (2) preparing prompts for big plans (`braid run --dry-run` renders each agent task's
# prompt twice: once to check the plan before anything runs, once to print it).
# Installs nothing. Results go to docs/benchmarks.md ("Agents") by hand.
#
#   bench/agents.sh [LINES] [TASKS...]    (defaults: 200000 lines; 1000 10000 tasks)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
lines=${1:-200000}
shift || true
sizes=("$@")
((${#sizes[@]})) || sizes=(1000 10000)
braid=$root/braid
"$braid" --version >/dev/null # build outside the measurement
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "$(nproc) cores; load before: $(cut -d" " -f1-3 /proc/loadavg)"

ms() { echo $((($(date +%s%N) - $1) / 1000000)); }
best_of_3() { # COMMAND...: the fastest of three wall times, in ms
  local best='' t
  for _ in 1 2 3; do
    t=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t=$(ms "$t")
    if [[ -z $best || $t -lt $best ]]; then best=$t; fi
  done
  echo "$best"
}

# (1) A stream of Claude Code events: the fixture's messages over and over, then the result.
fixture=$root/src/test/resources/dev/braid/agent/claude-stream.jsonl
body=$(sed -n '2,9p' "$fixture")
{
  sed -n 1p "$fixture"
  n=1
  while ((n < lines - 1)); do
    printf '%s\n' "$body"
    n=$((n + 8))
  done
  tail -n 1 "$fixture"
} >"$tmp/stream.jsonl"
size=$(wc -c <"$tmp/stream.jsonl")
count=$(wc -l <"$tmp/stream.jsonl")
mkdir -p "$tmp/parse"
cat >"$tmp/parse/plain.yaml" <<YAML
tasks:
  - {task_id: T, command: cat $tmp/stream.jsonl}
YAML
cat >"$tmp/parse/agent.yaml" <<YAML
agents:
  replay: {command: [cat, $tmp/stream.jsonl], prompt_via: stdin, parser: claude-stream-json}
tasks:
  - {task_id: T, agent: replay}
YAML
run() { (cd "$tmp/parse" && "$braid" run "$1" --fresh --plain -q --isolation none); }
plain=$(best_of_3 run plain.yaml)
agent=$(best_of_3 run agent.yaml)
echo
echo "output of $count lines ($((size / 1024 / 1024)) MiB) through braid run, best of 3:"
printf '  %-34s %6d ms\n' "command task (lines to the console)" "$plain" \
  "agent task (claude-stream-json)" "$agent"
if ((agent > plain)); then
  echo "  parser cost: $(((agent - plain) * 1000000 / count)) ns a line," \
    "$((count * 1000 / (agent - plain))) lines/s on top of plain output"
fi

# (2) Prompts for big plans.
echo
echo "braid run --dry-run (every prompt checked, then rendered and printed), best of 3:"
for n in "${sizes[@]}"; do
  f=$tmp/agents-$n.yaml
  {
    echo "defaults: {agent: claude}"
    echo "tasks:"
    for ((i = 0; i < n; i++)); do
      dep=""
      if ((i > 0)); then dep=", depends_on_tasks: [T$((i - 1))]"; fi
      echo "  - {task_id: T$i, title: Task number $i, description: Implement part $i of the feature,"
      echo "     file_scope: [src/part$i/], acceptance_criteria: [Part $i works, Part $i is tested],"
      echo "     test_verification: [npm test -- part$i]$dep}"
    done
  } >"$f"
  t=$(best_of_3 "$braid" run "$f" --dry-run)
  out=$("$braid" run "$f" --dry-run | wc -c)
  printf '  %6d agent tasks: %6d ms (%d KiB of prompts)\n' "$n" "$t" $((out / 1024))
done
