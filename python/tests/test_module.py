"""The module against motifscope-cli: the same image and seed give the same results."""
import _thread
import json
import threading

import numpy as np
import pytest

import motifscope
from conftest import cells, cli_error, read_csv, run_cli

DETECT_FORMATS = {"x": "%.4f", "y": "%.4f", "intensity": "%.6g", "width": "%.4f", "background": "%.6g",
                  "residual": "%.4f", "refinement": "%d", "sigma_px": "%.4g"}
# analysis_output.cpp's precisions (appendNumber: %g-like with these significant digits).
ANALYSIS_FORMATS = {"x": "%.8g", "y": "%.8g", "intensity": "%.6g", "motif": "%d", "confidence": "%.4g",
                    "width": "%.4g", "background": "%.6g", "residual": "%.4g", "patch_inside": "%d",
                    "sigma_px": "%.4g", "novel": "%d", "nearest_motif": "%d"}


def assert_columns_equal(ours, csv_columns, formats):
    for name, fmt in formats.items():
        if name in csv_columns:
            assert cells(ours[name], fmt) == csv_columns[name], name


def test_version():
    assert motifscope.__version__.count(".") == 2


def test_read(synth):
    image = motifscope.read(synth(2))
    assert image.data.shape == (256, 256) and image.data.dtype == np.float32
    assert image.width == 256 and image.height == 256 and image.frames == 1
    assert isinstance(image.metadata, dict) and isinstance(image.unit, str) and image.pixel_size > 0
    # .data is a view of the micrograph's pixels, not a copy.
    assert np.shares_memory(image.data, image.data) and image.data.base is not None
    assert image.data.ctypes.data == image.data.ctypes.data


def test_detect_equals_cli(synth, tmp_path):
    path = synth(2)
    run_cli("detect", path, "--out", tmp_path / "columns.csv")
    expected = read_csv(tmp_path / "columns.csv")
    assert list(expected) == list(DETECT_FORMATS)
    for image in (path, str(path), motifscope.read(path), motifscope.read(path).data,
                  motifscope.read(path).data.astype(np.float64)):
        ours = motifscope.detect(image)
        assert list(ours) == list(DETECT_FORMATS)
        assert_columns_equal(ours, expected, DETECT_FORMATS)


def test_detect_options_equal_cli(synth, tmp_path):
    path = synth(2)
    run_cli("detect", path, "--out", tmp_path / "c.csv", "--no-joint-fit", "--no-residual-passes", "--threads", 1)
    ours = motifscope.detect(path, joint_fit=False, residual_passes=False, threads=1)
    assert_columns_equal(ours, read_csv(tmp_path / "c.csv"), DETECT_FORMATS)


def test_analyze_equals_cli(synth, tmp_path):
    path = synth(2)
    run_cli("analyze", path, "--out", tmp_path / "a", "--seed", 3)
    ours = motifscope.analyze(path, seed=3)
    expected = read_csv(tmp_path / "a" / "columns.csv")
    assert list(ours["columns"]) == list(expected)
    assert_columns_equal(ours["columns"], expected, ANALYSIS_FORMATS)
    assert ours["hierarchy"] == json.loads((tmp_path / "a" / "hierarchy.json").read_text())
    assert ours["disorder"] == json.loads((tmp_path / "a" / "disorder.json").read_text())
    motifs = json.loads((tmp_path / "a" / "motifs.json").read_text())
    motifs = motifs["motifs"] if isinstance(motifs, dict) else motifs
    assert [m["id"] for m in ours["motifs"]] == [m["id"] for m in motifs]
    assert [m["count"] for m in ours["motifs"]] == [m["count"] for m in motifs]


def test_learn_and_classify_equal_cli(synth, tmp_path):
    learn_from, frame = str(synth(2)), str(synth(3))
    run_cli("learn", learn_from, "--out", tmp_path / "cli.motifdict")
    dictionary = motifscope.learn(learn_from)
    dictionary.save(tmp_path / "py.motifdict")
    assert (tmp_path / "py.motifdict").read_bytes() == (tmp_path / "cli.motifdict").read_bytes()

    run_cli("classify", tmp_path / "cli.motifdict", frame, "--out", tmp_path / "series")
    lines = (tmp_path / "series" / "series.csv").read_text().splitlines()
    ours = motifscope.classify(tmp_path / "cli.motifdict", frame)
    assert dictionary.series_header() == lines[0]
    assert ours["row"] == lines[1]
    stem = (tmp_path / "series" / "mixed-lattice-256-s3")
    expected = read_csv(stem / "columns.csv")
    assert list(ours["columns"]) == list(expected)
    assert_columns_equal(ours["columns"], expected, ANALYSIS_FORMATS)
    assert ours["disorder"] == json.loads((stem / "disorder.json").read_text())
    assert ours["hierarchy"] == json.loads((stem / "hierarchy.json").read_text())
    # The same from the in-memory dictionary and from the pixels (no file name for the row then).
    again = motifscope.classify(dictionary, motifscope.read(frame))
    assert_columns_equal(again["columns"], expected, ANALYSIS_FORMATS)


def test_features(synth):
    path = synth(2)
    columns = motifscope.detect(path)
    f = motifscope.features(path, columns)
    assert f["invariants"].shape == (len(columns["x"]), 36)
    assert f["inside"].dtype == np.bool_ and f["inside"].any()
    assert f["patch_size"] % 2 == 1
    xy = np.stack([columns["x"], columns["y"]], axis=1)
    assert np.array_equal(motifscope.features(path, xy)["invariants"], f["invariants"])


def test_hierarchy_and_disorder_equal_cli(synth, tmp_path):
    path = synth(2)
    run_cli("detect", path, "--out", tmp_path / "columns.csv")
    run_cli("hierarchy", tmp_path / "columns.csv", "--out", tmp_path / "h")
    expected = read_csv(tmp_path / "columns.csv")
    columns = {"x": np.array(expected["x"], float), "y": np.array(expected["y"], float)}
    ours = motifscope.hierarchy(columns)
    column_motif = ours.pop("column_motif")
    assert ours == json.loads((tmp_path / "h" / "hierarchy.json").read_text())
    assert cells(column_motif, "%d") == read_csv(tmp_path / "h" / "columns.csv")["motif"]
    assert motifscope.disorder(columns) == json.loads((tmp_path / "h" / "disorder.json").read_text())


def test_errors_are_the_cli_message(tmp_path):
    missing = str(tmp_path / "missing.tif")
    with pytest.raises(motifscope.IoError) as e:
        motifscope.read(missing)
    assert isinstance(e.value, OSError)
    assert str(e.value) == cli_error("detect", missing, "--out", tmp_path / "c.csv")
    flat = str(tmp_path / "flat.npy")
    np.save(flat, np.zeros((64, 64), np.float32))
    message = cli_error("detect", flat, "--out", tmp_path / "c.csv")
    with pytest.raises(RuntimeError) as e:
        motifscope.detect(flat)
    assert str(e.value) == message and "\n" not in message
    with pytest.raises(RuntimeError) as e:
        motifscope.detect(np.zeros((64, 64), np.float32))
    assert message.endswith(": " + str(e.value))
    with pytest.raises(TypeError, match="spacng"):
        motifscope.detect(flat, spacng=3)
    with pytest.raises(ValueError, match="2-D"):
        motifscope.detect(np.zeros(5))


def test_progress_and_cancel(synth):
    path = synth(2, size=1024)
    seen = []
    motifscope.detect(path, progress=lambda fraction, stage: seen.append((fraction, stage)))
    assert seen and all(0 <= f <= 1 for f, _ in seen)

    def stop(fraction, stage):
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        motifscope.detect(path, progress=stop)
    # Ctrl+C (SIGINT to the main thread) stops a long call.
    timer = threading.Timer(0.3, _thread.interrupt_main)
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        motifscope.analyze(path)
    timer.join()


def test_gil_is_released(synth):
    data = motifscope.read(synth(2, size=1024)).data
    ticks = []
    worker = threading.Thread(target=motifscope.detect, args=(data,))
    worker.start()
    while worker.is_alive():
        ticks.append(1)
        worker.join(0.01)
    assert len(ticks) > 3


class _Axis:
    def __init__(self, scale, units):
        self.scale, self.units = scale, units


class _FakeSignal2D:
    """What motifscope reads of a HyperSpy Signal2D: .data and axes_manager.signal_axes."""

    def __init__(self, data, scale, units):
        self.data = data
        self.axes_manager = type("AxesManager", (), {"signal_axes": (_Axis(scale, units), _Axis(scale, units))})()


def test_hyperspy_signal(synth):
    path = synth(2)
    data = motifscope.read(path).data
    expected = motifscope.detect(data)
    ours = motifscope.detect(_FakeSignal2D(data, 0.02, "nm"))
    assert all(np.array_equal(ours[k], expected[k]) for k in expected)
    hyperspy = pytest.importorskip("hyperspy.api")
    signal = hyperspy.signals.Signal2D(data)
    assert np.array_equal(motifscope.detect(signal)["x"], expected["x"])
