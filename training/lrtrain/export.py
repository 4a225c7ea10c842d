"""Export to ONNX (BatchNorm folded, dynamic batch/height/width, opset 17) with the model card and a parity fixture."""
import base64
import copy
import hashlib
import json
import subprocess
from pathlib import Path

import numpy as np
import onnx
import torch

from . import data
from .networks import ModelSpec, count_parameters, inference_form, macs_per_output_pixel, training_form
from .train import RUNS, exported_network, load_trained

OPSET = 17
FOLD_TOLERANCE = 1e-4
PARITY_TOLERANCE = 1e-4
PARITY_SIZE = {"denoise": 32, "super-resolve": 16, "inpaint": 64}
INT8_FILE, INT8_PARITY = "model.int8.onnx", "parity.int8.json"  # written by quantize.py
REPO = Path(__file__).resolve().parents[2]


def code_revision() -> str:
    def git(*args):
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()
    revision = git("rev-parse", "--short", "HEAD") or "unknown"
    return revision + ("-dirty" if git("status", "--porcelain", "--", "training") else "")


def parity_input(spec: ModelSpec) -> torch.Tensor:
    """A small crop of a validation photograph, degraded the way the task expects."""
    size = PARITY_SIZE[spec.task]
    image = data.to_tensor(data.load_split("validation", limit=1)[0])
    crop = image[:, :, 200:200 + size, 200:200 + size]
    if spec.task == "denoise":
        return data.add_noise(crop, 25.0, torch.Generator().manual_seed(0))
    if spec.task == "inpaint":
        mask = torch.from_numpy(data.centred_square_mask(size)).reshape(1, 1, size, size)
        return torch.cat([crop, mask], dim=1)
    return crop


def encode(tensor: torch.Tensor) -> dict:
    array = tensor.detach().numpy().astype("<f4")
    return {"shape": list(array.shape), "data": base64.b64encode(array.tobytes()).decode("ascii")}


def decode(fixture_tensor: dict) -> torch.Tensor:
    """The tensor `encode` wrote."""
    data = base64.b64decode(fixture_tensor["data"])
    return torch.from_numpy(np.frombuffer(data, "<f4").reshape(fixture_tensor["shape"]).copy())


def training_record(state: dict, data_note: str | None) -> dict:
    """The card's account of how the weights were trained, from the checkpoint's training state."""
    return {
        "data": data_note or "training split of training/data/SOURCES.md (Debian wallpaper photographs)",
        "steps": int(state["step"]), "wallSeconds": round(float(state["elapsed"]), 1), "seed": int(state["seed"]),
        "codeRevision": code_revision(), "device": state["device"],
        **{key: state[name] for key, name in (("precision", "precision"), ("warmStart", "warm_start"),
                                                       ("teacher", "teacher"), ("taughtSteps", "taught_steps")) if name in state}}


def write_graph(folded: torch.nn.Module, example: torch.Tensor, path: Path) -> onnx.ModelProto:
    """Writes a network's inference form as the ONNX graph the service runs (batch, height and width free) and loads it
    back."""
    torch.onnx.export(
        folded, example, str(path), opset_version=OPSET, input_names=["input"], output_names=["output"],
        dynamic_axes={"input": {0: "batch", 2: "height", 3: "width"}, "output": {0: "batch", 2: "height", 3: "width"}},
        do_constant_folding=True)
    return onnx.load(str(path))


def export(spec: ModelSpec, out_dir: Path, runs: Path = RUNS, data_note: str | None = None, shipped: bool = False) -> Path:
    """Exports the network trained in `runs`, or with `shipped` the weights of the model already in `out_dir` again
    (in the current export form, keeping its card's training record)."""
    card_path = out_dir / "model.json"
    old_card = json.loads(card_path.read_text()) if card_path.exists() else {}
    if shipped:
        model, training = training_form(exported_network(spec, out_dir / "model.onnx")), old_card["training"]
    else:
        model, state = load_trained(spec, runs)
        training = training_record(state, data_note)
    folded = inference_form(copy.deepcopy(model))
    x = parity_input(spec)
    with torch.no_grad():
        reference = model(x)
        difference = (folded(x) - reference).abs().max().item()
    if difference > FOLD_TOLERANCE:
        raise RuntimeError(f"{spec.id}: the inference form changed the output by {difference}")

    out_dir.mkdir(parents=True, exist_ok=True)
    # other precisions were quantised from the graph this export replaces: `run quantize` writes them anew
    for stale in (INT8_FILE, INT8_PARITY):
        (out_dir / stale).unlink(missing_ok=True)
    onnx_path = out_dir / "model.onnx"
    graph = write_graph(folded, x, onnx_path)
    onnx.checker.check_model(graph, full_check=True)
    if any(node.op_type == "BatchNormalization" for node in graph.graph.node):
        raise RuntimeError(f"{spec.id}: BatchNormalization left in the exported graph")

    (out_dir / "parity.json").write_text(json.dumps(
        {"input": encode(x), "output": encode(reference), "tolerance": PARITY_TOLERANCE}))
    blob = onnx_path.read_bytes()
    card = {
        "id": spec.id, "task": spec.task, "variant": spec.variant, "network": spec.network, "file": "model.onnx",
        "scale": spec.scale,
        "input": {"name": "input", "channels": spec.in_channels, "layout": "NCHW", "elementType": "float32"},
        "output": {"name": "output", "channels": 3, "layout": "NCHW", "elementType": "float32"},
        "tile": {"size": spec.tile, "overlap": spec.overlap, "contextMargin": spec.context_margin},
        "residual": spec.residual,
        "parameters": count_parameters(model),
        "macsPerOutputPixel": macs_per_output_pixel(model, spec),
        "fileBytes": len(blob),
        "sha256": hashlib.sha256(blob).hexdigest(),
        "training": training,
        "quality": old_card.get("quality", []),
    }
    card_path.write_text(json.dumps(card, indent=2) + "\n")
    print(f"[{spec.id}] exported {onnx_path} ({len(blob) / 1024:.0f} KiB), inference form differs by {difference:.2e}", flush=True)
    return onnx_path
