"""Quality measures on [0,1] tensors of shape Nx3xHxW: PSNR, SSIM, the periodic residual of a pixel shuffle, and the
texture inside a filled hole."""
import torch
import torch.nn.functional as F

TEXTURE_RING = 8      # pixels of surroundings that a hole's texture is compared with
TEXTURE_SIGMA = 1.5   # the blur whose residual counts as high frequency: detail finer than about 4 pixels


def luma(rgb: torch.Tensor) -> torch.Tensor:
    """ITU-R BT.601 Y in [0,1] (the 16-235 studio range, as super-resolution papers report it)."""
    r, g, b = rgb[:, 0:1], rgb[:, 1:2], rgb[:, 2:3]
    return (16 + 65.481 * r + 128.553 * g + 24.966 * b) / 255


def crop_border(x: torch.Tensor, border: int) -> torch.Tensor:
    return x[..., border:x.shape[-2] - border, border:x.shape[-1] - border] if border else x


def psnr(a: torch.Tensor, b: torch.Tensor, border: int = 0, mask: torch.Tensor | None = None) -> float:
    """Peak signal-to-noise ratio in dB; with `mask` (Nx1xHxW, 1 = counted) only masked pixels count."""
    a, b = crop_border(a.clamp(0, 1), border), crop_border(b.clamp(0, 1), border)
    error = (a - b) ** 2
    if mask is not None:
        mse = (error * mask).sum() / (mask.sum() * a.shape[1])
    else:
        mse = error.mean()
    return float(10 * torch.log10(1 / mse.clamp(min=1e-12)))


def _gaussian_window(size: int = 11, sigma: float = 1.5) -> torch.Tensor:
    coords = torch.arange(size, dtype=torch.float32) - size // 2
    g = torch.exp(-(coords ** 2) / (2 * sigma ** 2))
    g = g / g.sum()
    return (g[:, None] * g[None, :]).reshape(1, 1, size, size)


def ssim(a: torch.Tensor, b: torch.Tensor, border: int = 0, mask: torch.Tensor | None = None) -> float:
    """Mean structural similarity (Wang et al. 2004: 11x11 Gaussian window, sigma 1.5), averaged over channels; with
    `mask` (Nx1xHxW), over the windows centred on its pixels only, such as a filled hole's."""
    a, b = crop_border(a.clamp(0, 1), border), crop_border(b.clamp(0, 1), border)
    channels = a.shape[1]
    window = _gaussian_window().repeat(channels, 1, 1, 1)
    blur = lambda x: F.conv2d(x, window, groups=channels)  # noqa: E731
    mu_a, mu_b = blur(a), blur(b)
    var_a = blur(a * a) - mu_a ** 2
    var_b = blur(b * b) - mu_b ** 2
    cov = blur(a * b) - mu_a * mu_b
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    value = ((2 * mu_a * mu_b + c1) * (2 * cov + c2)) / ((mu_a ** 2 + mu_b ** 2 + c1) * (var_a + var_b + c2))
    if mask is None:
        return float(value.mean())
    reach = (mask.shape[-1] - border * 2 - value.shape[-1]) // 2
    centres = crop_border(mask, border + reach)
    return float((value * centres).sum() / (centres.sum() * channels).clamp(min=1))


def gaussian_blur(x: torch.Tensor, sigma: float) -> torch.Tensor:
    radius = max(1, int(3 * sigma + 0.5))
    coords = torch.arange(-radius, radius + 1, dtype=torch.float32)
    g = torch.exp(-(coords ** 2) / (2 * sigma ** 2))
    g = (g / g.sum()).to(x.dtype)
    channels = x.shape[1]
    padded = F.pad(x, (radius, radius, radius, radius), mode="reflect")
    h = F.conv2d(padded, g.reshape(1, 1, 1, -1).repeat(channels, 1, 1, 1), groups=channels)
    return F.conv2d(h, g.reshape(1, 1, -1, 1).repeat(channels, 1, 1, 1), groups=channels)


def local_detail(y: torch.Tensor, window: int = 8) -> torch.Tensor:
    """Mean absolute difference between neighbouring pixels around each pixel, in 8-bit levels (Nx1xHxW)."""
    dx = F.pad((y[..., :, 1:] - y[..., :, :-1]).abs(), (0, 1, 0, 0))
    dy = F.pad((y[..., 1:, :] - y[..., :-1, :]).abs(), (0, 0, 0, 1))
    return 255 * 0.5 * F.avg_pool2d(dx + dy, window, stride=1, padding=window // 2, count_include_pad=False)[
        ..., :y.shape[-2], :y.shape[-1]]


def periodic_residual(out: torch.Tensor, truth: torch.Tensor, period: int, region: torch.Tensor) -> float:
    """RMS, in 8-bit levels, of the part of the Y residual (output minus truth) that repeats with `period` pixels in both
    directions, over the pixels of `region` (Nx1xHxW booleans): the mean residual at each of the period² pixel phases,
    less the overall mean. A pixel shuffle whose sub-pixel outputs disagree leaves exactly such a pattern."""
    residual = (luma(out) - luma(truth))[:, 0]
    inside = region[:, 0]
    h, w = residual.shape[-2:]
    ys = torch.arange(h).reshape(-1, 1) % period
    xs = torch.arange(w).reshape(1, -1) % period
    overall = residual[inside].mean()
    phases = []
    for py in range(period):
        for px in range(period):
            selected = inside & (ys == py) & (xs == px)
            if selected.any():
                phases.append(residual[selected].mean() - overall)
    return float(255 * torch.stack(phases).pow(2).mean().sqrt())


def texture_ratio(image: torch.Tensor, mask: torch.Tensor, ring: int = TEXTURE_RING, sigma: float = TEXTURE_SIGMA) -> float:
    """High-frequency energy inside a hole relative to that of a ring around it: the mean square of Y less its Gaussian
    blur, over the hole shrunk by the blur's reach (so the seam at its border does not count) and over a `ring`-pixel
    band outside it. A featureless smear scores near 0, a fill as detailed as its surroundings near 1. The median over
    the batch's images: a flat ring (sky) makes one image's ratio unbounded."""
    y = luma(image)
    high = (y - gaussian_blur(y, sigma)) ** 2
    reach = int(3 * sigma + 0.5)
    inner = 1 - F.max_pool2d(1 - mask, 2 * reach + 1, stride=1, padding=reach)
    band = F.max_pool2d(mask, 2 * ring + 1, stride=1, padding=ring) - mask
    inside = (high * inner).sum(dim=(1, 2, 3)) / inner.sum(dim=(1, 2, 3)).clamp(min=1)
    around = (high * band).sum(dim=(1, 2, 3)) / band.sum(dim=(1, 2, 3)).clamp(min=1)
    return float((inside / around.clamp(min=1e-12)).median())
