#!/usr/bin/python3
"""Writes torchvision resnet18 and fyu/drn's DRNs (drn_a_50, drn_c_26, ... drn_d_105) with random but
non-trivial weights (BN statistics randomised) as torch.save(model.state_dict()) files, a random NHWC input
batch and PyTorch's logits for it, into the folder given. check_torch_weights.sh then loads each file into
specc with one call and compares.

  /usr/bin/python3 runtime/src/test/reference/torch_weights.py OUT_DIR BATCH NAME...

drn.py is read by compiler/src/test/reference/fyu_drn.py: from $DRN_PY, else the fyu/drn checkout $DRN_REPO
(a work tree or a bare git directory), else the mirror this project was checked with.
"""
import json
import os
import sys

import torch
import torchvision

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../compiler/src/test/reference"))
import fyu_drn  # noqa: E402 (drn.py from $DRN_PY, $DRN_REPO or the mirror)
from random_weights import randomise  # noqa: E402


def drn_module():
    return fyu_drn.load()


def model(name):
    """resnet18 from torchvision, any other name from drn.py; the seed is the name's digits."""
    seed = int("".join(c for c in name if c.isdigit()))
    if name == "resnet18":
        return torchvision.models.resnet18(), seed
    return getattr(drn_module(), name)(), seed


def main(out, batch, names):
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    x = torch.rand((batch, 224, 224, 3), generator=torch.Generator().manual_seed(5))
    x.numpy().astype("<f4").tofile(os.path.join(out, "input.bin"))
    meta = {"input_shape": list(x.shape)}
    for name in names:
        net, seed = model(name)
        net = randomise(net, seed)
        torch.save(net.state_dict(), os.path.join(out, name + ".pt"))
        with torch.no_grad():
            logits = net(x.permute(0, 3, 1, 2).contiguous())
        logits.numpy().astype("<f4").tofile(os.path.join(out, name + ".logits.bin"))
        meta[name] = {"logits_shape": list(logits.shape), "scale": float(logits.abs().max())}
    with open(os.path.join(out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3:])
