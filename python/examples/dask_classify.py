#!/usr/bin/env python3
"""Classify every frame of many micrographs with a motif dictionary on a local Dask cluster.

    python3 dask_classify.py DICT.motifdict IMAGE... > series.csv

Prints series.csv as `motifscope-cli classify DICT.motifdict IMAGE... --out DIR` writes it (the same
header and rows, in the same order). One task per frame (dask.bag), spread over worker processes of a
dask.distributed LocalCluster; each worker loads the dictionary once. For a real cluster, pass a
Client connected to its scheduler instead (classify_series(..., client=Client("tcp://..."))).
"""
import sys

import dask.bag as db
from dask.distributed import Client, LocalCluster

import motifscope

_dictionaries = {}


def dictionary(path):
    """The dictionary of `path`, loaded once per worker process."""
    if path not in _dictionaries:
        _dictionaries[path] = motifscope.load_dictionary(path)
    return _dictionaries[path]


def frames(path):
    """(path, index) of every frame of a file: TIFF pages, DM / EMD / HyperSpy stacks, SER series."""
    return [(path, index) for index in range(motifscope.read(path).frames)]


def classify_frame(dictionary_path, frame):
    """series.csv's row of one frame (the work runs without the GIL, one thread per worker)."""
    path, index = frame
    return motifscope.classify(dictionary(dictionary_path), path, index=index, threads=1)["row"]


def classify_series(dictionary_path, files, workers=2, client=None):
    """series.csv's lines (header first) for every frame of `files`."""
    bag = db.from_sequence(files, npartitions=max(1, len(files))).map(frames).flatten()
    rows = bag.map(lambda frame: classify_frame(dictionary_path, frame))
    if client is not None:
        found = rows.compute()
    else:
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster):
            found = rows.compute()
    return [dictionary(dictionary_path).series_header(), *found]


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    print("\n".join(classify_series(sys.argv[1], sys.argv[2:])))
