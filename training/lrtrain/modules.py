"""The low-cost modules of Lahiri et al. (TCSVT 2021), the conv+BN units they replace, a bicubic upsampler that
ONNX Runtime runs fast, and the harmonic hole fill that the completion networks start from.

Every unit that owns a BatchNorm can fold it into the convolution in front of it (`fold_batchnorm`), so the
exported graph has no BatchNorm left.
"""
import itertools
import math

import torch
from torch import nn
import torch.nn.functional as F
from torch.nn.utils.fusion import fuse_conv_bn_eval, fuse_conv_bn_weights


def fold_batchnorms(model: nn.Module) -> nn.Module:
    """Folds every BatchNorm of `model` (in eval mode) into its convolution, in place."""
    model.eval()
    for module in list(model.modules()):
        if isinstance(module, Foldable):
            module.fold_batchnorm()
    return model


class Foldable(nn.Module):
    def fold_batchnorm(self) -> None:
        raise NotImplementedError


class ConvBnAct(Foldable):
    """Convolution (or transposed convolution), optional BatchNorm, optional activation."""

    def __init__(self, conv: nn.Module, out_ch: int, bn: bool = True, act: nn.Module | None = None):
        super().__init__()
        self.conv = conv
        self.bn = nn.BatchNorm2d(out_ch) if bn else nn.Identity()
        self.act = act if act is not None else nn.Identity()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))

    def fold_batchnorm(self) -> None:
        if isinstance(self.bn, nn.BatchNorm2d):
            transpose = isinstance(self.conv, nn.ConvTranspose2d)
            self.conv = fuse_conv_bn_eval(self.conv, self.bn, transpose=transpose)
            self.bn = nn.Identity()


def conv_bn_relu(in_ch: int, out_ch: int, k: int = 3, stride: int = 1, dilation: int = 1, bn: bool = True) -> ConvBnAct:
    pad = dilation * (k - 1) // 2
    conv = nn.Conv2d(in_ch, out_ch, k, stride=stride, padding=pad, dilation=dilation, bias=not bn)
    return ConvBnAct(conv, out_ch, bn=bn, act=nn.ReLU(inplace=True))


class ListBlock(Foldable):
    """LIST block, replacing a 3x3 convolution C_in -> C_out.

    A 1x1 convolution squeezes to C_in/4 channels; one branch maps the squeezed tensor with a 1x1 convolution to
    C_out/2, the other with a depthwise 3x3 then a 1x1 to C_out/2; the two are concatenated. BatchNorm and the
    activation follow the block; without BatchNorm the branches' last convolutions carry a bias instead.
    """

    def __init__(self, in_ch: int, out_ch: int, act: nn.Module | None = None, bn: bool = True):
        super().__init__()
        squeezed = max(in_ch // 4, 1)
        half = out_ch // 2
        self.squeeze = nn.Conv2d(in_ch, squeezed, 1, bias=False)
        self.point = nn.Conv2d(squeezed, half, 1, bias=not bn)
        self.depthwise = nn.Conv2d(squeezed, squeezed, 3, padding=1, groups=squeezed, bias=False)
        self.depth_point = nn.Conv2d(squeezed, out_ch - half, 1, bias=not bn)
        self.bn = nn.BatchNorm2d(out_ch) if bn else nn.Identity()
        self.act = act if act is not None else nn.Identity()
        self.merged: nn.Conv2d | None = None  # the two branches' 1x1 convolutions in one (merge_branches)

    def forward(self, x):
        return self.expand(self.squeeze(x))

    def expand(self, s: torch.Tensor) -> torch.Tensor:
        """The block after its squeeze: the two branches, BatchNorm and activation."""
        d = self.depthwise(s)
        if self.merged is not None:
            y = self.merged(torch.cat([s, d], dim=1))
        else:
            y = torch.cat([self.point(s), self.depth_point(d)], dim=1)
        return self.act(self.bn(y))

    def merge_branches(self) -> None:
        """The inference form, in place: the two branches' 1x1 convolutions as one convolution of two groups over
        concat(squeezed, depthwise). The same arithmetic, but ONNX Runtime then fuses the activation into it and
        concatenates the squeezed tensors instead of the twice as wide outputs: 15 LIST blocks of DnCNN-lightweight at
        512² ran 2.1x faster. Fold BatchNorm first: it folds into the branches."""
        if self.merged is not None:
            return
        point, depth_point = self.point, self.depth_point
        merged = nn.Conv2d(2 * point.in_channels, point.out_channels + depth_point.out_channels, 1, groups=2)
        with torch.no_grad():
            merged.weight.copy_(torch.cat([point.weight, depth_point.weight]))
            merged.bias.copy_(torch.cat([_bias(point), _bias(depth_point)]))
        self.merged, self.point, self.depth_point = merged, None, None

    def split_branches(self) -> None:
        """Undoes merge_branches, in place: the form that trains."""
        if self.merged is None:
            return
        half = self.merged.out_channels // 2
        squeezed = self.merged.in_channels // 2
        self.point, self.depth_point = nn.Conv2d(squeezed, half, 1), nn.Conv2d(squeezed, self.merged.out_channels - half, 1)
        with torch.no_grad():
            for conv, part in ((self.point, slice(0, half)), (self.depth_point, slice(half, None))):
                conv.weight.copy_(self.merged.weight[part])
                conv.bias.copy_(self.merged.bias[part])
        self.merged = None

    def fold_batchnorm(self) -> None:
        if not isinstance(self.bn, nn.BatchNorm2d):
            return
        half = self.point.out_channels
        for conv, sl in ((self.point, slice(0, half)), (self.depth_point, slice(half, None))):
            part = nn.BatchNorm2d(conv.out_channels, eps=self.bn.eps)
            part.weight.data = self.bn.weight.data[sl].clone()
            part.bias.data = self.bn.bias.data[sl].clone()
            part.running_mean = self.bn.running_mean[sl].clone()
            part.running_var = self.bn.running_var[sl].clone()
            part.eval()
            fused = fuse_conv_bn_eval(conv, part)
            if conv is self.point:
                self.point = fused
            else:
                self.depth_point = fused
        self.bn = nn.Identity()


class ConvolutionalPReLU(nn.Module):
    """PReLU(x) = a*x + (1 - a)*relu(x), as a ReLU and two depthwise 1x1 convolutions: the same arithmetic, which ONNX
    Runtime's CPU provider keeps in its blocked (NCHWc) layout, adding the first convolution into the second; a PRelu
    node makes it reorder the tensor to NCHW and back. sr4-lightweight ran 1.3x faster. The two weights are separate
    parameters, so that the export keeps their names."""

    def __init__(self, prelu: nn.PReLU):
        super().__init__()
        slopes = prelu.weight.detach().reshape(-1, 1, 1, 1)
        self.linear = nn.Parameter(slopes.clone())
        self.rectified = nn.Parameter(1 - slopes)

    def forward(self, x):
        channels = self.linear.shape[0]
        return F.conv2d(x, self.linear, groups=channels) + F.conv2d(F.relu(x), self.rectified, groups=channels)

    def prelu(self) -> nn.PReLU:
        """The PReLU this was made from."""
        prelu = nn.PReLU(self.linear.shape[0])
        with torch.no_grad():
            prelu.weight.copy_(self.linear.flatten())
        return prelu


def replace_modules(model: nn.Module, kind: type, replacement) -> None:
    """Replaces, in place, every submodule of `kind` by `replacement(submodule)`."""
    for name, child in model.named_children():
        if isinstance(child, kind):
            setattr(model, name, replacement(child))
        else:
            replace_modules(child, kind, replacement)


def _bias(conv: nn.Conv2d) -> torch.Tensor:
    return conv.bias if conv.bias is not None else conv.weight.new_zeros(conv.out_channels)


def channel_shuffle(x: torch.Tensor, groups: int) -> torch.Tensor:
    n, c, h, w = x.shape
    return x.reshape(n, groups, c // groups, h, w).transpose(1, 2).reshape(n, c, h, w)


class Gsat(Foldable):
    """GSAT block, replacing a dilated 3x3 convolution C -> C: grouped dilated 3x3, channel shuffle, grouped 1x1,
    BatchNorm, residual add of the block input, ReLU."""

    def __init__(self, channels: int, dilation: int, groups: int = 8):
        super().__init__()
        self.groups = groups
        self.dilated = nn.Conv2d(channels, channels, 3, padding=dilation, dilation=dilation, groups=groups, bias=False)
        self.point = nn.Conv2d(channels, channels, 1, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(channels)

    def forward(self, x):
        y = self.bn(self.point(channel_shuffle(self.dilated(x), self.groups)))
        return F.relu(x + y)

    def fold_batchnorm(self) -> None:
        if isinstance(self.bn, nn.BatchNorm2d):
            self.point = fuse_conv_bn_eval(self.point, self.bn)
            self.bn = nn.Identity()


class SubPixelBnUp(Foldable):
    """x2 upsampling as a 3x3 convolution to four phases of each output channel, a pixel shuffle, then BatchNorm and
    ReLU on the shuffled channels, so that the four phases of a channel share one normalisation; a BatchNorm in front
    of the shuffle normalises each phase on its own and draws a 2x2 grid into flat areas. The convolution starts with
    its four phases equal (ICNR: nearest-neighbour upsampling of one convolution), so training starts without a grid."""

    def __init__(self, in_ch: int, out_ch: int):
        super().__init__()
        self.conv = nn.Conv2d(in_ch, out_ch * 4, 3, padding=1, bias=False)
        one_phase = torch.empty(out_ch, in_ch, 3, 3)
        nn.init.kaiming_normal_(one_phase, nonlinearity="relu")
        with torch.no_grad():
            self.conv.weight.copy_(one_phase.repeat_interleave(4, dim=0))
        self.shuffle = nn.PixelShuffle(2)
        self.bn = nn.BatchNorm2d(out_ch)
        self.act = nn.ReLU(inplace=True)

    def forward(self, x):
        return self.act(self.bn(self.shuffle(self.conv(x))))

    def fold_batchnorm(self) -> None:
        """Output channel c of the shuffle is phases 4c..4c+3 of the convolution: each takes c's scale and shift."""
        if not isinstance(self.bn, nn.BatchNorm2d):
            return
        bn = self.bn
        phases = [t.repeat_interleave(4) for t in (bn.running_mean, bn.running_var, bn.weight, bn.bias)]
        folded = nn.Conv2d(self.conv.in_channels, self.conv.out_channels, 3, padding=1)
        folded.weight, folded.bias = fuse_conv_bn_weights(self.conv.weight, None, phases[0], phases[1], bn.eps, phases[2], phases[3])
        self.conv = folded
        self.bn = nn.Identity()


class BilinearList(nn.Module):
    """Resampling by a fixed bilinear resize followed by a LIST block (replaces strided, transposed and sub-pixel
    convolutions).

    The LIST block's squeeze is a bias-free 1x1 convolution and the resize is linear in each channel, so the two
    commute exactly: upsampling squeezes first and resizes C_in/4 channels at the low resolution instead of C_in at
    the high one."""

    def __init__(self, in_ch: int, out_ch: int, scale: float, act: nn.Module | None = None, bn: bool = True):
        super().__init__()
        self.scale = scale
        self.list = ListBlock(in_ch, out_ch, act=act, bn=bn)

    def forward(self, x):
        if self.scale > 1:
            return self.list.expand(self.resize(self.list.squeeze(x)))
        return self.list(self.resize(x))

    def resize(self, x: torch.Tensor) -> torch.Tensor:
        return F.interpolate(x, scale_factor=self.scale, mode="bilinear", align_corners=False)


def _cubic(t: float, a: float = -0.75) -> float:
    """Keys' cubic convolution kernel with PyTorch's a = -0.75."""
    t = abs(t)
    if t <= 1:
        return (a + 2) * t ** 3 - (a + 3) * t ** 2 + 1
    return a * t ** 3 - 5 * a * t ** 2 + 8 * a * t - 4 * a if t < 2 else 0.0


class BicubicUpsample(nn.Module):
    """Exactly `F.interpolate(x, scale_factor=scale, mode="bicubic", align_corners=False)` for an integer scale, as an
    edge pad, one fixed depthwise convolution with a filter per output phase, and a pixel shuffle. ONNX Runtime's
    cubic Resize took 9.5 ms of sr4-lightweight's 32 ms tile on this CPU; this form costs a fraction of that. The
    filters are a non-persistent buffer: no parameters, nothing in the checkpoint."""

    def __init__(self, scale: int, channels: int = 3):
        super().__init__()
        self.scale, self.channels = scale, channels
        # output pixel scale*i + p samples the input at i + (p + 0.5) / scale - 0.5 from 4 neighbours around it
        sources = [(p + 0.5) / scale - 0.5 for p in range(scale)]
        self.pad = 1 - min(math.floor(s) for s in sources)
        width = 2 * self.pad + 1
        taps = torch.zeros(scale, width)
        for p, s in enumerate(sources):
            first = math.floor(s) - 1
            for k in range(4):
                taps[p, first + k + self.pad] = _cubic(s - (first + k))
        phases = torch.einsum("yi,xj->yxij", taps, taps).reshape(scale * scale, 1, width, width)
        self.register_buffer("filters", phases.repeat(channels, 1, 1, 1), persistent=False)

    def forward(self, x):
        padded = F.pad(x, (self.pad,) * 4, mode="replicate")
        return F.pixel_shuffle(F.conv2d(padded, self.filters, groups=self.channels), self.scale)


# Over-relaxation of the harmonic fill's Gauss-Seidel sweeps. On the validation centred square, 8 sweeps per level reach
# 21.09 dB at 1.0 (plain Gauss-Seidel), 21.30 at 1.5, 21.41 at 1.8 and 21.45 at 1.9; plain Jacobi needed 100 for 21.38.
SOR_FACTOR = 1.9


def pyramid_levels(size: int) -> int:
    """Halvings that take a `size`-pixel side down to one pixel."""
    return math.ceil(math.log2(size))


def harmonic_fill(rgb: torch.Tensor, mask: torch.Tensor, sweeps: int, levels: int) -> torch.Tensor:
    """The image with its hole (mask = 1) filled by the harmonic (membrane) interpolation of the hole's border, solved
    coarse to fine: the known pixels are averaged down a pyramid of `levels` halvings; then each level, from the
    coarsest, starts its hole from the coarser solution upsampled and relaxes it with `sweeps` red-black sweeps of
    over-relaxed Gauss-Seidel (SOR) towards the 4-neighbour mean. The level count is fixed rather than read from the
    image so that the exported graph is the same whatever size it was traced at; a halving past one pixel changes
    nothing."""
    known = 1 - mask
    colours, weights = [rgb * known], [known]
    for _ in range(levels):
        colours.append(F.avg_pool2d(colours[-1], 2, ceil_mode=True))
        weights.append(F.avg_pool2d(weights[-1], 2, ceil_mode=True))
    neighbours = rgb.new_tensor([[0.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]).reshape(1, 1, 3, 3)
    neighbours_per_channel = neighbours.repeat(3, 1, 1, 1)  # one depthwise filter per RGB channel
    fill = colours[-1] / weights[-1].clamp(min=1e-6)
    for colour, weight in zip(reversed(colours[:-1]), reversed(weights[:-1])):
        hole = (weight == 0).to(rgb.dtype)
        known_colour = colour / weight.clamp(min=1e-6)  # mean of a cell's known pixels; zero in the hole
        # zero padding divided by the neighbour count: border pixels average the neighbours they have (a 1x1 level none)
        count = F.conv2d(torch.ones_like(hole), neighbours, padding=1).clamp(min=1)
        rows = torch.arange(hole.shape[2], device=rgb.device).reshape(-1, 1)
        columns = torch.arange(hole.shape[3], device=rgb.device).reshape(1, -1)
        red = ((rows + columns) % 2).to(rgb.dtype)
        # one half-sweep moves the cells of one colour: fill <- fill * keep + (sum of neighbours) * take
        half_sweeps = [(1 - SOR_FACTOR * hole * cells, SOR_FACTOR * hole * cells / count) for cells in (red, 1 - red)]
        fill = known_colour + F.interpolate(fill, size=colour.shape[2:], mode="bilinear", align_corners=False) * hole
        for _ in range(sweeps):
            for keep, take in half_sweeps:
                fill = fill * keep + F.conv2d(fill, neighbours_per_channel, padding=1, groups=3) * take
    return fill


def _reach(half: int, r: int) -> tuple[int, int]:
    """The low-resolution offsets that the taps -half..half of any of r phases fall on."""
    return math.floor(-half / r), math.floor((r - 1 + half) / r)


def _phase_taps(r: int, k: int):
    """For a k x k convolution computed on r x r phases: (output phase p, q; input phase a, b; low-resolution offset
    u, v; the k x k tap dy, dx it carries)."""
    half = k // 2
    low, high = _reach(half, r)
    for (p, q, a, b), (u, v) in itertools.product(itertools.product(range(r), repeat=4), itertools.product(range(low, high + 1), repeat=2)):
        dy, dx = r * u + a - p, r * v + b - q
        if -half <= dy <= half and -half <= dx <= half:
            yield p, q, a, b, u, v, dy + half, dx + half


def phase_convolution(conv: nn.Conv2d, r: int) -> nn.Conv2d:
    """A k x k convolution of a high-resolution tensor as the same arithmetic on its r x r phases (PixelUnshuffle's
    channel order, each channel's phases together): from C*r*r channels to O*r*r, with the ceil-sized kernel that holds
    the k x k taps each phase sees. Zero padding at the high resolution is zero padding of the phases."""
    phases, k = r * r, conv.kernel_size[0]
    low, high = _reach(k // 2, r)
    phased = nn.Conv2d(conv.in_channels * phases, conv.out_channels * phases, high - low + 1, padding=-low)
    with torch.no_grad():
        phased.weight.zero_()
        for p, q, a, b, u, v, dy, dx in _phase_taps(r, k):
            phased.weight[p * r + q::phases, a * r + b::phases, u - low, v - low] = conv.weight[:, :, dy, dx]
        phased.bias.copy_(conv.bias.repeat_interleave(phases))
    return phased


def unphased_convolution(phased: nn.Conv2d, r: int, k: int) -> nn.Conv2d:
    """The k x k high-resolution convolution that `phase_convolution` made `phased` from."""
    phases, low = r * r, -phased.padding[0]
    conv = nn.Conv2d(phased.in_channels // phases, phased.out_channels // phases, k, padding=k // 2)
    with torch.no_grad():
        conv.bias.copy_(phased.bias[::phases])
        for p, q, a, b, u, v, dy, dx in _phase_taps(r, k):
            if p == q == 0:  # phase (0, 0) sees every tap
                conv.weight[:, :, dy, dx] = phased.weight[0::phases, a * r + b::phases, u - low, v - low]
    return conv


class ShuffledTail(nn.Module):
    """A x`r` sub-pixel stage (convolution, PixelShuffle, PReLU) and the k x k convolution after it, computed in front
    of the shuffle: the PReLU on the r*r phases of each channel (the same slope), and the tail as its
    `phase_convolution`. It is the same arithmetic: sr4-baseline's 9x9 tail from 64 to 3 channels at the output
    resolution becomes a 5x5 one from 256 to 12 channels at half of it, a shape ONNX Runtime's CPU kernels run several
    times faster, and which int8 can quantise. `unshuffled` gives back the two modules it was made from."""

    def __init__(self, conv: nn.Module, act: nn.PReLU, tail: nn.Conv2d, r: int):
        super().__init__()
        self.r, self.k = r, tail.kernel_size[0]
        self.conv = conv
        self.act = nn.PReLU(tail.in_channels * r * r)
        self.tail = phase_convolution(tail, r)
        self.shuffle = nn.PixelShuffle(r)
        with torch.no_grad():
            self.act.weight.copy_(act.weight.repeat_interleave(r * r))

    def forward(self, x):
        return self.shuffle(self.tail(self.act(self.conv(x))))

    def unshuffled(self) -> tuple[nn.PReLU, nn.Conv2d]:
        """The sub-pixel stage's PReLU and the k x k tail this was made from (the stage's convolution is `conv`)."""
        phases = self.r * self.r
        act = nn.PReLU(self.act.num_parameters // phases)
        with torch.no_grad():
            act.weight.copy_(self.act.weight[::phases])
        return act, unphased_convolution(self.tail, self.r, self.k)


class PhasedConvolution(nn.Module):
    """A k x k convolution computed on the r x r phases of its output: its `phase_convolution`, with the input's
    PixelUnshuffle folded in as a stride of r (one r x r block of input pixels per phase offset), then a PixelShuffle.
    The same arithmetic in a shape ONNX Runtime's CPU kernels run faster: a 9x9 convolution from 8 channels to 3
    (sr4-lightweight's tail, which follows a bilinear resize, so there is no shuffle to move it in front of) becomes a
    10x10 one of stride 2 from 8 channels to 12. Height and width must be multiples of r."""

    def __init__(self, conv: nn.Conv2d, r: int):
        super().__init__()
        self.r, self.k = r, conv.kernel_size[0]
        phased = phase_convolution(conv, r)
        reach = phased.kernel_size[0]
        if reach != 2 * phased.padding[0] + 1:
            raise ValueError(f"a {self.k}x{self.k} convolution reaches its {r}x{r} phases unevenly")
        self.conv = nn.Conv2d(conv.in_channels, phased.out_channels, reach * r, stride=r, padding=phased.padding[0] * r)
        with torch.no_grad():
            # phase input channel c*r*r + a*r + b at offset u is input pixel r*u + a of channel c
            weight = phased.weight.reshape(phased.out_channels, conv.in_channels, r, r, reach, reach)
            self.conv.weight.copy_(weight.permute(0, 1, 4, 2, 5, 3).reshape(self.conv.weight.shape))
            self.conv.bias.copy_(phased.bias)

    def forward(self, x):
        return F.pixel_shuffle(self.conv(x), self.r)

    def unphased(self) -> nn.Conv2d:
        """The convolution this was made from."""
        r, reach = self.r, self.conv.kernel_size[0] // self.r
        phased = nn.Conv2d(self.conv.in_channels * r * r, self.conv.out_channels, reach, padding=self.conv.padding[0] // r)
        with torch.no_grad():
            weight = self.conv.weight.reshape(self.conv.out_channels, self.conv.in_channels, reach, r, reach, r)
            phased.weight.copy_(weight.permute(0, 1, 3, 5, 2, 4).reshape(phased.weight.shape))
            phased.bias.copy_(self.conv.bias)
        return unphased_convolution(phased, r, self.k)
