#!/usr/bin/env bash
# Benchmark topictrack beside SQLite FTS5 and tantivy-cli on real corpora.
#
#   bench/run.sh [--data DIR] [--quick] [--corpora reuters,files,sample,1m] [...]
#
# Builds topictrack in release mode, installs tantivy-cli into bench/tools once (skipped with a
# message when that fails or BENCH_SKIP_TANTIVY=1), then runs bench/bench.py, which prepares the
# corpora, times everything and writes bench/results/latest.{json,md}. See BENCHMARKS.md.
# Environment: TOPICTRACK_SHARED (default ../shared), BENCH_DATA (default bench/data).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

echo "== building topictrack (release)" >&2
cargo build --release --quiet --bin topictrack --example bench_queries

if [ "${BENCH_SKIP_TANTIVY:-0}" != "1" ] && [ ! -x bench/tools/bin/tantivy ]; then
    echo "== installing tantivy-cli into bench/tools (once; several minutes on 2 cores)" >&2
    if ! cargo install --quiet tantivy-cli --root bench/tools; then
        echo "tantivy-cli could not be installed: its columns will be skipped" >&2
    fi
fi

exec python3 bench/bench.py "$@"
