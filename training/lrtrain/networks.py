"""The seven networks of DESIGN.md: DnCNN, SRResNet and the Iizuka et al. completion network, each as a baseline
and as its lightweight LIST/GSAT variant, plus the experimental depthwise-separable sub-pixel SR network."""
from dataclasses import dataclass
from typing import Callable

import torch
from torch import nn

from .modules import (BicubicUpsample, BilinearList, ConvBnAct, ConvolutionalPReLU, Gsat, ListBlock, PhasedConvolution,
                      ShuffledTail, SubPixelBnUp, conv_bn_relu, fold_batchnorms, harmonic_fill, pyramid_levels, replace_modules)

FEATURES = 64
LIGHT_TAIL_FEATURES = 8  # channels into the lightweight SR networks' 9x9 tail (see SRResNet)
SCALE = 4  # super-resolution factor of every sr4 network
TAIL_PHASES = 2  # the exported bilinear-list tail runs on the output's 2x2 phases (modules.PhasedConvolution)
# Mean neighbour difference (8-bit levels) below which a super-resolution or inpainting training crop is drawn again.
# It keeps about half of the wallpapers' 96x96 crops, whose bicubic PSNR then has a median of 28.4 dB, as the
# validation crops' 27.9; inpainting's validation windows have a median detail of 5.4.
MIN_DETAIL = 2.0
# Inpainting crops cover up to 4x the working size, scaled down: scenes as wide as the validation windows' and as the
# engine's scaled-down windows around large holes.
INPAINT_MAX_ZOOM_OUT = 4.0
# Inpainting runs at 0.2-0.6 steps/s here: the usual 500 warm-up steps would take a third of its budget, and its
# zero-initialised output layer does not need them.
INPAINT_WARMUP_STEPS = 100
# Sweeps per pyramid level of the completion networks' in-graph harmonic fill (see modules.harmonic_fill). On the
# validation centred square 4 sweeps reach 21.38 dB, 8 21.45 (mean-colour fill 18.38).
FILL_SWEEPS = 8
# The denoisers and upscalers continue from their shipped weights (train --warm-start): a short warm-up keeps Adam's
# first steps, each about the full rate, from undoing them.
DENOISE_WARMUP_STEPS = 200
SR_WARMUP_STEPS = 200
# 48x48 low-resolution patches (192x192 output) give each output pixel the receptive field it has in a 48 px tile
SR_PATCH = 48
INPAINT_WORKING_SIZE = 128  # the completion networks' input side; the engine scales larger windows down to it
# Weight of the completion networks' adversarial term against their per-hole-pixel L1 reconstruction loss. With the
# spectrally normalised discriminator the two terms' gradients on the output measured 0.052 (adversarial, unweighted)
# and 0.0031 (L1) a few hundred steps in. Over 1500 steps of inpaint-lightweight (validation centred square; harmonic
# fill 15.99 dB, OpenCV TELEA 17.00): at 0.05 the hole scored 15.90 dB and 55% of its ring's texture, but the texture
# was a grid of repeated blobs, a fill no user would keep; at 0.01, 16.85 dB and 6%, without artefacts.
INPAINT_ADVERSARIAL_WEIGHT = 0.01
# Iizuka et al. train the completion network on reconstruction alone first and bring the discriminator in later. Over
# 1500 steps with the term on from the first step, the discriminator's hinge loss fell from 2.0 to 1.4 within 700 steps,
# before the network had learnt the reconstruction, and the network learnt patterns instead of content. So the first
# share of the step budget is reconstruction only; then the discriminator trains and the term's weight rises linearly
# from 0 over the next share.
INPAINT_RECONSTRUCTION_SHARE = 0.5
INPAINT_ADVERSARIAL_RAMP_SHARE = 0.2


class DnCNN(nn.Module):
    """17 layers: conv+ReLU, 15 x (conv+ReLU), conv. Predicts the noise residual of a colour image.

    No BatchNorm: what trains is exactly what is served. The earlier BatchNorm version, trained on small batches of
    noisy patches only, shifted a clean photograph's blue by 4 levels on average and a flat grey 30's by 12. With its
    BatchNorms folded it is exactly this network (the layer names match), so `train --warm-start` continues from its
    exported weights. The lightweight variant drops the same layers, so the parameter ratio is unchanged."""

    def __init__(self, lightweight: bool, depth: int = 17, channels: int = 3):
        super().__init__()
        relu = lambda: nn.ReLU(inplace=True)  # noqa: E731 - a fresh module per layer
        head = conv_bn_relu(channels, FEATURES, bn=False)
        middle = [
            ListBlock(FEATURES, FEATURES, act=relu(), bn=False) if lightweight
            else conv_bn_relu(FEATURES, FEATURES, bn=False)
            for _ in range(depth - 2)
        ]
        tail = nn.Conv2d(FEATURES, channels, 3, padding=1)
        self.body = nn.Sequential(head, *middle, tail)

    def forward(self, x):
        return self.body(x)


def _conv(in_ch: int, out_ch: int, k: int) -> nn.Conv2d:
    return nn.Conv2d(in_ch, out_ch, k, padding=k // 2)


class SrResidualBlock(nn.Module):
    def __init__(self, lightweight: bool):
        super().__init__()
        if lightweight:
            self.a = ListBlock(FEATURES, FEATURES, act=nn.PReLU(FEATURES), bn=False)
            self.b = ListBlock(FEATURES, FEATURES, bn=False)
        else:
            self.a = ConvBnAct(_conv(FEATURES, FEATURES, 3), FEATURES, bn=False, act=nn.PReLU(FEATURES))
            self.b = ConvBnAct(_conv(FEATURES, FEATURES, 3), FEATURES, bn=False)

    def forward(self, x):
        return x + self.b(self.a(x))


class SubPixelUp(nn.Module):
    """x2 sub-pixel upsampling; `separable` puts a depthwise-separable convolution in front of the PixelShuffle."""

    def __init__(self, in_ch: int, out_ch: int, separable: bool):
        super().__init__()
        if separable:
            self.conv = nn.Sequential(nn.Conv2d(in_ch, in_ch, 3, padding=1, groups=in_ch), nn.Conv2d(in_ch, out_ch * 4, 1))
        else:
            self.conv = _conv(in_ch, out_ch * 4, 3)
        self.shuffle = nn.PixelShuffle(2)
        self.act = nn.PReLU(out_ch)

    def forward(self, x):
        return self.act(self.shuffle(self.conv(x)))


class SRResNet(nn.Module):
    """SRGAN's generator for x4: 9x9 head, 16 residual blocks, trunk conv with a global skip, two x2 stages, 9x9 tail.
    The tail's output is added to the bicubic upscale of the input, so the network learns only what bicubic misses:
    that makes it beat bicubic within the first thousand steps instead of after many, which a 2-core CPU needs.

    No BatchNorm, as in EDSR (Lim et al. 2017), which found it costs super-resolution quality; the earlier BatchNorm
    version, folded, is exactly this network, so `train --warm-start` continues from its exported weights.

    upsampler: "subpixel" (baseline), "bilinear-list" (lightweight) or "dw-subpixel" (the experiment)."""

    def __init__(self, lightweight: bool, upsampler: str, blocks: int = 16):
        super().__init__()
        self.head = nn.Sequential(_conv(3, FEATURES, 9), nn.PReLU(FEATURES))
        self.blocks = nn.Sequential(*[SrResidualBlock(lightweight) for _ in range(blocks)])
        self.trunk = (ListBlock(FEATURES, FEATURES, bn=False) if lightweight
                      else ConvBnAct(_conv(FEATURES, FEATURES, 3), FEATURES, bn=False))
        # The 9x9 tail runs at the output resolution: at 64 channels it alone costs the lightweight more than its
        # whole body, so the lightweight networks' last x2 stage narrows to LIGHT_TAIL_FEATURES in front of it.
        tail_features = LIGHT_TAIL_FEATURES if lightweight else FEATURES
        self.upsampler, self.widths = upsampler, [(FEATURES, FEATURES), (FEATURES, tail_features)]
        if upsampler == "bilinear-list":
            stages = [BilinearList(i, o, 2.0, act=nn.PReLU(o), bn=False) for i, o in self.widths]
        else:
            stages = [SubPixelUp(i, o, separable=upsampler == "dw-subpixel") for i, o in self.widths]
        self.up = nn.Sequential(*stages)
        self.tail = _conv(tail_features, 3, 9)
        # Start exactly at bicubic: a randomly initialised tail turns the upsampler's features into a large error,
        # which training once answered by silencing the tail for good.
        nn.init.zeros_(self.tail.weight)
        nn.init.zeros_(self.tail.bias)
        self.bicubic = BicubicUpsample(SCALE)

    def forward(self, x):
        h = self.head(x)
        h = h + self.trunk(self.blocks(h))
        return self.tail(self.up(h)) + self.bicubic(x)

    def shuffle_tail(self) -> None:
        """Moves the tail in front of the last PixelShuffle (modules.ShuffledTail), in place: the exported form."""
        last = self.up[-1]
        if isinstance(last, SubPixelUp):
            self.up[-1] = ShuffledTail(last.conv, last.act, self.tail, last.shuffle.upscale_factor)
            self.tail = nn.Identity()

    def phase_tail(self) -> None:
        """Where a bilinear resize comes before the tail, computes it on the output's phases
        (modules.PhasedConvolution), in place: the exported form."""
        if isinstance(self.tail, nn.Conv2d):
            self.tail = PhasedConvolution(self.tail, TAIL_PHASES)

    def unshuffle_tail(self) -> None:
        """Undoes shuffle_tail, in place: the form that trains."""
        if isinstance(self.tail, PhasedConvolution):
            self.tail = self.tail.unphased()
        last = self.up[-1]
        if isinstance(last, ShuffledTail):
            act, self.tail = last.unshuffled()
            stage = SubPixelUp(*self.widths[-1], separable=self.upsampler == "dw-subpixel")
            stage.conv, stage.act = last.conv, act
            self.up[-1] = stage


class CompletionNet(nn.Module):
    """Iizuka et al. 2017 completion network on RGB + mask: encoder to 1/4 size, 256-channel trunk with dilations
    2, 4, 8, 16, decoder back to full size. The graph fills the hole with a harmonic fill itself, so callers pass the
    raw image, and the network adds its output to that fill. The last convolution starts at zero, so training starts
    exactly at the fill. With a grey fill and a sigmoid output the baseline was still 3 dB below a mean-colour fill
    after 400 steps (25 minutes here); starting at the mean-colour fill, it was 1.9 dB above it after 900 steps
    (130 minutes), still 1.5 dB below the converged harmonic fill that it now starts from.
    Lightweight: dilated convs -> GSAT, 3x3 convs -> LIST, strided/transposed convs -> bilinear + LIST."""

    def __init__(self, lightweight: bool):
        super().__init__()
        relu = lambda: nn.ReLU(inplace=True)  # noqa: E731 - a fresh module per layer

        def conv(i, o):
            return ListBlock(i, o, act=relu()) if lightweight else conv_bn_relu(i, o)

        def down(i, o):
            return BilinearList(i, o, 0.5, act=relu()) if lightweight else conv_bn_relu(i, o, stride=2)

        def up(i, o):
            if lightweight:
                return BilinearList(i, o, 2.0, act=relu())
            # Iizuka et al.'s 4x4 stride-2 transposed convolution in its sub-pixel form, a 3x3 convolution to four
            # phases and a pixel shuffle, which can express every such transposed convolution. PyTorch 1.13 runs
            # transposed convolutions without oneDNN: 5 s of a 128x128 batch of 8's forward pass, 12 s backward.
            return SubPixelBnUp(i, o)

        def dilated(d):
            return Gsat(256, d) if lightweight else conv_bn_relu(256, 256, dilation=d)

        self.body = nn.Sequential(
            conv_bn_relu(4, 64, k=5),
            down(64, 128), conv(128, 128),
            down(128, 256), conv(256, 256), conv(256, 256),
            dilated(2), dilated(4), dilated(8), dilated(16),
            conv(256, 256), conv(256, 256),
            up(256, 128), conv(128, 128),
            up(128, 64), conv(64, 32),
            nn.Conv2d(32, 3, 3, padding=1),
        )
        nn.init.zeros_(self.body[-1].weight)
        nn.init.zeros_(self.body[-1].bias)

    def forward(self, x):
        rgb, mask = x[:, :3], x[:, 3:4]
        filled = harmonic_fill(rgb, mask, FILL_SWEEPS, pyramid_levels(INPAINT_WORKING_SIZE))
        return torch.clamp(filled + self.body(torch.cat([filled, mask], dim=1)), 0, 1)


@dataclass(frozen=True)
class ModelSpec:
    id: str
    task: str            # denoise | super-resolve | inpaint
    variant: str         # baseline | lightweight | experimental
    network: str
    build: Callable[[], nn.Module]
    scale: int
    in_channels: int
    residual: bool
    tile: int            # native tile (input pixels); inpaint: working size
    overlap: int
    context_margin: int = 0
    batch: int = 16
    patch: int = 48      # training patch (input pixels)
    lr: float = 1e-3
    loss: str = "l1"
    min_detail: float = 0.0  # training crops flatter than this are drawn again (see data.PatchSampler)
    max_zoom_out: float = 1.0  # training crops may cover a region this many times wider, scaled down
    warmup_steps: int = 500  # learning-rate warm-up (see train.learning_rate)
    adversarial_weight: float = 0.0  # > 0: trained against a discriminator too (see adversarial.Adversary)
    reconstruction_share: float = 0.0  # share of the budget before the discriminator comes in
    adversarial_ramp_share: float = 0.0  # share of the budget over which the adversarial weight rises to its full value

    def adversarial_weight_at(self, progress: float) -> float:
        """The adversarial term's weight `progress` (0 to 1) through the budget: 0 in the reconstruction phase, then
        rising linearly to `adversarial_weight`."""
        ramped = progress - self.reconstruction_share
        if ramped < 0:
            return 0.0
        return self.adversarial_weight * min(1.0, ramped / self.adversarial_ramp_share if self.adversarial_ramp_share else 1.0)


# Both denoisers train alike, so that their comparison is the networks' alone. 64 x 48² patches: bf16 autocast on an
# AVX512-BF16 CPU pays for the baseline's doubled batch (docs/denoise-training.md).
DENOISE_TRAINING = dict(batch=64, patch=48, lr=5e-4, loss="mse", min_detail=MIN_DETAIL, warmup_steps=DENOISE_WARMUP_STEPS)

MODELS: dict[str, ModelSpec] = {s.id: s for s in [
    ModelSpec("denoise-baseline", "denoise", "baseline",
              "DnCNN: 17 conv layers, 64 channels, ReLU, no BatchNorm; predicts the noise residual",
              lambda: DnCNN(lightweight=False), 1, 3, True, 128, 24, **DENOISE_TRAINING),
    ModelSpec("denoise-lightweight", "denoise", "lightweight",
              "DnCNN (no BatchNorm) with the 15 middle 3x3 convolutions replaced by LIST blocks; predicts the noise residual",
              lambda: DnCNN(lightweight=True), 1, 3, True, 128, 24, **DENOISE_TRAINING),
    ModelSpec("sr4-baseline", "super-resolve", "baseline",
              "SRResNet: 9x9 head, 16 residual blocks, two x2 PixelShuffle stages, 9x9 tail; adds its output to the "
              "bicubic upscale",
              lambda: SRResNet(lightweight=False, upsampler="subpixel"), SCALE, 3, False, 48, 8, batch=16,
              patch=SR_PATCH, lr=5e-4, min_detail=MIN_DETAIL, warmup_steps=SR_WARMUP_STEPS),
    ModelSpec("sr4-lightweight", "super-resolve", "lightweight",
              "SRResNet with LIST blocks in the residual blocks and trunk; each x2 stage is bilinear x2 + LIST, the "
              "second narrowing to 8 channels for the 9x9 tail",
              lambda: SRResNet(lightweight=True, upsampler="bilinear-list"), SCALE, 3, False, 48, 8, batch=16,
              patch=SR_PATCH, lr=1e-3, min_detail=MIN_DETAIL, warmup_steps=SR_WARMUP_STEPS),
    ModelSpec("sr4-dwsubpixel", "super-resolve", "experimental",
              "sr4-lightweight keeping PixelShuffle, with a depthwise-separable convolution in front of it",
              lambda: SRResNet(lightweight=True, upsampler="dw-subpixel"), SCALE, 3, False, 48, 8, batch=16,
              patch=SR_PATCH, lr=1e-3, min_detail=MIN_DETAIL, warmup_steps=SR_WARMUP_STEPS),
    ModelSpec("inpaint-baseline", "inpaint", "baseline",
              "Iizuka et al. 2017 completion network: strided encoder to 1/4, 256-channel trunk with dilations "
              "2/4/8/16, decoder of 4x4 stride-2 transposed convs in their sub-pixel form (3x3 conv to 4 phases + "
              "pixel shuffle); input RGB + mask; adds its output to an in-graph harmonic fill of the hole",
              lambda: CompletionNet(lightweight=False), 1, 4, False, INPAINT_WORKING_SIZE, 0, context_margin=32, batch=8, patch=128,
              lr=2e-4, loss="l1", min_detail=MIN_DETAIL, max_zoom_out=INPAINT_MAX_ZOOM_OUT, warmup_steps=INPAINT_WARMUP_STEPS,
              adversarial_weight=INPAINT_ADVERSARIAL_WEIGHT, reconstruction_share=INPAINT_RECONSTRUCTION_SHARE,
              adversarial_ramp_share=INPAINT_ADVERSARIAL_RAMP_SHARE),
    ModelSpec("inpaint-lightweight", "inpaint", "lightweight",
              "Completion network with dilated convs -> GSAT, 3x3 convs -> LIST, down/up-sampling -> bilinear + LIST; adds "
              "its output to the same harmonic fill",
              lambda: CompletionNet(lightweight=True), 1, 4, False, INPAINT_WORKING_SIZE, 0, context_margin=32, batch=8, patch=128,
              lr=1e-3, loss="l1", min_detail=MIN_DETAIL, max_zoom_out=INPAINT_MAX_ZOOM_OUT, warmup_steps=INPAINT_WARMUP_STEPS,
              adversarial_weight=INPAINT_ADVERSARIAL_WEIGHT, reconstruction_share=INPAINT_RECONSTRUCTION_SHARE,
              adversarial_ramp_share=INPAINT_ADVERSARIAL_RAMP_SHARE),
]}


def _merge_list_branches(model: nn.Module) -> None:
    for block in (m for m in model.modules() if isinstance(m, ListBlock)):
        block.merge_branches()


def _sr_tail(rewrite: Callable[["SRResNet"], None]) -> Callable[[nn.Module], None]:
    return lambda model: rewrite(model) if isinstance(model, SRResNet) else None


# The rewrites that make the inference form, each in place, in the order they were introduced: a graph exported before
# a later one existed is in the form the earlier ones make (train.exported_network).
INFERENCE_REWRITES: tuple[Callable[[nn.Module], None], ...] = (
    fold_batchnorms,
    _merge_list_branches,
    _sr_tail(SRResNet.shuffle_tail),
    lambda model: replace_modules(model, nn.PReLU, ConvolutionalPReLU),
    _sr_tail(SRResNet.phase_tail),
)


def inference_form(model: nn.Module) -> nn.Module:
    """The network as it is exported and served, in place: every BatchNorm folded, each LIST block's branches merged
    (ListBlock.merge_branches), an SRResNet's tail computed in front of its last PixelShuffle or on the output's
    phases, and every PReLU as convolutions (ConvolutionalPReLU). The same arithmetic as the network that trains."""
    for rewrite in INFERENCE_REWRITES:
        rewrite(model)
    return model


def training_form(model: nn.Module) -> nn.Module:
    """Undoes what inference_form changed in the modules that train (a folded BatchNorm stays folded), in place."""
    replace_modules(model, ConvolutionalPReLU, ConvolutionalPReLU.prelu)
    for block in (m for m in model.modules() if isinstance(m, ListBlock)):
        block.split_branches()
    if isinstance(model, SRResNet):
        model.unshuffle_tail()
    return model


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def macs_per_output_pixel(model: nn.Module, spec: ModelSpec, size: int = 64) -> int:
    """Multiply-adds of every convolution for one forward pass, divided by the output pixels."""
    total = 0

    def hook(module, _inputs, output):
        nonlocal total
        if isinstance(module, nn.ConvTranspose2d):
            in_elems = _inputs[0].numel() // _inputs[0].shape[0]
            total += in_elems * module.out_channels // module.groups * module.kernel_size[0] * module.kernel_size[1]
        else:
            per_out = module.in_channels // module.groups * module.kernel_size[0] * module.kernel_size[1]
            total += output.numel() // output.shape[0] * per_out

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d))]
    was_training = model.training
    model.eval()
    with torch.no_grad():
        out = model(torch.zeros(1, spec.in_channels, size, size))
    model.train(was_training)
    for h in handles:
        h.remove()
    return round(total / (out.shape[2] * out.shape[3]))
