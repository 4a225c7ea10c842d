"""Adaptive rounding of the int8 weights (Nagel et al., "Up or Down? Adaptive Rounding for Post-Training
Quantization", ICML 2020): each weight goes to the level below or above it, not to the nearest one, whichever way
brings its convolution's output on calibration patches closest to the fp32 graph's.

Layer by layer in graph order, each convolution's input comes from the graph with the layers before it already
rounded, so that a layer makes up for what rounding the earlier ones lost, and its target is the fp32 graph's output
of that layer, after its ReLU where one follows (what a negative value becomes does not matter). A soft rounding,
floor(w / s) + h(v) with h a rectified sigmoid, is fitted to that target, with a growing push of h towards 0 or 1,
and then made hard.

On denoise-baseline, int8 with every weight at its nearest level lost 0.15 dB against fp32 on clean validation crops,
0.12 dB of it from the weights; with this rounding it loses 0.06 dB (sigma 25: 0.08 -> 0.06 dB).
"""
import numpy as np
import torch
import torch.nn.functional as F
from onnx import NodeProto

from . import data
from .graph_runner import GraphRunner, run_node
from .int8_plan import Int8Plan, consumers_of
from .networks import ModelSpec
from .train import make_batch

BATCHES, BATCH = 16, 4
PATCH = {"denoise": 48, "super-resolve": 48, "inpaint": 128}
SEED = 2020
ITERATIONS = 800
STEP_PATCHES = 8
LEARNING_RATE = 1e-2
# The push towards a hard 0 or 1, against the output error as a fraction of nearest rounding's: at 0.1 and 1 the
# rounding stayed soft and came out no better than the nearest level's on denoise-baseline's first layers (1.06x and
# 0.61x its output error); at 10, 0.27x.
REGULARISATION = 10.0
WARM_UP = 0.2  # of the iterations, fitted without the push
BETA_START, BETA_END = 20.0, 2.0  # the push's exponent: flat at first, so only values near 0 or 1 settle early
STRETCH_LOW, STRETCH_HIGH = -0.1, 1.1  # the rectified sigmoid reaches 0 and 1 exactly
ON_LEVEL = 1e-3  # of a level: a weight this close to one is on it


def patches(spec: ModelSpec) -> list[torch.Tensor]:
    """Training patches degraded as in training, for fitting the rounding."""
    rng = np.random.default_rng(SEED)
    sampler = data.PatchSampler(data.load_split("train"), SEED)
    return [make_batch(spec, sampler, rng, BATCH, PATCH[spec.task])[0] for _ in range(BATCHES)]


def rounded_levels(chosen: Int8Plan, batches: list[torch.Tensor], scales_of) -> dict[str, torch.Tensor]:
    """The int8 level of every weight of the plan's int8 convolutions, by weight name, for the per-output-channel
    scales `scales_of(weight)` gives. Weights that lie on their levels already (the PReLUs' slopes) keep them."""
    fp32, rounded = GraphRunner(chosen.graph), GraphRunner(chosen.graph)
    consumers = consumers_of(chosen.graph.graph)
    levels = {}
    for node in (n for n in chosen.graph.graph.node if n.output[0] in chosen.convolutions):
        weight = fp32.initialisers[node.input[1]]
        scales = scales_of(weight).reshape(-1, 1, 1, 1)
        if float((weight / scales - torch.round(weight / scales)).abs().max()) < ON_LEVEL:
            continue
        after = consumers.get(node.output[0], [])
        activation = F.relu if len(after) == 1 and after[0].op_type == "Relu" else (lambda t: t)
        with torch.no_grad():
            target = activation(run_node(node, inputs_of(fp32, node, batches), weight))
        levels[node.input[1]] = fit(node, inputs_of(rounded, node, batches), target, weight, scales, activation)
        rounded.initialisers[node.input[1]] = levels[node.input[1]] * scales
    return levels


def inputs_of(runner: GraphRunner, node: NodeProto, batches: list[torch.Tensor]) -> torch.Tensor:
    """What `node` reads while `runner` runs `batches`."""
    seen = []
    runner.observe = lambda name, x: seen.append(x) if name == node.input[0] else None
    with torch.no_grad():
        for batch in batches:
            runner(batch)
    runner.observe = None
    return torch.cat(seen)


def fit(node: NodeProto, x: torch.Tensor, target: torch.Tensor, weight: torch.Tensor, scales: torch.Tensor, activation) -> torch.Tensor:
    """The levels, each the one below or above weight / scale, whose convolution of `x` comes closest to `target`
    (without the bias, which is not rounded to the weights' levels)."""
    floor = torch.floor(weight / scales)
    fraction = (weight / scales - floor).clamp(1e-4, 1 - 1e-4)
    # starts where the soft rounding gives the fp32 weights back
    v = torch.log((fraction - STRETCH_LOW) / (STRETCH_HIGH - fraction)).requires_grad_()
    soft = lambda: torch.clamp(torch.sigmoid(v) * (STRETCH_HIGH - STRETCH_LOW) + STRETCH_LOW, 0, 1)  # noqa: E731
    nearest = torch.clamp(torch.round(weight / scales), -127, 127)
    with torch.no_grad():
        nearest_error = float(((activation(run_node(node, x, nearest * scales)) - target) ** 2).mean())
    optimiser = torch.optim.Adam([v], lr=LEARNING_RATE)
    generator = torch.Generator().manual_seed(SEED)
    warm = int(WARM_UP * ITERATIONS)
    for step in range(ITERATIONS):
        chosen = torch.randint(0, x.shape[0], (STEP_PATCHES,), generator=generator)
        output = activation(run_node(node, x[chosen], torch.clamp(floor + soft(), -127, 127) * scales))
        loss = ((output - target[chosen]) ** 2).mean() / max(nearest_error, 1e-20)
        if step >= warm:
            beta = BETA_START + (BETA_END - BETA_START) * (step - warm) / (ITERATIONS - warm)
            loss = loss + REGULARISATION * (1 - (2 * soft() - 1).abs() ** beta).mean()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return torch.clamp(floor + (v.detach() >= 0).float(), -127, 127)
