#!/usr/bin/env bash
# Runs every reader's libFuzzer target for SECONDS each (default 20: CI's smoke run), seeded with the
# real instrument files and the generated seeds (make_tiff_seeds.py, make_hdf5_seeds), prints each
# target's executions and coverage, and exits non-zero when any target fails or leaves a new crash,
# leak, out-of-memory or timeout artifact in MotifScope's code (a run ended inside libhdf5 itself is
# set aside and the campaign continues: see the loop below and triage_crash.py).
#   tests/fuzz/run_fuzzers.sh BUILD_DIR [SECONDS] [TARGET...]
#   tests/fuzz/run_fuzzers.sh --long BUILD_DIR [TARGET...]     (or FUZZ_LONG=1): 600 s per target,
#                                                               CI's on-demand fuzz job
# Keep the corpus folder (FUZZ_CORPUS, default BUILD_DIR/fuzz-corpus) between runs for a longer
# campaign. Artifacts land in BUILD_DIR/fuzz-artifacts/ (FUZZ_ARTIFACTS).
set -uo pipefail
long=${FUZZ_LONG:-0}
if [ "${1:-}" = --long ]; then
    long=1
    shift
fi
[ $# -ge 1 ] || { echo "usage: $0 [--long] BUILD_DIR [SECONDS] [TARGET...]" >&2; exit 2; }
build=$(cd "$1" && pwd)
shift
seconds=20
[ "$long" = 1 ] && seconds=600
if [ $# -gt 0 ] && [[ $1 =~ ^[0-9]+$ ]]; then
    seconds=$1
    shift
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${MOTIFSCOPE_SHARED_DATA:-$root/../shared/data}
corpus_root=${FUZZ_CORPUS:-$build/fuzz-corpus}
artifacts=${FUZZ_ARTIFACTS:-$build/fuzz-artifacts}
declare -A patterns=(
    [tiff]="formats/*.tif real/*.tif"
    [raster]=""
    [dm]="formats/*.dm3 formats/*.dm4"
    [emd]="formats/*.emd real/*.emd real/*.hspy real/*.hdf5"
    [ser]="formats/*.ser"
    [mrc]=""
    [npy]=""
)
# fuzz_emd decodes HDF5 in-process. Its inputs stay below 256 KiB: the generated seeds are a few kB,
# and the cap on libhdf5's allocations (tests/fuzz/hdf5_allocation_limit.cpp) and the reader's
# expansion limit scale with the input, so a 256 KiB input may claim at most ~290 MB.
declare -A max_len=([emd]=262144)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(tiff raster dm emd ser mrc npy)
mkdir -p "$artifacts"
# What was there before this run is not this run's finding.
declare -A known=()
for f in "$artifacts"/*; do [ -e "$f" ] && known[$f]=1; done

# "#123 INITED cov: 456 ft: 789 corp: 12/34kb ..." -> the value after KEY on the last such line.
field() { grep -E "$1" "$2" | tail -n 1 | sed -nE "s/.* $3: ([0-9]+).*/\1/p"; }

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
    case $format in
    tiff) python3 "$root/tests/fuzz/make_tiff_seeds.py" "$corpus" >/dev/null || failed+=("make_tiff_seeds") ;;
    emd) "$build/tests/fuzz/make_hdf5_seeds" "$corpus" >/dev/null || failed+=("make_hdf5_seeds") ;;
    esac
    echo "fuzz_$format: ${seconds}s on $(ls "$corpus" | wc -l) corpus files"
    log="$artifacts/fuzz_$format.log"
    : >"$log"
    # A run ended by a defect inside libhdf5 itself (triage_crash.py: its stack and the memory's reach
    # libhdf5 before MotifScope; users decode in a forked child) keeps its artifact in
    # fuzz-artifacts/libhdf5/ and the campaign goes on from the same corpus. Anything else ends it.
    deadline=$((SECONDS + seconds))
    execs=0 runs=0 library=0 first_cov="" first_ft="" status=0
    while [ $((deadline - SECONDS)) -ge 1 ]; do
        declare -A before=()
        for f in "$artifacts"/"$format"-*; do [ -e "$f" ] && before[$f]=1; done
        # HDF5 1.10 leaks on its own error paths (see tests/sanitizers/lsan.supp); MotifScope's leaks count.
        # -malloc_limit_mb: one allocation above 1 GiB is a finding (an out-of-memory artifact).
        LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
            "$binary" "$corpus" -max_total_time=$((deadline - SECONDS)) -max_len="${max_len[$format]:-1100000}" \
                -rss_limit_mb=3072 -malloc_limit_mb=1024 -timeout=20 -print_final_stats=1 \
                -artifact_prefix="$artifacts/$format-" >"$log.run" 2>&1
        status=$?
        cat "$log.run" >>"$log"
        runs=$((runs + 1))
        execs=$((execs + $(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log.run" | tail -n 1)))
        [ -n "$first_cov" ] || { first_cov=$(field INITED "$log.run" cov); first_ft=$(field INITED "$log.run" ft); }
        [ $status -ne 0 ] || break
        fresh=()
        for f in "$artifacts"/"$format"-*; do [ -e "$f" ] && [ -z "${before[$f]:-}" ] && fresh+=("$f"); done
        [ ${#fresh[@]} -eq 1 ] && [ "$("$root/tests/fuzz/triage_crash.py" "$log.run")" = libhdf5 ] || break
        mkdir -p "$artifacts/libhdf5"
        mv "${fresh[0]}" "$artifacts/libhdf5/"
        cp "$log.run" "$artifacts/libhdf5/$(basename "${fresh[0]}").log"
        library=$((library + 1))
        status=0
    done
    rm -f "$log.run"
    echo "fuzz_$format: $execs execs in $runs run(s) ($((execs / (seconds > 0 ? seconds : 1)))/s)," \
        "coverage ${first_cov:-?} -> $(field 'cov:' "$log" cov) edges, features ${first_ft:-?} ->" \
        "$(field 'ft:' "$log" ft), corpus $(ls "$corpus" | wc -l) files, peak $(field 'rss:' "$log" rss) MB"
    awk '/^hdf5_allocation_limit:/ { n += $2; if ($(NF - 1) + 0 > big) big = $(NF - 1) + 0; seen = 1 }
         END { if (seen) printf "fuzz_%s: %d libhdf5 allocations refused by the input-size cap (largest %d bytes)\n", f, n, big }' \
        f="$format" "$log"
    [ $library -eq 0 ] || echo "fuzz_$format: $library run(s) ended inside libhdf5 1.10 itself (not MotifScope's" \
        "code; users decode in a forked child): $artifacts/libhdf5/"
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
