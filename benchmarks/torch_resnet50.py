#!/usr/bin/python3
"""PyTorch reference for benchmarks/resnet50.sh: torchvision's resnet50() at 224x224x3, 1000 classes,
in float32 and under torch.autocast("cpu", dtype=torch.bfloat16), each in the default NCHW memory
format and in channels_last (oneDNN's preferred layout, faster here), the same batch, warm-up and
timed steps as the TF Java benchmark; and the float32 and bfloat16 peak of an n x n torch.mm.

Training: train mode, CrossEntropyLoss, SGD lr 0.01 momentum 0.9. Inference: eval mode under
torch.no_grad(). The four variants are copies of one model (same initial weights); their timed
steps alternate step by step, the order reversed every other step, as the Java side does. The
inputs are random and made once before any timing. Prints one JSON object (images/s and the
versions); with --out also writes it to a file.

Run it with Debian's /usr/bin/python3 (python3-torch, python3-torchvision).
"""
import argparse
import contextlib
import copy
import json
import os
import platform
import statistics
import time

import torch
import torchvision


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def bf16_autocast():
    return torch.autocast("cpu", dtype=torch.bfloat16)


def alternating(steps_by_name, warmup, steps):
    """Warm-up of each, then `steps` timed steps of each, alternating (AB, BA, ...)."""
    names = list(steps_by_name)
    for name in names:
        for _ in range(warmup):
            steps_by_name[name]()
    seconds = {name: [] for name in names}
    for i in range(steps):
        for name in (names if i % 2 == 0 else reversed(names)):
            start = time.perf_counter()
            steps_by_name[name]()
            seconds[name].append(time.perf_counter() - start)
    return seconds


def matmul_peak(n, runs):
    """Best and median GFLOP/s of an n x n product (2 n^3 FLOP), float32 and under bfloat16 autocast."""
    g = torch.Generator().manual_seed(7)
    a = torch.randn(n, n, generator=g)
    b = torch.randn(n, n, generator=g)
    contexts = {"float32": contextlib.nullcontext, "bfloat16": bf16_autocast}

    def product(context):
        def run():
            with torch.no_grad(), context():
                torch.mm(a, b)
        return run

    seconds = alternating({name: product(c) for name, c in contexts.items()}, 1, runs)
    flop = 2.0 * n ** 3
    return {name: {"gflops": flop / min(s) / 1e9, "median_gflops": flop / statistics.median(s) / 1e9,
                   "run_s": [round(x, 4) for x in s]} for name, s in seconds.items()}


def main():
    cores = len(os.sched_getaffinity(0))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--train-warmup", type=int, default=3)
    p.add_argument("--train-steps", type=int, default=10)
    p.add_argument("--infer-warmup", type=int, default=5)
    p.add_argument("--infer-steps", type=int, default=20)
    p.add_argument("--threads", type=int, default=cores)
    p.add_argument("--matmul", type=int, default=4096)
    p.add_argument("--matmul-runs", type=int, default=4)
    p.add_argument("--out")
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(a.threads)
    peak = matmul_peak(a.matmul, a.matmul_runs)

    torch.manual_seed(2024)
    model = torchvision.models.resnet50()  # random weights, 1000 classes
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    images = torch.randn(a.batch, 3, 224, 224)
    labels = torch.randint(0, 1000, (a.batch,))
    loss_fn = torch.nn.CrossEntropyLoss()
    precisions = {"fp32": contextlib.nullcontext, "bf16": bf16_autocast}
    variants = {}  # name: (precision context, model, input)
    for precision, context in precisions.items():
        variants[precision] = (context, copy.deepcopy(model), images)
        variants[precision + "_channels_last"] = (context, copy.deepcopy(model).to(memory_format=torch.channels_last),
                                                  images.contiguous(memory_format=torch.channels_last))
    last_loss = {}

    def train_step(name):
        context, m, x = variants[name]
        optimizer = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)

        def step():
            optimizer.zero_grad(set_to_none=True)
            with context():
                loss = loss_fn(m(x), labels)
            loss.backward()
            optimizer.step()
            last_loss[name] = loss.item()
        return step

    def infer_step(name):
        context, m, x = variants[name]

        def step():
            with torch.no_grad(), context():
                m(x)
        return step

    for _, m, _ in variants.values():
        m.train()
    train = alternating({name: train_step(name) for name in variants}, a.train_warmup, a.train_steps)
    for _, m, _ in variants.values():
        m.eval()
    infer = alternating({name: infer_step(name) for name in variants}, a.infer_warmup, a.infer_steps)

    result = {
        "machine": {"cores": cores, "cpu": cpu_model(), "python": platform.python_version(),
                    "torch": torch.__version__, "torchvision": torchvision.__version__,
                    "threads": torch.get_num_threads(), "interop_threads": torch.get_num_interop_threads(),
                    "mkldnn": torch.backends.mkldnn.is_available()},
        "config": {"model": "torchvision.models.resnet50", "batch": a.batch, "train_warmup": a.train_warmup,
                   "train_steps": a.train_steps, "infer_warmup": a.infer_warmup, "infer_steps": a.infer_steps,
                   "trainable_parameters": trainable,
                   "memory_format": "NCHW (default); *_channels_last: model and input in torch.channels_last",
                   "bf16": 'torch.autocast("cpu", dtype=torch.bfloat16) around forward and loss',
                   "order": "the four variants alternate step by step"},
        "matmul_peak": {"size": a.matmul, "runs": a.matmul_runs, **peak},
    }
    for name in variants:
        result[name] = {
            "training_images_per_s": a.batch * len(train[name]) / sum(train[name]),
            "inference_images_per_s": a.batch * len(infer[name]) / sum(infer[name]),
            "training_step_s": [round(s, 4) for s in train[name]],
            "inference_step_s": [round(s, 4) for s in infer[name]],
            "last_training_loss": last_loss[name],
        }
    text = json.dumps(result, indent=2)
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
