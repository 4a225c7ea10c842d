"""Which parts of an exported graph run in int8 (quantize.py writes them; issue 16).

The convolutions: every one with its weights in the graph, except those that read the image (no more input channels
than an image and its mask) and the last, which writes the result; both carry the full precision of the picture. Then
what lies between two of them, so that a chain of int8 convolutions has no fp32 work in it, which on this CPU cost more
than the convolutions themselves (sr4-baseline: 177 ms of QLinearConv in a 940 ms run):

- A PReLU (the export's a*x + (1 - a)*relu(x), modules.ConvolutionalPReLU) on a quantised tensor y becomes
  Max(y, a*y), which is the same function for slopes in [0, 1]. a*y is a depthwise 1x1 convolution whose int8 weights
  are exact (127 at a scale of a/127) and whose output uses y's quantisation; Max then runs on the two uint8 tensors
  themselves, since rounding both the same way keeps their order. ONNX Runtime has no quantised PReLU.
- A DepthToSpace on a quantised tensor runs on the uint8 tensor: it only moves values.
- An Add whose inputs and output are all quantised (a residual block's skip) runs as QLinearAdd.

A super-resolution network's last convolution runs in int8 too (`quantise_last`): it writes the detail added to the
bicubic upscale, not the picture, and the rounding of its output (a third of a level, root mean square) is lost in its
error (about 9 levels). With 12 output channels its QLinearConv ran slower than in fp32 (469 against 250 ms), so an
int8 last convolution's outputs are padded with zero filters to a multiple of OUTPUT_CHANNEL_BLOCK, and a Slice on
the uint8 tensor keeps the real ones.

Tensors that share a quantisation (a*y, the Max and a shuffle's output with their input) are calibrated once, as the
tensor they share it with.
"""
import copy
from dataclasses import dataclass

import numpy as np
import onnx
from onnx import helper, numpy_helper

IMAGE_CHANNELS = 4  # RGB, and the inpainting mask
SLOPE_TOLERANCE = 1e-6
# ONNX Runtime's int8 convolution ran 12 output channels at a third of the speed of 32 (sr4-baseline's tail)
OUTPUT_CHANNEL_BLOCK = 32


@dataclass(frozen=True)
class Int8Plan:
    graph: onnx.ModelProto              # the fp32 graph, its int8-bound PReLUs as Max(y, a*y) and its padded last
                                        # convolution sliced: the same numbers
    convolutions: frozenset[str]        # outputs of the Conv nodes that run in int8
    on_uint8: frozenset[str]            # outputs of the nodes that run on uint8 tensors as they are (Max, DepthToSpace,
                                        # the Slice after a padded convolution)
    additions: frozenset[str]           # outputs of the Add nodes that run as QLinearAdd
    shares: dict[str, str]              # every quantised tensor -> the calibrated tensor whose quantisation it uses
    clamped: frozenset[str]             # calibrated tensors that follow a ReLU: their range starts at 0

    @property
    def calibrated(self) -> set[str]:
        return set(self.shares.values())

    def int8_only(self) -> set[str]:
        """Quantised tensors that exist only as uint8 once ONNX Runtime fuses the graph: every fp32 reader of one reads
        it dequantised."""
        produced = {n.output[0]: n for n in self.graph.graph.node}
        consumers = consumers_of(self.graph.graph)
        int8_ops = self.convolutions | self.on_uint8 | self.additions

        def only_int8(name: str) -> bool:
            node = produced.get(name)
            if node is None:
                return False
            if name in int8_ops:
                return True
            # a ReLU right after an int8 convolution is fused into it
            return node.op_type == "Relu" and node.input[0] in self.convolutions and len(consumers[node.input[0]]) == 1
        return {name for name in self.shares if only_int8(name)}


def consumers_of(graph: onnx.GraphProto) -> dict[str, list[onnx.NodeProto]]:
    consumers: dict[str, list[onnx.NodeProto]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    return consumers


def _is_pointwise_depthwise(node: onnx.NodeProto, weights: dict[str, np.ndarray]) -> bool:
    if node.op_type != "Conv" or len(node.input) != 2 or node.input[1] not in weights:
        return False
    w = weights[node.input[1]]
    return w.shape[1:] == (1, 1, 1)


@dataclass(frozen=True)
class _PRelu:
    """The four nodes of an exported PReLU: linear = Conv(y, a), relu = Relu(y), rectified = Conv(relu, 1 - a), and the
    Add of the two convolutions."""
    linear: onnx.NodeProto
    relu: onnx.NodeProto
    rectified: onnx.NodeProto
    add: onnx.NodeProto

    @property
    def input(self) -> str:
        return self.linear.input[0]

    def slopes(self, weights: dict[str, np.ndarray]) -> np.ndarray:
        return weights[self.linear.input[1]]

    def is_max_of_slope(self, weights: dict[str, np.ndarray]) -> bool:
        a, b = self.slopes(weights), weights[self.rectified.input[1]]
        return bool(np.abs(a + b - 1).max() <= SLOPE_TOLERANCE and a.min() >= 0 and a.max() <= 1)


def _prelus(graph: onnx.GraphProto, weights: dict[str, np.ndarray]) -> list[_PRelu]:
    produced = {n.output[0]: n for n in graph.node}
    found = []
    for add in (n for n in graph.node if n.op_type == "Add"):
        left, right = (produced.get(name) for name in add.input)
        if not (left and right and _is_pointwise_depthwise(left, weights) and _is_pointwise_depthwise(right, weights)):
            continue
        for linear, rectified in ((left, right), (right, left)):
            relu = produced.get(rectified.input[0])
            if relu is not None and relu.op_type == "Relu" and relu.input[0] == linear.input[0]:
                found.append(_PRelu(linear, relu, rectified, add))
    return found


def plan(fp32: onnx.ModelProto, quantise_last: bool = False) -> Int8Plan:
    model = copy.deepcopy(fp32)
    graph = model.graph
    weights = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    prelus = _prelus(graph, weights)
    in_prelus = {id(n) for p in prelus for n in (p.linear, p.rectified)}

    candidates = [n for n in graph.node if n.op_type == "Conv" and n.input[1] in weights and id(n) not in in_prelus]
    convolutions = [n for n in (candidates if quantise_last else candidates[:-1])  # nodes are in topological order
                    if weights[n.input[1]].shape[1] * _group(n) > IMAGE_CHANNELS]
    shares, clamped, on_uint8 = {}, set(), set()
    last = convolutions[-1] if quantise_last and convolutions and convolutions[-1] is candidates[-1] else None
    if last is not None and weights[last.input[1]].shape[0] % OUTPUT_CHANNEL_BLOCK:
        real = last.output[0]
        shares[_pad_outputs(graph, last, weights)] = shares[real] = real
        on_uint8.add(real)
    consumers = consumers_of(graph)
    for conv in convolutions:
        shares[conv.input[0]] = conv.input[0]
        after = consumers.get(conv.output[0], [])
        output = after[0].output[0] if len(after) == 1 and after[0].op_type == "Relu" else conv.output[0]
        shares.setdefault(output, output)
        if output != conv.output[0]:
            clamped.add(output)

    rewrites = {}
    by_add = {id(p.add): p for p in prelus}
    for node in graph.node:
        if node.op_type == "DepthToSpace" and node.input[0] in shares and len(consumers[node.input[0]]) == 1:
            shares[node.output[0]] = shares[node.input[0]]
            on_uint8.add(node.output[0])
        prelu = by_add.get(id(node))
        if prelu is not None and prelu.input in shares and prelu.is_max_of_slope(weights):
            sloped = f"{prelu.add.output[0]}/sloped"
            root = shares[prelu.input]
            shares[sloped] = shares[prelu.add.output[0]] = root
            clamped.discard(prelu.add.output[0])
            rewrites[id(prelu.add)] = [
                helper.make_node("Conv", [prelu.input, prelu.linear.input[1]], [sloped], group=int(prelu.slopes(weights).shape[0]),
                                 kernel_shape=[1, 1], name=f"{prelu.add.name or sloped}/slope"),
                helper.make_node("Max", [prelu.input, sloped], [prelu.add.output[0]], name=f"{prelu.add.name or sloped}/max")]
            convolutions.append(rewrites[id(prelu.add)][0])
            on_uint8.add(prelu.add.output[0])

    removed = {id(n) for p in prelus if id(p.add) in rewrites for n in (p.linear, p.relu, p.rectified)}
    nodes = []
    for node in graph.node:
        if id(node) not in removed:
            nodes.extend(rewrites.get(id(node), [node]))
    del graph.node[:]
    graph.node.extend(nodes)
    additions = {n.output[0] for n in nodes if n.op_type == "Add" and all(name in shares for name in (*n.input, n.output[0]))}
    return Int8Plan(model, frozenset(c.output[0] for c in convolutions), frozenset(on_uint8), frozenset(additions),
                    shares, frozenset(clamped))


def _pad_outputs(graph: onnx.GraphProto, conv: onnx.NodeProto, weights: dict[str, np.ndarray]) -> str:
    """Gives `conv` zero filters up to a multiple of OUTPUT_CHANNEL_BLOCK outputs, writing a tensor of its own, and a
    Slice of the real channels in its place; returns the padded tensor's name."""
    w = weights[conv.input[1]]
    channels = w.shape[0]
    extra = -channels % OUTPUT_CHANNEL_BLOCK
    padded_name = f"{conv.output[0]}/padded"
    names = [f"{conv.input[1]}/padded"] + ([f"{conv.input[2]}/padded"] if len(conv.input) > 2 else [])
    padded = [np.concatenate([w, np.zeros((extra,) + w.shape[1:], w.dtype)])]
    if len(conv.input) > 2:
        b = weights[conv.input[2]]
        padded.append(np.concatenate([b, np.zeros(extra, b.dtype)]))
    bounds = [f"{padded_name}/{k}" for k in ("starts", "ends", "axes")]
    for name, values in zip(names + bounds, padded + [np.array([0]), np.array([channels]), np.array([1])]):
        graph.initializer.append(numpy_helper.from_array(values, name))
        weights[name] = values
    position = list(graph.node).index(conv)
    graph.node.insert(position + 1, helper.make_node("Slice", [padded_name, *bounds], [conv.output[0]],
                                                     name=f"{conv.name or padded_name}/real"))
    conv.input[1:] = names
    conv.output[0] = padded_name
    return padded_name


def _group(node: onnx.NodeProto) -> int:
    return next((a.i for a in node.attribute if a.name == "group"), 1)
