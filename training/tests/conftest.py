"""Tests import lrtrain from training/ and share the machine's two cores with whatever else runs."""
import sys
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
torch.set_num_threads(1)

from lrtrain.export import write_graph  # noqa: E402  (needs the path above)
from lrtrain.networks import MODELS, inference_form  # noqa: E402


@pytest.fixture
def untrained_network():
    """Builds a freshly initialised network, seeded; a super-resolution tail, which starts at zero (bicubic exactly),
    gets something to write."""
    def build(model_id: str) -> torch.nn.Module:
        torch.manual_seed(0)
        model = MODELS[model_id].build()
        if model_id.startswith("sr4"):
            with torch.no_grad():
                model.tail.weight.normal_(0, 0.01)
        return model
    return build


@pytest.fixture
def export_graph(tmp_path):
    """Exports a network's inference form as the pipeline does; gives back that module and the graph."""
    def export(model: torch.nn.Module, side: int = 16):
        model = inference_form(model.eval())
        return model, write_graph(model, torch.rand(1, 3, side, side), tmp_path / "model.onnx")
    return export
