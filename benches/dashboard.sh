#!/usr/bin/env bash
# The town hall's dashboard with years of activity (issue 15): 20,000
# residents, 3 years of proposals, supports, answers, problem reports and
# fixes, rolled up; then the p50/p99 latency of the public figures
# (/chiffres, default range: the last 12 months against the 12 before)
# with wrk over 8 connections. Target: p99 under 20 ms. Also printed: the
# time to make the data, the first roll-up (the back-fill) and a daily one.
#
#   benches/dashboard.sh                                  # 20,000 residents, 20 s of wrk
#   RESIDENTS=500 DURATION=3s PROFILE=dev benches/dashboard.sh   # a quick check, debug build
#
# Runs the ignored test `metrics::dashboard_benchmark` of the integration
# tests (a real server on 127.0.0.1:0, a temporary data directory), in
# release mode unless PROFILE=dev. Needs cargo and wrk. Run it on a quiet
# machine: every figure is a wall-clock time.
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=benches/lib.sh
. benches/lib.sh

RESIDENTS=${RESIDENTS:-20000}
DURATION=${DURATION:-20s}
PROFILE=${PROFILE:-release}
export RESIDENTS DURATION
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
release=(--release)
[ "$PROFILE" = dev ] && release=()
echo "dashboard with 3 years of activity of $RESIDENTS residents ($PROFILE build)"
cargo test "${release[@]}" --test it -- --ignored --exact metrics::dashboard_benchmark --nocapture 2>&1 \
  | grep -E '^dashboard:|test result' || { echo "the benchmark failed: run the command above without the filter" >&2; exit 1; }
