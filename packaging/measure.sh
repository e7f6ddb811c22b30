#!/usr/bin/env bash
# The packaging figures of BENCHMARKS.md ("Packaging"): sizes of the static
# binary, the .deb and the OCI image; cold start-up time and idle memory of
# the packaged binary, measured like benches/load.sh (benches/startup.py:
# process start until /healthz answers 200, on a data directory prepared
# with `parvis demo-data`); and, with OTHER_BIN set, wrk throughput of the
# packaged binary against another build in the same run (e.g. a musl build
# without mimalloc), alternating A B A B.
#
#   packaging/build-deb.sh && packaging/container/build.sh   # what is measured
#   packaging/measure.sh
#   OTHER_BIN=/path/to/parvis-other packaging/measure.sh
#
# Needs python3, curl, wrk (Debian). Only 127.0.0.1 is contacted; every loop
# is bounded.
set -euo pipefail

RESIDENTS=${RESIDENTS:-1000}
STARTUP_RUNS=${STARTUP_RUNS:-10}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
ROUNDS=${ROUNDS:-2}

cd "$(dirname "$0")/.."
top=$PWD
bin=${CARGO_TARGET_DIR:-$top/target}/x86_64-unknown-linux-musl/release/parvis
[ -x "$bin" ] || { echo "no $bin: run packaging/build-release.sh" >&2; exit 1; }
work=$(mktemp -d /tmp/parvis-measure.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== machine"
echo "$(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== sizes (bytes)"
echo "binary     $(stat -c %s "$bin")  $bin ($(ldd "$bin" 2>&1 | tr -d '\t'))"
for deb in target/debian/parvis_*_amd64.deb; do
  [ -f "$deb" ] && echo ".deb       $(stat -c %s "$deb")  $deb (Installed-Size $(dpkg-deb -f "$deb" Installed-Size) KiB)"
done
if [ -f target/parvis-oci.tar ]; then
  mkdir -p "$work/oci"
  tar -C "$work/oci" -xf target/parvis-oci.tar
  layers=$(python3 -c 'import json,sys,os
d=sys.argv[1]; i=json.load(open(os.path.join(d,"index.json")))
m=json.load(open(os.path.join(d,"blobs",*i["manifests"][0]["digest"].split(":"))))
print(sum(l["size"] for l in m["layers"]))' "$work/oci")
  echo "OCI        $(stat -c %s target/parvis-oci.tar)  target/parvis-oci.tar (compressed layers $layers)"
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
url="http://127.0.0.1:$port"
cat >"$work/parvis.toml" <<EOF
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
EOF

echo "== data: $RESIDENTS demo residents"
"$bin" demo-data --config "$work/parvis.toml" --data-dir "$work/data" --residents "$RESIDENTS" 2>&1 | tail -n 1

startup() { # label binary
  echo "== start-up and idle memory: $1 ($STARTUP_RUNS runs, benches/startup.py)"
  python3 benches/startup.py --runs "$STARTUP_RUNS" --settle 2 --url "$url" -- "$2" serve --config "$work/parvis.toml"
}
startup packaged "$bin"
if [ -n "${OTHER_BIN:-}" ]; then startup other "$OTHER_BIN"; fi

throughput() { # label binary
  "$2" serve --config "$work/parvis.toml" </dev/null >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do curl -fs -o /dev/null "$url/healthz" && break; sleep 0.1; done
  for path in /healthz /; do
    wrk -t2 -c"$CONNECTIONS" -d3s "$url$path" >/dev/null
    rps=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "$url$path" | awk '/^Requests\/sec/ {print $2}')
    echo "$1 $path requests/s $rps"
  done
  echo "$1 after load: $(grep -E '^VmRSS' "/proc/$server_pid/status" | tr -s ' \t' ' ')"
  kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""
}
if [ -n "${OTHER_BIN:-}" ]; then
  echo "== throughput, wrk -t2 -c$CONNECTIONS -d$DURATION, $ROUNDS rounds A B"
  for round in $(seq 1 "$ROUNDS"); do
    throughput "packaged(round $round)" "$bin"
    throughput "other(round $round)" "$OTHER_BIN"
  done
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
