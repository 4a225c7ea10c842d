"""Times training steps in fp32 against bfloat16 autocast for every network, the two interleaved step by step so
that both see the same machine state, and writes the table to docs/training-speed.md."""
import platform
from pathlib import Path

import torch

from .networks import MODELS
from .precision import StepTimer, device, interleaved_medians

WARM_UP_STEPS = 2
REPOSITORY = Path(__file__).resolve().parents[2]
REPORT = REPOSITORY / "docs" / "training-speed.md"


def bench(model_ids: list[str], sizes: list[tuple[int, int]], steps: int) -> list[dict]:
    rows = []
    for model_id in model_ids:
        spec = MODELS[model_id]
        for batch, patch in sizes:
            medians = interleaved_medians(StepTimer(spec, batch, patch), steps, WARM_UP_STEPS)
            fp32, bf16 = medians["fp32"], medians["bf16"]
            row = {"model": model_id, "batch": batch, "patch": patch, "fp32": fp32, "bf16": bf16}
            print(f"{model_id} {batch}x{patch}^2: fp32 {fp32 * 1000:.0f} ms, bf16 {bf16 * 1000:.0f} ms, "
                  f"{fp32 / bf16:.2f}x", flush=True)
            rows.append(row)
    return rows


def write_report(rows: list[dict], steps: int, command: str) -> None:
    lines = [
        "# Training speed: fp32 against bfloat16 autocast",
        "",
        f"Written by `{command}` on {platform.processor() or platform.machine()} with "
        f"{torch.get_num_threads()} threads, PyTorch {torch.__version__}, device {device()}.",
        f"Median of {steps} training steps each (forward, MSE loss, backward, Adam), after {WARM_UP_STEPS} warm-up "
        "steps; fp32 and bf16 steps alternate, so both see the same machine state. Patch sizes are the network's "
        "input side (super-resolution: low-resolution pixels).",
        "",
        "| network | batch x patch | fp32 ms/step | bf16 ms/step | bf16 speed-up | bf16 patches/s |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['model']} | {r['batch']} x {r['patch']}² | {r['fp32'] * 1000:.0f} | "
                     f"{r['bf16'] * 1000:.0f} | {r['fp32'] / r['bf16']:.2f}x | {r['batch'] / r['bf16']:.0f} |")
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n")
    print(f"wrote {REPORT}")
