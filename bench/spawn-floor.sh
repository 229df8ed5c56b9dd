#!/usr/bin/env bash
# The floor of Braid's way of running tasks, without the JVM: braid-spawn driven by a few lines of
# Python that keep 2 tasks running (start the next when one's end is reported), the same request
# per task as Braid sends. Beside it, in the same run: xargs -P2 and make -j2. Shows what the
# helper itself costs per task, and what creating a log file per task would cost (a variant
# that gives every task a log path whose directory is fresh, as a new run's is). A last variant
# queues every task in the helper up front (`Q`, as Braid does ahead of time while all slots are
# busy): the helper then starts each one itself when a slot frees, the floor of slot pipelining.
#   usage: bench/spawn-floor.sh [tasks] [rounds] [command...]
#          (default: 2000 tasks, 3 rounds, /usr/bin/true; e.g. `2000 3`, `200 3 /usr/bin/sleep 0.05`)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
rounds=${2:-3}
shift 2 || shift $#
cmd=("${@:-/usr/bin/true}")
# xargs gets the command's last word on its input (any word for a one-word command)
if ((${#cmd[@]} > 1)); then
  xarg=${cmd[-1]}
  xcmd=("${cmd[@]:0:${#cmd[@]}-1}")
else
  xarg=x
  xcmd=("${cmd[@]}")
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/braid-spawn" src/main/resources/dev/braid/run/braid-spawn.c

cat >"$work/drive.py" <<'PY'
import os, subprocess, sys, time
helper, n, logs, mode, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:]
p = subprocess.Popen([helper], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
assert p.stdout.readline().strip() == b"braid-spawn 4"
def request(i, kind, slot=0):
    log = logs if logs == "/dev/null" else f"{logs}/{i}.log"
    held = [str(slot).encode()] if kind == b"S" else []
    fields = [kind, str(i).encode(), *held, os.getcwd().encode(), log.encode(), b"",
              str(len(cmd)).encode(), *[c.encode() for c in cmd], b"1", f"BRAID_TASK_ID=T{i}".encode()]
    body = b"".join(f + b"\0" for f in fields)
    p.stdin.write(str(len(body)).encode() + b":" + body)
slot_of = {}
t = time.time()
started = min(2, n)
for i in range(started):
    slot_of[i] = i + 1
    request(i, b"S", i + 1)
if mode == "queued":
    for i in range(started, n):
        request(i, b"Q")
    started = n
p.stdin.flush()
ended = 0
while ended < n:
    reply = p.stdout.readline().split()
    if reply[0] in (b"X", b"F"):
        ended += 1
        if started < n:  # the next into the slot this end freed, as Braid without queueing
            slot_of[started] = slot_of[int(reply[1])]
            request(started, b"S", slot_of[started])
            p.stdin.flush()
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
  for ((i = 0; i < n; i++)); do printf 't%d:\n\t@%s\n' "$i" "${cmd[*]}"; done
} >"$work/mk/Makefile"

now() { date +%s.%N; }
declare -A times
for ((r = 1; r <= rounds; r++)); do
  s=$(now); make -s -j2 -C "$work/mk"; times[make]+="$(echo "$(now) - $s" | bc) "
  s=$(now); xargs -P2 -n1 "${xcmd[@]}" < <(yes "$xarg" | head -n "$n"); times[xargs]+="$(echo "$(now) - $s" | bc) "
  times[helper-devnull]+="$(python3 "$work/drive.py" "$work/braid-spawn" "$n" /dev/null step "${cmd[@]}") "
  rm -rf "$work/logs"; mkdir -p "$work/logs"
  times[helper-logs]+="$(python3 "$work/drive.py" "$work/braid-spawn" "$n" "$work/logs" step "${cmd[@]}") "
  files=$(find "$work/logs" -type f | wc -l)
  rm -rf "$work/logs"; mkdir -p "$work/logs"
  times[helper-queued]+="$(python3 "$work/drive.py" "$work/braid-spawn" "$n" "$work/logs" queued "${cmd[@]}") "
done
echo "## $n x ${cmd[*]}, 2 at a time, $rounds rounds (wall s); machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
for k in make xargs helper-devnull helper-logs helper-queued; do
  printf '%-16s' "$k"
  for t in ${times[$k]}; do printf ' %.2f' "$t"; done
  echo
done
echo "log files left by the helper for $n silent tasks (helper-logs): $files"
