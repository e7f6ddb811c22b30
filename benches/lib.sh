# Shared by the benchmark scripts (sourced, not run): the configuration they
# give the server, and a free loopback port. One definition, so that every
# benchmark measures the same commune.

# A free TCP port on 127.0.0.1 (the kernel picks it; another process could
# take it before the server binds, which on a bench machine does not happen).
bench_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# bench_config FILE PORT DATA_DIR LOG_LEVEL: writes the benchmarks'
# parvis.toml. Scheduled backups are off (a backup during a measurement
# would be measured too); the log level is the caller's (`info` writes one
# access-log line per request, as in production; `warn` measures the pages
# alone). The encryption key is created beside FILE on first start: keep
# FILE's directory to reuse DATA_DIR.
bench_config() {
  local file=$1 port=$2 data=$3 level=$4
  cat >"$file" <<CONF
[commune]
name = "Saint-Exemple"
intro = "Bienvenue sur le site de participation de Saint-Exemple."
neighbourhoods = ["Centre-bourg", "Les Vignes", "La Gare", "Le Moulin", "Les Hauts"]

[server]
public_url = "http://127.0.0.1:$port"
listen = "127.0.0.1:$port"

[data]
dir = "$data"

[backup]
interval_hours = 0

[log]
level = "$level"
CONF
}

# bench_workdir NAME: sets `work` to $KEEP (the data kept for the next run)
# or to a new folder /tmp/parvis-NAME.*, and on exit stops the server whose
# pid the script puts in `server_pid` and removes that folder unless kept.
bench_workdir() {
  if [ -n "${KEEP:-}" ]; then
    work=$KEEP
    mkdir -p "$work"
  else
    work=$(mktemp -d "/tmp/parvis-$1.XXXXXX")
  fi
  server_pid=""
  trap bench_cleanup EXIT
}

bench_cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}

# bench_binary: sets `bin` to $BIN (another build to measure), or builds
# the release binary.
bench_binary() {
  if [ -n "${BIN:-}" ]; then
    bin=$BIN
  else
    cargo build --release --bin parvis
    bin=${CARGO_TARGET_DIR:-target}/release/parvis
  fi
}

# bench_rate NAME OHA-ARGUMENTS...: p50/p99 latency at $RATE requests/s for
# $DURATION over 8 connections (oha, latency corrected: a late request counts
# from when it should have left), printed on one line; oha's JSON is kept in
# $work/NAME.json. Needs OHA set to oha's path.
bench_rate() {
  local name=$1; shift
  "$OHA" --no-tui -q "$RATE" --latency-correction -z "$DURATION" -c 8 --output-format json "$@" >"$work/$name.json"
  python3 - "$work/$name.json" "$name" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
p = r["latencyPercentiles"]
codes = r.get("statusCodeDistribution", {})
s = r["summary"]
print(f"{sys.argv[2]:<22} {s['requestsPerSec']:7.1f} req/s  p50 {p['p50']*1000:6.3f} ms  p99 {p['p99']*1000:6.3f} ms  "
      f"p99.9 {p['p99.9']*1000:6.3f} ms  max {s['slowest']*1000:6.2f} ms  statuses {codes}")
PY
}

# bench_typos FILE: writes wrk's script of searches never asked before: two
# words ("ecole", "piste"), each with one random typo, and a random number
# so that no request is the same as another.
bench_typos() {
  cat >"$1" <<'LUA'
local letters = "abcdefghijklmnopqrstuvwxyz"
local function typo(word)
  local i = math.random(1, #word)
  local c = math.random(1, #letters)
  return word:sub(1, i - 1) .. letters:sub(c, c) .. word:sub(i + 1)
end
request = function()
  return wrk.format(nil, "/recherche?q=" .. typo("ecole") .. "+" .. typo("piste") .. "&n=" .. math.random(1, 1000000000))
end
LUA
}
