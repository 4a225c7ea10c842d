"""The graph runner computes what ONNX Runtime would: the exported graphs' outputs equal their networks', and the
shipped graphs' equal their parity fixtures, which the C# tests hold ONNX Runtime to."""
import json

import onnx
import pytest
import torch

from lrtrain.graph_runner import GraphRunner
from lrtrain.export import REPO, decode

MODELS_DIR = REPO / "models"


@pytest.mark.parametrize("model_id", ["denoise-baseline", "denoise-lightweight", "sr4-baseline", "sr4-lightweight"])
def test_an_exported_graph_runs_to_its_networks_output(untrained_network, export_graph, model_id):
    model, graph = export_graph(untrained_network(model_id))
    x = torch.rand(1, 3, 20, 14)

    with torch.no_grad():
        expected, actual = model(x), GraphRunner(graph)(x)

    assert actual.shape == expected.shape
    assert float((actual - expected).abs().max()) < 1e-5


def test_a_graph_with_an_unknown_operator_is_refused():
    node = onnx.helper.make_node("Gelu", ["input"], ["output"])
    graph = onnx.helper.make_graph([node], "g", [onnx.helper.make_tensor_value_info("input", onnx.TensorProto.FLOAT, [1])],
                                   [onnx.helper.make_tensor_value_info("output", onnx.TensorProto.FLOAT, [1])])

    with pytest.raises(ValueError, match="Gelu"):
        GraphRunner(onnx.helper.make_model(graph))


@pytest.mark.parametrize("model_id", sorted(p.name for p in MODELS_DIR.iterdir() if (p / "parity.json").exists()))
def test_a_shipped_graph_runs_to_the_output_onnx_runtime_is_held_to(model_id):
    fixture = json.loads((MODELS_DIR / model_id / "parity.json").read_text())

    with torch.no_grad():
        actual = GraphRunner(onnx.load(str(MODELS_DIR / model_id / "model.onnx")))(decode(fixture["input"]))

    assert float((actual - decode(fixture["output"])).abs().max()) <= fixture["tolerance"]
