#!/usr/bin/env bash
# A newsletter to a big town's residents (issue 13): RESIDENTS people who
# consent (20,000 unless set), written through the domain in batches of
# 2,000, then one newsletter (2 KiB of text) queued to all of them: one
# write transaction that reads every subscriber's account and seals one
# paced mail each into the outbox. Prints the seeding time and the time
# to queue. Target (issue 13): under 5 s for 20,000.
#
#   benches/newsletter.sh                  # 20,000 residents
#   RESIDENTS=2000 benches/newsletter.sh   # a quick check that it runs
#
# Runs in a release build of the integration tests (the measure is an
# ignored test of tests/it/newsletters.rs, so it seeds and sends with the
# very functions the server uses). Needs: cargo. Nothing is contacted.
# Measure on a quiet machine: another build beside it halves the figure.
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=benches/lib.sh
. benches/lib.sh

export RESIDENTS=${RESIDENTS:-20000}
cargo test --release --test it newsletters::bench_queueing_a_newsletter -- --ignored --nocapture --test-threads 1 2>&1 \
  | grep -E "^(seeded|queued)|test result|panicked"
