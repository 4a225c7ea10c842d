"""Inpainting measured through the HTTP service on whole validation photographs, as a user meets it: the engine
chooses its windows (native resolution, scaled only for deep holes), so this is what `evaluate`'s fixed 128 px
windows cannot show. Writes docs/inpaint-service.md."""
import io
import time
import urllib.request
import uuid
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from . import data
from .evaluate import validation_images
from .fills import DIFFUSION_SWEEPS, OPENCV_RADIUS, diffusion_fill, mean_colour_fill, opencv_fill
from .metrics import psnr, ssim, texture_ratio

REPORT = Path(__file__).resolve().parents[2] / "docs" / "inpaint-service.md"
STROKE_COVERAGE = 0.08  # the free-form condition: about 8 % of the area
SQUARE_SIDE = 64
BLOB_COVERAGE = 0.1  # of the photograph's short side squared: an object a user removes
METRICS = ("PSNR", "SSIM", "texture")


def encode_png(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, "PNG")
    return buffer.getvalue()


def post_inpaint(url: str, variant: str, image: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The service's fill of the hole that is white in `mask`."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, content in (("image", encode_png(image)), ("mask", encode_png(mask))):
        parts.append((f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}.png\"\r\n"
                      "Content-Type: image/png\r\n\r\n").encode() + content + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"{url}/v1/inpaint?variant={variant}", data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request, timeout=600) as response:
        return np.array(Image.open(io.BytesIO(response.read())).convert("RGB"))


def masks(image: torch.Tensor, rng: np.random.Generator) -> dict[str, np.ndarray]:
    h, w = image.shape[2:]
    side = round(w * 0.25)
    square = np.zeros((h, w), np.uint8)
    square[(h - side) // 2:(h - side) // 2 + side, (w - side) // 2:(w - side) // 2 + side] = 255
    small = np.zeros((h, w), np.uint8)
    small[(h - SQUARE_SIDE) // 2:(h + SQUARE_SIDE) // 2, (w - SQUARE_SIDE) // 2:(w + SQUARE_SIDE) // 2] = 255
    strokes = data.stroke_mask(rng, max(h, w), STROKE_COVERAGE)[:h, :w]
    short = min(h, w)
    blob = np.zeros((h, w), np.float32)
    blob[(h - short) // 2:(h - short) // 2 + short, (w - short) // 2:(w - short) // 2 + short] = data.blob_mask(
        rng, short, BLOB_COVERAGE)
    return {"centred square, 25% of the width": square, f"centred square, {SQUARE_SIDE} px": small,
            f"free-form strokes, about {STROKE_COVERAGE:.0%} of the area": (strokes * 255).astype(np.uint8),
            "object-shaped blob": (blob * 255).astype(np.uint8)}


def measure(url: str) -> None:
    rng = np.random.default_rng(2021)
    scores: dict[str, dict[str, dict[str, list[float]]]] = {metric: {} for metric in METRICS}
    for truth in validation_images():
        for condition, mask in masks(truth, rng).items():
            hole = torch.from_numpy(mask > 127).float()[None, None]
            holed = truth * (1 - hole)
            fills = {
                "mean-colour fill": mean_colour_fill(holed, hole),
                "OpenCV TELEA": opencv_fill(holed, hole, "telea"),
                "OpenCV NS": opencv_fill(holed, hole, "ns"),
                f"harmonic fill at full resolution ({DIFFUSION_SWEEPS} sweeps)": diffusion_fill(holed, hole),
            }
            for variant in ("baseline", "lightweight"):
                filled = post_inpaint(url, variant, data.to_uint8(holed), mask)
                fills[f"inpaint-{variant} (service)"] = data.to_tensor(filled)
            fills["ground truth"] = truth
            for name, fill in fills.items():
                values = {"PSNR": psnr(fill, truth, mask=hole), "SSIM": ssim(fill, truth, mask=hole),
                          "texture": texture_ratio(fill, hole)}
                for metric, value in values.items():
                    scores[metric].setdefault(condition, {}).setdefault(name, []).append(value)
    psnrs = scores["PSNR"]
    conditions = list(psnrs)
    lines = ["# Inpainting through the service", "",
             f"Written by `training/run evaluate-inpaint-service --url URL` on {time.strftime('%Y-%m-%d')} against a "
             "Release build of the service, on the whole validation photographs of `training/data/SOURCES.md` "
             "(none is trained on). OpenCV's fills with radius "
             f"{OPENCV_RADIUS}. The service cuts each hole into windows at the photograph's own resolution and scales "
             "only a hole deeper than the model's context margin.", ""]
    summaries = {"PSNR": ("Hole PSNR in dB, mean over the photographs.", np.mean),
                 "SSIM": ("Hole SSIM (windows centred in the hole), mean over the photographs.", np.mean),
                 "texture": ("Texture: high-frequency energy in the hole relative to a ring around it, median over the "
                             "photographs; the ground truth's is what the photographs themselves score.", np.median)}
    for metric, (caption, summary) in summaries.items():
        methods = [m for m in scores[metric][conditions[0]] if metric == "texture" or m != "ground truth"]
        lines += [caption, "", "| method | " + " | ".join(conditions) + " |", "|" + "---|" * (len(conditions) + 1)]
        lines += [f"| {method} | " + " | ".join(f"{summary(scores[metric][c][method]):.3f}" for c in conditions) + " |"
                  for method in methods]
        lines.append("")
    telea_wins = {c: sum(b < t for b, t in zip(psnrs[c]["inpaint-baseline (service)"], psnrs[c]["OpenCV TELEA"]))
                  for c in conditions}
    lines += ["Photographs on which OpenCV TELEA beats inpaint-baseline in PSNR: "
              + ", ".join(f"{c}: {telea_wins[c]} of {len(psnrs[c]['OpenCV TELEA'])}" for c in conditions) + "."]
    REPORT.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"wrote {REPORT}")
