"""Time-budgeted, seeded, resumable training. Checkpoints live outside the repository (LITERESTORE_RUNS)."""
import copy
import math
import os
import random
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from . import data
from .networks import ModelSpec

RUNS = Path(os.environ.get("LITERESTORE_RUNS", "/var/tmp/literestore/runs"))
CHECKPOINT_EVERY_SECONDS = 300
LOG_EVERY_SECONDS = 30
MAX_SIGMA = 50.0
MIN_LR_FRACTION = 0.02
WEIGHT_AVERAGE_DECAY = 0.995  # the average spans about the last 200 steps


def device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def checkpoint_path(model_id: str, runs: Path = RUNS) -> Path:
    return runs / model_id / "checkpoint.pt"


def make_batch(spec: ModelSpec, sampler: data.PatchSampler, rng: np.random.Generator, batch: int, patch: int):
    """(network input, target) for one step. The target is what the network's output should equal."""
    if spec.task == "denoise":
        clean = sampler.sample(batch, patch)
        sigma = torch.from_numpy(rng.uniform(0, MAX_SIGMA, batch)).float()
        noisy = data.add_noise(clean, sigma)
        return noisy, noisy - clean
    if spec.task == "super-resolve":
        hr = sampler.sample(batch, patch * spec.scale, spec.min_detail)
        return data.downscale(hr, spec.scale), hr
    clean = sampler.sample(batch, patch, spec.min_detail, spec.max_zoom_out)
    masks = torch.from_numpy(np.stack([data.random_mask(rng, patch) for _ in range(batch)])).unsqueeze(1)
    return torch.cat([clean, masks], dim=1), clean


def loss_fn(spec: ModelSpec, net_input: torch.Tensor, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    if spec.task == "inpaint":
        # Iizuka et al.'s reconstruction loss: the error inside the hole, plus a little outside it so that the network
        # keeps the known pixels' colours in its features.
        mask = net_input[:, 3:4]
        diff = output - target
        error = diff * diff if spec.loss == "mse" else diff.abs()
        hole = (error * mask).sum() / (mask.sum() * 3).clamp(min=1)
        return hole + 0.1 * error.mean()
    return F.mse_loss(output, target) if spec.loss == "mse" else F.l1_loss(output, target)


def learning_rate(spec: ModelSpec, step: int, elapsed: float, budget: float) -> float:
    """Linear warm-up over the spec's first warm-up steps, then cosine decay over the granted time budget; extending the
    budget on resume warms it up again gently. Without the warm-up, Adam's first steps move every weight by about the
    full rate at once, which blew up the lightweight super-resolution network's output."""
    progress = min(elapsed / max(budget, 1.0), 1.0)
    warm_up = min(1.0, (step + 1) / spec.warmup_steps)
    return warm_up * spec.lr * (MIN_LR_FRACTION + (1 - MIN_LR_FRACTION) * 0.5 * (1 + math.cos(math.pi * progress)))


class WeightAverage:
    """Exponential moving average of a network's weights and BatchNorm statistics; it is what gets exported. The
    inpainting networks' validation PSNR swung by up to a dB between checkpoints a hundred steps apart."""

    def __init__(self, model: torch.nn.Module, saved: dict | None = None):
        self.model = copy.deepcopy(model)
        if saved is not None:
            self.model.load_state_dict(saved)
        # state_dict() tensors share storage with the modules, and training updates them in place
        self.pairs = list(zip(self.model.state_dict().values(), model.state_dict().values()))

    @torch.no_grad()
    def update(self, step: int) -> None:
        """Moves the average towards the trained model's current weights."""
        decay = min(WEIGHT_AVERAGE_DECAY, (1 + step) / (10 + step))  # early steps average over fewer steps
        for mine, theirs in self.pairs:
            if mine.dtype.is_floating_point:
                mine.lerp_(theirs, 1 - decay)
            else:
                mine.copy_(theirs)


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def train(spec: ModelSpec, minutes: float, seed: int = 0, runs: Path = RUNS, images: list | None = None,
          batch: int | None = None, patch: int | None = None, max_steps: int | None = None) -> Path:
    """Trains `spec` for `minutes` more minutes (or `max_steps` steps), resuming from its checkpoint when present."""
    seed_everything(seed)
    dev = device()
    batch, patch = batch or spec.batch, patch or spec.patch
    # channels-last lets oneDNN skip a layout reorder around every convolution (about 25% faster on this CPU)
    model = spec.build().to(dev, memory_format=torch.channels_last)
    optimiser = torch.optim.Adam(model.parameters(), lr=spec.lr)
    path = checkpoint_path(spec.id, runs)
    state = {"step": 0, "elapsed": 0.0, "budget": 0.0, "seed": seed, "device": str(dev)}
    saved_average = None
    if path.exists():
        saved = torch.load(path, map_location=dev)
        saved_average = saved.get("average")
        model.load_state_dict(saved["model"])
        optimiser.load_state_dict(saved["optimiser"])
        state.update(saved["state"])
        state["device"] = str(dev) if state["device"] == str(dev) else f"{state['device']}+{dev}"
        print(f"[{spec.id}] resuming at step {state['step']} after {state['elapsed'] / 60:.1f} min", flush=True)
    average = WeightAverage(model, saved_average)
    # an interrupted run's unspent budget is dropped: "N more minutes" counts from where the checkpoint stands
    state["budget"] = state["elapsed"] + minutes * 60
    sampler = data.PatchSampler(images if images is not None else data.load_split("train"), seed + state["step"])
    rng = np.random.default_rng(seed * 7919 + state["step"])

    def save():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        torch.save({"model": model.state_dict(), "average": average.model.state_dict(),
                    "optimiser": optimiser.state_dict(), "state": state}, tmp)
        tmp.replace(path)

    model.train()
    start = time.monotonic()
    start_elapsed = state["elapsed"]
    last_log = last_save = start
    running = None
    steps_this_run = 0
    while state["elapsed"] < state["budget"] and (max_steps is None or steps_this_run < max_steps):
        lr = learning_rate(spec, state["step"], state["elapsed"], state["budget"])
        for group in optimiser.param_groups:
            group["lr"] = lr
        net_input, target = (t.to(dev, memory_format=torch.channels_last)
                             for t in make_batch(spec, sampler, rng, batch, patch))
        loss = loss_fn(spec, net_input, model(net_input), target)
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
        average.update(state["step"])
        state["step"] += 1
        steps_this_run += 1
        now = time.monotonic()
        state["elapsed"] = start_elapsed + (now - start)
        running = loss.item() if running is None else 0.98 * running + 0.02 * loss.item()
        if now - last_log >= LOG_EVERY_SECONDS:
            rate = steps_this_run / (now - start)
            left = (state["budget"] - state["elapsed"]) / 60
            print(f"[{spec.id}] step {state['step']} loss {running:.5f} lr {lr:.2e} {rate:.2f} steps/s "
                  f"{state['elapsed'] / 60:.1f}/{state['budget'] / 60:.0f} min ({left:.1f} min left)", flush=True)
            last_log = now
        if now - last_save >= CHECKPOINT_EVERY_SECONDS:
            save()
            last_save = now
    state["budget"] = max(state["elapsed"], state["budget"]) if max_steps is None else state["elapsed"]
    save()
    print(f"[{spec.id}] done: {state['step']} steps, {state['elapsed'] / 60:.1f} min on {dev}", flush=True)
    return path


def load_trained(spec: ModelSpec, runs: Path = RUNS):
    """The trained network (eval mode, CPU) and its training state: the weight average where the checkpoint has one
    (checkpoints written before it existed do not)."""
    saved = torch.load(checkpoint_path(spec.id, runs), map_location="cpu")
    model = spec.build()
    model.load_state_dict(saved.get("average", saved["model"]))
    model.eval()
    return model, saved["state"]
