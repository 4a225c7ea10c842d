"""Seeded, resumable training on a time or step budget. Checkpoints live outside the repository (LITERESTORE_RUNS)."""
import copy
import hashlib
import json
import math
import os
import random
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from . import data
from .adversarial import Adversary
from .degradations import Degrader, LowResolutionDegrader
from .distillation import Teacher
from .networks import INFERENCE_REWRITES, ModelSpec, training_form
from .precision import autocast, choose, device
from .validation import ValidationLog

RUNS = Path(os.environ.get("LITERESTORE_RUNS", "/var/tmp/literestore/runs"))
CHECKPOINT_EVERY_SECONDS = 300
LOG_EVERY_SECONDS = 30
VALIDATE_EVERY_SECONDS = 300
DENOISE_LOSS_FLOOR = 5 / 255  # a clean sample weighs as much as one with noise of about 5 levels
MIN_LR_FRACTION = 0.02
WEIGHT_AVERAGE_DECAY = 0.995  # the average spans about the last 200 steps


def checkpoint_path(model_id: str, runs: Path = RUNS) -> Path:
    return runs / model_id / "checkpoint.pt"


def make_batch(spec: ModelSpec, sampler: data.PatchSampler, rng: np.random.Generator, batch: int, patch: int):
    """(network input, target) for one step. The target is what the network's output should equal."""
    if spec.task == "denoise":
        noisy, clean = Degrader(rng).batch(sampler.sample(batch, patch, spec.min_detail))
        return noisy, noisy - clean
    if spec.task == "super-resolve":
        hr = sampler.sample(batch, patch * spec.scale, spec.min_detail)
        return LowResolutionDegrader(rng).batch(data.downscale(hr, spec.scale)), hr
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
    if spec.task == "denoise":
        # Each sample's squared error relative to the noise it holds (plus a floor, for clean samples): with a plain MSE
        # the sigma 25-50 samples outweighed the clean ones some 50 to 1, and the network went on smoothing clean
        # photographs (38 dB against themselves) and lost to OpenCV's NLM at sigma 5.
        error = (output - target).pow(2).mean(dim=(1, 2, 3))
        return (error / (target.pow(2).mean(dim=(1, 2, 3)) + DENOISE_LOSS_FLOOR ** 2)).mean()
    return F.mse_loss(output, target) if spec.loss == "mse" else F.l1_loss(output, target)


def learning_rate(spec: ModelSpec, steps_this_run: int, progress: float) -> float:
    """Linear warm-up over the spec's first warm-up steps of every run, a resumed one too, then cosine decay over the
    granted budget (`progress` runs from 0 to 1 through it). Without the warm-up, Adam's first steps move every weight
    by about the full rate at once, which blew up the lightweight super-resolution network's output; a resumed run
    whose extended budget put the rate back up tenfold at once lost 10 dB of denoising that way."""
    progress = min(progress, 1.0)
    warm_up = min(1.0, (steps_this_run + 1) / spec.warmup_steps)
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


def onnx_weights(graph, model: torch.nn.Module) -> dict[str, torch.Tensor]:
    """`model`'s state dict from an exported graph (an onnx.GraphProto). Convolutions keep their parameter names in the
    export; PReLU slopes get generated names, so they are matched to the PReLU modules in graph order, which is the
    modules' order."""
    from onnx import numpy_helper
    weights = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in graph.initializer}
    expected = model.state_dict()
    state = {name: weights[name] for name in expected if name in weights}
    slopes = [node.input[1] for node in graph.node if node.op_type == "PRelu"]
    prelus = [f"{name}.weight" for name, module in model.named_modules() if isinstance(module, torch.nn.PReLU)]
    if len(slopes) != len(prelus):
        raise ValueError(f"the graph has {len(slopes)} PRelu nodes for {len(prelus)} PReLU modules")
    for name, slope in zip(prelus, slopes):
        state[name] = weights[slope].reshape(expected[name].shape)
    return state


def exported_network(spec: ModelSpec, path: Path) -> torch.nn.Module:
    """`spec`'s network in its exported form (networks.inference_form), eval mode, with the weights of the graph at
    `path`. A graph exported before the inference form last changed is loaded into the form it was written in (the
    training form and the rewrites it had) and converted."""
    import onnx
    graph = onnx.load(str(path)).graph
    model = spec.build()
    for done, rewrite in enumerate((*INFERENCE_REWRITES, None)):
        if written_in(graph, model):
            break
        if rewrite is None:
            raise ValueError(f"{path}: the graph's weights fit no form of {spec.id}")
        rewrite(model)
    model.load_state_dict(onnx_weights(graph, model), strict=True)
    for rewrite in INFERENCE_REWRITES[done:]:
        rewrite(model)
    return model.eval()


def written_in(graph, model: torch.nn.Module) -> bool:
    """Whether `graph` (an onnx.GraphProto) holds `model`'s parameters: every name but the PReLU slopes', which the
    export renames, and a PRelu node per PReLU module."""
    names = {i.name for i in graph.initializer}
    prelus = {f"{name}.weight" for name, module in model.named_modules() if isinstance(module, torch.nn.PReLU)}
    slopes = sum(node.op_type == "PRelu" for node in graph.node)
    return set(model.state_dict()) - prelus <= names and slopes == len(prelus)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def train(spec: ModelSpec, minutes: float | None = None, steps: int | None = None, seed: int = 0, runs: Path = RUNS,
          images: list | None = None, batch: int | None = None, patch: int | None = None, precision: str = "auto",
          validation: ValidationLog | None = None, warm_start: Path | None = None,
          teacher: tuple[str, Path] | None = None) -> Path:
    """Trains `spec` for `minutes` more minutes or `steps` more steps (the learning rate's schedule spans that budget),
    resuming from its checkpoint when present. A step budget is what makes networks comparable: the same number of
    steps, whatever each one costs.
    `validation` (default: the spec's task on the validation photographs) is measured on the weight average every
    VALIDATE_EVERY_SECONDS and at the end, into the run's validation.tsv. A new run may start from the weights of an
    exported model (`warm_start`, a model.onnx whose initialisers carry the network's parameter names). A `teacher`
    (model id, its model.onnx) mixes its outputs into every target (distillation.Teacher)."""
    seed_everything(seed)
    dev = device()
    batch, patch = batch or spec.batch, patch or spec.patch
    # channels-last lets oneDNN skip a layout reorder around every convolution (about 25% faster on this CPU)
    model = spec.build().to(dev, memory_format=torch.channels_last)
    optimiser = torch.optim.Adam(model.parameters(), lr=spec.lr)
    path = checkpoint_path(spec.id, runs)
    state = {"step": 0, "elapsed": 0.0, "budget": 0.0, "seed": seed, "device": str(dev)}
    saved_average = saved_adversary = None
    if path.exists():
        saved = torch.load(path, map_location=dev)
        saved_average, saved_adversary = saved.get("average"), saved.get("adversary")
        model.load_state_dict(saved["model"])
        optimiser.load_state_dict(saved["optimiser"])
        state.update(saved["state"])
        state["device"] = str(dev) if state["device"] == str(dev) else f"{state['device']}+{dev}"
        print(f"[{spec.id}] resuming at step {state['step']} after {state['elapsed'] / 60:.1f} min", flush=True)
    elif warm_start is not None:
        model.load_state_dict(training_form(exported_network(spec, warm_start)).state_dict(), strict=True)
        card = json.loads((warm_start.parent / "model.json").read_text())
        state["warm_start"] = (f"{warm_start.parent.name}/{warm_start.name} sha256 {file_sha256(warm_start)[:12]}, "
                               f"{card['training']['steps']} steps")
        print(f"[{spec.id}] starting from {state['warm_start']}", flush=True)
    precision = choose(precision, spec, batch, patch)
    state["precision"] = precision
    taught = Teacher(spec, *teacher, precision, dev) if teacher is not None else None
    if taught is not None:
        state["teacher"] = taught.record
        print(f"[{spec.id}] taught by {taught.record}", flush=True)
    average = WeightAverage(model, saved_average)
    adversary = Adversary(dev, saved_adversary) if spec.adversarial_weight else None
    if (minutes is None) == (steps is None):
        raise ValueError("give either minutes or steps")
    # an interrupted run's unspent budget is dropped: "N more" counts from where the checkpoint stands
    if steps is not None:
        state["step_budget"] = state["step"] + steps
    else:
        state.pop("step_budget", None)
        state["budget"] = state["elapsed"] + minutes * 60

    def progress() -> float:
        if steps is not None:
            return state["step"] / state["step_budget"]
        return state["elapsed"] / max(state["budget"], 1.0)
    sampler = data.PatchSampler(images if images is not None else data.load_split("train"), seed + state["step"])
    validation = validation or ValidationLog.for_task(spec, path.parent / "validation.tsv")
    rng = np.random.default_rng(seed * 7919 + state["step"])

    def save():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        checkpoint = {"model": model.state_dict(), "average": average.model.state_dict(),
                      "optimiser": optimiser.state_dict(), "state": state}
        if adversary is not None:
            checkpoint["adversary"] = adversary.state_dict()
        torch.save(checkpoint, tmp)
        tmp.replace(path)

    model.train()
    start = time.monotonic()
    start_elapsed = state["elapsed"]
    start_progress = progress()
    last_log = last_save = last_validation = start
    running = running_critic = None
    steps_this_run = 0
    while progress() < 1:
        lr = learning_rate(spec, steps_this_run, progress())
        for group in optimiser.param_groups:
            group["lr"] = lr
        net_input, target = (t.to(dev, memory_format=torch.channels_last)
                             for t in make_batch(spec, sampler, rng, batch, patch))
        if taught is not None:
            target = taught.blend(net_input, target)
            state["taught_steps"] = state.get("taught_steps", 0) + 1
        with autocast(precision, dev):
            output = model(net_input)
        loss = loss_fn(spec, net_input, output.float(), target)
        at = progress()
        adversarial = adversary is not None and at >= spec.reconstruction_share
        if adversarial:
            loss = loss + spec.adversarial_weight_at(at) * adversary.generator_loss(output.float(), net_input)
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
        if adversarial:
            critic = adversary.update(output.float(), net_input, target)
            running_critic = critic if running_critic is None else 0.98 * running_critic + 0.02 * critic
        average.update(state["step"])
        state["step"] += 1
        steps_this_run += 1
        now = time.monotonic()
        state["elapsed"] = start_elapsed + (now - start)
        running = loss.item() if running is None else 0.98 * running + 0.02 * loss.item()
        if now - last_log >= LOG_EVERY_SECONDS:
            rate = steps_this_run / (now - start)
            left = (1 - progress()) * (now - start) / max(progress() - start_progress, 1e-9) / 60
            critic_note = ("" if running_critic is None else
                           f" critic {running_critic:.3f} adversarial weight {spec.adversarial_weight_at(progress()):.4f}")
            print(f"[{spec.id}] step {state['step']} loss {running:.5f}{critic_note} lr {lr:.2e} {rate:.2f} steps/s "
                  f"{state['elapsed'] / 60:.1f} min ({left:.1f} min left)", flush=True)
            last_log = now
        if now - last_save >= CHECKPOINT_EVERY_SECONDS:
            save()
            last_save = now
        if now - last_validation >= VALIDATE_EVERY_SECONDS:
            validation.measure(average.model, state)
            last_validation = time.monotonic()
    state["budget"] = state["elapsed"]
    save()
    validation.measure(average.model, state)
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
