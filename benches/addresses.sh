#!/usr/bin/env bash
# The commune's address list at a big city's size (issue 11): the import of
# 100,000 addresses, then the p99 latency of the two endpoints the report
# form's scripts call, at a fixed rate, beside /healthz at the same rate in
# the same run (on 2 cores the client shares the CPU with the server).
#
#   benches/addresses.sh                     # 100,000 addresses, 200 requests/s, 30 s each
#   ADDRESSES=20000 RATE=400 DURATION=10s benches/addresses.sh
#
# Needs: cargo, curl, python3, oha (`cargo install oha --locked`). Only
# 127.0.0.1 is contacted; every loop is bounded. Target (issue 11): p99 of
# suggestions and of nearest under 2 ms at 200 requests/s.
set -euo pipefail

ADDRESSES=${ADDRESSES:-100000}
RATE=${RATE:-200}
DURATION=${DURATION:-30s}
OHA=${OHA:-$(command -v oha || echo "$HOME/.cargo/bin/oha")}

cd "$(dirname "$0")/.."
[ -x "$OHA" ] || { echo "oha is missing: cargo install oha --locked"; exit 1; }
work=$(mktemp -d /tmp/parvis-addresses.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

cargo build --release --bin parvis
bin=${CARGO_TARGET_DIR:-target}/release/parvis
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
url="http://127.0.0.1:$port"
cat >"$work/parvis.toml" <<CONF
[commune]
name = "Saint-Exemple"
[server]
public_url = "$url"
listen = "127.0.0.1:$port"
[data]
dir = "$work/data"
[backup]
interval_hours = 0
[log]
level = "warn"
CONF

python3 benches/ban_generator.py "$ADDRESSES" "$work/adresses.csv" "$work/suggestions.txt" "$work/nearest.txt" "$url"
"$bin" demo-data --config "$work/parvis.toml" --residents 10 --proposals 0 --comments 0 >/dev/null 2>&1
echo "== import of $ADDRESSES addresses (server stopped)"
started=$(date +%s.%N)
"$bin" import-addresses --config "$work/parvis.toml" "$work/adresses.csv"
echo "   $(python3 -c "print(f'{$(date +%s.%N) - $started:.2f}')") s"
ls -l "$work/data/parvis.redb" | awk '{print "   database: " $5 " bytes"}'

"$bin" serve --config "$work/parvis.toml" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do curl -fsS -o /dev/null "$url/healthz" 2>/dev/null && break; sleep 0.1; done
echo "== import of the same file again (server running, through its socket)"
started=$(date +%s.%N)
"$bin" import-addresses --config "$work/parvis.toml" "$work/adresses.csv" | tail -n 1
echo "   $(python3 -c "print(f'{$(date +%s.%N) - $started:.2f}')") s"

# What a resident types gets answers? (a few, to see the benchmark measures real work)
echo "== sample answers"
for q in "$(sed -n 1p "$work/suggestions.txt")" "$(sed -n 2p "$work/suggestions.txt")" "$(sed -n 1p "$work/nearest.txt")"; do
  echo "   ${q#"$url"} -> $(curl -fsS "$q" | head -c 160)"
done
uptime

echo "== $RATE requests/s for $DURATION each, 8 connections (oha, latency corrected)"
bench_rate healthz "$url/healthz"
bench_rate suggestions --urls-from-file "$work/suggestions.txt"
bench_rate nearest --urls-from-file "$work/nearest.txt"
bench_rate healthz-2 "$url/healthz"
uptime
