"""Static int8 quantisation of an exported model (issue 16): `run quantize --model ID` writes
models/<id>/model.int8.onnx, its parity fixture and the card's int8 entry.

int8_plan.py chooses what runs in int8. The graph is QDQ: every quantised convolution reads a QuantizeLinear ->
DequantizeLinear pair on its input, int8 weights (symmetric, one scale per output channel, each rounded up or down as
rounding.py chooses) and an int32 bias through
DequantizeLinear, and its output (after its ReLU where one follows) passes through such a pair too. ONNX Runtime folds
each DequantizeLinear -> Conv -> QuantizeLinear group into one QLinearConv, which runs on VNNI/AMX, and each
DequantizeLinear pair -> Add -> QuantizeLinear into a QLinearAdd; a ReLU in front of a QuantizeLinear whose zero point
is 0 is dropped, since the quantisation clamps at 0 itself.

Python has no ONNX Runtime here, so the graphs run in PyTorch (graph_runner.py): the fp32 graph on training patches
degraded as in training calibrates the activation ranges, and the int8 graph itself, every tensor rounded as it rounds
it, gives the int8 quality; the C# parity tests check that ONNX Runtime's int8 output matches it.
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

from . import data, rounding
from .degradations import quantise
from .evaluate import cpu_description, crops_figure, onnx_latency_ms
from .export import INT8_FILE, INT8_PARITY, encode, parity_input
from .graph_runner import GraphRunner
from .int8_plan import Int8Plan, plan
from .metrics import local_detail, luma
from .networks import INPAINT_WORKING_SIZE, ModelSpec
from .train import make_batch
from .validation import ValidationLog, inpaint_windows

# 64 batches of 4 patches cover the training mix of noise kinds and levels: with 16, two draws of the patches' degradations
# gave denoise-baseline int8 sigma 25 crops 0.107 and 0.078 dB below fp32 (the wider ranges came from the draw with
# more strong noise); with 64, 0.083 and 0.085 dB for two seeds.
CALIBRATION_BATCHES = 64
CALIBRATION_BATCH = 4
CALIBRATION_PATCH = {"denoise": 96, "super-resolve": 48, "inpaint": 128}
CALIBRATION_SEED = 2016
# Values kept per tensor to choose its range from; a sample of this size pins the 99.999th percentile well.
SAMPLES_PER_TENSOR = 1 << 20
# Candidate upper ends of a range, as quantiles of the observed magnitudes: the one whose rounding and clipping
# together lose least (mean squared error) is kept. A long-tailed activation loses less clipped than resolved coarsely.
RANGE_QUANTILES = (0.999, 0.9999, 0.99999, 1.0)
UINT8_LEVELS, INT8_MAX = 255, 127
# Banding shows first on a smooth mid-tone: the figure shows the flattest such square of a validation photograph,
# magnified, with the int8 result's difference from the fp32 one amplified.
FLAT_CROP, FLAT_ZOOM, DIFFERENCE_GAIN = 48, 4, 16
# ONNX Runtime accumulates a convolution in integers and the simulation in fp32, so a value at a rounding tie can land
# one level apart; such flips compound through the int8 layers (4.2 levels at one output value of denoise-baseline's
# 15-layer chain), so the fixture allows a few levels at the output.
SIMULATION_TOLERANCE = 6 / 255


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


class RangeObserver:
    """A random sample of one tensor's values, from which its range is chosen."""

    def __init__(self, rng: np.random.Generator):
        self.rng, self.values = rng, []

    def observe(self, x: torch.Tensor) -> None:
        flat = x.detach().reshape(-1).numpy()
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


def calibrate(spec: ModelSpec, chosen: Int8Plan) -> dict[str, Quantisation]:
    """The quantisation of every tensor the plan calibrates, from training patches degraded as in training."""
    rng = np.random.default_rng(CALIBRATION_SEED)
    sampler = data.PatchSampler(data.load_split("train"), CALIBRATION_SEED)
    batches = (make_batch(spec, sampler, rng, CALIBRATION_BATCH, CALIBRATION_PATCH[spec.task])[0] for _ in range(CALIBRATION_BATCHES))
    return ranges(chosen, batches, rng)


def ranges(chosen: Int8Plan, batches, rng: np.random.Generator) -> dict[str, Quantisation]:
    """The quantisation of every tensor the plan calibrates, from the values it takes while the fp32 graph runs
    `batches`."""
    observers = {name: RangeObserver(rng) for name in chosen.calibrated}
    runner = GraphRunner(chosen.graph)
    runner.observe = lambda name, x: observers[name].observe(x) if name in observers else None
    with torch.no_grad():
        for batch in batches:
            runner(batch)
    return {name: observer.quantisation(name in chosen.clamped) for name, observer in observers.items()}


def weight_scales(weight: torch.Tensor) -> torch.Tensor:
    """Symmetric int8 scale per output channel."""
    return weight.abs().amax(dim=(1, 2, 3)).clamp(min=1e-12) / INT8_MAX


def quantised_weight(weight: torch.Tensor, levels: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """The weight's int8 levels (`levels` where rounding.py chose them, else the nearest) and their scales."""
    scales = weight_scales(weight)
    if levels is None:
        levels = torch.clamp(torch.round(weight / scales.reshape(-1, 1, 1, 1)), -INT8_MAX, INT8_MAX)
    return levels, scales


def qdq_graph(chosen: Int8Plan, ranges: dict[str, Quantisation], levels: dict[str, torch.Tensor] | None = None) -> onnx.ModelProto:
    """The plan's graph in QDQ form, its weights at `levels` where given (by weight name), else at the nearest level: each quantised tensor gets a QuantizeLinear -> DequantizeLinear pair after the
    node that writes it, int8 operations read it dequantised (ONNX Runtime folds the pairs into QLinearConv and
    QLinearAdd), the nodes that run on uint8 read and write the quantised tensors themselves, and an fp32 node reads
    the dequantised tensor where the fused graph has no fp32 one."""
    graph = copy.deepcopy(chosen.graph.graph)
    weights = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    initialisers: list[onnx.TensorProto] = []
    int8_only = chosen.int8_only()

    def constant(name: str, array: np.ndarray) -> str:
        initialisers.append(numpy_helper.from_array(array, name))
        return name

    for root, q in sorted(ranges.items()):
        constant(f"{root}/scale", np.array(q.scale, dtype=np.float32))
        constant(f"{root}/zero_point", np.array(q.zero_point, dtype=np.uint8))

    def parameters(tensor: str) -> list[str]:
        return [f"{chosen.shares[tensor]}/scale", f"{chosen.shares[tensor]}/zero_point"]

    def dequantize(tensor: str) -> onnx.NodeProto:
        return helper.make_node("DequantizeLinear", [f"{tensor}/q", *parameters(tensor)], [f"{tensor}/dq"], name=f"{tensor}/dequantize")

    def qdq(tensor: str) -> list[onnx.NodeProto]:
        return [helper.make_node("QuantizeLinear", [tensor, *parameters(tensor)], [f"{tensor}/q"], name=f"{tensor}/quantize"),
                dequantize(tensor)]

    def dequantised(name: str, values: np.ndarray, scales: np.ndarray, dtype) -> tuple[str, onnx.NodeProto]:
        stored = constant(f"{name}/quantised", values.astype(dtype))
        scale = constant(f"{name}/scale", scales.astype(np.float32))
        zero = constant(f"{name}/zero_point", np.zeros(scales.shape, dtype=dtype))
        return f"{name}/dq", helper.make_node("DequantizeLinear", [stored, scale, zero], [f"{name}/dq"], axis=0, name=f"{name}/dequantize")

    nodes = [n for i in graph.input if i.name in chosen.shares for n in qdq(i.name)]
    for original in graph.node:
        node = copy.deepcopy(original)
        written = node.output[0]
        if written in chosen.on_uint8:
            node.input[:] = [f"{name}/q" if name in chosen.shares else name for name in node.input]
            node.output[0] = f"{written}/q"
            nodes.extend([node, dequantize(written)])
            continue
        if written in chosen.convolutions:
            weight, scales = quantised_weight(torch.from_numpy(weights[node.input[1]].copy()), (levels or {}).get(node.input[1]))
            w, w_dq = dequantised(f"{node.name or written}/weight", weight.numpy(), scales.numpy(), np.int8)
            nodes.append(w_dq)
            node.input[1] = w
            if len(node.input) > 2:
                bias_scales = scales * ranges[chosen.shares[node.input[0]]].scale
                bias = torch.round(torch.from_numpy(weights[node.input[2]].copy()) / bias_scales)
                b, b_dq = dequantised(f"{node.name or written}/bias", bias.numpy(), bias_scales.numpy(), np.int32)
                nodes.append(b_dq)
                node.input[2] = b
        int8_operation = written in chosen.convolutions or written in chosen.additions
        node.input[:] = [f"{name}/dq" if name in chosen.shares and (int8_operation or name in int8_only) else name
                         for name in node.input]
        nodes.append(node)
        nodes.extend(n for name in node.output if name in chosen.shares for n in qdq(name))
    graph_outputs = {o.name for o in graph.output}
    while True:  # drop the pairs and weights nobody reads
        used = {name for n in nodes for name in n.input} | graph_outputs
        kept = [n for n in nodes if any(name in used for name in n.output)]
        if len(kept) == len(nodes):
            break
        nodes = kept
    kept_initialisers = [i for i in list(graph.initializer) + initialisers if i.name in used]
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.initializer[:]
    graph.initializer.extend(kept_initialisers)
    quantised = helper.make_model(graph, opset_imports=chosen.graph.opset_import, producer_name="literestore quantize")
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


def flat_area_figure(spec: ModelSpec, model: nn.Module, int8: nn.Module, models_dir: Path) -> Path:
    """fp32 and int8 results on a smooth mid-tone square, and their difference amplified: where int8 rounding bands a
    smooth gradient, it shows here. The square is the flattest of the first validation photograph's result, or for
    inpainting the fill of the flattest hole. It goes beside the models it shows, as the evaluation's figures do."""
    if spec.task == "inpaint":
        upload, box = flat_hole_upload()
    else:
        truth = data.to_tensor(data.load_split("validation", limit=1)[0])
        upload, box = truth if spec.task == "denoise" else quantise(data.downscale(truth, spec.scale)), None
    fp32_out, int8_out = restore(spec, model, upload), restore(spec, int8, upload)
    difference = 0.5 + DIFFERENCE_GAIN * (int8_out - fp32_out)
    figure = crops_figure([("fp32", fp32_out), ("int8", int8_out), (f"difference x{DIFFERENCE_GAIN}", difference)],
                          box or flattest(fp32_out), zoom=FLAT_ZOOM)
    path = models_dir / f"int8-{spec.id}-flat-area.png"
    figure.save(path)
    return path


def write_precision(card_path: Path, entry: dict) -> None:
    """Puts `entry` on the card, in place of any entry of the same precision."""
    card = json.loads(card_path.read_text())
    card["precisions"] = [p for p in card.get("precisions", []) if p["precision"] != entry["precision"]] + [entry]
    card_path.write_text(json.dumps(card, indent=2) + "\n")


def tile_speed(spec: ModelSpec, model_dir: Path) -> dict | None:
    """ONNX Runtime's milliseconds per native tile at batch 1 in fp32 and in int8, measured in turns (the speed the
    evaluation report gives for fp32), and the CPU they were measured on; None, saying why, where it cannot run."""
    measured = onnx_latency_ms(model_dir.parent, [spec.id])
    if isinstance(measured, str):
        print(f"[{spec.id}] int8 speed not measured: {measured}", flush=True)
        return None
    ms = measured[spec.id]
    return {"fp32MsPerTile": round(ms["fp32"], 2), "msPerTile": round(ms["int8"], 2), "measuredOn": cpu_description()}


def quantize(spec: ModelSpec, model_dir: Path) -> Path:
    fp32 = onnx.load(str(model_dir / "model.onnx"))
    chosen = plan(fp32, quantise_last=spec.task == "super-resolve")
    if not chosen.convolutions:
        raise ValueError(f"{spec.id}: no convolution to quantise")
    ranges = calibrate(spec, chosen)
    int8_graph = qdq_graph(chosen, ranges, rounding.rounded_levels(chosen, rounding.patches(spec), weight_scales))
    int8_path = model_dir / INT8_FILE
    onnx.save(int8_graph, str(int8_path))
    model, int8 = GraphRunner(fp32), GraphRunner(int8_graph)

    x = parity_input(spec)
    with torch.no_grad():
        expected, reference = int8(x), model(x)
    against_fp32 = float((expected - reference).abs().max())
    (model_dir / INT8_PARITY).write_text(json.dumps(
        {"input": encode(x), "output": encode(expected), "tolerance": SIMULATION_TOLERANCE}))

    scores = validation_scores(spec, {"fp32": model, "int8": int8})
    figure = flat_area_figure(spec, model, int8, model_dir.parent)
    blob = int8_path.read_bytes()
    entry = {
        "precision": "int8", "file": INT8_FILE, "parity": INT8_PARITY,
        "fileBytes": len(blob), "sha256": hashlib.sha256(blob).hexdigest(),
        "quantisedConvolutions": len(chosen.convolutions),
        "fp32Convolutions": sum(n.op_type == "Conv" for n in int8_graph.graph.node) - len(chosen.convolutions),
        # the largest difference from the fp32 model on the parity fixture, with room for ONNX Runtime's ties
        "parityToleranceAgainstFp32": round(against_fp32 + SIMULATION_TOLERANCE, 4),
        "validation": {name: {"fp32": round(scores["fp32"][name], 3), "int8": round(value, 3)}
                       for name, value in scores["int8"].items()},
    }
    card_path = model_dir / "model.json"
    write_precision(card_path, entry)
    # measured once the card names the int8 file, which the benchmark checks before it loads it
    speed = tile_speed(spec, model_dir)
    if speed:
        entry["speed"] = speed
        write_precision(card_path, entry)
    shown = ", ".join(f"{k} {v['fp32']:.2f} -> {v['int8']:.2f}" for k, v in entry["validation"].items())
    print(f"[{spec.id}] int8: {len(chosen.convolutions)} convolutions quantised, {len(blob) / 1024:.0f} KiB; validation {shown}; "
          f"flat area in {figure}", flush=True)
    return int8_path
