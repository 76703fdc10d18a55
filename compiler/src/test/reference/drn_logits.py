#!/usr/bin/python3
"""specc's DRN specs against fyu/drn's drn.py, numerically: the same random weights give the same logits.

For each network named (default: drn_d_22), drn.py's model is built in Debian's PyTorch with random
weights and random batch-norm statistics (eval mode), its state dict is renamed to specc's Keras names
and transposed (OIHW -> HWIO, Linear [out, in] -> [in, out]) into a safetensors file, and a random
NHWC input is written as .npy. Then

    ./specc predict specs/NAME.yaml --checkpoint W --precision float32 --output logits --out OUT.npy X.npy

and the two sets of logits are compared. Run from the repository root (the specc jar is built on first use):

    /usr/bin/python3 compiler/src/test/reference/drn_logits.py drn_d_22 drn_a_50 drn_c_58

drn.py is read by fyu_drn.py: from $DRN_PY, else the fyu/drn checkout $DRN_REPO, else the mirror this
project was checked with. The test
suite does not run this; the README gives what it printed.
"""
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fyu_drn  # noqa: E402


BN = {"weight": "gamma", "bias": "beta", "running_mean": "moving_mean", "running_var": "moving_variance"}


def specc_name(name, state):
    """drn.py's state-dict key -> specc's variable name (None for num_batches_tracked)."""
    module, _, field = name.rpartition(".")
    if field == "num_batches_tracked":
        return None
    is_bn = field in ("running_mean", "running_var") or (module + ".running_mean") in state
    parts = module.split(".")
    if parts[0] in ("conv1", "bn1", "fc"):
        layer = parts[0]
    elif re.fullmatch(r"layer\d", parts[0]) and len(parts) == 2:          # DRN-D: layerN.<index in Sequential>
        index = int(parts[1])
        layer = f"{parts[0]}_block{index // 3 + 1}_" + ("conv" if index % 3 == 0 else "bn")
    elif parts[2] == "downsample":                                          # layerN.i.downsample.0/1
        layer = f"{parts[0]}_block{int(parts[1]) + 1}_downsample_" + ("conv" if parts[3] == "0" else "bn")
    else:                                                                   # layerN.i.conv1 / bn1 ...
        layer = f"{parts[0]}_block{int(parts[1]) + 1}_{parts[2]}"
    if is_bn:
        return f"{layer}/{BN[field]}"
    return f"{layer}/{'kernel' if field == 'weight' else 'bias'}"


def to_specc(tensor):
    a = tensor.detach().numpy().astype(np.float32)
    if a.ndim == 4:
        return np.ascontiguousarray(a.transpose(2, 3, 1, 0))   # OIHW -> HWIO
    if a.ndim == 2:
        return np.ascontiguousarray(a.T)                       # Linear [out, in] -> [in, out]
    return a


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name, a in tensors.items():
        data = a.tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def check(drn, name, work):
    torch.manual_seed(0)
    model = getattr(drn, name)()
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0, 0.1)
                m.running_mean.normal_(0, 0.1)
                m.running_var.uniform_(0.5, 1.5)
    model.eval()
    state = model.state_dict()
    tensors = {}
    for key, value in state.items():
        target = specc_name(key, state)
        if target is not None:
            tensors[target] = to_specc(value)
    weights = os.path.join(work, name + ".safetensors")
    write_safetensors(weights, tensors)
    x = np.random.default_rng(1).standard_normal((2, 224, 224, 3), dtype=np.float32)
    inputs = os.path.join(work, name + "-x.npy")
    np.save(inputs, x)
    with torch.no_grad():
        expected = model(torch.from_numpy(x.transpose(0, 3, 1, 2).copy())).numpy()
    out = os.path.join(work, name + "-logits.npy")
    subprocess.run(["./specc", "predict", f"specs/{name}.yaml", "--checkpoint", weights, "--precision", "float32",
                    "--output", "logits", "--out", out, inputs], check=True, stdout=subprocess.DEVNULL)
    got = np.load(out)
    scale = np.abs(expected).max()
    print(f"{name}: {len(tensors)} tensors; logits {got.shape}, max |specc - drn.py| = {np.abs(got - expected).max():.3g}"
          f" = {np.abs(got - expected).max() / scale:.2g} of the largest logit ({scale:.3g});"
          f" same top-1: {bool((got.argmax(1) == expected.argmax(1)).all())}")


if __name__ == "__main__":
    drn = fyu_drn.load()
    with tempfile.TemporaryDirectory() as work:
        for name in sys.argv[1:] or ["drn_d_22"]:
            check(drn, name, work)
