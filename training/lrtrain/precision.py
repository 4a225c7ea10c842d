"""Where training runs and in which precision: bfloat16 autocast where it is measured faster, else fp32."""
import contextlib
import statistics
import time
from pathlib import Path

import torch

from .networks import ModelSpec

PRECISIONS = ("auto", "bf16", "fp32")
PROBE_WARM_UP_STEPS = 2
PROBE_STEPS = 3
# CPU flags of the units that run bfloat16 convolutions natively. Without them oneDNN emulates bf16: on an AVX2-only
# EPYC, DnCNN's bf16 probe steps ran for minutes where fp32 took 4 s.
BF16_CPU_FLAGS = ("avx512_bf16", "amx_bf16")
CPU_INFO = Path("/proc/cpuinfo")


def device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def autocast(precision: str, dev: torch.device):
    """bfloat16 autocast of the forward pass (oneDNN's bf16 kernels on AVX512-BF16 or AMX, tensor cores on a GPU); the
    weights, gradients, loss and optimiser stay fp32, and bfloat16's fp32 exponent range needs no loss scaling."""
    if precision == "fp32":
        return contextlib.nullcontext()
    return torch.autocast(dev.type, dtype=torch.bfloat16)


class StepTimer:
    """One network, its optimiser and a fixed random batch; `step` runs and times one training step."""

    def __init__(self, spec: ModelSpec, batch: int, patch: int):
        self.dev = device()
        self.model = spec.build().to(self.dev, memory_format=torch.channels_last).train()
        self.optimiser = torch.optim.Adam(self.model.parameters(), lr=1e-4)
        side = patch * spec.scale if spec.task == "super-resolve" else patch
        self.input = torch.rand(batch, spec.in_channels, patch, patch, device=self.dev).contiguous(
            memory_format=torch.channels_last)
        if spec.task == "inpaint":
            self.input[:, 3:] = (self.input[:, 3:] > 0.8).float()
        self.target = torch.rand(batch, 3, side, side, device=self.dev)

    def step(self, precision: str) -> float:
        self._sync()
        start = time.perf_counter()
        with autocast(precision, self.dev):
            output = self.model(self.input)
        loss = torch.nn.functional.mse_loss(output.float(), self.target)
        self.optimiser.zero_grad(set_to_none=True)
        loss.backward()
        self.optimiser.step()
        self._sync()
        return time.perf_counter() - start

    def _sync(self) -> None:
        if self.dev.type == "cuda":
            torch.cuda.synchronize()


def has_bf16_hardware(dev: torch.device) -> bool:
    if dev.type == "cuda":
        return torch.cuda.is_bf16_supported()
    flags = set(CPU_INFO.read_text().split()) if CPU_INFO.exists() else set()
    return not flags.isdisjoint(BF16_CPU_FLAGS)


def interleaved_medians(timer: StepTimer, steps: int, warm_up: int) -> dict[str, float]:
    """Median step seconds of fp32 and bf16, alternating step by step so that both see the same machine state."""
    times = {"fp32": [], "bf16": []}
    for i in range(warm_up + steps):
        for precision in times:
            seconds = timer.step(precision)
            if i >= warm_up:
                times[precision].append(seconds)
    return {k: statistics.median(v) for k, v in times.items()}


def choose(precision: str, spec: ModelSpec, batch: int, patch: int) -> str:
    """`precision`, or for "auto" the faster of bf16 and fp32 for this network and batch on this machine. bf16 is not
    always faster: on AVX512-BF16 without AMX, oneDNN's bf16 3x3 64-channel convolutions ran no faster than fp32,
    while the LIST networks' 1x1 and depthwise layers ran 3x faster."""
    if precision != "auto":
        return precision
    if not has_bf16_hardware(device()):
        print(f"[{spec.id}] no bfloat16 units here ({' or '.join(BF16_CPU_FLAGS)}); training in fp32", flush=True)
        return "fp32"
    medians = interleaved_medians(StepTimer(spec, batch, patch), PROBE_STEPS, PROBE_WARM_UP_STEPS)
    chosen = min(medians, key=medians.get)
    print(f"[{spec.id}] step at {batch}x{patch}^2: fp32 {medians['fp32'] * 1000:.0f} ms, bf16 "
          f"{medians['bf16'] * 1000:.0f} ms; training in {chosen}", flush=True)
    return chosen
