#!/usr/bin/python3
"""Reads a file of `specc export --format h5` as Keras 2's load_weights(by_name=True) does
(keras/saving/legacy/hdf5_format.py: load_weights_from_hdf5_group_by_name), with h5py alone, and
prints what it found. Usage: /usr/bin/python3 check_export.py weights.h5
"""
import sys

import h5py
import numpy as np


def strings(group, name):
    return [n.decode("utf8") if hasattr(n, "decode") else n for n in group.attrs[name]]


with h5py.File(sys.argv[1], "r") as f:
    version = f.attrs["keras_version"]
    backend = f.attrs["backend"]
    layers = strings(f, "layer_names")
    count = 0
    for layer in layers:
        group = f[layer]
        values = [np.asarray(group[name]) for name in strings(group, "weight_names")]
        assert values, f"layer {layer} lists no weights"
        assert all(v.dtype == np.float32 for v in values), layer
        count += sum(v.size for v in values)
    print(f"keras_version {version.decode() if hasattr(version, 'decode') else version}, "
          f"backend {backend.decode() if hasattr(backend, 'decode') else backend}: "
          f"{len(layers)} layers with weights, {count:,} parameters")
