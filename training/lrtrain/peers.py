"""Pretrained x4 upscalers from npm (UpscalerJS's ESRGAN weights), run in Node by bench/peers, as references that a
user might pick instead of our networks. Outputs are cached by the content of their input, so a second evaluation
does not run the slow peer again."""
import hashlib
import io
import shutil
import subprocess
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from . import data
from .train import RUNS

TOOL = Path(__file__).resolve().parents[2] / "bench" / "peers"
CACHE = RUNS.parent / "peers"


def png_bytes(image: torch.Tensor) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(data.to_uint8(image), "RGB").save(buffer, "PNG")
    return buffer.getvalue()


def upscale(peer: str, inputs: list[torch.Tensor]) -> list[torch.Tensor] | str:
    """`peer`'s x4 upscale of each 1x3xhxw input in [0,1] (8-bit levels), or why it could not be run."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not (TOOL / "node_modules").exists():
        return f"not installed (npm ci in {TOOL.relative_to(TOOL.parents[1])})"
    encoded = [png_bytes(image) for image in inputs]
    names = [hashlib.sha256(content).hexdigest()[:16] + ".png" for content in encoded]
    done = CACHE / peer
    pending = CACHE / f"{peer}-pending"
    shutil.rmtree(pending, ignore_errors=True)
    pending.mkdir(parents=True)
    done.mkdir(parents=True, exist_ok=True)
    for name, content in zip(names, encoded):
        if not (done / name).exists():
            (pending / name).write_bytes(content)
    if any(pending.iterdir()):
        print(f"[evaluate] running {peer} in Node on {len(list(pending.iterdir()))} images", flush=True)
        result = subprocess.run(["node", str(TOOL / "upscale.mjs"), "--model", peer, "--in", str(pending),
                                 "--out", str(done)], capture_output=True, text=True)
        if result.returncode != 0:
            return f"{peer} failed: {(result.stderr or result.stdout)[-300:]}"
    shutil.rmtree(pending, ignore_errors=True)
    return [data.to_tensor(np.array(Image.open(done / name).convert("RGB"))) for name in names]
