#!/usr/bin/env bash
# The scale-out workflow (workflow/snakemake, docs/scale-out.md) against one `classify`: five frames
# (two files, a two-page TIFF stack, and a file whose name another has already, so its folder is
# s2-2) classified by `snakemake -j 2` (one job per frame, then merge-series) give the same
# series.csv, byte for byte, and the same frame folders as `motifscope-cli classify` over the same
# frames in one run. Then the SLURM profile, with stand-ins for sbatch / sacct / scancel that run each
# job at once on this machine, gives them again.
# usage: test_snakemake.sh MOTIFSCOPE_CLI SOURCE_DIR WORK_DIR    (exit 77 = skipped: no snakemake)
set -euo pipefail
cli=$1
src=$2
work=$3
if ! command -v snakemake >/dev/null 2>&1; then
    echo "SKIP: snakemake is not installed (apt-get install snakemake)"
    exit 77
fi
workflow=$src/workflow/snakemake
rm -rf "$work"
mkdir -p "$work"
cd "$work"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
seconds() { date +%s.%N; }

for seed in 1 2 3 4 5 6; do
    "$cli" synth --preset mixed-lattice --size 256 --seed "$seed" --out "s$seed" >/dev/null
done
"$cli" learn s1.tif --out d.motifdict
python3 "$src/tests/workflow/tiff_stack.py" s4.tif s5.tif stack.tif
mkdir again
cp s6.tif again/s2.tif
frames=(s2.tif s3.tif stack.tif again/s2.tif)
stems="s2 s2-2 s3 stack_f0000 stack_f0001"

t0=$(seconds)
"$cli" classify d.motifdict "${frames[@]}" --out ref --threads 2
t1=$(seconds)

images='["s2.tif", "s3.tif", "stack.tif", "again/s2.tif"]'
snake() { # snakemake on the frames into folder $1, more flags after it
    local out=$1
    shift
    snakemake -s "$workflow/Snakefile" --config dictionary=d.motifdict "images=$images" "out=$out" "cli=$cli" \
        --quiet "$@"
}
# The same folder as classify's: series.csv byte for byte, every frame folder file for file.
same_as_classify() {
    local out=$1
    [ -f "$out/series.csv" ] || fail "$out/series.csv missing"
    cmp ref/series.csv "$out/series.csv" || {
        diff ref/series.csv "$out/series.csv" >&2 || true
        fail "$out/series.csv differs from classify's"
    }
    [ "$(cd "$out" && ls | tr '\n' ' ')" = "$(cd ref && ls | tr '\n' ' ')" ] ||
        fail "$out holds $(cd "$out" && ls | tr '\n' ' '), classify's folder $(cd ref && ls | tr '\n' ' ')"
    for stem in $stems; do
        [ -f "$out/$stem/columns.csv" ] && [ -f "$out/$stem/manifest.json" ] || fail "$out/$stem is not a frame folder"
        diff -r "ref/$stem" "$out/$stem" >/dev/null || fail "$out/$stem differs from classify's"
    done
}

snake wf -j 2 2>snakemake.log || { cat snakemake.log >&2; fail "snakemake -j 2 failed"; }
t2=$(seconds)
same_as_classify wf
[ "$(ls wf.parts/parts | wc -l)" = 5 ] || fail "expected one part per frame: $(ls wf.parts/parts)"

# Nothing to do a second time; series.csv stays as it is.
before=$(stat -c %Y.%s wf/series.csv)
second=$(snake wf -j 2 2>&1)
case $second in *"Nothing to be done"*) ;; *) fail "a second run did work again: $second" ;; esac
[ "$(stat -c %Y.%s wf/series.csv)" = "$before" ] || fail "a second run rewrote series.csv"

# The SLURM profile: its sbatch line, status script and the classify jobs through them.
mkdir -p fakebin
cat >fakebin/sbatch <<'SBATCH'
#!/usr/bin/env bash
# sbatch's stand-in: starts the job script (the last argument) in the background, --output as given,
# and prints the job id; the job's state is in fakebin/<id>.state once it ended.
set -u
bin=$(dirname "$0")
id=$(($(cat "$bin/next" 2>/dev/null || echo 100) + 1))
echo "$id" >"$bin/next"
log=/dev/null
for a in "$@"; do case $a in --output=*) log=${a#--output=} ;; esac; done
log=${log//%j/$id}
script=${!#}
(if bash "$script" >"$log" 2>&1; then s=COMPLETED; else s=FAILED; fi
 echo $s >"$bin/$id.tmp" && mv "$bin/$id.tmp" "$bin/$id.state") </dev/null >/dev/null 2>&1 &
echo "$id" >>"$bin/submitted"
echo "$id"
SBATCH
cat >fakebin/sacct <<'SACCT'
#!/usr/bin/env bash
# sacct's stand-in for status.sh: the state of job -j ID.
bin=$(dirname "$0")
while [ $# -gt 0 ]; do
    [ "$1" = -j ] && { cat "$bin/$2.state" 2>/dev/null || echo RUNNING; }
    shift
done
SACCT
printf '#!/bin/sh\nexit 0\n' >fakebin/scancel
chmod +x fakebin/*
t2b=$(seconds)
# CI=true: Snakemake 7 polls cluster jobs every second instead of every ten.
CI=true PATH=$work/fakebin:$PATH snake wf-slurm --profile "$workflow/profiles/slurm" --latency-wait 5 \
    --max-status-checks-per-second 10 >slurm.log 2>&1 || { cat slurm.log >&2; fail "the SLURM profile run failed"; }
t3=$(seconds)
[ "$(wc -l <fakebin/submitted)" = 5 ] || fail "expected 5 sbatch jobs, got $(wc -l <fakebin/submitted)"
[ -f logs/slurm/classify-101.out ] || fail "no SLURM job log logs/slurm/classify-101.out"
same_as_classify wf-slurm

awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t2b" -v e="$t3" 'BEGIN { printf "classify: %.1f s, snakemake -j 2: %.1f s, SLURM profile (stand-in sbatch): %.1f s\n", b - a, c - b, e - d }'
echo "PASS: the workflow's series.csv and frame folders are classify's"
