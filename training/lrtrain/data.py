"""Training and validation photographs (all from Debian packages), patch sampling and the degradations."""
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image


@dataclass(frozen=True)
class Source:
    path: str
    package: str
    licence: str
    split: str  # train | validation
    author: str


_MATE = "/usr/share/backgrounds/mate/nature"
_PLASMA = "/usr/share/wallpapers/{}/contents/images/2560x1600.jpg"
_SKIMAGE = "/usr/lib/python3/dist-packages/skimage/data"
# The lomiri packages' photographs; their abstract and drawn wallpapers (Fossa, Infinite-Sea, Painting-Colors,
# analogpattern, greentock, umang) are left out.
_LOMIRI = "/usr/share/backgrounds"
_LOMIRI_16, _LOMIRI_20 = "lomiri-wallpapers-16.04", "lomiri-wallpapers-20.04"

SOURCES: list[Source] = [
    *[Source(f"{_MATE}/{name}.jpg", "mate-backgrounds", "GPL-2+", "train", author) for name, author in [
        ("Aqua", "Charles Barbin"), ("Blinds", "Lennart Poettering"), ("Dune", "Marco Cogoni"),
        ("FreshFlower", "see package AUTHORS"), ("Garden", "see package AUTHORS"),
        ("GreenMeadow", "see package AUTHORS"), ("LadyBird", "see package AUTHORS"),
        ("RainDrops", "see package AUTHORS"), ("Storm", "see package AUTHORS"), ("TwoWings", "see package AUTHORS"),
        ("Wood", "see package AUTHORS"), ("YellowFlower", "see package AUTHORS")]],
    *[Source(_PLASMA.format(name), "plasma-workspace-wallpapers", "LGPL-3", "train", author) for name, author in [
        ("BytheWater", "Maciej Wiklo"), ("ColdRipple", "Risto Saukonpää"), ("ColorfulCups", "Dmitri Popov"),
        ("EveningGlow", "Ian Hex"), ("FallenLeaf", "Martin Klapetek"), ("Grey", "Sigi Sagi"),
        ("Kite", "Risto Saukonpää"), ("OneStandsOut", "Risto Saukonpää"), ("Path", "Risto Saukonpää"),
        ("summer_1am", "Risto Saukonpää")]],
    *[Source(f"{_LOMIRI}/{name}.jpg", package, licence, "train", author) for name, package, licence, author in [
        ("aitzgorri_by_Aitzol_Berasategi", _LOMIRI_16, "CC-BY-4.0", "Aitzol Berasategi"),
        ("Bridge_by_Sander_Klootwijk", _LOMIRI_16, "CC-BY-SA-4.0", "Sander Klootwijk"),
        ("Dragonfly_by_Bolly", _LOMIRI_16, "CC-BY-SA-4.0", "Bolly"),
        ("free_by_Peter_Nerlich", _LOMIRI_16, "CC-BY-SA-4.0", "Peter Nerlich"),
        ("friends_by_Aitzol_Berasategi", _LOMIRI_16, "CC-BY-4.0", "Aitzol Berasategi"),
        ("life_by_Aitzol_Berasategi", _LOMIRI_16, "CC-BY-4.0", "Aitzol Berasategi"),
        ("picosdeeuropa_by_Aitzol_Berasategi", _LOMIRI_16, "CC-BY-4.0", "Aitzol Berasategi"),
        ("Picture_0B_by_freespace", _LOMIRI_16, "CC-BY-4.0", "Trevor \"Freespace\""),
        ("Picture_1A_by_freespace", _LOMIRI_16, "CC-BY-4.0", "Trevor \"Freespace\""),
        ("seeding_by_Clements_Engelhardt", _LOMIRI_16, "CC0-1.0", "Clemens Engelhardt"),
        ("sunset_by_Aitzol_Berasategi", _LOMIRI_16, "CC-BY-4.0", "Aitzol Berasategi"),
        ("Wine_by_Jakkub_Mede", _LOMIRI_16, "CC-BY-4.0", "Jakub Mede"),
        ("Kleiber_by_Lukas_Baubkus", _LOMIRI_20, "CC-BY-SA-3.0", "Lukas Baubkus")]],
    Source(f"{_SKIMAGE}/astronaut.png", "python3-skimage", "public domain (NASA)", "validation", "NASA"),
    Source(f"{_SKIMAGE}/chelsea.png", "python3-skimage", "CC0", "validation", "Stefan van der Walt"),
    Source(f"{_SKIMAGE}/coffee.png", "python3-skimage", "CC0", "validation", "Rachel Michetti"),
    Source(f"{_SKIMAGE}/rocket.jpg", "python3-skimage", "public domain (SpaceX)", "validation", "SpaceX"),
    Source(f"{_SKIMAGE}/camera.png", "python3-skimage", "CC0", "validation", "Lav Varshney"),
]


def load_rgb(source: Source) -> np.ndarray:
    """HxWx3 uint8. JPEG sources are halved first so that compression artefacts are not learned as signal."""
    image = Image.open(source.path).convert("RGB")
    if source.path.lower().endswith(".jpg"):
        image = image.resize((image.width // 2, image.height // 2), Image.BICUBIC, reducing_gap=None)
    return np.array(image, dtype=np.uint8)


def load_split(split: str, limit: int | None = None) -> list[np.ndarray]:
    chosen = [s for s in SOURCES if s.split == split][:limit]
    missing = [s.path for s in chosen if not Path(s.path).exists()]
    if missing:
        raise FileNotFoundError(f"training data missing (run training/setup.sh): {missing}")
    return [load_rgb(s) for s in chosen]


def to_tensor(image: np.ndarray) -> torch.Tensor:
    """HxWx3 uint8 -> 1x3xHxW float in [0,1]."""
    return torch.from_numpy(image).permute(2, 0, 1).float().div(255).unsqueeze(0)


def to_uint8(image: torch.Tensor) -> np.ndarray:
    """1x3xHxW float in [0,1] -> HxWx3 uint8, rounded to the nearest level."""
    return (image[0].permute(1, 2, 0).clamp(0, 1).numpy() * 255).round().astype(np.uint8)


DETAIL_TRIES = 20
BLOB_HARMONICS = 4  # angular harmonics of a blob mask's outline: lobes and dents, no spikes


def detail(crop: torch.Tensor) -> float:
    """Mean absolute difference between neighbouring pixels, in 8-bit levels: near 0 for sky, bokeh and walls."""
    return 255 * 0.5 * float((crop[:, 1:, :] - crop[:, :-1, :]).abs().mean() + (crop[:, :, 1:] - crop[:, :, :-1]).abs().mean())


class PatchSampler:
    """Random square crops with random flips and 90-degree rotations. With `min_detail`, a crop flatter than that is
    drawn again (up to DETAIL_TRIES times): the wallpapers are half sky and bokeh, where bicubic is already perfect.
    With `max_zoom_out` > 1, each crop covers a region up to that many times wider, scaled down to `size`: the
    inpainting engine scales a large hole's window down to the working size, so the network sees whole scenes too."""

    def __init__(self, images: list[np.ndarray], seed: int):
        self.images = [to_tensor(im)[0] for im in images]
        weights = np.array([im.shape[1] * im.shape[2] for im in self.images], dtype=np.float64)
        self.weights = weights / weights.sum()
        self.rng = np.random.default_rng(seed)

    def sample(self, batch: int, size: int, min_detail: float = 0.0, max_zoom_out: float = 1.0) -> torch.Tensor:
        out = torch.empty(batch, 3, size, size)
        for i in range(batch):
            for _ in range(DETAIL_TRIES):
                crop = self._crop(size, max_zoom_out)
                if min_detail <= 0 or detail(crop) >= min_detail:
                    break
            if self.rng.random() < 0.5:
                crop = crop.flip(2)
            out[i] = torch.rot90(crop, int(self.rng.integers(0, 4)), dims=(1, 2))
        return out

    def _crop(self, size: int, max_zoom_out: float) -> torch.Tensor:
        im = self.images[self.rng.choice(len(self.images), p=self.weights)]
        region = size
        if max_zoom_out > 1:
            region = min(round(size * self.rng.uniform(1, max_zoom_out)), im.shape[1], im.shape[2])
        y = self.rng.integers(0, im.shape[1] - region + 1)
        x = self.rng.integers(0, im.shape[2] - region + 1)
        crop = im[:, y:y + region, x:x + region]
        if region == size:
            return crop
        return F.interpolate(crop[None], size=(size, size), mode="bicubic", antialias=True,
                             align_corners=False)[0].clamp(0, 1)


def add_noise(clean: torch.Tensor, sigma: torch.Tensor | float, generator: torch.Generator | None = None) -> torch.Tensor:
    """Additive white Gaussian noise; sigma in 8-bit units (0-255), per image; the result is clipped like a real
    8-bit photograph."""
    sigma = torch.as_tensor(sigma, dtype=clean.dtype).reshape(-1, 1, 1, 1) / 255
    noise = torch.randn(clean.shape, generator=generator) * sigma
    return (clean + noise).clamp(0, 1)


def downscale(hr: torch.Tensor, factor: int) -> torch.Tensor:
    """Bicubic, anti-aliased downscale (the super-resolution degradation)."""
    h, w = hr.shape[2] // factor, hr.shape[3] // factor
    return F.interpolate(hr, size=(h, w), mode="bicubic", antialias=True, align_corners=False).clamp(0, 1)


def bicubic_upscale(lr: torch.Tensor, factor: int) -> torch.Tensor:
    return F.interpolate(lr, scale_factor=factor, mode="bicubic", align_corners=False).clamp(0, 1)


def rectangle_mask(rng: np.random.Generator, size: int, coverage: float) -> np.ndarray:
    area = coverage * size * size
    aspect = math.exp(rng.uniform(math.log(0.5), math.log(2.0)))
    h = int(min(size - 2, max(2, round(math.sqrt(area * aspect)))))
    w = int(min(size - 2, max(2, round(area / h))))
    y, x = rng.integers(0, size - h + 1), rng.integers(0, size - w + 1)
    mask = np.zeros((size, size), np.float32)
    mask[y:y + h, x:x + w] = 1
    return mask


def stroke_mask(rng: np.random.Generator, size: int, coverage: float) -> np.ndarray:
    """Free-form brush strokes (random walks of discs) until `coverage` of the area is covered."""
    mask = np.zeros((size, size), np.float32)
    yy, xx = np.mgrid[0:size, 0:size]
    while mask.mean() < coverage:
        radius = rng.uniform(0.02, 0.06) * size
        y, x = rng.uniform(0, size, 2)
        angle = rng.uniform(0, 2 * math.pi)
        for _ in range(int(rng.integers(4, 12))):
            angle += rng.uniform(-1.0, 1.0)
            step = rng.uniform(0.05, 0.15) * size
            for t in np.linspace(0, 1, 6):
                cy, cx = y + t * step * math.sin(angle), x + t * step * math.cos(angle)
                mask[(yy - cy) ** 2 + (xx - cx) ** 2 <= radius ** 2] = 1
            y = float(np.clip(y + step * math.sin(angle), 0, size - 1))
            x = float(np.clip(x + step * math.cos(angle), 0, size - 1))
            if mask.mean() >= coverage:
                break
    return mask


def centred_square_mask(size: int, area_fraction: float = 0.25) -> np.ndarray:
    side = int(round(size * math.sqrt(area_fraction)))
    start = (size - side) // 2
    mask = np.zeros((size, size), np.float32)
    mask[start:start + side, start:start + side] = 1
    return mask


def blob_mask(rng: np.random.Generator, size: int, coverage: float) -> np.ndarray:
    """One object-shaped blob: a star-shaped region whose radius varies smoothly with the angle (a few random
    harmonics), scaled to cover `coverage` of the area, the shape a user draws around a person or a sign."""
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    harmonics = np.arange(2, 2 + BLOB_HARMONICS)
    amplitudes = rng.uniform(0, 0.25, BLOB_HARMONICS) / np.sqrt(harmonics - 1)
    phases = rng.uniform(0, 2 * math.pi, BLOB_HARMONICS)
    cy, cx = rng.uniform(0.3, 0.7, 2) * size
    angle = np.arctan2(yy - cy, xx - cx)[..., None]
    shape = 1 + (amplitudes * np.cos(harmonics * angle + phases)).sum(-1)
    distance = np.hypot(yy - cy, xx - cx)
    ratio = distance / shape  # the blob is ratio <= r; pick r for the coverage
    radius = np.quantile(ratio, coverage)
    return (ratio <= radius).astype(np.float32)


def random_mask(rng: np.random.Generator, size: int) -> np.ndarray:
    """Rectangles, free-form strokes or object-shaped blobs, covering 5-40% of the working size."""
    coverage = rng.uniform(0.05, 0.40)
    kind = rng.integers(0, 3)
    if kind == 0:
        return rectangle_mask(rng, size, coverage)
    return stroke_mask(rng, size, coverage) if kind == 1 else blob_mask(rng, size, coverage)
