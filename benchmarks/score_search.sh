#!/usr/bin/env bash
# Score the search solver on the full ARC-AGI-1 dataset, both splits reported separately,
# and sort its failures by reason. Usage: benchmarks/score_search.sh [SECONDS_PER_TASK] [OUT_DIR]
# The issue's reference setting is 30 s per task on 2 workers (up to about 3.5 h on 2 cores:
# solved tasks stop early, unsolved ones use their whole budget).
set -euo pipefail
seconds="${1:-30}"
out="${2:-results/search-arc-agi-1-${seconds}s}"
arc-eval run search --dataset arc-agi-1 --time-limit "$seconds" --workers 2 --out "$out"
python "$(dirname "$0")/search_failures.py" "$out/leaderboard.json"
echo "leaderboard: $out/leaderboard.json"
