"""Shared fixtures: motifscope-cli (MOTIFSCOPE_CLI_PATH, set by ctest) and small synthetic micrographs."""
import csv
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

CLI = os.environ.get("MOTIFSCOPE_CLI_PATH", "motifscope-cli")
SOURCE_DIR = Path(os.environ.get("MOTIFSCOPE_SOURCE_DIR", Path(__file__).resolve().parents[2]))


def run_cli(*args, check=True):
    """Runs motifscope-cli; returns the CompletedProcess (text output)."""
    result = subprocess.run([CLI, *map(str, args)], capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"motifscope-cli {' '.join(map(str, args))}: {result.stderr}")
    return result


def cli_error(*args):
    """The one-line message motifscope-cli prints for a failing command (without its prefix)."""
    result = run_cli(*args, check=False)
    assert result.returncode != 0, result.stdout
    line = result.stderr.strip().splitlines()[-1]
    prefix = "motifscope-cli: error: "
    assert line.startswith(prefix), line
    return line[len(prefix):]


def read_csv(path):
    """A CSV as {column name: list of the cells' text}."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return {name: [row[k] for row in rows[1:]] for k, name in enumerate(rows[0])}


def cells(values, fmt):
    """NumPy values as the CLI prints them (printf format `fmt`); NaN as an empty cell."""
    out = []
    for v in np.asarray(values).tolist():
        if isinstance(v, float) and v != v:
            out.append("")
        else:
            out.append(fmt % v)
    return out


@pytest.fixture(scope="session")
def synth(tmp_path_factory):
    """synth(seed, size=256, preset='mixed-lattice') -> path of STEM.tif, made once per session."""
    folder = tmp_path_factory.mktemp("synth")
    made = {}

    def make(seed, size=256, preset="mixed-lattice"):
        key = (seed, size, preset)
        if key not in made:
            stem = folder / f"{preset}-{size}-s{seed}"
            run_cli("synth", "--preset", preset, "--size", size, "--seed", seed, "--out", stem)
            made[key] = stem.with_suffix(".tif")
        return made[key]

    return make
