#!/usr/bin/env bash
# Consultations at a big town's size (issue 12): the demo's open consultation
# asking 30 questions, with 100,000 answers (residents, paper forms and
# visitors, written by `parvis demo-data`), then:
#   - the results page (GET /consultations/1/resultats, as staff: it is
#     theirs until the close) at a fixed rate, beside /healthz in the same
#     run: p50/p99 latency. Its figures are counts kept in each answer's own
#     transaction, so the page reads them and never scans the answers;
#   - the CSV export of every answer, once (this one does read them all);
#   - answers sent through the web: visitors' complete answers POSTed over
#     16 connections, each counted once the server said "303": durable.
#
#   benches/consultations.sh                     # 100,000 answers, 50 requests/s, 30 s
#   ANSWERS=20000 RATE=100 DURATION=10s benches/consultations.sh
#   KEEP=/tmp/parvis-consultations benches/consultations.sh   # keep the data for the next run
#   BIN=/tmp/parvis-before KEEP=… benches/consultations.sh    # another build, same data
#
# Needs: cargo, curl, python3, oha (`cargo install oha --locked`). Only
# 127.0.0.1 is contacted; every loop is bounded. Target (issue 12): the
# results page of 30 questions and 100,000 answers under 50 ms p99 at 50
# requests/s.
set -euo pipefail

ANSWERS=${ANSWERS:-100000}
RATE=${RATE:-50}
DURATION=${DURATION:-30s}
WEB_ANSWERS=${WEB_ANSWERS:-5000}
OHA=${OHA:-$(command -v oha || echo "$HOME/.cargo/bin/oha")}

cd "$(dirname "$0")/.."
. benches/lib.sh
[ -x "$OHA" ] || { echo "oha is missing: cargo install oha --locked"; exit 1; }
bench_workdir consultations
bench_binary
port=$(bench_port)
url="http://127.0.0.1:$port"

if [ -d "$work/data" ]; then
  echo "== the data kept in $work/data (KEEP)"
else
  echo "== demo data: 200 residents, the open consultation with 30 questions and $ANSWERS answers"
  started=$(date +%s.%N)
  "$bin" demo-data --data-dir "$work/data" --residents 200 --proposals 0 --comments 0 --reports 0 \
    --consultation-answers "$ANSWERS" --consultation-questions 30 | tail -n 2
  echo "   $(python3 -c "t = $(date +%s.%N) - $started; print(f'{t:.1f} s, {$ANSWERS * 1.5 / t:.0f} answers/s written in the process (both consultations)')")"
fi
ls -l "$work/data/parvis.redb" | awk '{print "   database: " $5 " bytes"}'

# `parvis demo` serves the data with the demo's configuration and gives the
# admin a new password and recovery codes; the proxy setting lets the web
# answers below come each from its own address.
PARVIS_SERVER_TRUSTED_PROXIES=127.0.0.1 PARVIS_LOG_LEVEL=warn \
  "$bin" demo --data-dir "$work/data" --listen "127.0.0.1:$port" >"$work/demo.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do curl -fsS -o /dev/null "$url/healthz" 2>/dev/null && break; sleep 0.1; done
password=$(grep 'Mot de passe' "$work/demo.log" | awk '{print $NF}')
code=$(grep -A1 'codes de secours' "$work/demo.log" | tail -n 1 | awk '{print $1}')
cookie=$(python3 benches/consultations_client.py sign-in "$url" admin@saint-exemple.test "$password" "$code")

echo "== sample answers"
results=$(curl -fsS -H "Cookie: $cookie" "$url/consultations/1/resultats")
echo "   results page: $(printf '%s' "$results" | wc -c) bytes, $(printf '%s' "$results" | grep -o '<svg' | wc -l) charts;" \
  "$(printf '%s' "$results" | grep -o '[0-9  ]* réponses au total' | head -n 1)"
curl -fsS -o "$work/answers.csv" -w '   CSV export of every answer: %{size_download} bytes in %{time_total} s\n' \
  -H "Cookie: $cookie" "$url/consultations/1/reponses.csv"
uptime

echo "== $RATE requests/s for $DURATION each, 8 connections (oha, latency corrected)"
bench_rate healthz "$url/healthz"
bench_rate results -H "Cookie: $cookie" "$url/consultations/1/resultats"
bench_rate healthz-2 "$url/healthz"
uptime

echo "== $WEB_ANSWERS answers through the web"
python3 benches/consultations_client.py answers "$url" 1 "$WEB_ANSWERS" 16
echo "   now: $(curl -fsS -H "Cookie: $cookie" "$url/consultations/1/resultats" | grep -o '[0-9  ]* réponses au total' | head -n 1)"
uptime
