"""Writes the sample uploads that README's commands use, from photographs shipped in Debian's python3-skimage (see
SOURCES.md). Run with Debian's Python: /usr/bin/python3 samples/make.py"""
import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

SKIMAGE = Path("/usr/lib/python3/dist-packages/skimage/data")
HERE = Path(__file__).resolve().parent
NOISE_SIGMA = 25   # the denoising models' headline condition
NOISE_SEED = 0
JPEG_QUALITY = 90
SCALE = 4


def crop(name: str, box: tuple[int, int, int, int]) -> Image.Image:
    return Image.open(SKIMAGE / name).convert("RGB").crop(box)


def noisy(image: Image.Image) -> Image.Image:
    pixels = np.asarray(image, dtype=np.float32)
    noise = np.random.default_rng(NOISE_SEED).normal(0, NOISE_SIGMA, pixels.shape)
    return Image.fromarray(np.clip(pixels + noise, 0, 255).round().astype(np.uint8))


def hole_mask(size: tuple[int, int]) -> Image.Image:
    """White = hole: a square and a brush stroke, as a user paints them over what should go."""
    mask = Image.new("L", size, 0)
    draw = ImageDraw.Draw(mask)
    w, h = size
    draw.rectangle([w * 0.55, h * 0.15, w * 0.75, h * 0.35], fill=255)
    points = [(w * (0.1 + 0.35 * t), h * (0.7 + 0.12 * math.sin(6 * t))) for t in np.linspace(0, 1, 24)]
    draw.line(points, fill=255, width=max(3, w // 60), joint="curve")
    return mask


def main() -> None:
    coffee = crop("coffee.png", (100, 60, 356, 316))
    noisy(coffee).save(HERE / "noisy.png")
    noisy(coffee).save(HERE / "noisy.jpg", quality=JPEG_QUALITY)
    astronaut = crop("astronaut.png", (96, 0, 352, 256))
    astronaut.resize((astronaut.width // SCALE, astronaut.height // SCALE), Image.BICUBIC,
                     reducing_gap=None).save(HERE / "small.png")
    chelsea = crop("chelsea.png", (20, 10, 276, 266))
    chelsea.save(HERE / "photo.png")
    mask = hole_mask(chelsea.size)
    mask.save(HERE / "mask.png")
    with_alpha = chelsea.copy()
    with_alpha.putalpha(Image.eval(mask, lambda v: 255 - v))
    with_alpha.save(HERE / "photo-with-alpha.png")


if __name__ == "__main__":
    main()
