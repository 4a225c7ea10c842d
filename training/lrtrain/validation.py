"""Validation quality measured while a network trains, so that convergence can be read from the log: fixed degraded
crops of the validation photographs, the same at every measurement, written as one TSV row per measurement."""
import time
from pathlib import Path

import numpy as np
import torch

from . import data, structure
from .degradations import DenoiseCondition, jpeg, quantise
from .metrics import luma, psnr, texture_ratio
from .networks import INPAINT_WORKING_SIZE, ModelSpec

CROP = 192       # denoising and super-resolution crops (output pixels)
SR_BORDER = 4
SR_JPEG_QUALITY = 75  # the target for compressed low-resolution uploads


def centre(image: torch.Tensor, size: int) -> torch.Tensor:
    h, w = image.shape[-2:]
    y, x = (h - size) // 2, (w - size) // 2
    return image[..., y:y + size, x:x + size]


# the conditions the denoising issue sets targets for, under the names the log's columns carry
DENOISE_CASES = {
    "clean": DenoiseCondition("clean", 0),
    "sigma5": DenoiseCondition("σ=5", 5),
    "sigma25": DenoiseCondition("σ=25", 25),
    "grey25": DenoiseCondition("grey σ=25", 25, kind="luminance", grey=True),
    "s15jpeg75": DenoiseCondition("σ=15 + JPEG 75", 15, jpeg_quality=75),
}


def inpaint_windows() -> list[torch.Tensor]:
    """Four 128x128 windows per validation image, taken after scaling its short side to 256."""
    windows = []
    for im in (data.to_tensor(im) for im in data.load_split("validation")):
        scale = 256 / min(im.shape[2], im.shape[3])
        size = (round(im.shape[2] * scale), round(im.shape[3] * scale))
        im = torch.nn.functional.interpolate(im, size=size, mode="bicubic", antialias=True, align_corners=False)
        for y, x in [(0, 0), (0, 1), (1, 0), (1, 1)]:
            top = y * (size[0] - INPAINT_WORKING_SIZE) // 1 if y else (size[0] // 2 - INPAINT_WORKING_SIZE) // 2
            left = x * (size[1] - INPAINT_WORKING_SIZE) // 1 if x else (size[1] // 2 - INPAINT_WORKING_SIZE) // 2
            windows.append(im[:, :, top:top + INPAINT_WORKING_SIZE, left:left + INPAINT_WORKING_SIZE].clamp(0, 1))
    return windows


def denoise_cases(clean: list[torch.Tensor]) -> dict[str, list[tuple[torch.Tensor, torch.Tensor]]]:
    """(degraded, clean) pairs for each of DENOISE_CASES."""
    rng = np.random.default_rng(0)
    return {name: [condition.degrade(c, rng) for c in clean] for name, condition in DENOISE_CASES.items()}


class ValidationLog:
    """Measures a network on fixed validation inputs and appends the scores to `path` (and prints them)."""

    def __init__(self, spec: ModelSpec, path: Path, images: list[torch.Tensor]):
        self.spec, self.path, self.images = spec, path, images
        self.cases = denoise_cases(images) if spec.task == "denoise" else None
        self.structure_cases = structure.cases([]) if spec.task == "inpaint" else None

    @classmethod
    def for_task(cls, spec: ModelSpec, path: Path) -> "ValidationLog":
        if spec.task == "inpaint":
            # the evaluation's own windows: five centre crops steered earlier recipes ~1 dB away from what it measures
            return cls(spec, path, [w[0] for w in inpaint_windows()])
        images = [centre(data.to_tensor(im)[0], CROP) for im in data.load_split("validation")]
        return cls(spec, path, images)

    @torch.no_grad()
    def scores(self, model: torch.nn.Module) -> dict[str, float]:
        model.eval()
        if self.spec.task == "denoise":
            return self._denoise(model)
        hr = torch.stack(self.images)
        if self.spec.task == "super-resolve":
            return self._super_resolve(model, hr)
        mask = torch.from_numpy(data.centred_square_mask(INPAINT_WORKING_SIZE)).expand(len(self.images), 1, -1, -1)
        filled = model(torch.cat([hr, mask], dim=1))
        return {"hole_psnr": psnr(filled, hr, mask=mask), "hole_texture": texture_ratio(filled, mask),
                "truth_texture": texture_ratio(hr, mask), **self._structure(model)}

    def _structure(self, model: torch.nn.Module) -> dict[str, float]:
        """Mean continuation error (px) of the flat-colour edges and the 3 px lines across a 64 px hole, so that a run
        that stops carrying structure through the hole shows while it trains."""
        cases = self.structure_cases
        masks = torch.cat([c.mask for c in cases])
        filled = model(torch.cat([torch.cat([c.image for c in cases]) * (1 - masks), masks], dim=1))
        errors = {"edge": [], "line": []}
        for case, out in zip(cases, filled):
            errors[case.kind].append(structure.continuation_error(case, out[None]))
        return {f"{kind}_error_px": float(np.mean(values)) for kind, values in errors.items()}

    def _super_resolve(self, model: torch.nn.Module, hr: torch.Tensor) -> dict[str, float]:
        """PSNR on Y and the gain over bicubic, for clean downscales and for JPEG 75 ones."""
        out = {}
        low = quantise(data.downscale(hr, self.spec.scale))
        for name, upload in (("", low), ("jpeg75_", torch.stack([jpeg(im, SR_JPEG_QUALITY, grey=False) for im in low]))):
            sr = model(upload).clamp(0, 1)
            out[f"{name}psnr_y"] = psnr(luma(sr), luma(hr), border=SR_BORDER)
            bicubic = data.bicubic_upscale(upload, self.spec.scale)
            out[f"{name}gain_y"] = out[f"{name}psnr_y"] - psnr(luma(bicubic), luma(hr), border=SR_BORDER)
        return out

    def _denoise(self, model: torch.nn.Module) -> dict[str, float]:
        def restore(batch: list[tuple[torch.Tensor, torch.Tensor]]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
            degraded = torch.stack([d for d, _ in batch])
            clean = torch.stack([c for _, c in batch])
            return (degraded - model(degraded)).clamp(0, 1), degraded, clean

        out = {}
        restored, _, clean = restore(self.cases["clean"])
        out["clean_psnr"] = psnr(restored, clean)
        out["clean_max_shift"] = float((restored - clean).mean(dim=(2, 3)).abs().max() * 255)
        restored, degraded, clean = restore(self.cases["sigma5"])
        out["sigma5_worse"] = sum(psnr(r[None], c[None]) <= psnr(d[None], c[None])
                                  for r, d, c in zip(restored, degraded, clean))
        for name in ("sigma25", "grey25", "s15jpeg75"):
            restored, degraded, clean = restore(self.cases[name])
            out[f"{name}_psnr"] = psnr(restored, clean)
            if name == "grey25":
                out["grey25_spread"] = float((restored.max(1).values - restored.min(1).values).mean() * 255)
            if name == "s15jpeg75":
                out["s15jpeg75_gain"] = out[f"{name}_psnr"] - psnr(degraded, clean)
        return out

    def measure(self, model: torch.nn.Module, state: dict) -> dict[str, float]:
        was_training = model.training
        started = time.monotonic()
        values = self.scores(model)
        model.train(was_training)
        header = ["step", "minutes", *values]
        row = [str(state["step"]), f"{state['elapsed'] / 60:.1f}", *(f"{v:.3f}" for v in values.values())]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            self.path.write_text("\t".join(header) + "\n")
        with self.path.open("a") as log:
            log.write("\t".join(row) + "\n")
        shown = " ".join(f"{k} {v:.2f}" for k, v in values.items())
        print(f"[{self.spec.id}] validation at step {state['step']}: {shown} "
              f"({time.monotonic() - started:.1f} s)", flush=True)
        return values
