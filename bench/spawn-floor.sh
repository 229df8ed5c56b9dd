#!/usr/bin/env bash
# The floor of Braid's way of running tasks, without the JVM: braid-spawn driven by a few lines of
# Python that keep 2 tasks running (start the next when one's end is reported), the same request
# per task as Braid sends. Beside it, in the same run: xargs -P2 and make -j2. Shows what the
# helper itself costs per task, and what creating a log file per task would cost (a variant
# that gives every task a log path whose directory is fresh, as a new run's is).
#   usage: bench/spawn-floor.sh [tasks] [rounds]      (default: 2000 tasks, 3 rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
rounds=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/braid-spawn" src/main/resources/dev/braid/run/braid-spawn.c

cat >"$work/drive.py" <<'PY'
import os, subprocess, sys, time
helper, n, logs, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
p = subprocess.Popen([helper], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
assert p.stdout.readline().strip() == b"braid-spawn 1"
def start(i):
    log = logs if logs == "/dev/null" else f"{logs}/{i}.log"
    fields = [b"S", str(i).encode(), os.getcwd().encode(), log.encode(), b"",
              str(len(cmd)).encode(), *[c.encode() for c in cmd], b"1", f"BRAID_TASK_ID=T{i}".encode()]
    body = b"".join(f + b"\0" for f in fields)
    p.stdin.write(str(len(body)).encode() + b":" + body)
    p.stdin.flush()
t = time.time()
started = min(2, n)
for i in range(started):
    start(i)
ended = 0
while ended < n:
    reply = p.stdout.readline().split()
    if reply[0] in (b"X", b"F"):
        ended += 1
        if started < n:
            start(started)
            started += 1
print(f"{time.time() - t:.3f}")
p.stdin.close()
p.wait()
PY

mkdir -p "$work/mk"
{
  printf 'all:'
  for ((i = 0; i < n; i++)); do printf ' t%d' "$i"; done
  echo
  for ((i = 0; i < n; i++)); do printf 't%d:\n\t@true\n' "$i"; done
} >"$work/mk/Makefile"

now() { date +%s.%N; }
declare -A times
for ((r = 1; r <= rounds; r++)); do
  s=$(now); make -s -j2 -C "$work/mk"; times[make]+="$(echo "$(now) - $s" | bc) "
  s=$(now); seq "$n" | xargs -P2 -n1 true; times[xargs]+="$(echo "$(now) - $s" | bc) "
  times[helper-devnull]+="$(python3 "$work/drive.py" "$work/braid-spawn" "$n" /dev/null /usr/bin/true) "
  rm -rf "$work/logs"; mkdir -p "$work/logs"
  times[helper-logs]+="$(python3 "$work/drive.py" "$work/braid-spawn" "$n" "$work/logs" /usr/bin/true) "
  files=$(find "$work/logs" -type f | wc -l)
done
echo "## $n x true, 2 at a time, $rounds rounds (wall s); machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
for k in make xargs helper-devnull helper-logs; do
  printf '%-16s' "$k"
  for t in ${times[$k]}; do printf ' %.2f' "$t"; done
  echo
done
echo "log files left by the helper for $n silent tasks: $files"
