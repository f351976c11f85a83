#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each, seeded with the real instrument files, and exits
# non-zero when any target fails or leaves a new crash, leak, out-of-memory or timeout artifact.
#   tests/fuzz/run_fuzzers.sh BUILD_DIR [SECONDS] [TARGET...]
# CI runs 20 s each; a longer campaign: raise SECONDS (e.g. 600 or 3600) and keep the corpus folder
# (FUZZ_CORPUS) between runs. Artifacts land in BUILD_DIR/fuzz-artifacts/ (FUZZ_ARTIFACTS).
set -uo pipefail
build=$1
seconds=${2:-60}
shift $(( $# >= 2 ? 2 : $# ))
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${MOTIFSCOPE_SHARED_DATA:-$root/../shared/data}
corpus_root=${FUZZ_CORPUS:-$build/fuzz-corpus}
artifacts=${FUZZ_ARTIFACTS:-$build/fuzz-artifacts}
declare -A patterns=(
    [tiff]="formats/*.tif real/*.tif"
    [raster]=""
    [dm]="formats/*.dm3 formats/*.dm4"
    [emd]="formats/*.emd real/*.emd real/*.hspy real/*.hdf5"
    [hdf5]="formats/*.emd real/*.emd real/*.hspy real/*.hdf5"
    [ser]="formats/*.ser"
    [mrc]=""
    [npy]=""
)
targets=("$@")
# fuzz_hdf5 (EMD decoded in-process, for coverage) runs on demand only: within minutes it reaches
# libhdf5 1.10's own overflows on damaged attribute messages (H5Aexists_by_name -> H5MM_xstrdup), the
# reason readEmd decodes in a child process. Name it to run it: run_fuzzers.sh BUILD 600 hdf5
[ ${#targets[@]} -gt 0 ] || targets=(tiff raster dm emd ser mrc npy)
mkdir -p "$artifacts"
# What was there before this run is not this run's finding.
declare -A known=()
for f in "$artifacts"/*; do [ -e "$f" ] && known[$f]=1; done

failed=()
for format in "${targets[@]}"; do
    binary="$build/tests/fuzz/fuzz_$format"
    if [ ! -x "$binary" ]; then
        echo "fuzz_$format: not built ($binary)"
        failed+=("fuzz_$format (not built)")
        continue
    fi
    corpus="$corpus_root/$format"
    mkdir -p "$corpus"
    for p in ${patterns[$format]:-}; do
        for f in $data/$p; do [ -f "$f" ] && cp -n "$f" "$corpus/"; done
    done
    seeds="$root/tests/fuzz/seeds/$format"
    [ -d "$seeds" ] && cp -n "$seeds"/* "$corpus/" 2>/dev/null
    echo "fuzz_$format: ${seconds}s on $(ls "$corpus" | wc -l) seed files"
    log="$artifacts/fuzz_$format.log"
    # HDF5 1.10 leaks on its own error paths (see tests/sanitizers/lsan.supp); MotifScope's leaks count.
    LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
        "$binary" "$corpus" -max_total_time="$seconds" -max_len=1100000 -rss_limit_mb=4096 -timeout=20 \
            -print_final_stats=1 -artifact_prefix="$artifacts/$format-" >"$log" 2>&1
    status=$?
    grep -E "^stat::number_of_executed_units|^stat::new_units_added|^stat::peak_rss_mb" "$log" | tr '\n' ' '
    echo
    if [ $status -ne 0 ]; then
        echo "fuzz_$format: exit status $status; the end of its log ($log):"
        tail -n 25 "$log"
        failed+=("fuzz_$format (exit $status)")
    fi
done

new=()
for f in "$artifacts"/*; do
    [ -e "$f" ] && [ -z "${known[$f]:-}" ] || continue
    case "$(basename "$f")" in
        *-crash-* | *-leak-* | *-oom-* | *-timeout-*) new+=("$f") ;;
        *-slow-unit-*) echo "fuzzers: note: slow input $f" ;;
    esac
done
if [ ${#new[@]} -gt 0 ] || [ ${#failed[@]} -gt 0 ]; then
    for f in "${new[@]}"; do echo "fuzzers: new artifact $f"; done
    for t in "${failed[@]}"; do echo "fuzzers: failed: $t"; done
    echo "fuzzers: FINDINGS (reproduce: BUILD_DIR/tests/fuzz/fuzz_FORMAT ARTIFACT)"
    exit 1
fi
echo "fuzzers: no finding (${#targets[@]} targets, ${seconds}s each)"
