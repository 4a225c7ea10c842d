"""Tests import lrtrain from training/ and share the machine's two cores with whatever else runs."""
import sys
from pathlib import Path

import onnx
import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
torch.set_num_threads(1)

from lrtrain.networks import inference_form  # noqa: E402  (needs the path above)


@pytest.fixture
def export_graph(tmp_path):
    """Exports a network's inference form as the pipeline does (opset 17, height and width free); gives back that
    module and the graph."""
    def export(model: torch.nn.Module, side: int = 16):
        model = inference_form(model.eval())
        path = tmp_path / "model.onnx"
        torch.onnx.export(model, torch.rand(1, 3, side, side), str(path), opset_version=17, input_names=["input"],
                          output_names=["output"], dynamic_axes={"input": {2: "h", 3: "w"}, "output": {2: "h", 3: "w"}})
        return model, onnx.load(str(path))
    return export
