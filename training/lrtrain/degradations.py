"""The degradations that real uploads have. Denoising: white, signal-dependent, channel-correlated and luminance-only
noise, JPEG compression after the noise, greyscale photographs, and clean photographs that must come back unchanged.
Super-resolution: a downscaled photograph, often JPEG-compressed after the downscale.

Every degraded image is clipped and quantised to 8-bit levels, as an uploaded file is."""
import io
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image

MAX_SIGMA = 50.0
# Rec. 601 luma weights: how a camera or editor turns colour into greyscale
GREY_WEIGHTS = (0.299, 0.587, 0.114)


@dataclass(frozen=True)
class DegradationMix:
    """Shares of each degradation in a training batch. A blind denoiser sees no sigma, so it must learn from clean
    samples that a clean photograph has nothing to remove."""
    clean: float = 0.2            # sigma 0: the target residual is exactly zero
    low_sigma: float = 0.1        # sigma uniform in 0-5, on top of the low sigmas the uniform 0-50 draw gives
    low_sigma_max: float = 5.0
    greyscale: float = 0.15       # a greyscale photograph, its noise the same in every channel
    poisson_gaussian: float = 0.2
    correlated: float = 0.15      # a shared component across channels, as demosaicing and chroma smoothing leave
    luminance_only: float = 0.15
    jpeg: float = 0.3             # of the noisy samples: compressed after the noise
    jpeg_quality: tuple[int, int] = (40, 95)


def to_grey(rgb: torch.Tensor) -> torch.Tensor:
    """3xHxW colour -> 3xHxW with three equal channels (Rec. 601 luma, rounded to 8-bit levels)."""
    w = rgb.new_tensor(GREY_WEIGHTS).reshape(3, 1, 1)
    return quantise((rgb * w).sum(0, keepdim=True)).expand(3, -1, -1).clone()


def quantise(x: torch.Tensor) -> torch.Tensor:
    return (x.clamp(0, 1) * 255).round() / 255


def jpeg(image: torch.Tensor, quality: int, grey: bool) -> torch.Tensor:
    """Through PIL's JPEG encoder and back (4:2:0 chroma, as cameras and most software write it)."""
    array = (image.permute(1, 2, 0).numpy() * 255).round().astype(np.uint8)
    picture = Image.fromarray(array[:, :, 0], "L") if grey else Image.fromarray(array, "RGB")
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=quality)
    decoded = np.array(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"), dtype=np.float32) / 255
    return torch.from_numpy(decoded).permute(2, 0, 1).contiguous()


def noise(clean: torch.Tensor, sigma: float, kind: str, rng: np.random.Generator) -> torch.Tensor:
    """Zero-mean noise of strength `sigma` (8-bit levels at mid-grey) for one 3xHxW image."""
    s = sigma / 255
    shape = clean.shape
    white = lambda: torch.from_numpy(rng.standard_normal(shape, dtype=np.float32))  # noqa: E731
    shared = lambda: torch.from_numpy(rng.standard_normal((1, *shape[1:]), dtype=np.float32)).expand(shape)  # noqa: E731
    if kind == "gaussian":
        return white() * s
    if kind == "luminance":
        return shared() * s
    if kind == "correlated":
        rho = rng.uniform(0.3, 0.9)
        return (shared() * np.sqrt(rho) + white() * np.sqrt(1 - rho)) * s
    # Poisson-Gaussian: variance alpha * x + beta^2 (shot noise plus read noise), sigma at mid-grey
    beta = s * rng.uniform(0.0, 0.5)
    alpha = (s * s - beta * beta) / 0.5
    return white() * torch.sqrt(alpha * clean + beta * beta)


@dataclass(frozen=True)
class DenoiseCondition:
    """One kind of upload: how a clean validation photograph is degraded, and whether it is greyscale."""
    name: str
    sigma: float
    kind: str = "gaussian"
    grey: bool = False
    jpeg_quality: int | None = None

    def degrade(self, clean: torch.Tensor, rng: np.random.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """(upload, ground truth) for one 3xHxW image; an 8-bit upload, as a file would be."""
        image = to_grey(clean) if self.grey else clean
        noisy = quantise(image + noise(image, self.sigma, self.kind, rng)) if self.sigma > 0 else image
        if self.jpeg_quality is not None:
            noisy = jpeg(noisy, self.jpeg_quality, self.grey)
        return noisy, image


class Degrader:
    """Draws one degradation per image from a `DegradationMix`."""

    def __init__(self, rng: np.random.Generator, mix: DegradationMix = DegradationMix()):
        self.rng, self.mix = rng, mix
        m = mix
        self.kinds = ["poisson", "correlated", "luminance", "gaussian"]
        self.kind_weights = [m.poisson_gaussian, m.correlated, m.luminance_only,
                             1 - m.poisson_gaussian - m.correlated - m.luminance_only]

    def sigma(self) -> float:
        draw = self.rng.random()
        if draw < self.mix.clean:
            return 0.0
        if draw < self.mix.clean + self.mix.low_sigma:
            return float(self.rng.uniform(0, self.mix.low_sigma_max))
        return float(self.rng.uniform(0, MAX_SIGMA))

    def degrade(self, clean: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(degraded, clean) for one 3xHxW image in [0,1]; a greyscale draw changes the clean image too."""
        grey = self.rng.random() < self.mix.greyscale
        if grey:
            clean = to_grey(clean)
        sigma = self.sigma()
        if sigma == 0:
            return clean.clone(), clean
        kind = "luminance" if grey else self.kinds[self.rng.choice(len(self.kinds), p=self.kind_weights)]
        noisy = quantise(clean + noise(clean, sigma, kind, self.rng))
        if self.rng.random() < self.mix.jpeg:
            low, high = self.mix.jpeg_quality
            noisy = jpeg(noisy, int(self.rng.integers(low, high + 1)), grey)
        return noisy, clean

    def batch(self, clean: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        pairs = [self.degrade(image) for image in clean]
        return torch.stack([p[0] for p in pairs]), torch.stack([p[1] for p in pairs])


@dataclass(frozen=True)
class LowResolutionMix:
    """A downscaled photograph is usually saved as JPEG too; a network that never saw the blocks amplifies them."""
    jpeg: float = 0.3
    jpeg_quality: tuple[int, int] = (60, 95)


class LowResolutionDegrader:
    """Quantises downscaled images to 8-bit levels, as files are, and JPEG-compresses a share of them."""

    def __init__(self, rng: np.random.Generator, mix: LowResolutionMix = LowResolutionMix()):
        self.rng, self.mix = rng, mix

    def degrade(self, low: torch.Tensor) -> torch.Tensor:
        if self.rng.random() < self.mix.jpeg:
            low_q, high_q = self.mix.jpeg_quality
            return jpeg(quantise(low), int(self.rng.integers(low_q, high_q + 1)), grey=False)
        return quantise(low)

    def batch(self, low: torch.Tensor) -> torch.Tensor:
        return torch.stack([self.degrade(image) for image in low])
