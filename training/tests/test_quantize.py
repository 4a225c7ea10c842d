"""Static int8 quantisation: the image-facing layers stay in fp32, what lies between two int8 convolutions runs in
int8 too, the QDQ graph is a valid ONNX model, and the int8 graph's results stay near the fp32 network's."""
import numpy as np
import onnx
import torch

from lrtrain.graph_runner import GraphRunner
from lrtrain.int8_plan import OUTPUT_CHANNEL_BLOCK, plan
from lrtrain.networks import MODELS
from lrtrain import rounding
from lrtrain.graph_runner import run_node
from lrtrain.quantize import Quantisation, qdq_graph, ranges, weight_scales


def exported(untrained_network, export_graph, model_id: str, side: int = 16):
    model = untrained_network(model_id)
    for prelu in (m for m in model.modules() if isinstance(m, torch.nn.PReLU)):
        prelu.weight.data.uniform_(0.05, 0.5)
    return export_graph(model, side)


def quantised(graph: onnx.ModelProto, side: int, **options):
    chosen = plan(graph, **options)
    calibration = [torch.rand(2, 3, side, side) for _ in range(2)]
    return chosen, qdq_graph(chosen, ranges(chosen, calibration, np.random.default_rng(0)))


def test_a_quantisation_represents_zero_exactly_and_rounds_within_half_a_step():
    q = Quantisation.covering(-1.0, 3.0)
    values = torch.linspace(-1, 3, 1001)

    assert float(q.fake(torch.zeros(1))) == 0.0
    assert float((q.fake(values) - values).abs().max()) <= q.scale / 2 + 1e-7
    assert float(q.fake(torch.tensor([5.0]))) <= 3.0 + q.scale


def test_the_plan_keeps_the_convolution_reading_the_image_and_the_last_one_in_fp32(untrained_network, export_graph):
    _, graph = exported(untrained_network, export_graph, "denoise-baseline")
    convolutions = [n.output[0] for n in graph.graph.node if n.op_type == "Conv"]

    chosen = plan(graph)

    assert chosen.convolutions == frozenset(convolutions[1:-1])
    assert len(chosen.clamped) == len(chosen.convolutions)  # the ReLU output each one writes
    assert len(chosen.calibrated) == len(chosen.convolutions) + 1  # and the one the first reads


def test_the_denoisers_qdq_graph_is_valid_and_stays_near_the_fp32_network(untrained_network, export_graph):
    model, graph = exported(untrained_network, export_graph, "denoise-baseline")

    chosen, int8 = quantised(graph, 24)

    ops = [node.op_type for node in int8.graph.node]
    assert ops.count("Conv") == 17
    assert ops.count("QuantizeLinear") == len(chosen.calibrated)
    assert all(i.data_type == onnx.TensorProto.INT8 for i in int8.graph.initializer if i.name.endswith("/weight/quantised"))
    x = torch.rand(1, 3, 24, 24)
    with torch.no_grad():
        reference, approximate = model(x), GraphRunner(int8)(x)
    assert float((approximate - reference).abs().max()) < 0.05 * float(reference.abs().max())


def test_an_upscalers_prelus_shuffles_and_skips_run_in_int8_between_its_convolutions(untrained_network, export_graph):
    model, graph = exported(untrained_network, export_graph, "sr4-baseline", side=12)
    fp32_ops = [node.op_type for node in graph.graph.node]

    chosen, int8 = quantised(graph, 12, quantise_last=True)

    ops = [node.op_type for node in int8.graph.node]
    # every PReLU but the head's (its convolution reads the image) is Max(y, a*y) on the uint8 tensors
    assert ops.count("Max") == fp32_ops.count("Relu") - 1
    uint8 = {f"{name}/q" for name in chosen.shares}
    assert all(set(n.input) & uint8 for n in int8.graph.node if n.op_type == "Max")
    assert sum(n.op_type == "DepthToSpace" and n.input[0] in uint8 for n in int8.graph.node) == 2
    # the 16 residual blocks' skips and the global one
    assert len(chosen.additions) == 17
    # the tail, padded to a whole block of output channels, is an int8 convolution too
    tail = next(n for n in int8.graph.node if n.op_type == "Conv" and n.output[0].endswith("/padded"))
    weight = next(i for i in int8.graph.initializer if i.name == tail.input[1].removesuffix("/dq") + "/quantised")
    assert weight.dims[0] % OUTPUT_CHANNEL_BLOCK == 0
    x = torch.rand(1, 3, 12, 12)
    with torch.no_grad():
        reference, approximate = model(x), GraphRunner(int8)(x)
    assert reference.shape == approximate.shape
    assert float((approximate - reference).abs().max()) < 0.05 * float(reference.abs().max())


def test_a_prelu_whose_slopes_leave_zero_to_one_stays_in_fp32(export_graph):
    model = MODELS["sr4-baseline"].build()
    for prelu in (m for m in model.modules() if isinstance(m, torch.nn.PReLU)):
        prelu.weight.data.fill_(-0.25)

    chosen = plan(export_graph(model, 12)[1])

    assert not any(name.endswith("/sloped") for name in chosen.shares)


def test_adaptive_rounding_takes_each_weight_up_or_down_and_reconstructs_a_layer_closer_than_the_nearest_level(
        untrained_network, export_graph, monkeypatch):
    monkeypatch.setattr(rounding, "ITERATIONS", 100)
    _, graph = exported(untrained_network, export_graph, "denoise-baseline")
    chosen = plan(graph)
    batches = [torch.rand(2, 3, 16, 16) for _ in range(2)]
    runner = GraphRunner(chosen.graph)
    first = next(n for n in chosen.graph.graph.node if n.output[0] in chosen.convolutions)

    levels = rounding.rounded_levels(chosen, batches, weight_scales)

    for name, chosen_levels in levels.items():
        steps = runner.initialisers[name] / weight_scales(runner.initialisers[name]).reshape(-1, 1, 1, 1)
        assert float((chosen_levels - steps).abs().max()) < 1
    weight = runner.initialisers[first.input[1]]
    scales = weight_scales(weight).reshape(-1, 1, 1, 1)
    x = rounding.inputs_of(runner, first, batches)
    target = torch.relu(run_node(first, x, weight))
    error = {name: float(((torch.relu(run_node(first, x, w * scales)) - target) ** 2).mean())
             for name, w in (("adaptive", levels[first.input[1]]), ("nearest", torch.round(weight / scales)))}
    assert set(levels) == {n.input[1] for n in chosen.graph.graph.node if n.output[0] in chosen.convolutions}
    assert error["adaptive"] < error["nearest"]
