"""Writes the small fixture networks the inference tests run: models/<id>/{model.onnx, model.json, parity.json}.

Run with Debian's Python (torch + onnx): /usr/bin/python3 tests/Inference.Tests/Fixtures/make_fixtures.py
Every network is tiny and deterministic, so the files are a few KB and regenerate byte-for-byte.
"""
import base64
import hashlib
import json
import os

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))
OPSET = 17


class Identity(torch.nn.Module):
    """A 1x1 convolution with identity weights: output == input exactly."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 3, 1, bias=False)
        with torch.no_grad():
            self.conv.weight.copy_(torch.eye(3).reshape(3, 3, 1, 1))

    def forward(self, x):
        return self.conv(x)


class SmallConv(torch.nn.Module):
    """Two 3x3 convolutions (receptive-field radius 2) with fixed random weights, predicting a residual."""

    def __init__(self):
        super().__init__()
        self.a = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.b = torch.nn.Conv2d(8, 3, 3, padding=1)

    def forward(self, x):
        return 0.1 * self.b(torch.relu(self.a(x)))


class NearestX4(torch.nn.Module):
    """Nearest-neighbour 4x upsampling: each input pixel becomes a 4x4 block."""

    def forward(self, x):
        return torch.nn.functional.interpolate(x, scale_factor=4, mode="nearest")


class GreyFill(torch.nn.Module):
    """Inpainting-shaped: RGB + mask in, the hole (mask = 1) filled with mid grey, the rest passed through."""

    def forward(self, x):
        rgb, mask = x[:, :3], x[:, 3:4]
        return rgb * (1 - mask) + 0.5 * mask


def export(module, path, channels_in):
    module.eval()
    dummy = torch.rand(1, channels_in, 8, 8)
    torch.onnx.export(
        module, dummy, path, opset_version=OPSET, input_names=["input"], output_names=["output"],
        dynamic_axes={"input": {0: "n", 2: "h", 3: "w"}, "output": {0: "n", 2: "h", 3: "w"}})


def b64(array):
    return base64.b64encode(np.ascontiguousarray(array, dtype="<f4").tobytes()).decode("ascii")


def write_model(root, model_id, module, task, variant, scale, channels_in, tile, residual, parity_size):
    folder = os.path.join(root, model_id)
    os.makedirs(folder, exist_ok=True)
    onnx_path = os.path.join(folder, "model.onnx")
    export(module, onnx_path, channels_in)
    data = open(onnx_path, "rb").read()
    card = {
        "id": model_id, "task": task, "variant": variant,
        "network": f"test fixture: {type(module).__name__}", "file": "model.onnx", "scale": scale,
        "input": {"name": "input", "channels": channels_in, "layout": "NCHW", "elementType": "float32"},
        "output": {"name": "output", "channels": 3, "layout": "NCHW", "elementType": "float32"},
        "tile": tile, "residual": residual,
        "parameters": sum(p.numel() for p in module.parameters()), "macsPerOutputPixel": 0,
        "fileBytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
        "training": {"data": "none (fixture)", "steps": 0, "wallSeconds": 0, "seed": 0,
                     "codeRevision": "fixture", "device": "cpu"},
        "quality": [],
    }
    with open(os.path.join(folder, "model.json"), "w") as f:
        json.dump(card, f, indent=2)
    if task != "inpaint":
        write_tile_cost(folder, tile["size"])
    x = torch.rand(2, channels_in, parity_size, parity_size)
    with torch.no_grad():
        y = module(x)
    parity = {"input": {"shape": list(x.shape), "data": b64(x.numpy())},
              "output": {"shape": list(y.shape), "data": b64(y.numpy())}, "tolerance": 1e-4}
    with open(os.path.join(folder, "parity.json"), "w") as f:
        json.dump(parity, f)


def write_tile_cost(folder, native_side):
    """The same cost per pixel at every tile size up to 64 times the native side, so that the memory budget alone
    sizes a fixture's CPU tiles."""
    table = {"measured": "fixture: uniform cost, not measured",
             "curves": [{"precision": "fp32", "points": [{"side": native_side, "microsecondsPerPixel": 1.0},
                                                         {"side": 64 * native_side, "microsecondsPerPixel": 1.0}]}]}
    with open(os.path.join(folder, "tile-cost.json"), "w") as f:
        json.dump(table, f, indent=2)


def write_endless(root):
    """A graph that loops until ONNX Runtime is told to terminate: for the timeout and cancellation tests."""
    folder = os.path.join(root, "fx-endless")
    os.makedirs(folder, exist_ok=True)
    body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"]), helper.make_node("Abs", ["v_in"], ["v_out"])],
        "body",
        [helper.make_tensor_value_info("i", TensorProto.INT64, []),
         helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
         helper.make_tensor_value_info("v_in", TensorProto.FLOAT, None)],
        [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
         helper.make_tensor_value_info("v_out", TensorProto.FLOAT, None)])
    graph = helper.make_graph(
        [helper.make_node("Loop", ["trips", "cond", "input"], ["output"], body=body)],
        "endless",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["n", 3, "h", "w"])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["n", 3, "h", "w"])],
        initializer=[helper.make_tensor("trips", TensorProto.INT64, [], [2 ** 62]),
                     helper.make_tensor("cond", TensorProto.BOOL, [], [True])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx_path = os.path.join(folder, "model.onnx")
    onnx.save(model, onnx_path)
    data = open(onnx_path, "rb").read()
    card = json.load(open(os.path.join(root, "..", "models", "fx-identity", "model.json")))
    card.update({"id": "fx-endless", "variant": "experimental", "network": "test fixture: endless Loop",
                 "parameters": 0, "fileBytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    with open(os.path.join(folder, "model.json"), "w") as f:
        json.dump(card, f, indent=2)


def main():
    torch.manual_seed(20240601)
    models = os.path.join(HERE, "models")
    write_model(models, "fx-identity", Identity(), "denoise", "baseline", 1, 3,
                {"size": 16, "overlap": 4, "contextMargin": 0}, False, 16)
    write_model(models, "fx-conv", SmallConv(), "denoise", "lightweight", 1, 3,
                {"size": 32, "overlap": 8, "contextMargin": 0}, True, 20)
    write_model(models, "fx-sr-nearest", NearestX4(), "super-resolve", "baseline", 4, 3,
                {"size": 16, "overlap": 4, "contextMargin": 0}, False, 8)
    write_model(models, "fx-inpaint", GreyFill(), "inpaint", "baseline", 1, 4,
                {"size": 32, "overlap": 0, "contextMargin": 4}, False, 16)
    write_endless(os.path.join(HERE, "endless"))


if __name__ == "__main__":
    main()
