#!/usr/bin/env bash
# Benchmark of ideas and proposals at a large commune's scale: demo data of
# 100,000 proposals and 500,000 comments, then the p99 latency at a fixed
# 200 requests/s (oha, latency-corrected) of the listing page, a proposal page
# and a search; the time to rebuild the search index from scratch.
#
#   benches/ideas.sh                        # defaults below
#   PROPOSALS=10000 COMMENTS=50000 benches/ideas.sh
#   KEEP=/tmp/parvis-100k benches/ideas.sh   # the data of an earlier run (see pages.sh)
#
# Needs: cargo, curl, oha (`cargo install oha --locked`). Only 127.0.0.1 is
# contacted; every loop is bounded. Durable supports per second are measured
# by `cargo bench --bench supports`.
set -euo pipefail

RESIDENTS=${RESIDENTS:-20000}
PROPOSALS=${PROPOSALS:-100000}
COMMENTS=${COMMENTS:-500000}
RATE=${RATE:-200}
RATE_DURATION=${RATE_DURATION:-15s}

cd "$(dirname "$0")/.."
. benches/lib.sh
bench_workdir ideas

bench_binary
port=$(bench_port)
url="http://127.0.0.1:$port"
bench_config "$work/parvis.toml" "$port" "$work/data" warn

if [ -d "$work/data" ]; then
  echo "== the data kept in $work/data (KEEP): no generation or rebuild measured"
else
  echo "== demo data: $RESIDENTS residents, $PROPOSALS proposals, $COMMENTS comments"
  /usr/bin/time -f "demo-data: %e s, peak RSS %M KB" "$bin" demo-data --config "$work/parvis.toml" \
    --residents "$RESIDENTS" --proposals "$PROPOSALS" --comments "$COMMENTS" 2>&1 | tail -n 3
  du -sh "$work/data"

  echo "== search index rebuild from scratch (parvis reindex)"
  /usr/bin/time -f "reindex: %e s, peak RSS %M KB" "$bin" reindex --config "$work/parvis.toml" 2>&1 | tail -n 3
fi

"$bin" serve --config "$work/parvis.toml" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do curl -fsS -o /dev/null "$url/healthz" 2>/dev/null && break; sleep 0.1; done
# Wait (bounded) until the index answers a search.
for _ in $(seq 1 600); do
  curl -fsS "$url/recherche?q=piste+cyclable" 2>/dev/null | grep -q 'href="/propositions/' && break
  sleep 0.5
done
# Wait (bounded) until the server is idle: its CPU time stops growing.
ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
for _ in $(seq 1 120); do
  before=$(ticks); sleep 1; after=$(ticks)
  [ $((after - before)) -le 2 ] && break
done
echo "load average before measuring: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
mid=$((PROPOSALS / 2))
for path in "/idees/1" "/idees/1?tri=soutenues&page=3" "/idees/1?quartier=Les+Vignes&page=2" "/propositions/$mid" \
  "/recherche?q=piste+cyclable" "/recherche?q=ecole&type=proposal" "/recherche?q=cyclabel" "/recherche?type=comment" \
  "/healthz"; do
  echo "== oha -q $RATE -z $RATE_DURATION $path"
  # The first request of a search is computed; the same search asked again
  # is answered from the index's answer cache (until the index changes).
  case "$path" in /recherche*) echo "  first request: $(curl -s -o /dev/null -w '%{time_total}' "$url$path") s";; esac
  oha --no-tui --latency-correction -q "$RATE" -z "$RATE_DURATION" -c 8 "$url$path" 2>&1 \
    | grep -E "Success rate|Requests/sec|50.00%|90.00%|99.00%|99.90%|Slowest" | sed 's/^ */  /'
done
# Searches that are never the same twice, so never from the answer cache: two
# words, each with one random typo (130 spellings each, 16,900 queries).
typos="([a-z]cole|e[a-z]ole|ec[a-z]le|eco[a-z]e|ecol[a-z])\\+([a-z]iste|p[a-z]ste|pi[a-z]te|pis[a-z]e|pist[a-z])"
echo "== oha -q $RATE -z $RATE_DURATION random misspellings of 'ecole piste' (uncached searches)"
oha --no-tui --latency-correction -q "$RATE" -z "$RATE_DURATION" -c 8 --rand-regex-url "$url/recherche\\?q=$typos" 2>&1 \
  | grep -E "Success rate|Requests/sec|50.00%|90.00%|99.00%|99.90%|Slowest" | sed 's/^ */  /'
echo "== server memory"
grep -E "VmRSS|VmHWM" "/proc/$server_pid/status"
