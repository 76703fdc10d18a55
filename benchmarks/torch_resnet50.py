#!/usr/bin/python3
"""PyTorch reference for benchmarks/resnet50.sh: torchvision's resnet50() at 224x224x3, 1000 classes,
the same batch, warm-up and timed steps as the TF Java benchmark.

Training: train mode, CrossEntropyLoss, SGD lr 0.01 momentum 0.9. Inference: eval mode under
torch.no_grad(). The inputs are random and made once before any timing. Prints one JSON object
(images/s and the versions); with --out also writes it to a file.

Run it with Debian's /usr/bin/python3 (python3-torch, python3-torchvision).
"""
import argparse
import json
import os
import platform
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


def timed(step, warmup, steps):
    for _ in range(warmup):
        step()
    seconds = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        seconds.append(time.perf_counter() - start)
    return seconds


def main():
    cores = len(os.sched_getaffinity(0))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--train-warmup", type=int, default=3)
    p.add_argument("--train-steps", type=int, default=10)
    p.add_argument("--infer-warmup", type=int, default=5)
    p.add_argument("--infer-steps", type=int, default=20)
    p.add_argument("--threads", type=int, default=cores)
    p.add_argument("--out")
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(a.threads)
    torch.manual_seed(2024)
    model = torchvision.models.resnet50()  # random weights, 1000 classes
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    images = torch.randn(a.batch, 3, 224, 224)
    labels = torch.randint(0, 1000, (a.batch,))
    loss_fn = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    last_loss = [float("nan")]

    def train_step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(images), labels)
        loss.backward()
        optimizer.step()
        last_loss[0] = loss.item()

    def infer_step():
        with torch.no_grad():
            model(images)

    model.train()
    train = timed(train_step, a.train_warmup, a.train_steps)
    model.eval()
    infer = timed(infer_step, a.infer_warmup, a.infer_steps)

    result = {
        "machine": {"cores": cores, "cpu": cpu_model(), "python": platform.python_version(),
                    "torch": torch.__version__, "torchvision": torchvision.__version__,
                    "threads": torch.get_num_threads(), "interop_threads": torch.get_num_interop_threads(),
                    "mkldnn": torch.backends.mkldnn.is_available()},
        "config": {"model": "torchvision.models.resnet50", "batch": a.batch, "train_warmup": a.train_warmup,
                   "train_steps": a.train_steps, "infer_warmup": a.infer_warmup, "infer_steps": a.infer_steps,
                   "trainable_parameters": trainable, "memory_format": "NCHW (default)"},
        "training_images_per_s": a.batch * len(train) / sum(train),
        "inference_images_per_s": a.batch * len(infer) / sum(infer),
        "training_step_s": [round(s, 4) for s in train],
        "inference_step_s": [round(s, 4) for s in infer],
        "last_training_loss": last_loss[0],
    }
    text = json.dumps(result, indent=2)
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
