#!/usr/bin/python3
"""Merges the TF Java and PyTorch results of benchmarks/resnet50.sh into one JSON file and prints the
comparison table. Usage: combine_resnet50.py JAVA_JSON TORCH_JSON OUT_JSON"""
import datetime
import json
import platform
import sys


def main():
    java_path, torch_path, out_path = sys.argv[1:4]
    with open(java_path) as f:
        java = json.load(f)
    with open(torch_path) as f:
        torch = json.load(f)

    machine = dict(java["machine"])
    machine.update({"os": platform.platform(), "python": torch["machine"]["python"],
                    "torch": torch["machine"]["torch"], "torchvision": torch["machine"]["torchvision"]})
    try:
        with open("/proc/meminfo") as f:
            machine["memory_kb"] = int(f.readline().split()[1])
    except OSError:
        pass

    specc, hand = java["specc"], java["hand_written"]
    rows = [
        ("specc (specs/resnet50.yaml, TF Java)", specc),
        ("hand-written graph (TF Java)", hand),
        ("PyTorch torchvision resnet50", torch),
    ]
    result = {
        "benchmark": "ResNet50 224x224x3, 1000 classes, CPU",
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine,
        "config": java["config"],
        "torch_config": torch["config"],
        "images_per_s": {
            name: {"training": r["training_images_per_s"], "inference": r["inference_images_per_s"]}
            for name, r in (("specc", specc), ("hand_written", hand), ("pytorch", torch))
        },
        "ratio_specc_over_hand_written": java["ratio_specc_over_hand_written"],
        "ratio_specc_over_hand_written_median_step": java["ratio_specc_over_hand_written_median"],
        "ratio_specc_over_pytorch": {
            "training": specc["training_images_per_s"] / torch["training_images_per_s"],
            "inference": specc["inference_images_per_s"] / torch["inference_images_per_s"],
        },
        "target": "specc >= 0.98x the hand-written graph in both modes",
        "details": {"specc": specc, "hand_written": hand, "pytorch": torch,
                    "graph_op_counts": java["graph_op_counts"]},
    }
    with open(out_path, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")

    c = java["config"]
    print(f"ResNet50 {c['input'][0]}x{c['input'][1]}x3, batch {c['batch']}, CPU: {machine['cores']} cores, "
          f"{machine['cpu']}; Java {machine['java']}, TensorFlow {machine['tensorflow']} "
          f"(TF Java {machine['tensorflow_java']}), PyTorch {machine['torch']}")
    print(f"training: {c['train_warmup']} warm-up + {c['train_steps']} timed steps; inference: "
          f"{c['infer_warmup']} + {c['infer_steps']}")
    print()
    print(f"| {'images/s':<38} | {'training':>9} | {'inference':>9} |")
    print(f"| {'-' * 38} | {'-' * 8}: | {'-' * 8}: |")
    for name, r in rows:
        print(f"| {name:<38} | {r['training_images_per_s']:>9.2f} | {r['inference_images_per_s']:>9.2f} |")
    ratio = result["ratio_specc_over_hand_written"]
    print(f"| {'specc / hand-written':<38} | {ratio['training']:>8.3f}x | {ratio['inference']:>8.3f}x |")
    med = result["ratio_specc_over_hand_written_median_step"]
    print(f"| {'specc / hand-written (median steps)':<38} | {med['training']:>8.3f}x | {med['inference']:>8.3f}x |")
    tr = result["ratio_specc_over_pytorch"]
    print(f"| {'specc / PyTorch':<38} | {tr['training']:>8.3f}x | {tr['inference']:>8.3f}x |")
    ok = ratio["training"] >= 0.98 and ratio["inference"] >= 0.98
    print()
    print(f"target specc >= 0.98x hand-written in both modes: {'met' if ok else 'NOT met'}")
    print(f"wrote {out_path}")


if __name__ == "__main__":
    main()
