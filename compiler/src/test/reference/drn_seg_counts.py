#!/usr/bin/python3
"""Reference counts of fyu/drn's DRNSeg for ReferenceSpecsTest and AllSpecsLowerTest.

Runs fyu/drn's own code (not a copy): drn.py is imported by fyu_drn.py (from $DRN_PY, $DRN_REPO or
the mirror), and segment.py's fill_up_weights and DRNSeg are taken from its text
(segment.py as a whole does not parse under Python 3: it calls .cuda(async=True)). Parameters
follow Keras: batch-norm running statistics and the fixed upsampling weights (requires_grad
False) are non-trainable.

    /usr/bin/python3 compiler/src/test/reference/drn_seg_counts.py

The test suite does not run this script; it holds the numbers it printed as constants.
"""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fyu_drn  # noqa: E402

import torch
from torch import nn


SHAPES_CHANNELS = (16, 32, 64, 128, 128, 128, 128, 128)


def drn_seg_class():
    drn = fyu_drn.load()
    sys.modules['drn'] = drn
    source = fyu_drn.source('segment.py')
    start, end = source.index('def fill_up_weights'), source.index('class SegList')
    scope = {'nn': nn, 'math': math, 'drn': drn, 'torch': torch}
    exec(source[start:end], scope)
    return scope['DRNSeg'], scope['fill_up_weights']


def counts(model):
    parameters = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    statistics = sum(b.numel() for name, b in model.named_buffers() if 'running_' in name)
    return parameters + statistics, trainable


def main():
    DRNSeg, fill_up_weights = drn_seg_class()
    for arch in ('drn_c_26', 'drn_d_22'):
        for torch_up in (False, True):
            model = DRNSeg(arch, 19, pretrained=False, use_torch_up=torch_up)
            total, trainable = counts(model)
            shape = tuple(model(torch.zeros(1, 3, 64, 64))[0].shape)
            print(f'{arch}_seg classes=19 use_torch_up={torch_up}: total {total:,} trainable {trainable:,} '
                  f'non-trainable {total - trainable:,}; output for 1x3x64x64: {shape}')
    # The shapes demo: DRNSeg over drn.py's DRN-D-22 built with narrower channels (DRN's channels argument).
    drn = sys.modules['drn']
    drn.drn_d_22_shapes = lambda pretrained, num_classes: drn.DRN(
        drn.BasicBlock, [1, 1, 2, 2, 2, 2, 1, 1], arch='D', channels=SHAPES_CHANNELS, num_classes=num_classes)
    model = DRNSeg('drn_d_22_shapes', 4, pretrained=False)
    total, trainable = counts(model)
    print(f'drn_d_22 channels={SHAPES_CHANNELS} seg classes=4 (examples/drn_d_22_seg_shapes.yaml): '
          f'total {total:,} trainable {trainable:,}')
    up = nn.ConvTranspose2d(2, 2, 16, stride=8, padding=4, groups=2, bias=False)
    fill_up_weights(up)
    print('fill_up_weights, kernel 16, row 0:', [round(v, 6) for v in up.weight.data[0, 0, 0].tolist()])
    print('fill_up_weights, kernel 16, column 0:', [round(v, 6) for v in up.weight.data[0, 0, :, 0].tolist()])
    up = nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1, bias=False)
    fill_up_weights(up)
    print('fill_up_weights, kernel 3:', [[round(v, 6) for v in row] for row in up.weight.data[0, 0].tolist()])


if __name__ == '__main__':
    main()
