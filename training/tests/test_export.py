"""Exported graphs load back into the network code: a graph in the current inference form, one exported before its
last rewrite, and one in the form that trains all give the network's own output."""
import copy

import pytest
import torch

from lrtrain.modules import ConvolutionalPReLU, PhasedConvolution
from lrtrain.networks import INFERENCE_REWRITES, MODELS, inference_form
from lrtrain.train import exported_network


def export(model: torch.nn.Module, path) -> None:
    torch.onnx.export(model, torch.rand(1, 3, 12, 12), str(path), opset_version=17, input_names=["input"],
                      output_names=["output"], dynamic_axes={"input": {2: "h", 3: "w"}, "output": {2: "h", 3: "w"}})


def trained_looking(model_id: str) -> torch.nn.Module:
    """The network with a non-zero tail and PReLU slopes of either sign, as training leaves them."""
    torch.manual_seed(0)
    model = MODELS[model_id].build().eval()
    torch.nn.init.normal_(model.tail.weight, std=0.02)
    for prelu in (m for m in model.modules() if isinstance(m, torch.nn.PReLU)):
        torch.nn.init.uniform_(prelu.weight, -0.3, 0.5)
    return model


def earlier_inference_form(model: torch.nn.Module) -> torch.nn.Module:
    """The form graphs were exported in before the last rewrite existed."""
    for rewrite in INFERENCE_REWRITES[:-1]:
        rewrite(model)
    return model


EXPORTED_FORMS = {"inference": inference_form, "before the last rewrite": earlier_inference_form, "training": lambda model: model}


@pytest.mark.parametrize("exported_form", EXPORTED_FORMS)
def test_an_exported_upscaler_loads_into_the_inference_form_with_the_same_output(tmp_path, exported_form):
    model = trained_looking("sr4-lightweight")
    path = tmp_path / "model.onnx"
    export(EXPORTED_FORMS[exported_form](copy.deepcopy(model)), path)
    x = torch.rand(1, 3, 10, 14)

    loaded = exported_network(MODELS["sr4-lightweight"], path)

    assert any(isinstance(m, ConvolutionalPReLU) for m in loaded.modules())
    assert isinstance(loaded.tail, PhasedConvolution)
    with torch.no_grad():
        assert torch.allclose(loaded(x), model(x), atol=1e-5)
