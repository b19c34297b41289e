#!/usr/bin/env bash
# The pipeline at scale through the CLI, one layer at a time, with each layer's time and peak RSS:
#   bash bench/layers.sh [ROWS] [FILES] [DIR]      (defaults: 100000000 100 .bench/layers)
# Generates the retail dataset into DIR/data, creates DIR/project, lands everything, then runs
# `lake run --select bronze`, `--select silver` and `--select gold` with the project's default 2 GB
# DuckDB memory limit. Needs about 70 bytes of disk per row for the CSV, twice (data and landing).
set -euo pipefail
rows=${1:-100000000}
files=${2:-100}
dir=${3:-.bench/layers}
cd "$(dirname "$0")/.."
lake=(node --import tsx src/cli/main.ts)
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
rm -rf "$dir" && mkdir -p "$dir"
timed() {
  local name=$1
  shift
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "  $name peak RSS %M KiB" "$@" 2>&1 | { grep -v ": working, \|^landed " || true; } | tail -12
  end=$(date +%s.%N)
  echo "== $name: $(echo "$end - $start" | bc) s"
}
"${lake[@]}" init "$dir/project" > /dev/null
timed generate "${lake[@]}" generate --rows "$rows" --files "$files" --out "$dir/data"
timed ingest "${lake[@]}" ingest "$dir"/data/*.csv --project "$dir/project"
timed bronze "${lake[@]}" run --select bronze --project "$dir/project"
timed silver "${lake[@]}" run --select silver --project "$dir/project"
timed gold "${lake[@]}" run --select gold --project "$dir/project"
