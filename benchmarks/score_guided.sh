#!/usr/bin/env bash
# Guided against unguided search, same tasks, same per-task time limit, one after the other.
# Usage: benchmarks/score_guided.sh [SECONDS_PER_TASK] [TASKS_PER_SPLIT|all] [OUT_DIR]
# The issue's setting is 30 s on the full ARC-AGI-1 (all 800 tasks: about 7 h on 2 cores
# for both runs); a shuffled sample of N tasks per split (seed 0) gives a quicker figure.
set -euo pipefail
seconds="${1:-30}"
tasks="${2:-all}"
out="${3:-results/guided-arc-agi-1-${seconds}s-${tasks}}"
sample=()
if [ "$tasks" != "all" ]; then sample=(--limit "$tasks" --shuffle --seed 0); fi
common=(--dataset arc-agi-1 --time-limit "$seconds" --workers 2 "${sample[@]}")
arc-eval run search "${common[@]}" --out "$out/unguided"
arc-eval run search "${common[@]}" --param guide=default --out "$out/guided"
python "$(dirname "$0")/compare_guided.py" "$out/unguided/leaderboard.json" "$out/guided/leaderboard.json"
