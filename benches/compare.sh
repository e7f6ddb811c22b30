#!/usr/bin/env bash
# Two builds measured side by side on the same data, alternately, as the
# server's CPU time per request (issue 9's pages): on a machine shared with
# other work the rates swing with their load, the CPU time a request costs
# the server much less, and two servers measured round after round see the
# same machine. Each build serves its own copy of the data.
#
#   benches/compare.sh BEFORE_BIN AFTER_BIN [ROUNDS]
#   KEEP=/tmp/parvis-cmp benches/compare.sh …   # keeps the data for next time
#   PAGES="/healthz /idees/1" KEEP=… benches/compare.sh …   # other pages
# (KEEP may hold other data: a `before/` and an `after/` folder, each with its
# copy of a data folder `data/` and its key `parvis.key`, e.g. the 100,000
# proposals that `KEEP=… PROPOSALS=100000 … benches/pages.sh` keeps.)
#
# Needs: curl, python3, wrk (Debian). Only 127.0.0.1 is contacted; every
# loop is bounded.
set -euo pipefail

before=$1
after=$2
rounds=${3:-3}
DURATION=${DURATION:-4s}
CONNECTIONS=${CONNECTIONS:-32}

cd "$(dirname "$0")/.."
. benches/lib.sh
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }
bench_workdir compare
pids=()
trap 'for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; bench_cleanup' EXIT

# The demo's data, made once by the build before, copied for the one after.
if [ ! -d "$work/before/data" ]; then
  mkdir -p "$work/before"
  bench_config "$work/before/parvis.toml" 1 "$work/before/data" warn
  "$before" demo-data --config "$work/before/parvis.toml" --residents 1000 --proposals 200 --comments 800 >/dev/null 2>&1
  "$before" reindex --config "$work/before/parvis.toml" >/dev/null 2>&1
  rm -rf "$work/after"
  cp -a "$work/before" "$work/after"
fi

declare -A url pid
for side in before after; do
  port=$(bench_port)
  # The key and data stay beside the configuration: only the port changes.
  bench_config "$work/$side/parvis.toml" "$port" "$work/$side/data" warn
  bin=$before
  [ "$side" = after ] && bin=$after
  "$bin" serve --config "$work/$side/parvis.toml" >"$work/$side/server.log" 2>&1 &
  pid[$side]=$!
  pids+=("$!")
  url[$side]="http://127.0.0.1:$port"
done
for side in before after; do
  for _ in $(seq 1 600); do curl -fsS -o /dev/null "${url[$side]}/healthz" 2>/dev/null && break; sleep 0.1; done
  for _ in $(seq 1 600); do
    curl -fsS "${url[$side]}/recherche?q=piste+cyclable" 2>/dev/null | grep -q 'href="/propositions/' && break
    sleep 0.5
  done
done
proposal=$(curl -fsS "${url[before]}/idees/1?tri=soutenues" | grep -o 'href="/propositions/[0-9]*"' | head -n 1 | grep -o '[0-9]*')

# Searches never asked before: two words, each with one random typo (as pages.sh).
bench_typos "$work/typos.lua"

hz=$(getconf CLK_TCK)
cpu() { # cpu SIDE PATH [SCRIPT]: µs of the server's CPU per request answered
  local side=$1 args=(-t1 "-c$CONNECTIONS" "-d$DURATION") t0 t1 n
  [ -n "${3:-}" ] && args+=(-s "$3")
  t0=$(awk '{print $14 + $15}' "/proc/${pid[$side]}/stat")
  n=$(wrk "${args[@]}" "${url[$side]}$2" | awk '/requests in/ {print $1}')
  t1=$(awk '{print $14 + $15}' "/proc/${pid[$side]}/stat")
  echo "$t0 $t1 $n" | awk -v hz="$hz" '{printf "%.1f", ($2 - $1) * 1e6 / hz / $3}'
}

# PAGES (space-separated, "typos" for the searches never asked) replaces the
# default list, e.g. PAGES="/healthz /idees/1" for the listing alone.
read -r -a pages <<<"${PAGES:-/healthz /propositions/$proposal /recherche?q=piste+cyclable typos}"
printf '%-32s %-6s %s\n' "page" "build" "server CPU µs per request, one column per round"
declare -A row
for r in $(seq 1 "$rounds"); do
  echo "round $r, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%H:%M:%S) UTC" >&2
  for page in "${pages[@]}"; do
    for side in before after; do
      if [ "$page" = typos ]; then v=$(cpu "$side" /recherche "$work/typos.lua"); else v=$(cpu "$side" "$page"); fi
      row["$page $side"]="${row["$page $side"]:-} $v"
    done
  done
done
for page in "${pages[@]}"; do
  for side in before after; do
    label=$page
    [ "$page" = typos ] && label="/recherche (never asked: typos)"
    printf '%-32s %-6s%s\n' "$label" "$side" "${row["$page $side"]}"
  done
done
