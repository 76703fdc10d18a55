#!/usr/bin/python3
"""Merges the TF Java and PyTorch results of benchmarks/resnet50.sh into one JSON file and prints the
comparison table: images/s of each contestant, and what share of the machine's MatMul peak in its
precision that is. Usage: combine_resnet50.py JAVA_JSON TORCH_JSON OUT_JSON

FLOP per image: twice the forward multiply-adds of specs/resnet50.yaml as specc's shape analysis
counts them (torchvision's resnet50 is the same network); a training step counts three forward
passes' worth (forward, gradient of the activations, gradient of the weights). The peak of a
precision is the faster of TF Java's and PyTorch's 4096x4096 MatMul in that precision. "Best" is the
fastest of specc's two sessions, and of PyTorch's four variants (two precisions, two memory formats)."""
import datetime
import json
import platform
import sys

# key, label, precision, where the numbers are in the merged inputs
CONTESTANTS = [
    ("specc_fp32", "specc float32 (specs/resnet50.yaml, TF Java)", "float32"),
    ("specc_bf16", "specc bfloat16 (Sessions, oneDNN rewrite)", "bfloat16"),
    ("hand_written", "hand-written TF Java graph, float32", "float32"),
    ("torch_fp32", "PyTorch torchvision resnet50, float32", "float32"),
    ("torch_bf16", "PyTorch, autocast bfloat16", "bfloat16"),
    ("torch_fp32_channels_last", "PyTorch float32, channels_last", "float32"),
    ("torch_bf16_channels_last", "PyTorch autocast bfloat16, channels_last", "bfloat16"),
]
TORCH_KEYS = [key for key, _, _ in CONTESTANTS if key.startswith("torch_")]
MODES = ("training", "inference")


def main():
    java_path, torch_path, out_path = sys.argv[1:4]
    with open(java_path) as f:
        java = json.load(f)
    with open(torch_path) as f:
        torch = json.load(f)

    machine = dict(java["machine"])
    machine.update({"os": platform.platform(), "python": torch["machine"]["python"],
                    "torch": torch["machine"]["torch"], "torchvision": torch["machine"]["torchvision"],
                    "bfloat16_flags": cpu_flags({"avx512_bf16", "amx_bf16", "amx_tile"})})
    try:
        with open("/proc/meminfo") as f:
            machine["memory_kb"] = int(f.readline().split()[1])
    except OSError:
        pass

    details = {"specc_fp32": java["specc"], "specc_bf16": java["specc_bf16"], "hand_written": java["hand_written"],
               **{key: torch[key[len("torch_"):]] for key in TORCH_KEYS}}
    images = {key: {mode: details[key][f"{mode}_images_per_s"] for mode in MODES} for key, _, _ in CONTESTANTS}

    peaks = {}
    for precision in ("float32", "bfloat16"):
        tf_java = java["matmul_peak"][precision]["gflops"]
        pytorch = torch["matmul_peak"][precision]["gflops"]
        peaks[precision] = {"tf_java": round(tf_java, 2), "torch": round(pytorch, 2), "machine": round(max(tf_java, pytorch), 2)}
    forward_flop = 2 * java["forward_macs_per_image"]
    flop_per_image = {"inference": forward_flop, "training": 3 * forward_flop}
    gflops = {key: {mode: images[key][mode] * flop_per_image[mode] / 1e9 for mode in MODES}
              for key, _, _ in CONTESTANTS}
    share = {key: {mode: gflops[key][mode] / peaks[precision]["machine"] for mode in MODES}
             for key, _, precision in CONTESTANTS}

    best = {}
    for side, keys in (("specc", ("specc_fp32", "specc_bf16")), ("torch", TORCH_KEYS)):
        best[side] = {}
        for mode in MODES:
            key = max(keys, key=lambda k: images[k][mode])
            best[side][mode] = {"key": key, "images_per_s": images[key][mode]}
    specc_over_torch = {mode: best["specc"][mode]["images_per_s"] / best["torch"][mode]["images_per_s"] for mode in MODES}

    result = {
        "benchmark": "ResNet50 224x224x3, 1000 classes, CPU",
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine,
        "config": java["config"],
        "torch_config": torch["config"],
        "images_per_s": images,
        "matmul_peak_gflops": dict(peaks, size=java["matmul_peak"]["size"]),
        "flop_per_image": dict(flop_per_image, note="2 x forward MACs of specs/resnet50.yaml; training counted as 3 forward passes"),
        "gflops": gflops,
        "share_of_peak": share,
        "ratio_specc_over_hand_written": java["ratio_specc_over_hand_written"],
        "ratio_specc_over_hand_written_median_step": java["ratio_specc_over_hand_written_median"],
        "best": best,
        "ratio_specc_best_over_torch_best": specc_over_torch,
        "targets": targets(java["ratio_specc_over_hand_written"], specc_over_torch, machine["bfloat16_flags"]),
        "details": dict(details, graph_op_counts=java["graph_op_counts"],
                        matmul_peak={"tf_java": java["matmul_peak"], "torch": torch["matmul_peak"]}),
    }
    with open(out_path, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")

    c = java["config"]
    print(f"ResNet50 {c['input'][0]}x{c['input'][1]}x3, batch {c['batch']}, CPU: {machine['cores']} cores, "
          f"{machine['cpu']} (bfloat16 flags: {', '.join(machine['bfloat16_flags']) or 'none'}); "
          f"Java {machine['java']}, TensorFlow {machine['tensorflow']} (TF Java {machine['tensorflow_java']}), "
          f"PyTorch {machine['torch']}")
    print(f"training: {c['train_warmup']} warm-up + {c['train_steps']} timed steps; inference: "
          f"{c['infer_warmup']} + {c['infer_steps']}")
    print(f"MatMul {java['matmul_peak']['size']}^2 peak, GFLOP/s: float32 {peaks['float32']['tf_java']:.1f} TF Java, "
          f"{peaks['float32']['torch']:.1f} PyTorch; bfloat16 {peaks['bfloat16']['tf_java']:.1f} TF Java, "
          f"{peaks['bfloat16']['torch']:.1f} PyTorch")
    print()
    print(f"| {'images/s (share of the peak)':<46} | {'training':>15} | {'inference':>15} |")
    print(f"| {'-' * 46} | {'-' * 14}: | {'-' * 14}: |")
    for key, label, _ in CONTESTANTS:
        cells = [f"{images[key][m]:.2f} ({100 * share[key][m]:.0f}%)" for m in MODES]
        print(f"| {label:<46} | {cells[0]:>15} | {cells[1]:>15} |")
    ratio = result["ratio_specc_over_hand_written"]
    med = result["ratio_specc_over_hand_written_median_step"]
    cells = [f"{ratio[m]:.2f}x; {med[m]:.2f}x" for m in MODES]
    print(f"| {'specc float32 / hand-written (mean; median)':<46} | {cells[0]:>15} | {cells[1]:>15} |")
    print(f"| {'specc best / PyTorch best':<46} | {specc_over_torch['training']:>14.2f}x | "
          f"{specc_over_torch['inference']:>14.2f}x |")
    print()
    for mode in MODES:
        print(f"best {mode}: specc {best['specc'][mode]['key']}, PyTorch {best['torch'][mode]['key']}")
    for t in result["targets"]:
        verdict = ("met" if t["met"] else "NOT met") if t["applies"] else "does not apply to this CPU"
        print(f"target {t['target']}: {verdict}")
    print(f"wrote {out_path}")


def targets(specc_over_hand, specc_over_torch, bfloat16_flags):
    """The issue's speed targets, each with whether it applies to this CPU and whether it is met."""
    amx = "amx_bf16" in bfloat16_flags
    return [
        {"target": "specc float32 >= 0.98x hand-written in both modes", "applies": True,
         "met": all(specc_over_hand[m] >= 0.98 for m in MODES)},
        {"target": "specc best >= 2x PyTorch best in both modes (CPUs with AMX)", "applies": amx,
         "met": all(specc_over_torch[m] >= 2 for m in MODES)},
        {"target": "specc best >= 1x PyTorch best in both modes (CPUs without bfloat16)", "applies": not bfloat16_flags,
         "met": all(specc_over_torch[m] >= 1 for m in MODES)},
    ]


def cpu_flags(wanted):
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return sorted(wanted & set(line.split(":", 1)[1].split()))
    except OSError:
        pass
    return []


if __name__ == "__main__":
    main()
