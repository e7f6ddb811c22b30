#!/usr/bin/env bash
# Load benchmark of Parvis: start-up time, idle and peak memory, throughput and
# latency of the home page with demo data and of /healthz (the trivial endpoint
# that tells how much of a figure is the client's and the machine's), and the
# p99 latency at a fixed rate.
#
#   benches/load.sh                      # defaults below
#   RESIDENTS=10000 DURATION=30s benches/load.sh
#
# Needs: cargo, curl, python3, wrk (Debian), oha (`cargo install oha --locked`;
# wrk cannot hold a fixed rate). Only 127.0.0.1 is ever contacted; every loop
# is bounded. The full log is kept in $OUT (default: a temporary directory).
set -euo pipefail

RESIDENTS=${RESIDENTS:-1000}      # demo residents in the data directory
STARTUP_RUNS=${STARTUP_RUNS:-10}  # start-ups measured
THREADS=${THREADS:-2}             # wrk threads
CONNECTIONS=${CONNECTIONS:-64}    # wrk connections
DURATION=${DURATION:-10s}         # each wrk measurement
WARMUP=${WARMUP:-3s}              # wrk warm-up before each measurement
RATE=${RATE:-1000}                # fixed rate for the p99 measurement, requests/s
RATE_DURATION=${RATE_DURATION:-20s}
RATE_CONNECTIONS=${RATE_CONNECTIONS:-16}
LOG_LEVEL=${LOG_LEVEL:-info}      # the server's log.level (info: one access-log line per request)
WAIT_QUIET=${WAIT_QUIET:-0}       # seconds to wait, at most, for the machine to be idle (1-min load < 0.5)

cd "$(dirname "$0")/.."
top=$PWD
. benches/lib.sh
work=$(mktemp -d /tmp/parvis-bench.XXXXXX)
OUT=${OUT:-$work}
mkdir -p "$OUT"
server_pid=""

cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work/data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '\n== %s\n' "$*" | tee -a "$OUT/bench.log"; }

for tool in wrk curl python3 oha; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    case $tool in
      wrk) echo "wrk is missing: apt-get install wrk" ;;
      oha) echo "oha is missing: cargo install oha --locked (a few minutes)" ;;
      *) echo "$tool is missing" ;;
    esac
    exit 1
  fi
done

say "Build (release)"
cargo build --release --bin parvis
bin=$top/target/release/parvis

# Client and server share the machine's cores: anything else running (a
# build, a test suite) takes from both, so the load is recorded with the figures.
load1() { cut -d' ' -f1 /proc/loadavg; }
waited=0
while [ "$waited" -lt "$WAIT_QUIET" ] && awk -v l="$(load1)" 'BEGIN { exit !(l >= 0.5) }'; do
  sleep 5; waited=$((waited + 5))
done
load_before=$(load1)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" | tee -a "$OUT/bench.log"
if awk -v l="$load_before" 'BEGIN { exit !(l >= 0.5) }'; then
  echo "warning: the machine is busy (load $load_before): figures will be low and noisy" | tee -a "$OUT/bench.log"
fi

port=$(bench_port)
url="http://127.0.0.1:$port"
config=$work/parvis.toml
bench_config "$config" "$port" "$work/data" "$LOG_LEVEL"

say "Demo data: $RESIDENTS residents"
"$bin" demo-data --config "$config" --data-dir "$work/data" --residents "$RESIDENTS" 2>&1 | tee -a "$OUT/bench.log"
du -sh "$work/data" | tee -a "$OUT/bench.log"

say "Start-up: $STARTUP_RUNS runs, process start until /healthz answers 200; idle memory 2 s later"
python3 "$top/benches/startup.py" --runs "$STARTUP_RUNS" --settle 2 --url "$url" --log "$OUT/server-startup.log" \
  -- "$bin" serve --config "$config" | tee "$OUT/startup.json"

say "Serve for the load runs"
"$bin" serve --config "$config" </dev/null >"$OUT/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
  curl -fsS -o /dev/null --max-time 1 "$url/healthz" && break
  kill -0 "$server_pid" 2>/dev/null || { echo "server died:"; cat "$OUT/server.log"; exit 1; }
  sleep 0.1
done
curl -fsS -o /dev/null "$url/healthz"
home_bytes=$(curl -fsS "$url/" | wc -c)
echo "pid $server_pid on $url; home page $home_bytes bytes" | tee -a "$OUT/bench.log"
sleep 2
grep -E '^(VmRSS|VmHWM|Threads)' "/proc/$server_pid/status" | tee "$OUT/idle-status.txt"

wrk_run() { # name path
  local name=$1 path=$2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$url$path" >/dev/null
  say "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency $url$path"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url$path" | tee "$OUT/wrk-$name.txt"
}
wrk_run healthz /healthz
wrk_run home /

rate_run() { # name path
  local name=$1 path=$2
  say "oha fixed rate: $RATE req/s for $RATE_DURATION, $RATE_CONNECTIONS connections, $url$path"
  # --latency-correction measures from when each request was due, so a stall
  # is not hidden by the client waiting for it (coordinated omission).
  oha --no-tui --output-format json --latency-correction -q "$RATE" -z "$RATE_DURATION" -c "$RATE_CONNECTIONS" \
    "$url$path" >"$OUT/oha-$name.json"
  python3 - "$OUT/oha-$name.json" <<'PY' | tee -a "$OUT/bench.log"
import json, sys
d = json.load(open(sys.argv[1]))
s, p = d["summary"], d["latencyPercentiles"]
codes = d.get("statusCodeDistribution", {})
print(f"requests/s {s['requestsPerSec']:.0f}  p50 {p['p50']*1000:.2f} ms  p90 {p['p90']*1000:.2f} ms  "
      f"p99 {p['p99']*1000:.2f} ms  p99.9 {p['p99.9']*1000:.2f} ms  max {s['slowest']*1000:.2f} ms  status {codes}")
PY
}
rate_run home /
rate_run healthz /healthz

grep -E '^(VmRSS|VmHWM|Threads)' "/proc/$server_pid/status" | tee "$OUT/after-status.txt"
# The server's own CPU time over the whole run, in clock ticks (utime + stime).
server_ticks=$(awk '{ print $14 + $15 }' "/proc/$server_pid/stat")
kill -TERM "$server_pid"
wait "$server_pid" || echo "server exited with $?"
server_pid=""
errors=$(grep -ciE ' (ERROR|WARN) ' "$OUT/server.log" || true)
log_lines=$(wc -l <"$OUT/server.log")
# One access-log line per request: keep the head and the tail only.
{ head -n 200 "$OUT/server.log"; echo "[… $log_lines lines in all …]"; tail -n 200 "$OUT/server.log"; } >"$OUT/server.log.kept"
mv "$OUT/server.log.kept" "$OUT/server.log"
echo "server log: $log_lines lines (log.level = $LOG_LEVEL)" | tee -a "$OUT/bench.log"

# ---------------------------------------------------------------------------
say "Summary"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
python3 - "$OUT" "$RESIDENTS" "$THREADS" "$CONNECTIONS" "$DURATION" "$RATE" "$home_bytes" "$errors" \
  "$load_before" "$load_after" "$server_ticks" "$(getconf CLK_TCK)" <<'PY' | tee "$OUT/summary.md"
import json, re, sys, os
out, residents, threads, conns, duration, rate, home_bytes, errors, load_before, load_after, ticks, hz = sys.argv[1:]

def status(name):
    d = {}
    for line in open(os.path.join(out, name)):
        k, v = line.split(":", 1)
        d[k] = int(v.split()[0])
    return d

def wrk(name):
    text = open(os.path.join(out, f"wrk-{name}.txt")).read()
    def ms(s):
        m = re.match(r"([\d.]+)(us|ms|s)", s)
        return float(m[1]) * {"us": 0.001, "ms": 1, "s": 1000}[m[2]]
    pct = {m[1]: ms(m[2]) for m in re.finditer(r"^\s+(50|75|90|99)%\s+(\S+)", text, re.M)}
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text)[1])
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errs = re.search(r"Socket errors: (.*)", text)
    return rps, pct, int(bad[1]) if bad else 0, errs[1] if errs else "none"

def oha(name):
    d = json.load(open(os.path.join(out, f"oha-{name}.json")))
    p = d["latencyPercentiles"]
    return d["summary"]["requestsPerSec"], p["p50"] * 1000, p["p99"] * 1000

st = json.load(open(os.path.join(out, "startup.json")))
idle, after = status("idle-status.txt"), status("after-status.txt")
rows = []
for name, path in (("home", "/"), ("healthz", "/healthz")):
    rps, pct, bad, errs = wrk(name)
    rows.append(f"| wrk {path} (-t{threads} -c{conns} -d{duration}) | {rps:,.0f} req/s | p50 {pct['50']:.2f} ms · p90 {pct['90']:.2f} ms · p99 {pct['99']:.2f} ms | non-2xx {bad}, socket errors {errs} |")
for name, path in (("home", "/"), ("healthz", "/healthz")):
    rps, p50, p99 = oha(name)
    rows.append(f"| oha {path} at fixed {rate} req/s | {rps:,.0f} req/s achieved | p50 {p50:.2f} ms · p99 {p99:.2f} ms | latency-corrected |")
s = st["startup_ms_summary"]
print(f"""| measurement | figure | detail | note |
|---|---|---|---|
| start-up, process start → /healthz 200 ({st['runs']} runs) | median {s['median']:.0f} ms | min {s['min']:.0f} ms · max {s['max']:.0f} ms | {residents} residents |
| idle RSS after start-up (VmRSS) | {idle['VmRSS']/1024:.1f} MiB | startup runs: median {st['idle_rss_kb_summary']['median']/1024:.1f} MiB | {idle.get('Threads', '?')} threads |
{chr(10).join(rows)}
| peak RSS over the whole load (VmHWM) | {after['VmHWM']/1024:.1f} MiB | RSS after load {after['VmRSS']/1024:.1f} MiB | home page {int(home_bytes):,} bytes |
| server log lines at WARN/ERROR | {errors} | | |
| machine load average (1 min) | before {load_before} | after {load_after} (1, 5, 15 min) | server CPU time {int(ticks)/int(hz):.1f} s |""")
PY
echo
echo "Full output in $OUT"
