#!/usr/bin/env bash
# Builds the .deb from a configured build folder, installs it with dpkg -i (apt -f for missing libraries),
# checks what a user gets, then removes it again.
#   bash packaging/test-deb.sh BUILD_DIR
# Needs root (it installs into the system): meant for CI machines and throwaway containers.
set -euo pipefail
build=${1:?usage: test-deb.sh BUILD_DIR}
fail() { echo "test-deb: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls -t "$build"/motifscope_*.deb | head -1)
[ -f "$deb" ] || fail "cpack made no .deb in $build"
echo "== $(basename "$deb"): $(du -h "$deb" | cut -f1)"
dpkg-deb --info "$deb" | grep -E '^ (Package|Version|Architecture|Depends):' || true

export DEBIAN_FRONTEND=noninteractive
# dpkg -i as a user would; when a run-time library is missing, apt fetches it and finishes the install.
if ! dpkg -i "$deb" >/dev/null; then
    apt-get install -f -y --no-install-recommends >/dev/null
fi
dpkg -s motifscope | grep -q '^Status: install ok installed' || fail "dpkg could not install $(basename "$deb")"
trap 'dpkg -r motifscope >/dev/null 2>&1 || true' EXIT

for f in /usr/bin/motifscope /usr/bin/motifscope-cli /usr/share/applications/motifscope.desktop \
         /usr/share/mime/packages/motifscope.xml /usr/share/icons/hicolor/scalable/apps/motifscope.svg \
         /usr/share/motifscope/samples/MoSe2_80K_small_region.tif; do
    [ -e "$f" ] || fail "the package does not install $f"
done
# The Python module, for Debian's python3 (NumPy comes with the package's dependencies or python3-numpy).
if ! /usr/bin/python3 -c "import numpy" 2>/dev/null; then
    apt-get install -y --no-install-recommends python3-numpy >/dev/null
fi
(cd / && /usr/bin/python3 -c "import motifscope; print('motifscope', motifscope.__version__)") \
    || fail "Debian's python3 cannot import the installed motifscope module"
# The installed file itself (site's .pth files ignored: bootstrap may have linked a build's module).
(cd / && /usr/bin/python3 -S -c "import sys; sys.path.append('/usr/lib/python3/dist-packages'); import motifscope
assert motifscope.__file__.startswith('/usr/lib/python3/dist-packages/'), motifscope.__file__") \
    || fail "the installed motifscope module is not in /usr/lib/python3/dist-packages"
grep -q '^Exec=motifscope' /usr/share/applications/motifscope.desktop || fail "desktop entry has no Exec line"
grep -q 'application/x-motifscope-session' /usr/share/applications/motifscope.desktop \
    || fail "desktop entry does not claim .motifscope sessions"

# The installed programs work from the installed files alone (not the build tree).
work=$(mktemp -d)
trap 'rm -rf "$work"; dpkg -r motifscope >/dev/null 2>&1 || true' EXIT
(cd "$work" && /usr/bin/motifscope-cli analyze /usr/share/motifscope/samples/MoSe2_80K_small_region.tif \
    --out "$work/analysis" >/dev/null) || fail "installed motifscope-cli could not analyse the installed sample"
for f in columns.csv motifs.json hierarchy.json overlay.png; do
    [ -s "$work/analysis/$f" ] || fail "installed analyze wrote no $f"
done
(cd "$work" && /usr/bin/python3 -c "import motifscope, sys
c = motifscope.detect('/usr/share/motifscope/samples/MoSe2_80K_small_region.tif')
rows = sum(1 for _ in open('analysis/columns.csv')) - 1
print('installed module:', len(c['x']), 'columns; installed analyze:', rows)
sys.exit(0 if len(c['x']) == rows else 1)") \
    || fail "the installed Python module does not find the columns analyze found"
QT_QPA_PLATFORM=offscreen timeout 300 /usr/bin/motifscope /usr/share/motifscope/samples/MoSe2_80K_small_region.tif \
    --screenshot "$work/window.png" || fail "installed motifscope could not open the sample and take a screenshot"
[ -s "$work/window.png" ] || fail "installed motifscope wrote no screenshot"

# The MIME database knows .motifscope files once the package's trigger has run.
if command -v update-mime-database >/dev/null 2>&1; then
    update-mime-database /usr/share/mime
    grep -q 'x-motifscope-session' /usr/share/mime/globs2 || fail "MIME database lacks .motifscope sessions"
fi

dpkg -r motifscope >/dev/null
[ ! -e /usr/bin/motifscope-cli ] || fail "dpkg -r left /usr/bin/motifscope-cli behind"
echo "== .deb installs, runs the sample, registers its MIME type and removes cleanly"
