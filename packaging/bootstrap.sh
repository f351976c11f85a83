#!/usr/bin/env bash
# MotifScope set-up on a fresh Debian 12 machine (run as root, or with sudo).
#   bash packaging/bootstrap.sh run    install what is missing, build, open the app on the sample
#   bash packaging/bootstrap.sh test   install what is missing, build, run the whole test suite
# Environment: BUILD_DIR (default build), JOBS (default: all cores), SKIP_APT=1 to skip installing,
#   MOTIFSCOPE_DEB_TEST=0 to skip the .deb install test, MOTIFSCOPE_FUZZ_SMOKE=0 to skip the fuzz run,
#   FUZZ_LONG=1 for CI's on-demand fuzz job (each reader's target 10 minutes instead of 20 s).
set -euo pipefail
mode=${1:-test}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
jobs=${JOBS:-$(nproc)}

install_deps() {
    [ "${SKIP_APT:-0}" = 1 ] && return
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    local pkgs
    pkgs=$(grep -v '^#' "$root/packaging/build-deps.txt")
    [ "$mode" = run ] && pkgs="$pkgs qt6-qpa-plugins"
    # The test suite's fuzz smoke stage builds the libFuzzer targets with clang.
    # It also runs the Snakemake scale-out workflow (tests/workflow/test_snakemake.sh) and the Python
    # module's pytest suite with its Dask example (python/tests).
    [ "$mode" = test ] && pkgs="$pkgs clang libclang-rt-14-dev snakemake python3-pytest python3-numpy python3-dask python3-distributed"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update
    # shellcheck disable=SC2086
    $sudo apt-get install -y --no-install-recommends $pkgs
}

configure_and_build() {
    local dir=$1; shift
    cmake -S "$root" -B "$dir" -G Ninja "$@"
    cmake --build "$dir" -j "$jobs"
}

# `import motifscope` from Debian's python3 then finds the module just built, as an editable install
# would: a .pth file in /usr/local's site-packages names the build's python folder. (The .deb
# installs its own copy into /usr/lib/python3/dist-packages; delete the .pth to use that one.)
link_python_module() {
    local module_dir="$build/python" site
    compgen -G "$module_dir/motifscope*.so" >/dev/null || return 0
    [ -x /usr/bin/python3 ] || return 0
    site=$(/usr/bin/python3 -c "import site; print(site.getsitepackages()[0])" 2>/dev/null) || return 0
    if mkdir -p "$site" 2>/dev/null && echo "$module_dir" >"$site/motifscope-build.pth" 2>/dev/null; then
        echo "== Python: 'import motifscope' uses $module_dir ($site/motifscope-build.pth)"
    else
        echo "== Python: set PYTHONPATH=$module_dir to import motifscope (cannot write to $site)"
    fi
}

run_tests() {
    echo "== release build: all targets and tests"
    configure_and_build "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
    (cd "$build" && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j "$jobs")

    if [ "$(id -u)" -eq 0 ] && [ "${MOTIFSCOPE_DEB_TEST:-1}" = 1 ]; then
        echo "== Debian package: cpack, dpkg -i, run the installed programs, remove"
        bash "$root/packaging/test-deb.sh" "$build"
    else
        echo "== Debian package test skipped (needs root; MOTIFSCOPE_DEB_TEST=0 turns it off)"
    fi

    echo "== AddressSanitizer + UBSan build: file readers, robustness under truncation and bit flips"
    local sanitized="core_test_io_robustness core_test_dm_reader core_test_emd_reader core_test_mrc_reader
        core_test_npy_reader core_test_ser_reader core_test_tiff_io core_test_raster_io core_test_formats_expected
        core_test_isolated_decode core_test_hyperspy_reader"
    cmake -S "$root" -B "$build-asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMOTIFSCOPE_SANITIZE=ON \
        -DMOTIFSCOPE_BUILD_UI=OFF -DCMAKE_CXX_FLAGS=-O1
    # shellcheck disable=SC2086
    cmake --build "$build-asan" -j "$jobs" --target $sanitized
    (cd "$build-asan" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
        QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j "$jobs" \
        -R 'io_robustness|reader|tiff_io|raster_io|formats_expected|emd|isolated_decode')

    if [ "${MOTIFSCOPE_FUZZ_SMOKE:-1}" = 1 ] && command -v clang++ >/dev/null 2>&1; then
        echo "== libFuzzer targets (clang): build and a run on the sample and generated corpus (FUZZ_LONG=1: 10 min each)"
        CC=clang CXX=clang++ cmake -S "$root" -B "$build-fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
            -DMOTIFSCOPE_FUZZ=ON -DMOTIFSCOPE_BUILD_UI=OFF -DMOTIFSCOPE_BUILD_TESTS=OFF
        # The readers alone (motifscope_io), not the rest of core.
        cmake --build "$build-fuzz" -j "$jobs" --target fuzz_tiff fuzz_raster fuzz_dm fuzz_emd fuzz_ser fuzz_mrc fuzz_npy \
            make_hdf5_seeds
        "$root/tests/fuzz/run_fuzzers.sh" "$build-fuzz"
    else
        echo "== libFuzzer targets not built (clang missing, or MOTIFSCOPE_FUZZ_SMOKE=0)"
    fi
}

install_deps
case "$mode" in
run)
    configure_and_build "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
    link_python_module
    exec "$build/app/motifscope" "$root/resources/MoSe2_80K_small_region.tif"
    ;;
test)
    run_tests
    link_python_module
    ;;
*)
    echo "usage: $0 run|test" >&2
    exit 2
    ;;
esac
