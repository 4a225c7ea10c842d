"""Static int8 quantisation of an exported model (issue 16): `run quantize --model ID` writes
models/<id>/model.int8.onnx, its parity fixture and the card's int8 entry.

The graph is QDQ: every quantised convolution reads a QuantizeLinear -> DequantizeLinear pair on its input, int8
weights (symmetric, one scale per output channel) and an int32 bias through DequantizeLinear, and its output (after
its ReLU where one follows) passes through such a pair too. ONNX Runtime folds each DequantizeLinear -> Conv ->
QuantizeLinear group into one QLinearConv, which runs on VNNI/AMX; a ReLU in front of a QuantizeLinear whose zero point
is 0 is dropped, since the quantisation clamps at 0 itself. The convolutions that read the image and the last one,
which writes the result, stay in fp32: they carry the full precision of the picture.

Python has no ONNX Runtime here, so the activation ranges are calibrated in PyTorch, with hooks on the convolutions
(the export keeps their parameter names), on training patches degraded as in training. The same hooks then run the
network with every tensor rounded as the int8 graph rounds it: that model's validation scores are the int8 quality,
and the C# parity tests check that ONNX Runtime's int8 output matches it.
"""
import copy
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper
from torch import nn

from . import data
from .degradations import quantise
from .evaluate import crops_figure
from .export import INT8_FILE, INT8_PARITY, REPO, encode, parity_input
from .metrics import local_detail, luma
from .networks import INPAINT_WORKING_SIZE, ModelSpec
from .train import exported_network, make_batch
from .validation import ValidationLog, inpaint_windows

CALIBRATION_BATCHES = 16
CALIBRATION_BATCH = 4
CALIBRATION_PATCH = {"denoise": 96, "super-resolve": 48, "inpaint": 128}
CALIBRATION_SEED = 2016
# Values kept per tensor to choose its range from; a sample of this size pins the 99.999th percentile well.
SAMPLES_PER_TENSOR = 1 << 20
# Candidate upper ends of a range, as quantiles of the observed magnitudes: the one whose rounding and clipping
# together lose least (mean squared error) is kept. A long-tailed activation loses less clipped than resolved coarsely.
RANGE_QUANTILES = (0.999, 0.9999, 0.99999, 1.0)
UINT8_LEVELS, INT8_MAX = 255, 127
IMAGE_CHANNELS = 4  # RGB, and the inpainting mask
# Banding shows first on a smooth mid-tone: the figure shows the flattest such square of a validation photograph,
# magnified, with the int8 result's difference from the fp32 one amplified.
FLAT_CROP, FLAT_ZOOM, DIFFERENCE_GAIN = 48, 4, 16
FIGURES = REPO / "docs"
# ONNX Runtime's rounding of a tie can differ from PyTorch's by one level; the fixture allows a few levels at the output.
SIMULATION_TOLERANCE = 4 / 255


@dataclass(frozen=True)
class Quantisation:
    """uint8 affine quantisation of one activation tensor: real = scale * (q - zero_point)."""
    scale: float
    zero_point: int

    @staticmethod
    def covering(low: float, high: float) -> "Quantisation":
        low, high = min(low, 0.0), max(high, 0.0)
        scale = max(high - low, 1e-8) / UINT8_LEVELS
        return Quantisation(scale, int(np.clip(round(-low / scale), 0, UINT8_LEVELS)))

    def fake(self, x: torch.Tensor) -> torch.Tensor:
        q = torch.clamp(torch.round(x / self.scale) + self.zero_point, 0, UINT8_LEVELS)
        return (q - self.zero_point) * self.scale


@dataclass(frozen=True)
class ConvPlan:
    """One convolution of the graph to quantise: its node, its module, and the tensors around it."""
    node: onnx.NodeProto
    module: str
    input: str           # the tensor it reads
    output: str          # the tensor quantised after it: its ReLU's output where a ReLU follows, else its own
    clamps_at_zero: bool  # a ReLU follows, so the output's range starts at 0 (zero point 0)


def plan(graph: onnx.GraphProto, model: nn.Module) -> list[ConvPlan]:
    """The convolutions to quantise: every Conv whose weight is a Conv2d's parameter, except those that read the image
    (no more input channels than an image and its mask) and the last one, which writes the result. sr4-baseline's last
    convolution has 12 output channels, the phases of its shuffled tail: as QLinearConv it ran at half its fp32 speed."""
    modules = {name: m for name, m in model.named_modules() if isinstance(m, nn.Conv2d)}
    consumers: dict[str, list[onnx.NodeProto]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    plans = []
    convolutions = [n for n in graph.node if n.op_type == "Conv" and n.input[1].removesuffix(".weight") in modules]
    for node in convolutions[:-1]:  # the graph's nodes are in topological order
        module = node.input[1].removesuffix(".weight")
        if modules[module].in_channels <= IMAGE_CHANNELS:
            continue
        after = consumers.get(node.output[0], [])
        relu = after[0] if len(after) == 1 and after[0].op_type == "Relu" else None
        plans.append(ConvPlan(node, module, node.input[0], relu.output[0] if relu else node.output[0], relu is not None))
    return plans


class RangeObserver:
    """A random sample of one tensor's values, from which its range is chosen."""

    def __init__(self, rng: np.random.Generator):
        self.rng, self.values = rng, []

    def observe(self, x: torch.Tensor) -> None:
        # a copy: an in-place ReLU after the convolution would change the values under a view
        flat = x.detach().reshape(-1).numpy().copy()
        keep = max(1, SAMPLES_PER_TENSOR // CALIBRATION_BATCHES)
        self.values.append(flat if flat.size <= keep else self.rng.choice(flat, keep, replace=False))

    def quantisation(self, clamps_at_zero: bool) -> Quantisation:
        values = np.concatenate(self.values)
        if clamps_at_zero:
            values = np.maximum(values, 0)
        best, best_error = None, np.inf
        for quantile in RANGE_QUANTILES:
            low = 0.0 if clamps_at_zero else float(np.quantile(values, 1 - quantile))
            candidate = Quantisation.covering(low, float(np.quantile(values, quantile)))
            error = float(((candidate.fake(torch.from_numpy(values)).numpy() - values) ** 2).mean())
            if error < best_error:
                best, best_error = candidate, error
        return best


def calibrate(spec: ModelSpec, model: nn.Module, plans: list[ConvPlan]) -> dict[str, Quantisation]:
    """The quantisation of every tensor the plans name, from training patches degraded as in training."""
    rng = np.random.default_rng(CALIBRATION_SEED)
    sampler = data.PatchSampler(data.load_split("train"), CALIBRATION_SEED)
    batches = (make_batch(spec, sampler, rng, CALIBRATION_BATCH, CALIBRATION_PATCH[spec.task])[0] for _ in range(CALIBRATION_BATCHES))
    return ranges(model, plans, batches, rng)


def ranges(model: nn.Module, plans: list[ConvPlan], batches, rng: np.random.Generator) -> dict[str, Quantisation]:
    """The quantisation of every tensor the plans name, from the values it takes while `model` runs `batches`."""
    observers = {name: RangeObserver(rng) for p in plans for name in (p.input, p.output)}
    modules = dict(model.named_modules())
    hooks = []
    for p in plans:
        hooks.append(modules[p.module].register_forward_pre_hook(
            lambda _m, args, name=p.input: observers[name].observe(args[0])))
        hooks.append(modules[p.module].register_forward_hook(
            lambda _m, _args, out, name=p.output: observers[name].observe(out)))
    with torch.no_grad():
        for batch in batches:
            model(batch)
    for hook in hooks:
        hook.remove()
    clamped = {p.output for p in plans if p.clamps_at_zero}
    return {name: observer.quantisation(name in clamped) for name, observer in observers.items()}


def weight_scales(weight: torch.Tensor) -> torch.Tensor:
    """Symmetric int8 scale per output channel."""
    return weight.abs().amax(dim=(1, 2, 3)).clamp(min=1e-12) / INT8_MAX


def quantised_weight(weight: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    scales = weight_scales(weight)
    return torch.clamp(torch.round(weight / scales.reshape(-1, 1, 1, 1)), -INT8_MAX, INT8_MAX), scales


def simulated(model: nn.Module, plans: list[ConvPlan], ranges: dict[str, Quantisation]) -> nn.Module:
    """A copy of `model` that rounds every tensor the int8 graph rounds, the same way: its outputs are the int8
    model's, up to ties."""
    model = copy.deepcopy(model)
    modules = dict(model.named_modules())
    for p in plans:
        conv = modules[p.module]
        q_in, q_out = ranges[p.input], ranges[p.output]
        weight, scales = quantised_weight(conv.weight.data)
        conv.weight.data = weight * scales.reshape(-1, 1, 1, 1)
        if conv.bias is not None:
            bias_scales = scales * q_in.scale
            conv.bias.data = torch.round(conv.bias.data / bias_scales) * bias_scales
        conv.register_forward_pre_hook(lambda _m, args, q=q_in: (q.fake(args[0]),))
        conv.register_forward_hook(lambda _m, _args, out, q=q_out: q.fake(out))
    return model


def qdq_graph(fp32: onnx.ModelProto, model: nn.Module, plans: list[ConvPlan], ranges: dict[str, Quantisation]) -> onnx.ModelProto:
    """The fp32 graph with the plans' convolutions in QDQ form."""
    graph = copy.deepcopy(fp32.graph)
    modules = dict(model.named_modules())
    initialisers = []
    quantised_tensors = {name for p in plans for name in (p.input, p.output)}

    def constant(name: str, array: np.ndarray) -> str:
        initialisers.append(numpy_helper.from_array(array, name))
        return name

    def qdq(tensor: str) -> list[onnx.NodeProto]:
        q = ranges[tensor]
        scale = constant(f"{tensor}/scale", np.array(q.scale, dtype=np.float32))
        zero = constant(f"{tensor}/zero_point", np.array(q.zero_point, dtype=np.uint8))
        return [helper.make_node("QuantizeLinear", [tensor, scale, zero], [f"{tensor}/q"], name=f"{tensor}/quantize"),
                helper.make_node("DequantizeLinear", [f"{tensor}/q", scale, zero], [f"{tensor}/dq"], name=f"{tensor}/dequantize")]

    def dequantised(name: str, values: np.ndarray, scales: np.ndarray, dtype) -> tuple[str, onnx.NodeProto]:
        stored = constant(f"{name}/quantised", values.astype(dtype))
        scale = constant(f"{name}/scale", scales.astype(np.float32))
        zero = constant(f"{name}/zero_point", np.zeros(scales.shape, dtype=dtype))
        return f"{name}/dq", helper.make_node("DequantizeLinear", [stored, scale, zero], [f"{name}/dq"], axis=0, name=f"{name}/dequantize")

    by_node = {id(p.node): p for p in plans}
    outputs = {p.output for p in plans}
    inputs = {p.input for p in plans}
    # A quantised output exists only through its QuantizeLinear once ONNX Runtime fuses the convolution, so every
    # consumer reads it dequantised; a quantised input is read dequantised by its convolution only.
    nodes = [n for name in (i.name for i in graph.input) if name in inputs | outputs for n in qdq(name)]
    for original in fp32.graph.node:
        node = copy.deepcopy(original)
        p = by_node.get(id(original))
        if p is not None:
            conv = modules[p.module]
            weight, scales = quantised_weight(conv.weight.data)
            node_name = node.name or p.module
            w, w_dq = dequantised(f"{node_name}/weight", weight.numpy(), scales.numpy(), np.int8)
            nodes.append(w_dq)
            node.input[1] = w
            if conv.bias is not None:
                bias_scales = scales * ranges[p.input].scale
                b, b_dq = dequantised(f"{node_name}/bias", torch.round(conv.bias.data / bias_scales).numpy(),
                                      bias_scales.numpy(), np.int32)
                nodes.append(b_dq)
                node.input[2] = b
            node.input[0] = f"{p.input}/dq"
        for i, name in enumerate(node.input):
            if name in outputs:
                node.input[i] = f"{name}/dq"
        nodes.append(node)
        for name in node.output:
            if name in inputs | outputs:
                nodes.extend(qdq(name))
    used = {name for n in nodes for name in n.input}
    kept = [i for i in graph.initializer if i.name in used]
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.initializer[:]
    graph.initializer.extend(kept + initialisers)
    quantised = helper.make_model(graph, opset_imports=fp32.opset_import, producer_name="literestore quantize")
    onnx.checker.check_model(quantised, full_check=True)
    return quantised


def validation_scores(spec: ModelSpec, models: dict[str, nn.Module]) -> dict[str, dict[str, float]]:
    """The training log's validation scores of each model (validation.py): fixed crops of the validation photographs."""
    log = ValidationLog.for_task(spec, Path("/dev/null"))
    return {name: log.scores(model) for name, model in models.items()}


def restore(spec: ModelSpec, model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        y = model(x)
    return (x - y if spec.residual else y).clamp(0, 1)


def flattest(image: torch.Tensor) -> tuple[int, int, int]:
    """The box (top, left, side) of the flattest mid-tone FLAT_CROP square of `image`, on a half-crop grid."""
    detail = torch.nn.functional.avg_pool2d(local_detail(luma(image)), FLAT_CROP, stride=FLAT_CROP // 2)[0, 0]
    brightness = torch.nn.functional.avg_pool2d(luma(image), FLAT_CROP, stride=FLAT_CROP // 2)[0, 0]
    y, x = divmod(int(torch.where((brightness > 0.25) & (brightness < 0.75), detail, torch.inf).argmin()), detail.shape[1])
    return y * FLAT_CROP // 2, x * FLAT_CROP // 2, FLAT_CROP


def flat_hole_upload() -> tuple[torch.Tensor, tuple[int, int, int]]:
    """The evaluation window whose centred square hole is the flattest mid-tone one, holed, and the box in its hole: a
    fill is where a completion network's int8 rounding would band."""
    side = INPAINT_WORKING_SIZE
    start = (side - FLAT_CROP) // 2
    box = (start, start, FLAT_CROP)

    def hole_detail(window: torch.Tensor) -> float:
        centre = window[:, :, start:start + FLAT_CROP, start:start + FLAT_CROP]
        mid_tone = 0.25 < float(luma(centre).mean()) < 0.75
        return float(local_detail(luma(centre)).mean()) if mid_tone else np.inf

    window = min(inpaint_windows(), key=hole_detail)
    mask = torch.from_numpy(data.centred_square_mask(side)).reshape(1, 1, side, side)
    return torch.cat([window * (1 - mask), mask], dim=1), box


def flat_area_figure(spec: ModelSpec, model: nn.Module, int8: nn.Module) -> Path:
    """fp32 and int8 results on a smooth mid-tone square, and their difference amplified: where int8 rounding bands a
    smooth gradient, it shows here. The square is the flattest of the first validation photograph's result, or for
    inpainting the fill of the flattest hole."""
    if spec.task == "inpaint":
        upload, box = flat_hole_upload()
    else:
        truth = data.to_tensor(data.load_split("validation", limit=1)[0])
        upload, box = truth if spec.task == "denoise" else quantise(data.downscale(truth, spec.scale)), None
    fp32_out, int8_out = restore(spec, model, upload), restore(spec, int8, upload)
    difference = 0.5 + DIFFERENCE_GAIN * (int8_out - fp32_out)
    figure = crops_figure([("fp32", fp32_out), ("int8", int8_out), (f"difference x{DIFFERENCE_GAIN}", difference)],
                          box or flattest(fp32_out), zoom=FLAT_ZOOM)
    path = FIGURES / f"int8-{spec.id}-flat-area.png"
    figure.save(path)
    return path


def quantize(spec: ModelSpec, model_dir: Path) -> Path:
    fp32_path = model_dir / "model.onnx"
    fp32 = onnx.load(str(fp32_path))
    model = exported_network(spec, fp32_path)
    plans = plan(fp32.graph, model)
    if not plans:
        raise ValueError(f"{spec.id}: no convolution to quantise")
    ranges = calibrate(spec, model, plans)
    int8_path = model_dir / INT8_FILE
    onnx.save(qdq_graph(fp32, model, plans, ranges), str(int8_path))
    int8 = simulated(model, plans, ranges)

    x = parity_input(spec)
    with torch.no_grad():
        expected, reference = int8(x), model(x)
    against_fp32 = float((expected - reference).abs().max())
    (model_dir / INT8_PARITY).write_text(json.dumps(
        {"input": encode(x), "output": encode(expected), "tolerance": SIMULATION_TOLERANCE}))

    scores = validation_scores(spec, {"fp32": model, "int8": int8})
    figure = flat_area_figure(spec, model, int8)
    blob = int8_path.read_bytes()
    entry = {
        "precision": "int8", "file": INT8_FILE, "parity": INT8_PARITY,
        "fileBytes": len(blob), "sha256": hashlib.sha256(blob).hexdigest(),
        "quantisedConvolutions": len(plans),
        "fp32Convolutions": sum(n.op_type == "Conv" for n in fp32.graph.node) - len(plans),
        # the largest difference from the fp32 model on the parity fixture, with room for ONNX Runtime's ties
        "parityToleranceAgainstFp32": round(against_fp32 + SIMULATION_TOLERANCE, 4),
        "validation": {name: {"fp32": round(scores["fp32"][name], 3), "int8": round(value, 3)}
                       for name, value in scores["int8"].items()},
    }
    card_path = model_dir / "model.json"
    card = json.loads(card_path.read_text())
    card["precisions"] = [p for p in card.get("precisions", []) if p["precision"] != "int8"] + [entry]
    card_path.write_text(json.dumps(card, indent=2) + "\n")
    shown = ", ".join(f"{k} {v['fp32']:.2f} -> {v['int8']:.2f}" for k, v in entry["validation"].items())
    print(f"[{spec.id}] int8: {len(plans)} convolutions quantised, {len(blob) / 1024:.0f} KiB; validation {shown}; "
          f"flat area in {figure.relative_to(REPO)}", flush=True)
    return int8_path
