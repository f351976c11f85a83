"""The Dask example (examples/dask_classify.py) gives the rows motifscope-cli classify gives."""
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SOURCE_DIR, run_cli

pytest.importorskip("dask.bag")
pytest.importorskip("distributed")

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "dask_classify.py"


def test_dask_classify_equals_cli(synth, tmp_path):
    run_cli("learn", synth(2), "--out", tmp_path / "d.motifdict")
    stack = tmp_path / "stack.tif"
    subprocess.run([sys.executable, SOURCE_DIR / "tests" / "workflow" / "tiff_stack.py",
                    synth(4), synth(5), stack], check=True)
    files = [str(synth(3)), str(stack)]
    run_cli("classify", tmp_path / "d.motifdict", *files, "--out", tmp_path / "ref", "--threads", 2)
    expected = (tmp_path / "ref" / "series.csv").read_text().splitlines()
    assert len(expected) == 4  # header, one file, a two-frame stack

    # The documented way: the example as a program, its output is series.csv.
    out = subprocess.run([sys.executable, EXAMPLE, tmp_path / "d.motifdict", *files],
                         capture_output=True, text=True, check=True, timeout=600)
    assert out.stdout.splitlines() == expected
