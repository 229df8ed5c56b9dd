#!/usr/bin/env bash
# The dashboard on a 2,000-task run: (1) the page's first render in headless Chromium, measured
# in the browser (performance marks), by the browser test, N times; (2) the server's answers
# with curl right after `braid dashboard` starts (cold JVM) and again (warm). Writes nothing;
# paste the output into docs/benchmarks.md, "Dashboard".
#   usage: bench/dashboard.sh [n]     (needs chromium, chromium-driver; run `./braid --version` first)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-3}
echo "## machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(uname -sr)"

echo "## first render in the browser (DashboardBrowserTest, server answered once before)"
rm -f target/dashboard-render.txt
for ((i = 0; i < n; i++)); do
  mvn -B -q -o test -Dtest='DashboardBrowserTest#firstRender*' -Dsurefire.failIfNoSpecifiedTests=false >/dev/null
done
cat target/dashboard-render.txt 2>/dev/null || true

echo "## server response times (curl), cold JVM then warm"
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
{
  echo "version: 1"; echo "tasks:"
  for ((i = 0; i < 2000; i++)); do
    printf '  - task_id: T%04d\n    command: "true"\n' "$i"
    if ((i >= 20)); then printf '    depends_on_tasks: [T%04d]\n' $((i - 20)); fi
  done
} > "$work/big.yaml"
./braid run "$work/big.yaml" -j 4 -q --plain >/dev/null
./braid dashboard --state-dir "$work/.braid" --port 0 > "$work/out" 2>&1 &
pid=$!
url=$(grep -m1 -o 'http://[^ ]*' < <(tail -f "$work/out"))
run=$(./braid runs --json --state-dir "$work/.braid" | grep -o '"run_id" *: *"[^"]*"' | head -1 | cut -d'"' -f4)
for pass in cold warm; do
  for path in "" api/runs "api/runs/$run" "api/runs/$run/tasks/T0100"; do
    printf '%s  %-44s ' "$pass" "/$path"
    curl -s -o /dev/null -w '%{http_code}  %{size_download} bytes  %{time_total} s\n' "$url$path"
  done
done
