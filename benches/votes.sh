#!/usr/bin/env bash
# Participatory budget votes (issue 14), in two parts:
#   1. `cargo bench --bench votes` (benches/votes.rs): durable votes per
#      second through the domain with group commit, 256 concurrent voters
#      (target >= 20,000/s on 2 cores), and the results of 200,000 ballots,
#      tally and outcome by each rule (target < 1 s);
#   2. votes over HTTP: the demo's budget in its vote phase, the demo admin
#      signed in (a session and its CSRF token), POST /budgets/{id}/voter
#      with the token and a project number, over $CONNECTIONS connections
#      for $DURATION (oha, as fast as the server answers, client on the same
#      machine; target >= 8,000/s). A vote counts when the server answered
#      "303 See Other": its transaction has committed, it is durable. One
#      session votes again and again, so the process must let a vote be
#      changed: each POST replaces the ballot (a removal, a new ballot and
#      its sealed link), which costs no less than a first vote.
#
#   benches/votes.sh
#   DURATION=20s CONNECTIONS=32 benches/votes.sh
#   SKIP_DOMAIN=1 benches/votes.sh        # the HTTP part only
#   BIN=/tmp/parvis-before benches/votes.sh
#
# Needs: cargo, curl, python3, oha (`cargo install oha --locked`). Only
# 127.0.0.1 is contacted; every loop is bounded. The HTTP part is skipped,
# saying why, when the route or the demo's budget is missing.
set -euo pipefail

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
OHA=${OHA:-$(command -v oha || echo "$HOME/.cargo/bin/oha")}

cd "$(dirname "$0")/.."
. benches/lib.sh

if [ -z "${SKIP_DOMAIN:-}" ]; then
  echo "== votes through the domain, results of 200,000 ballots (cargo bench --bench votes)"
  cargo bench --bench votes
fi

echo "== votes over HTTP"
[ -x "$OHA" ] || { echo "oha is missing: cargo install oha --locked"; exit 1; }
bench_workdir votes
bench_binary
port=$(bench_port)
url="http://127.0.0.1:$port"
"$bin" demo-data --data-dir "$work/data" --residents 200 --proposals 0 --comments 0 --reports 0 | tail -n 2
PARVIS_LOG_LEVEL=warn "$bin" demo --data-dir "$work/data" --listen "127.0.0.1:$port" >"$work/demo.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do curl -fsS -o /dev/null "$url/healthz" 2>/dev/null && break; sleep 0.1; done
password=$(grep 'Mot de passe' "$work/demo.log" | awk '{print $NF}')
code=$(grep -A1 'codes de secours' "$work/demo.log" | tail -n 1 | awk '{print $1}')
cookie=$(python3 benches/consultations_client.py sign-in "$url" admin@saint-exemple.test "$password" "$code")

# The demo's budget in its vote phase, the first listed.
# (the home page links the ballot of each budget whose vote is open).
budget=$(curl -sS -H "Cookie: $cookie" "$url/" | grep -o 'href="/budgets/[0-9][0-9]*/voter"' | head -n 1 | grep -o '[0-9][0-9]*' || true)
if [ -z "$budget" ]; then
  echo "FAILED: no budget in its vote linked from the home page (the demo has one)"
  exit 1
fi
page=$(curl -sS -H "Cookie: $cookie" "$url/budgets/$budget/voter")
# The token's field as the page names it (the CSRF middleware's field).
field=$(printf '%s' "$page" | grep -o 'name="_\{0,1\}csrf" value="[^"]*"' | head -n 1 || true)
name=$(printf '%s' "$field" | sed 's/^name="\([^"]*\)".*/\1/')
token=$(printf '%s' "$field" | sed 's/.*value="\([^"]*\)"$/\1/')
project=$(printf '%s' "$page" | grep -o 'name="choix" value="[0-9][0-9]*"' | head -n 1 | grep -o '[0-9][0-9]*' || true)
if [ -z "$token" ] || [ -z "$project" ]; then
  echo "SKIPPED: /budgets/$budget/voter shows no vote form (no CSRF token or no project checkbox)"
  exit 0
fi
body="$name=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$token")&choix=$project&action=voter"
post() { curl -s -o /dev/null -w '%{http_code}' -X POST -H "Cookie: $cookie" \
  -H 'Content-Type: application/x-www-form-urlencoded' --data "$body" "$url/budgets/$budget/voter"; }
first=$(post)
case "$first" in
  404) echo "FAILED: POST /budgets/$budget/voter answers 404"; exit 1;;
  303) ;;
  *) echo "FAILED: the first vote answered $first, not 303"; exit 1;;
esac
second=$(post)
if [ "$second" != 303 ]; then
  echo "SKIPPED: a second vote of the same session answered $second: the demo's budget does not let a vote be changed," \
    "and this client has one session"
  exit 0
fi
uptime
"$OHA" --no-tui -z "$DURATION" -c "$CONNECTIONS" -m POST -H "Cookie: $cookie" -T application/x-www-form-urlencoded \
  -d "$body" --output-format json "$url/budgets/$budget/voter" >"$work/http.json"
python3 - "$work/http.json" "$CONNECTIONS" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s, p = r["summary"], r["latencyPercentiles"]
codes = r.get("statusCodeDistribution", {})
ok = int(codes.get("303", 0))
print(f"http votes: {ok} durable (303) in {s['total']:.1f} s = {ok / s['total']:.0f}/s over {sys.argv[2]} connections"
      f"  p50 {p['p50']*1000:.2f} ms  p99 {p['p99']*1000:.2f} ms  statuses {codes}")
PY
uptime
