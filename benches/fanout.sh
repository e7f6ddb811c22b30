#!/usr/bin/env bash
# The notifications' fan-out (issue 13): a proposal followed by 10,000
# people gets the town hall's answer. Reported: the answer's own write (one
# fan-out job, whatever the followers: it must stay as fast as with one
# follower) and the time until the server's worker has told every follower
# (in batches of notifications::fanout::BATCH, each its own transaction).
#
#   benches/fanout.sh                  # 10,000 followers
#   FOLLOWERS=50000 benches/fanout.sh
#
# Runs the ignored test `notifications::fanout_benchmark` of the integration
# tests in release mode: a real server on 127.0.0.1:0 with a temporary data
# directory, its own writer and worker. Needs only cargo. Run it on a quiet
# machine: every figure is a wall-clock time, and other builds or tests
# sharing the cores make it meaningless.
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=benches/lib.sh
. benches/lib.sh

FOLLOWERS=${FOLLOWERS:-10000}
export FOLLOWERS
echo "fan-out of one answer to $FOLLOWERS followers (release build)"
cargo test --release --test it -- --ignored --exact notifications::fanout_benchmark --nocapture 2>&1 \
  | grep -E '^fanout:|test result' || { echo "the benchmark failed: run the command above without the filter" >&2; exit 1; }
