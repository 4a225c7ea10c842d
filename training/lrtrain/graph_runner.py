"""An exported ONNX graph run in PyTorch, node by node: the quantiser calibrates on the very tensors of the graph it
rewrites and measures the int8 graph it writes, not a module that is meant to compute the same. Python has no ONNX
Runtime here. Only the operators our exported and quantised graphs use are known; any other one is an error."""
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F
from onnx import ModelProto, NodeProto, helper, numpy_helper
from torch import nn

Observer = Callable[[str, torch.Tensor], None]


def _attributes(node: NodeProto) -> dict:
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _per_axis(parameter: torch.Tensor, x: torch.Tensor, axis: int) -> torch.Tensor:
    """A scale or zero point shaped to broadcast along `axis` of `x` (one value per slice, or one for all)."""
    if parameter.dim() == 0:
        return parameter
    shape = [1] * x.dim()
    shape[axis] = -1
    return parameter.reshape(shape)


def _quantize(x, scale, zero, axis=1):
    zero_point = zero if zero is not None else torch.zeros((), dtype=torch.uint8)
    low, high = (0, 255) if zero_point.dtype == torch.uint8 else (-128, 127)
    q = torch.round(x / _per_axis(scale, x, axis)) + _per_axis(zero_point.float(), x, axis)
    return torch.clamp(q, low, high).to(zero_point.dtype)


def _dequantize(q, scale, zero=None, axis=1):
    zero_point = zero.double() if zero is not None else torch.zeros(())
    return ((q.double() - _per_axis(zero_point, q, axis)) * _per_axis(scale.double(), q, axis)).float()


def _conv(x, w, b=None, dilations=(1, 1), group=1, pads=(0, 0, 0, 0), strides=(1, 1), kernel_shape=None):
    top, left, bottom, right = pads
    if (top, left) != (bottom, right):
        x, top, left = F.pad(x, (left, right, top, bottom)), 0, 0
    return F.conv2d(x, w, b, stride=tuple(strides), padding=(top, left), dilation=tuple(dilations), groups=group)


def _pad(x, pads, value=None, mode=b"constant"):
    half = len(pads) // 2
    # ONNX lists every axis's start, then every axis's end; F.pad wants (last start, last end, ...) of the spatial axes
    spatial = [int(p) for axis in reversed(range(2, half)) for p in (pads[axis], pads[axis + half])]
    mode = {"edge": "replicate"}.get(_text(mode), _text(mode))
    return F.pad(x, spatial, mode=mode) if mode != "constant" else F.pad(x, spatial, value=float(value or 0))


def _slice(x, starts, ends, axes=None, steps=None):
    axes = axes.tolist() if axes is not None else list(range(len(starts)))
    steps = steps.tolist() if steps is not None else [1] * len(starts)
    for start, end, axis, step in zip(starts.tolist(), ends.tolist(), axes, steps):
        # Python's slices clamp out-of-range bounds as ONNX does, in either direction
        kept = range(*slice(start, end, step).indices(x.shape[axis]))
        x = x.index_select(axis, torch.tensor(list(kept), dtype=torch.long))
    return x


def _resize(x, roi=None, scales=None, sizes=None, mode=b"nearest", coordinate_transformation_mode=b"half_pixel", **_):
    if _text(mode) != "linear" or _text(coordinate_transformation_mode) not in ("half_pixel", "pytorch_half_pixel"):
        raise ValueError(f"Resize: only linear half-pixel resizing is known, not {mode!r} {coordinate_transformation_mode!r}")
    if sizes is not None and sizes.numel():
        return F.interpolate(x, size=[int(s) for s in sizes[2:]], mode="bilinear", align_corners=False)
    return F.interpolate(x, scale_factor=[float(s) for s in scales[2:]], mode="bilinear", align_corners=False,
                         recompute_scale_factor=False)


def _depth_to_space(x, blocksize, mode=b"DCR"):
    if _text(mode) != "CRD":
        raise ValueError("DepthToSpace: only CRD (PixelShuffle's order) is known")
    n, c, h, w = x.shape
    r = blocksize
    return x.reshape(n, c // (r * r), r, r, h, w).permute(0, 1, 4, 2, 5, 3).reshape(n, c // (r * r), h * r, w * r)


def _reshape(x, shape, allowzero=0):
    target = [x.shape[i] if s == 0 and not allowzero else int(s) for i, s in enumerate(shape.tolist())]
    return x.reshape(target)


def _symmetric(pads, operator: str) -> tuple[int, int]:
    """ONNX's (top, left, bottom, right) as PyTorch's (height, width) padding, which pads both sides alike."""
    top, left, bottom, right = pads
    if (top, left) != (bottom, right):
        raise ValueError(f"{operator}: only symmetric padding is known")
    return top, left


def _conv_transpose(x, w, b=None, dilations=(1, 1), group=1, pads=(0, 0, 0, 0), strides=(1, 1), output_padding=(0, 0),
                    kernel_shape=None):
    return F.conv_transpose2d(x, w, b, stride=tuple(strides), padding=_symmetric(pads, "ConvTranspose"),
                              output_padding=tuple(output_padding), groups=group, dilation=tuple(dilations))


def _average_pool(x, kernel_shape, strides=None, pads=(0, 0, 0, 0), ceil_mode=0, count_include_pad=0, **_):
    return F.avg_pool2d(x, tuple(kernel_shape), tuple(strides or kernel_shape), _symmetric(pads, "AveragePool"),
                        ceil_mode=bool(ceil_mode), count_include_pad=bool(count_include_pad))


def _gather(x, indices, axis=0):
    size = x.shape[axis]
    flat = torch.remainder(indices.reshape(-1).long(), size)  # negative indices count from the end
    return x.index_select(axis, flat).reshape(x.shape[:axis] + indices.shape + x.shape[axis + 1:])


def _unsqueeze(x, axes):
    rank = x.dim() + axes.numel()
    for axis in sorted(int(a) % rank for a in axes.reshape(-1)):
        x = x.unsqueeze(axis)
    return x


def _divide(a, b):
    # ONNX divides integers as C does, truncating
    return torch.div(a, b, rounding_mode="trunc") if not a.is_floating_point() else a / b


_ELEMENT_TYPES = {1: torch.float32, 2: torch.uint8, 3: torch.int8, 6: torch.int32, 7: torch.int64, 9: torch.bool}

OPERATORS: dict[str, Callable] = {
    "Add": torch.add, "Sub": torch.sub, "Mul": torch.mul, "Div": _divide, "Max": torch.maximum, "Equal": torch.eq,
    "Mod": lambda a, b, fmod=0: torch.fmod(a, b) if fmod else torch.remainder(a, b),
    "Clip": lambda x, low=None, high=None: torch.clamp(x, low, high),
    "Relu": F.relu, "Identity": lambda x: x,
    "Conv": _conv, "ConvTranspose": _conv_transpose, "AveragePool": _average_pool,
    "Concat": lambda *xs, axis: torch.cat(xs, dim=axis),
    "DepthToSpace": _depth_to_space,
    "Pad": _pad, "Slice": _slice, "Resize": _resize, "Reshape": _reshape, "Gather": _gather, "Unsqueeze": _unsqueeze,
    "Shape": lambda x: torch.tensor(x.shape, dtype=torch.int64),
    "Range": lambda start, limit, delta: torch.arange(start.item(), limit.item(), delta.item(), dtype=start.dtype),
    "Transpose": lambda x, perm: x.permute(*perm),
    "Cast": lambda x, to: x.to(_ELEMENT_TYPES[to]),
    "ConstantOfShape": lambda shape, value=None: torch.full(
        shape.tolist(), float(numpy_helper.to_array(value)[0]) if value is not None else 0.0,
        dtype=_ELEMENT_TYPES[value.data_type] if value is not None else torch.float32),
    "QuantizeLinear": _quantize, "DequantizeLinear": _dequantize,
}


def run_node(node: NodeProto, *inputs: torch.Tensor) -> torch.Tensor:
    """One node on the given inputs, as the graph runs it."""
    return OPERATORS[node.op_type](*inputs, **_attributes(node))


class GraphRunner(nn.Module):
    """forward(x) runs the graph on its one input; `observe`, where given, sees every tensor a node produces."""

    def __init__(self, model: ModelProto):
        super().__init__()
        graph = model.graph
        self.nodes = list(graph.node)
        unknown = {n.op_type for n in self.nodes} - set(OPERATORS) - {"Constant"}
        if unknown:
            raise ValueError(f"the graph uses operators this runner does not know: {sorted(unknown)}")
        self.initialisers = {i.name: torch.from_numpy(np.array(numpy_helper.to_array(i))) for i in graph.initializer}
        self.input_name, self.output_name = graph.input[0].name, graph.output[0].name
        self.observe: Observer | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        values = dict(self.initialisers)
        values[self.input_name] = x
        for node in self.nodes:
            if node.op_type == "Constant":
                result = torch.from_numpy(np.array(numpy_helper.to_array(_attributes(node)["value"])))
            else:
                inputs = [values[name] if name else None for name in node.input]
                while inputs and inputs[-1] is None:
                    inputs.pop()
                result = run_node(node, *inputs)
            values[node.output[0]] = result
            if self.observe is not None:
                self.observe(node.output[0], result)
        return values[self.output_name]
