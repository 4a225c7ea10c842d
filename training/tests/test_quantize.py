"""Static int8 quantisation: the QDQ graph keeps the image-facing layers in fp32, is a valid ONNX model, and its
PyTorch simulation stays near the fp32 network."""
import numpy as np
import onnx
import torch

from lrtrain.networks import MODELS
from lrtrain.quantize import Quantisation, plan, qdq_graph, ranges, simulated


def exported_denoiser(tmp_path):
    torch.manual_seed(0)
    model = MODELS["denoise-baseline"].build().eval()
    path = tmp_path / "model.onnx"
    torch.onnx.export(model, torch.rand(1, 3, 16, 16), str(path), opset_version=17, input_names=["input"],
                      output_names=["output"], dynamic_axes={"input": {2: "h", 3: "w"}, "output": {2: "h", 3: "w"}})
    return model, onnx.load(str(path))


def test_a_quantisation_represents_zero_exactly_and_rounds_within_half_a_step():
    q = Quantisation.covering(-1.0, 3.0)
    values = torch.linspace(-1, 3, 1001)

    assert float(q.fake(torch.zeros(1))) == 0.0
    assert float((q.fake(values) - values).abs().max()) <= q.scale / 2 + 1e-7
    assert float(q.fake(torch.tensor([5.0]))) <= 3.0 + q.scale


def test_the_plan_keeps_the_convolution_reading_the_image_and_the_last_one_in_fp32(tmp_path):
    model, graph = exported_denoiser(tmp_path)

    plans = plan(graph.graph, model)

    assert [p.module for p in plans] == [f"body.{i}.conv" for i in range(1, 16)]
    assert all(p.clamps_at_zero for p in plans)


def test_the_qdq_graph_is_valid_and_its_simulation_stays_near_the_fp32_network(tmp_path):
    model, graph = exported_denoiser(tmp_path)
    plans = plan(graph.graph, model)
    calibration = [torch.rand(2, 3, 24, 24) for _ in range(2)]
    chosen = ranges(model, plans, calibration, np.random.default_rng(0))

    quantised = qdq_graph(graph, model, plans, chosen)

    ops = [node.op_type for node in quantised.graph.node]
    assert ops.count("Conv") == 17
    assert ops.count("QuantizeLinear") == len({name for p in plans for name in (p.input, p.output)})
    weights = {i.name: i for i in quantised.graph.initializer}
    assert all(weights[f"{p.node.name}/weight/quantised"].data_type == onnx.TensorProto.INT8 for p in plans)
    x = torch.rand(1, 3, 24, 24)
    with torch.no_grad():
        reference, approximate = model(x), simulated(model, plans, chosen)(x)
    assert float((approximate - reference).abs().max()) < 0.05 * float(reference.abs().max())
