#!/usr/bin/python3
"""Writes the Keras-format .h5 fixtures of KerasH5WeightsTest with h5py alone (Keras is not needed).

The network is TinyModel's with 3 classes: input 5x5x2 -> conv1_conv (3 filters, 3x3, valid, bias)
-> conv1_bn (epsilon 1e-3) -> conv1_relu -> avg_pool (global average) -> predictions (dense 3, softmax).
The files are laid out as Keras 2 writes them (keras/saving/legacy/hdf5_format.py):

  tiny_weights.h5  model.save_weights('x.h5'): root attributes layer_names (every layer, weightless ones
                   too, as fixed-length byte strings), backend, keras_version; a group per layer with
                   the attribute weight_names (an empty float64 array for a layer without weights) and
                   a dataset at each weight name ('conv1_conv/kernel:0' in group 'conv1_conv').
  tiny_model.h5    model.save('x.h5'): the same under /model_weights, with model_config and
                   training_config at the root and an optimizer_weights group beside it.
  tiny_expected.json  a fixed input batch and the network's softmax output for it, computed here in
                   float64 from the same weights with NumPy (NHWC input, HWIO kernels, as Keras).

Run from this folder: /usr/bin/python3 make_fixtures.py
"""
import json

import h5py
import numpy as np

rng = np.random.RandomState(20261202)
weights = {
    "conv1_conv": [("kernel", rng.normal(size=(3, 3, 2, 3))), ("bias", rng.normal(size=(3,)))],
    "conv1_bn": [("gamma", rng.normal(size=(3,))), ("beta", rng.normal(size=(3,))),
                 ("moving_mean", rng.normal(size=(3,))), ("moving_variance", 0.5 + rng.uniform(size=(3,)))],
    "predictions": [("kernel", rng.normal(size=(3, 3))), ("bias", rng.normal(size=(3,)))],
}
weights = {layer: [(n, v.astype(np.float32)) for n, v in ws] for layer, ws in weights.items()}
layers = ["input_1", "conv1_conv", "conv1_bn", "conv1_relu", "avg_pool", "predictions"]


def write_layers(group):
    group.attrs["layer_names"] = np.array([n.encode("utf8") for n in layers])
    group.attrs["backend"] = "tensorflow".encode("utf8")
    group.attrs["keras_version"] = "2.13.1".encode("utf8")
    for layer in layers:
        g = group.create_group(layer)
        ws = weights.get(layer, [])
        g.attrs["weight_names"] = np.asarray([f"{layer}/{n}:0".encode("utf8") for n, _ in ws])
        for n, v in ws:
            g.create_dataset(f"{layer}/{n}:0", data=v)


with h5py.File("tiny_weights.h5", "w") as f:
    write_layers(f)

with h5py.File("tiny_model.h5", "w") as f:
    f.attrs["keras_version"] = "2.13.1".encode("utf8")
    f.attrs["backend"] = "tensorflow".encode("utf8")
    f.attrs["model_config"] = json.dumps({"class_name": "Functional", "config": {"name": "tiny"}}).encode("utf8")
    f.attrs["training_config"] = json.dumps({"loss": "sparse_categorical_crossentropy"}).encode("utf8")
    write_layers(f.create_group("model_weights"))
    optimizer = f.create_group("optimizer_weights")
    optimizer.attrs["weight_names"] = np.asarray([b"Adam/iter:0"])
    optimizer.create_dataset("Adam/iter:0", data=np.int64(7))

x = rng.normal(size=(2, 5, 5, 2)).astype(np.float32)
w = {layer: {n: v.astype(np.float64) for n, v in ws} for layer, ws in weights.items()}
conv = np.zeros((2, 3, 3, 3))
for i in range(3):
    for j in range(3):
        patch = x[:, i:i + 3, j:j + 3, :].astype(np.float64)
        conv[:, i, j, :] = np.einsum("nhwc,hwco->no", patch, w["conv1_conv"]["kernel"])
conv += w["conv1_conv"]["bias"]
bn = w["conv1_bn"]
normed = (conv - bn["moving_mean"]) / np.sqrt(bn["moving_variance"] + 1e-3) * bn["gamma"] + bn["beta"]
pooled = np.maximum(normed, 0).mean(axis=(1, 2))
logits = pooled @ w["predictions"]["kernel"] + w["predictions"]["bias"]
probabilities = np.exp(logits - logits.max(axis=1, keepdims=True))
probabilities /= probabilities.sum(axis=1, keepdims=True)
with open("tiny_expected.json", "w") as out:
    json.dump({"input_shape": list(x.shape), "input": x.reshape(-1).tolist(),
               "probabilities": probabilities.reshape(-1).tolist()}, out, indent=1)
    out.write("\n")
