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
from .evaluate import DIFFUSION_SWEEPS, diffusion_fill, mean_colour_fill, validation_images
from .metrics import psnr

REPORT = Path(__file__).resolve().parents[2] / "docs" / "inpaint-service.md"
STROKE_COVERAGE = 0.08  # the free-form condition: about 8 % of the area
SQUARE_SIDE = 64
TELEA_RADIUS = 3


def encode_png(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, "PNG")
    return buffer.getvalue()


def opencv_fill(array: np.ndarray, mask: np.ndarray, method: int) -> torch.Tensor:
    """OpenCV's inpainting of an RGB array (OpenCV works in BGR)."""
    import cv2
    return data.to_tensor(cv2.inpaint(array[:, :, ::-1].copy(), mask, TELEA_RADIUS, method)[:, :, ::-1].copy())


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
    return {"centred square, 25% of the width": square, f"centred square, {SQUARE_SIDE} px": small,
            f"free-form strokes, about {STROKE_COVERAGE:.0%} of the area": (strokes * 255).astype(np.uint8)}


def measure(url: str) -> None:
    import cv2
    rng = np.random.default_rng(2021)
    scores: dict[str, dict[str, list[float]]] = {}
    for truth in validation_images():
        array = data.to_uint8(truth)
        for condition, mask in masks(truth, rng).items():
            hole = torch.from_numpy(mask > 127).float()[None, None]
            holed = truth * (1 - hole)
            fills = {
                "mean-colour fill": mean_colour_fill(holed, hole),
                "OpenCV TELEA": opencv_fill(array, mask, cv2.INPAINT_TELEA),
                "OpenCV NS": opencv_fill(array, mask, cv2.INPAINT_NS),
                f"harmonic fill at full resolution ({DIFFUSION_SWEEPS} sweeps)": diffusion_fill(holed, hole),
            }
            for variant in ("baseline", "lightweight"):
                filled = post_inpaint(url, variant, data.to_uint8(holed), mask)
                fills[f"inpaint-{variant} (service)"] = data.to_tensor(filled)
            for name, fill in fills.items():
                scores.setdefault(condition, {}).setdefault(name, []).append(psnr(fill, truth, mask=hole))
    conditions = list(scores)
    methods = list(scores[conditions[0]])
    lines = ["# Inpainting through the service", "",
             f"Written by `training/run evaluate-inpaint-service --url URL` on {time.strftime('%Y-%m-%d')} against a "
             "Release build of the service, on the whole validation photographs of `training/data/SOURCES.md` "
             "(none is trained on). Hole PSNR in dB, mean over the photographs; OpenCV's fills with radius "
             f"{TELEA_RADIUS}. The service cuts each hole into windows at the photograph's own resolution and scales "
             "only a hole deeper than the model's context margin.", "",
             "| method | " + " | ".join(conditions) + " |", "|" + "---|" * (len(conditions) + 1)]
    for method in methods:
        lines.append(f"| {method} | " + " | ".join(f"{np.mean(scores[c][method]):.2f}" for c in conditions) + " |")
    telea_wins = {c: sum(b < t for b, t in zip(scores[c]["inpaint-baseline (service)"], scores[c]["OpenCV TELEA"]))
                  for c in conditions}
    lines += ["", "Photographs on which OpenCV TELEA beats inpaint-baseline: "
              + ", ".join(f"{c}: {telea_wins[c]} of {len(scores[c]['OpenCV TELEA'])}" for c in conditions) + "."]
    REPORT.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"wrote {REPORT}")
