#!/usr/bin/env bash
# Problem reports at a big town's size (issue 11): 100,000 reports over the
# demo commune, then the p50/p99 latency of what a resident's browser asks
# for, at a fixed rate, beside /healthz at the same rate in the same run (on
# 2 cores the client shares the CPU with the server):
#   - the report form's second step (POST /signalements/nouveau/lieu: the
#     place is checked and the open reports of the category nearby offered);
#   - address suggestions (GET /adresses/suggestions?q=…, the demo's 320
#     addresses of Saint-Exemple);
#   - the list (GET /signalements, with and without filters; its map draws
#     the page's points, listed in text on the same page, so the list page is
#     the map's data);
#   - the GeoJSON export filtered to one category over the last week (what
#     a map tool reads).
#
#   benches/reports.sh                        # 100,000 reports, 200 requests/s, 20 s each
#   REPORTS=20000 RATE=400 DURATION=10s benches/reports.sh
#   KEEP=/tmp/parvis-reports benches/reports.sh   # keep the data, reuse it next time
#   BIN=/tmp/parvis-before KEEP=… benches/reports.sh   # another build, same data
#
# Needs: cargo, curl, python3, oha (`cargo install oha --locked`). Only
# 127.0.0.1 is contacted; every loop is bounded. Targets (issue 11): p99 of
# the nearby query and of suggestions under 2 ms at 200 requests/s, of the
# list and the map data under 10 ms.
set -euo pipefail

REPORTS=${REPORTS:-100000}
RATE=${RATE:-200}
DURATION=${DURATION:-20s}
OHA=${OHA:-$(command -v oha || echo "$HOME/.cargo/bin/oha")}

cd "$(dirname "$0")/.."
. benches/lib.sh
[ -x "$OHA" ] || { echo "oha is missing: cargo install oha --locked"; exit 1; }
bench_workdir reports

bench_binary
port=$(bench_port)
url="http://127.0.0.1:$port"
bench_config "$work/parvis.toml" "$port" "$work/data" warn

if [ -d "$work/data" ]; then
  echo "== the data kept in $work/data (KEEP)"
else
  echo "== demo data: 200 residents, $REPORTS reports (and the demo's 320 addresses)"
  started=$(date +%s.%N)
  "$bin" demo-data --config "$work/parvis.toml" --residents 200 --proposals 0 --comments 0 --reports "$REPORTS" | tail -n 2
  echo "   $(python3 -c "print(f'{$(date +%s.%N) - $started:.1f}')") s"
fi
ls -l "$work/data/parvis.redb" | awk '{print "   database: " $5 " bytes"}'

"$bin" serve --config "$work/parvis.toml" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do curl -fsS -o /dev/null "$url/healthz" 2>/dev/null && break; sleep 0.1; done

# The form's token is bound to the browser's cookie: take both from step 1.
curl -fsS -c "$work/jar" -o "$work/step1.html" "$url/signalements/nouveau"
cookie=$(awk '$6 == "parvis-csrf" {print $6 "=" $7}' "$work/jar")
token=$(python3 -c 'import re,sys; print(re.search(r"name=\"_csrf\" value=\"([^\"]+)\"", open(sys.argv[1]).read()).group(1))' "$work/step1.html")
category=$(python3 -c 'import re,sys; print(re.search(r"name=\"category\" value=\"([^\"]+)\"", open(sys.argv[1]).read()).group(1))' "$work/step1.html")
# The demo's centre: its reports lie within ±0.008° of latitude and ±0.012°
# of longitude of it, so the nearby offer there is as full as anywhere.
body="_csrf=$token&category=$category&address=&lat=45.7772&lon=4.6121"
since=$(date -u -d '7 days ago' +%Y-%m-%d)

echo "== sample answers"
step=$(curl -fsS -b "$cookie" -H 'Content-Type: application/x-www-form-urlencoded' -d "$body" \
  "$url/signalements/nouveau/lieu")
offered=$(printf '%s' "$step" | grep -o '/moi-aussi"' | wc -l)
echo "   nearby step ($category, 250 m of the centre): $offered reports offered, $(printf '%s' "$step" | wc -c) bytes"
echo "   $(printf '%s' "$step" | grep -o '<p>[0-9]* autres signalements ouverts[^<]*' | head -n 1 | sed 's/<p>//')"
echo "   suggestions?q=rue -> $(curl -fsS "$url/adresses/suggestions?q=rue" | head -c 120)"
echo "   list: $(curl -fsS "$url/signalements" | wc -c) bytes; GeoJSON ($category since $since): $(curl -fsS "$url/signalements/export.geojson?categorie=$category&du=$since" | wc -c) bytes"
uptime

echo "== $RATE requests/s for $DURATION each, 8 connections (oha, latency corrected)"
bench_rate healthz "$url/healthz"
bench_rate nearby-step -m POST -H "Cookie: $cookie" -T application/x-www-form-urlencoded -d "$body" \
  "$url/signalements/nouveau/lieu"
bench_rate suggestions "$url/adresses/suggestions?q=rue%20de%20la"
bench_rate list "$url/signalements"
bench_rate list-page-10 "$url/signalements?page=9"
bench_rate list-category "$url/signalements?categorie=$category"
bench_rate list-cat-status "$url/signalements?categorie=$category&statut=fixed"
bench_rate list-neighbourhood "$url/signalements?quartier=La%20Gare"
bench_rate geojson-cat-week "$url/signalements/export.geojson?categorie=$category&du=$since"
bench_rate healthz-2 "$url/healthz"
uptime
