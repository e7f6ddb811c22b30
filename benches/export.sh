#!/usr/bin/env bash
# The full open-data export with years of activity (issue 15): 20,000
# residents, 3 years of proposals (20 supports each, most answered), problem
# reports and fixes, a closed satisfaction survey per quarter, a meeting and
# a news item a month; then the time to build the whole ZIP (CSV, JSON,
# schemas) from one read transaction and write it to the data directory.
# Target: under 10 s. Also printed: the time to make the data.
#
#   benches/export.sh                                   # 20,000 residents
#   RESIDENTS=500 PROFILE=dev benches/export.sh         # a quick check, debug build
#
# Runs the ignored test `opendata::export_benchmark` of the integration
# tests (a store in a temporary data directory, no server), in release mode
# unless PROFILE=dev. It asserts that every dataset is in the archive with
# the rows seeded. Run it on a quiet machine: the figure is a wall-clock time.
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=benches/lib.sh
. benches/lib.sh

RESIDENTS=${RESIDENTS:-20000}
PROFILE=${PROFILE:-release}
export RESIDENTS
release=(--release)
[ "$PROFILE" = dev ] && release=()
echo "open-data export with 3 years of activity of $RESIDENTS residents ($PROFILE build)"
cargo test "${release[@]}" --test it -- --ignored --exact opendata::export_benchmark --nocapture 2>&1 \
  | grep -E '^export:|test result' || { echo "the benchmark failed: run the command above without the filter" >&2; exit 1; }
