#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each, seeded with the real instrument files.
#   tests/fuzz/run_fuzzers.sh BUILD_DIR [SECONDS]
# A longer campaign: raise SECONDS (e.g. 3600) and keep the corpus folder between runs.
set -euo pipefail
build=$1
seconds=${2:-60}
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${MOTIFSCOPE_SHARED_DATA:-$root/../shared/data}
corpus_root=${FUZZ_CORPUS:-$build/fuzz-corpus}
declare -A patterns=(
    [tiff]="formats/*.tif real/*.tif"
    [raster]=""
    [dm]="formats/*.dm3 formats/*.dm4"
    [emd]="formats/*.emd"
    [ser]="formats/*.ser"
    [mrc]=""
    [npy]=""
)
for format in "${!patterns[@]}"; do
    corpus="$corpus_root/$format"
    mkdir -p "$corpus"
    for p in ${patterns[$format]}; do
        for f in $data/$p; do [ -f "$f" ] && cp -n "$f" "$corpus/" ; done
    done
    [ -d "$root/tests/fuzz/seeds/$format" ] && cp -n "$root/tests/fuzz/seeds/$format"/* "$corpus/" 2>/dev/null || true
    echo "fuzz_$format: ${seconds}s on $(ls "$corpus" | wc -l) seed files"
    "$build/tests/fuzz/fuzz_$format" "$corpus" -max_total_time="$seconds" -max_len=1100000 -rss_limit_mb=4096 \
        -timeout=20 -print_final_stats=0 -artifact_prefix="$build/fuzz-artifacts-"  2>&1 | tail -n 3
done
echo "fuzzers: no finding"
