"""Measures every exported model on the validation set and writes models/EVALUATION.md, the crop figures and the
`quality` of each model card. The networks are run from their training checkpoints; `run export` proves (parity
fixture) that the ONNX files compute the same numbers."""
import functools
import json
import os
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw

from . import data, peers
from .degradations import DenoiseCondition, jpeg, quantise
from . import structure
from .fills import DIFFUSION_SWEEPS, diffusion_fill, mean_colour_fill, opencv_fill
from .metrics import TEXTURE_RING, crop_border, gaussian_blur, local_detail, luma, periodic_residual, psnr, ssim, texture_ratio
from .networks import FILL_SWEEPS, INPAINT_WORKING_SIZE, MODELS, ModelSpec
from .precision import CPU_INFO
from .train import RUNS, checkpoint_path, exported_network
from .validation import SR_BORDER, SR_JPEG_QUALITY, inpaint_windows

BLUR_SIGMAS = tuple(np.round(np.arange(0.5, 3.01, 0.25), 2))
MASKS_PER_WINDOW = 2  # free-form and blob masks drawn per inpainting window
FREEFORM_COVERAGE = 0.2
BLOB_COVERAGE = 0.2
STARTING_FILL = f"the networks' starting fill ({FILL_SWEEPS} sweeps)"
STRUCTURE_EDGES, STRUCTURE_LINES = "edges", "lines"
STRUCTURE_KINDS = {  # the structure cases reported apart, by what crosses the hole
    "edges, flat": lambda c: c.kind == "edge" and not c.textured,
    "edges, textured": lambda c: c.kind == "edge" and c.textured,
    STRUCTURE_EDGES: lambda c: c.kind == "edge",
    STRUCTURE_LINES: lambda c: c.kind == "line",
}
STRUCTURE_TOLERANCE = 2  # px: issue 15's "continued within 2 px at the hole's centre"
DISTINCT_PSNR = 40.0  # dB: two variants' fills closer than this in the hole are the same fill
VARIANTS_APART = "inpaint-baseline against inpaint-lightweight"
LATENCY_RUNS = 10
REPOSITORY = Path(__file__).resolve().parents[2]
BENCHMARKS = REPOSITORY / "bench" / "Benchmarks"
FLOORS = {
    "denoise": "clean input comes back at >= 42 dB with <= 0.5 level of mean shift per channel; sigma 5: better than "
               "the input on every image; sigma 25: baseline beats OpenCV NLM by >= 3.5 dB, lightweight within 0.3 dB "
               "of baseline; greyscale sigma 25: >= +7 dB and exactly grey; sigma 15 + JPEG 75: >= +1.5 dB",
    "super-resolve": "baseline beats bicubic by >= 2.0 dB on Y, and by >= 1.0 dB on JPEG 75 input; lightweight within "
                     "0.25 dB of baseline; baseline ahead of esrgan-thick by >= 1.0 dB",
    "inpaint": "issue 15: free-form strokes, baseline >= 1.0 dB ahead of OpenCV TELEA; centred square, >= 2.0 dB ahead "
               "of TELEA, trained layers >= +1.0 dB over the starting fill, hole texture >= 50% of the ring's; edges "
               "through a 64 px hole continued within 2 px; lightweight within 0.5 dB of the baseline for each mask and "
               "different from it",
}
# the strongest UpscalerJS model; issue 14 asks our baseline to lead it by a dB
PEERS = ("esrgan-thick",)
FLAT_DETAIL, TEXTURED_DETAIL = 1.5, 8.0  # local detail in 8-bit levels (metrics.local_detail)
FINDING_CROP, FINDING_ZOOM = 32, 4
MIN_SPEEDUP = 3.0
MAX_PARAMETER_FRACTION = 1 / 8


@dataclass
class Loaded:
    spec: ModelSpec
    model: torch.nn.Module
    card: dict


@dataclass
class Latency:
    """Milliseconds per native tile at batch 1: PyTorch's, and ONNX Runtime's (or why it was not measured)."""
    torch: dict[str, float]
    onnx: dict[str, float] | str


@dataclass
class Row:
    name: str
    values: dict = field(default_factory=dict)


@dataclass
class TaskResult:
    """One task's measurements: table rows, figures by file-name suffix, and notes printed under the table."""
    rows: list[Row]
    figures: dict[str, Image.Image] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def load(models_dir: Path, model_id: str) -> Loaded | None:
    card_path = models_dir / model_id / "model.json"
    if not card_path.exists():
        return None
    spec = MODELS[model_id]
    # what ships, not the checkpoint it came from: that may be on another machine
    return Loaded(spec, exported_network(spec, models_dir / model_id / "model.onnx"), json.loads(card_path.read_text()))


def run(loaded: Loaded, x: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        y = loaded.model(x)
    return (x - y if loaded.spec.residual else y).clamp(0, 1)


def latency_ms(loaded: list[Loaded]) -> dict[str, float]:
    """Median PyTorch CPU latency of one native tile, the variants interleaved so that both see the same machine state."""
    times: dict[str, list[float]] = {m.spec.id: [] for m in loaded}
    x = {m.spec.id: torch.rand(1, m.spec.in_channels, m.spec.tile, m.spec.tile,
                               generator=torch.Generator().manual_seed(1)) for m in loaded}
    for i in range(LATENCY_RUNS + 2):
        for m in loaded:
            start = time.perf_counter()
            with torch.no_grad():
                m.model(x[m.spec.id])
            if i >= 2:
                times[m.spec.id].append((time.perf_counter() - start) * 1000)
    return {k: statistics.median(v) for k, v in times.items()}


@functools.cache
def build_benchmarks() -> str | None:
    """Builds bench/Benchmarks once per evaluation; returns why it cannot run, or None."""
    if shutil.which("dotnet") is None:
        return "dotnet is not installed"
    built = subprocess.run(["dotnet", "build", str(BENCHMARKS), "-c", "Release", "-v", "q", "--nologo"],
                           capture_output=True, text=True)
    return None if built.returncode == 0 else f"the benchmark did not build: {built.stdout[-500:]}"


def onnx_latency_ms(models_dir: Path, ids: list[str], precisions: tuple[str, ...] = ()) -> dict[str, dict[str, float]] | str:
    """The same measurement in ONNX Runtime, which serves the models, through the C# benchmark's tile-latency mode
    (Python has no onnxruntime here), by model id and precision (`precisions`, or every one a card offers). Returns
    the reason instead when it cannot run."""
    failure = build_benchmarks()
    if failure:
        return failure
    measured = subprocess.run(["dotnet", "run", "--project", str(BENCHMARKS), "-c", "Release", "--no-build", "--",
                               "--tile-latency", "--models", str(models_dir), "--ids", ",".join(ids)]
                              + (["--precisions", ",".join(precisions)] if precisions else []),
                              capture_output=True, text=True)
    if measured.returncode != 0:
        return f"the benchmark failed: {measured.stderr[-500:]}"
    return json.loads(measured.stdout.strip().splitlines()[-1])


def cpu_description() -> str:
    """The CPU a speed was measured on, with the int8 and bfloat16 units that decide it."""
    info = CPU_INFO.read_text() if CPU_INFO.exists() else ""
    name = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")), "unknown CPU")
    flags = set(next((line.split(":", 1)[1].split() for line in info.splitlines() if line.startswith("flags")), []))
    units = [f for f in ("avx512_vnni", "avx512_bf16", "amx_int8", "amx_bf16") if f in flags]
    return f"{name}, {os.cpu_count()} logical CPUs" + (f", {' '.join(units)}" if units else "")


def validation_images() -> list[torch.Tensor]:
    return [data.to_tensor(im) for im in data.load_split("validation")]


DENOISE_CONDITIONS = [
    DenoiseCondition("clean", 0),
    DenoiseCondition("σ=5", 5),
    DenoiseCondition("σ=15", 15),
    DenoiseCondition("σ=25", 25),
    DenoiseCondition("σ=50", 50),
    DenoiseCondition("grey σ=25", 25, kind="luminance", grey=True),
    DenoiseCondition("σ=15 + JPEG 75", 15, jpeg_quality=75),
]
# OpenCV's filter strength h is tuned per condition on the validation set itself, which flatters the reference
NLM_STRENGTHS = {5: [2, 3, 4, 5, 6], 15: [6, 8, 10, 12, 14], 25: [12, 15, 18, 21, 24], 50: [24, 30, 36, 42, 48]}
NLM_TEMPLATE, NLM_SEARCH = 7, 21


def nlm(image: torch.Tensor, h: float, grey: bool) -> torch.Tensor:
    """OpenCV's non-local means (fastNlMeansDenoisingColored; the single-channel filter for a greyscale upload)."""
    import cv2
    array = (image[0].permute(1, 2, 0).numpy() * 255).round().astype(np.uint8)
    if grey:
        out = cv2.fastNlMeansDenoising(array[:, :, 0], None, h, NLM_TEMPLATE, NLM_SEARCH)
        out = np.repeat(out[:, :, None], 3, axis=2)
    else:
        out = cv2.fastNlMeansDenoisingColored(array[:, :, ::-1].copy(), None, h, h, NLM_TEMPLATE, NLM_SEARCH)[:, :, ::-1]
    return torch.from_numpy(out.astype(np.float32) / 255).permute(2, 0, 1)[None]


def tuned(settings, make, truths: list[torch.Tensor]) -> tuple[float, list[torch.Tensor]]:
    """The setting whose outputs (`make(setting)`) have the best mean PSNR against `truths`, and those outputs."""
    outputs = {setting: make(setting) for setting in settings}
    best = max(outputs, key=lambda k: np.mean([psnr(o, t) for o, t in zip(outputs[k], truths)]))
    return best, outputs[best]


def restored_denoise(m: Loaded, upload: torch.Tensor, grey: bool) -> torch.Tensor:
    """The model's result as the service answers it: a greyscale upload comes back with its channels averaged."""
    out = run(m, upload)
    return out.mean(dim=1, keepdim=True).expand_as(out) if grey else out


def channel_shift(out: torch.Tensor, truth: torch.Tensor) -> float:
    """The largest per-channel mean shift, in 8-bit levels."""
    return float((out - truth).mean(dim=(2, 3)).abs().max() * 255)


def evaluate_denoise(models: list[Loaded]) -> TaskResult:
    images = validation_images()
    names = ["noisy input", "best Gaussian blur", "OpenCV NLM"] + [m.spec.id for m in models]
    rows = {name: Row(name) for name in names}
    figure = None
    for index, condition in enumerate(DENOISE_CONDITIONS):
        rng = np.random.default_rng(1000 + index)
        pairs = [tuple(x[None] for x in condition.degrade(im[0], rng)) for im in images]
        uploads, truths = [p[0] for p in pairs], [p[1] for p in pairs]
        outputs = {"noisy input": uploads}
        if condition.sigma > 0:
            blur, outputs["best Gaussian blur"] = tuned(
                BLUR_SIGMAS, lambda b: [gaussian_blur(u, b) for u in uploads], truths)
            h, outputs["OpenCV NLM"] = tuned(
                NLM_STRENGTHS[condition.sigma], lambda h: [nlm(u, h, condition.grey) for u in uploads], truths)
            rows["best Gaussian blur"].values[f"blur σ, {condition.name}"] = float(blur)
            rows["OpenCV NLM"].values[f"h, {condition.name}"] = float(h)
        for m in models:
            outputs[m.spec.id] = [restored_denoise(m, u, condition.grey) for u in uploads]
        for name, outs in outputs.items():
            scores = [psnr(o, t) for o, t in zip(outs, truths)]
            rows[name].values[f"PSNR {condition.name}"] = float(np.mean(scores))
            if condition.name == "σ=25":
                rows[name].values["SSIM σ=25"] = float(np.mean([ssim(o, t) for o, t in zip(outs, truths)]))
            if condition.name == "clean":
                rows[name].values["mean shift, clean"] = max(channel_shift(o, t) for o, t in zip(outs, truths))
            if condition.name == "σ=5":
                rows[name].values["worse than input, σ=5"] = float(sum(
                    s <= psnr(u, t) for s, u, t in zip(scores, uploads, truths)))
            if condition.grey:
                rows[name].values["coloured px, grey σ=25"] = float(sum(
                    int((o.max(1).values != o.min(1).values).sum()) for o in outs))
        if condition.name == "σ=25":
            figure = crops_figure([("noisy, sigma 25", uploads[0])]
                                  + [(k, v[0]) for k, v in outputs.items() if k != "noisy input"]
                                  + [("ground truth", truths[0])], box=(180, 200, 128))
    return TaskResult(list(rows.values()), {"": figure} if figure is not None else {})


def evaluate_super_resolve(models: list[Loaded]) -> TaskResult:
    """Clean and JPEG 75 low-resolution uploads; PSNR/SSIM on Y, and the 2- and 4-pixel periodic residual that a pixel
    shuffle can leave, in flat and in textured regions; a peer from npm beside bicubic."""
    images = [im[:, :, :im.shape[2] // 4 * 4, :im.shape[3] // 4 * 4] for im in validation_images()]
    lows = [quantise(data.downscale(im, 4)) for im in images]
    jpegs = [jpeg(lo[0], SR_JPEG_QUALITY, grey=False)[None] for lo in lows]
    candidates = {"bicubic": ([data.bicubic_upscale(lo, 4) for lo in lows],
                              [data.bicubic_upscale(j, 4) for j in jpegs])}
    notes = []
    for peer in PEERS:
        clean, compressed = peers.upscale(peer, lows), peers.upscale(peer, jpegs)
        if isinstance(clean, str) or isinstance(compressed, str):
            notes.append(f"- {peer} (UpscalerJS, npm) not measured: {clean if isinstance(clean, str) else compressed}")
        else:
            candidates[f"{peer} (UpscalerJS, npm)"] = (clean, compressed)
    for m in models:
        candidates[m.spec.id] = ([run(m, lo) for lo in lows], [run(m, j) for j in jpegs])
    truth_y = [crop_border(luma(h), SR_BORDER) for h in images]
    detail = [local_detail(y) for y in truth_y]
    regions = {"flat": [d < FLAT_DETAIL for d in detail], "textured": [d > TEXTURED_DETAIL for d in detail]}
    rows = []
    for name, (outs, compressed) in candidates.items():
        values = {
            "PSNR Y": statistics.fmean(psnr(luma(o), luma(h), SR_BORDER) for o, h in zip(outs, images)),
            "SSIM Y": statistics.fmean(ssim(luma(o), luma(h), SR_BORDER) for o, h in zip(outs, images)),
            "PSNR RGB": statistics.fmean(psnr(o, h, SR_BORDER) for o, h in zip(outs, images)),
            f"PSNR Y, JPEG {SR_JPEG_QUALITY}": statistics.fmean(psnr(luma(o), luma(h), SR_BORDER) for o, h in zip(compressed, images)),
            f"SSIM Y, JPEG {SR_JPEG_QUALITY}": statistics.fmean(ssim(luma(o), luma(h), SR_BORDER) for o, h in zip(compressed, images)),
        }
        for region, masks in regions.items():
            for period in (2, 4):
                values[f"period {period} residual, {region}"] = statistics.fmean(
                    periodic_residual(crop_border(o, SR_BORDER), crop_border(h, SR_BORDER), period, r)
                    for o, h, r in zip(outs, images, masks))
        rows.append(Row(name, values))
    notes.append(f"Periodic residual: RMS in 8-bit levels of the Y error that repeats every 2 or 4 pixels (the pixel "
                 f"shuffles' periods), over flat pixels (local detail below {FLAT_DETAIL} levels) and textured ones "
                 f"(above {TEXTURED_DETAIL}).")
    figures = {"": crops_figure([("input (nearest)", torch.nn.functional.interpolate(lows[0], scale_factor=4))]
                                + [(k, v[0][0]) for k, v in candidates.items()] + [("ground truth", images[0])],
                                box=(160, 200, 128))}
    compared = [k for k in ("bicubic", "sr4-lightweight", "sr4-dwsubpixel") if k in candidates]
    if len(compared) == 3:
        figures["-finding"] = finding_figure(compared, candidates, images[0], detail[0])
    return TaskResult(rows, figures, notes)


def finding_figure(names: list[str], candidates: dict, truth: torch.Tensor, detail: torch.Tensor) -> Image.Image:
    """The flattest mid-grey and the most detailed 32 px square of the first image, magnified 4x: one row each. A
    checkerboard shows best on a flat mid-tone; black or white flats are clipped."""
    pool = functools.partial(torch.nn.functional.avg_pool2d, kernel_size=FINDING_CROP, stride=FINDING_CROP // 2)
    pooled = pool(detail)[0, 0]
    brightness = pool(crop_border(luma(truth), SR_BORDER))[0, 0]
    mid_tone = (brightness > 0.25) & (brightness < 0.75)
    boxes = []
    for index in (int(torch.where(mid_tone, pooled, torch.inf).argmin()), int(pooled.argmax())):
        y, x = divmod(index, pooled.shape[1])
        boxes.append((SR_BORDER + y * FINDING_CROP // 2, SR_BORDER + x * FINDING_CROP // 2, FINDING_CROP))
    panels = [(name, candidates[name][0][0]) for name in names] + [("ground truth", truth)]
    return stack_rows([crops_figure(panels, box, zoom=FINDING_ZOOM) for box in boxes])


def structure_textures() -> list[torch.Tensor]:
    """The photographic textures that the structure cases put on either side of an edge: each validation photograph's
    centre, at its own resolution."""
    size = structure.WINDOW
    return [im[:, :, (im.shape[2] - size) // 2:(im.shape[2] + size) // 2, (im.shape[3] - size) // 2:(im.shape[3] + size) // 2]
            for im in validation_images()]


def inpaint_mask_sets(windows: list[torch.Tensor]) -> dict[str, list[tuple[torch.Tensor, torch.Tensor]]]:
    rng = np.random.default_rng(2021)
    side = INPAINT_WORKING_SIZE

    def tensor(mask: np.ndarray) -> torch.Tensor:
        return torch.from_numpy(mask).reshape(1, 1, side, side)

    square = tensor(data.centred_square_mask(side))
    return {
        "centred square": [(w, square) for w in windows],
        "free-form": [(w, tensor(data.stroke_mask(rng, side, FREEFORM_COVERAGE)))
                      for w in windows for _ in range(MASKS_PER_WINDOW)],
        "blobs": [(w, tensor(data.blob_mask(rng, side, BLOB_COVERAGE))) for w in windows for _ in range(MASKS_PER_WINDOW)],
    }


def evaluate_inpaint(models: list[Loaded]) -> TaskResult:
    """Hole PSNR, SSIM and texture ratio for centred squares, free-form strokes and object-shaped blobs on 128 px
    windows; how far edges and lines that cross a 64 px hole are continued from where they should be."""
    windows = inpaint_windows()
    mask_sets = inpaint_mask_sets(windows)
    fill_methods = {
        "mean-colour fill": mean_colour_fill,
        "OpenCV TELEA": functools.partial(opencv_fill, method="telea"),
        "OpenCV NS": functools.partial(opencv_fill, method="ns"),
        STARTING_FILL: functools.partial(diffusion_fill, sweeps=FILL_SWEEPS),
        f"diffusion fill ({DIFFUSION_SWEEPS} sweeps)": diffusion_fill,
    }
    for m in models:
        fill_methods[m.spec.id] = lambda im, mask, m=m: im * (1 - mask) + run(m, torch.cat([im * (1 - mask), mask], 1)) * mask
    rows = {name: Row(name) for name in [*fill_methods, "ground truth"]}
    outputs: dict[str, dict[str, list[torch.Tensor]]] = {}
    for set_name, pairs in mask_sets.items():
        rows["ground truth"].values[f"texture, {set_name}"] = statistics.median(
            texture_ratio(w, mask) for w, mask in pairs)
        for name, fill in fill_methods.items():
            outs = outputs.setdefault(set_name, {})[name] = [fill(w * (1 - mask), mask) for w, mask in pairs]
            values = rows[name].values
            values[f"PSNR hole, {set_name}"] = float(np.mean([psnr(o, w, mask=mask) for o, (w, mask) in zip(outs, pairs)]))
            values[f"SSIM hole, {set_name}"] = float(np.mean([ssim(o, w, mask=mask) for o, (w, mask) in zip(outs, pairs)]))
            values[f"texture, {set_name}"] = statistics.median(texture_ratio(o, mask) for o, (_, mask) in zip(outs, pairs))
    if len(models) == 2:
        apart = rows.setdefault(VARIANTS_APART, Row(VARIANTS_APART)).values
        for set_name, pairs in mask_sets.items():
            first, second = (outputs[set_name][m.spec.id] for m in models)
            apart[f"PSNR hole, {set_name}"] = float(np.mean(
                [psnr(a, b, mask=mask) for a, b, (_, mask) in zip(first, second, pairs)]))
    cases = structure.cases(structure_textures())
    structure_outputs = {}
    for name, fill in fill_methods.items():
        outs = structure_outputs[name] = [fill(c.image * (1 - c.mask), c.mask) for c in cases]
        errors = [structure.continuation_error(c, o) for c, o in zip(cases, outs)]
        for kind, chosen in STRUCTURE_KINDS.items():
            picked = [e for c, e in zip(cases, errors) if chosen(c)]
            rows[name].values[f"{kind}: mean error, px"] = float(np.mean(picked))
            rows[name].values[f"{kind}: within {STRUCTURE_TOLERANCE} px"] = float(np.mean(
                [e <= STRUCTURE_TOLERANCE for e in picked]))
    notes = [f"Holes: the centred square covers a quarter of the window; strokes ({FREEFORM_COVERAGE:.0%} of the area) "
             f"and blobs ({BLOB_COVERAGE:.0%}) are drawn {MASKS_PER_WINDOW} per window. Texture: high-frequency energy "
             f"inside the hole relative to a {TEXTURE_RING} px ring around it (median over windows; the ground truth "
             "row is what the photographs themselves score). Structure: straight edges (between flat colours and "
             "between two validation photographs' textures) and 3 px lines at 6 angles and 3 offsets from the centre "
             f"cross a {structure.HOLE_SIDE} px hole; the error is how far from its true position the fill's edge or "
             "line crosses the hole's centre (a fill without the structure scores up to "
             f"{structure.REACH} px). Every method sees the same holed window."]
    figure_rows = []
    for set_name, index in (("centred square", 1), ("blobs", 2)):
        window, mask = mask_sets[set_name][index]
        panels = [("input", window * (1 - mask) + mask * 0.5)]
        panels += [(name, outputs[set_name][name][index]) for name in fill_methods if name != "mean-colour fill"]
        figure_rows.append(crops_figure(panels + [("ground truth", window)], box=(0, 0, INPAINT_WORKING_SIZE)))
    edge = next(i for i, c in enumerate(cases) if c.kind == "edge" and c.textured and c.offset)
    panels = [("input", cases[edge].image * (1 - cases[edge].mask) + cases[edge].mask * 0.5)]
    panels += [(name, structure_outputs[name][edge]) for name in fill_methods if name != "mean-colour fill"]
    figure_rows.append(crops_figure(panels + [("ground truth", cases[edge].image)], box=(0, 0, INPAINT_WORKING_SIZE)))
    return TaskResult(list(rows.values()), {"": stack_rows(figure_rows)}, notes)


def stack_rows(rows: list[Image.Image]) -> Image.Image:
    sheet = Image.new("RGB", (max(r.width for r in rows), sum(r.height for r in rows)), "white")
    top = 0
    for row in rows:
        sheet.paste(row, (0, top))
        top += row.height
    return sheet


def crops_figure(panels: list[tuple[str, torch.Tensor]], box: tuple[int, int, int], zoom: int = 2) -> Image.Image:
    top, left, size = box
    label_height = 16
    tile = size * zoom
    sheet = Image.new("RGB", (tile * len(panels), tile + label_height), "white")
    draw = ImageDraw.Draw(sheet)
    for i, (name, tensor) in enumerate(panels):
        t = min(top, tensor.shape[2] - size)
        l = min(left, tensor.shape[3] - size)
        crop = tensor[0, :, t:t + size, l:l + size].clamp(0, 1).mul(255).round().byte().permute(1, 2, 0).numpy()
        sheet.paste(Image.fromarray(crop).resize((tile, tile), Image.NEAREST), (i * tile, label_height))
        draw.text((i * tile + 4, 2), name, fill="black")
    return sheet


TASKS = {
    "denoise": (["denoise-baseline", "denoise-lightweight"], evaluate_denoise),
    "super-resolve": (["sr4-baseline", "sr4-lightweight", "sr4-dwsubpixel"], evaluate_super_resolve),
    "inpaint": (["inpaint-baseline", "inpaint-lightweight"], evaluate_inpaint),
}


def fmt(v: float) -> str:
    return f"{v:.2f}" if abs(v) >= 1 else f"{v:.4f}"


# Columns that hold a reference's tuned setting rather than a measurement: reported in a table of their own
SETTING_PREFIXES = ("blur σ, ", "h, ")


def table(rows: list[Row], loaded: dict[str, Loaded], latency: Latency) -> list[str]:
    every = list(dict.fromkeys(k for r in rows for k in r.values))
    columns = [c for c in every if not c.startswith(SETTING_PREFIXES)]
    settings = [c for c in every if c.startswith(SETTING_PREFIXES)]
    head = ["method", "parameters", "MACs / output px", "file size", "ms / tile, ONNX Runtime", "ms / tile, PyTorch"] + columns
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        m = loaded.get(r.name)
        info = [f"{m.card['parameters']:,}", f"{m.card['macsPerOutputPixel']:,}",
                f"{m.card['fileBytes'] / 1024:.0f} KiB",
                f"{latency.onnx[r.name]:.1f}" if isinstance(latency.onnx, dict) else "–",
                f"{latency.torch[r.name]:.1f}"] if m else ["–"] * 5
        lines.append("| " + " | ".join([f"**{r.name}**" if m else r.name] + info
                                       + [fmt(r.values[c]) if c in r.values else "–" for c in columns]) + " |")
    tuned_rows = [r for r in rows if any(c in r.values for c in settings)]
    if tuned_rows:
        lines += ["", "The references' settings, tuned per condition on these images:", "",
                  "| method | " + " | ".join(settings) + " |", "|" + "---|" * (len(settings) + 1)]
        lines += ["| " + " | ".join([r.name] + [fmt(r.values[c]) if c in r.values else "–" for c in settings]) + " |"
                  for r in tuned_rows]
    return lines


def floor_checks(task: str, rows: dict[str, Row], loaded: dict[str, Loaded], latency: Latency) -> list[str]:
    checks = []

    def check(ok: bool, text: str):
        checks.append(f"- {'met' if ok else '**MISSED**'}: {text}")

    base, light = TASKS[task][0][:2]
    if base not in loaded or light not in loaded:
        return ["- not checked: both variants must be trained and exported first"]
    b, lt = rows[base].values, rows[light].values
    if task == "denoise":
        noisy, reference = rows["noisy input"].values, rows["OpenCV NLM"].values
        for name, v in ((base, b), (light, lt)):
            check(v["PSNR clean"] >= 42 and v["mean shift, clean"] <= 0.5,
                  f"{name} returns clean input at {v['PSNR clean']:.2f} dB (floor 42) with at most "
                  f"{v['mean shift, clean']:.2f} level of mean shift in any channel of any image (at most 0.5)")
            check(v["worse than input, σ=5"] == 0,
                  f"{name} makes {v['worse than input, σ=5']:.0f} of {len(validation_images())} images worse at σ=5 "
                  f"(none may be)")
            gain = v["PSNR grey σ=25"] - noisy["PSNR grey σ=25"]
            check(gain >= 7 and v["coloured px, grey σ=25"] == 0,
                  f"{name} gains {gain:.2f} dB on greyscale at σ=25 (floor 7) with "
                  f"{v['coloured px, grey σ=25']:.0f} coloured pixels (none may be)")
            gain = v["PSNR σ=15 + JPEG 75"] - noisy["PSNR σ=15 + JPEG 75"]
            check(gain >= 1.5, f"{name} gains {gain:.2f} dB on σ=15 noise + JPEG 75 (floor 1.5)")
        gain = b["PSNR σ=25"] - reference["PSNR σ=25"]
        check(gain >= 3.5, f"baseline beats OpenCV NLM at σ=25 by {gain:.2f} dB (floor 3.5)")
        gap = b["PSNR σ=25"] - lt["PSNR σ=25"]
        check(gap <= 0.3, f"lightweight is {gap:.2f} dB below baseline at σ=25 (at most 0.3)")
    elif task == "super-resolve":
        bicubic = rows["bicubic"].values
        gain = b["PSNR Y"] - bicubic["PSNR Y"]
        check(gain >= 2.0, f"baseline beats bicubic by {gain:.2f} dB on Y (floor 2.0)")
        key = f"PSNR Y, JPEG {SR_JPEG_QUALITY}"
        gain = b[key] - bicubic[key]
        check(gain >= 1.0, f"baseline beats bicubic of the same JPEG {SR_JPEG_QUALITY} input by {gain:.2f} dB on Y "
                           f"(floor 1.0)")
        gap = b["PSNR Y"] - lt["PSNR Y"]
        check(gap <= 0.25, f"lightweight is {gap:.2f} dB below baseline on Y (at most 0.25)")
        for peer in PEERS:
            name = f"{peer} (UpscalerJS, npm)"
            if name in rows:
                lead = b["PSNR Y"] - rows[name].values["PSNR Y"]
                check(lead >= 1.0, f"baseline is {lead:.2f} dB ahead of {peer} on Y (floor 1.0)")
            else:
                checks.append(f"- not checked: {peer} was not measured")
    else:
        inpaint_checks(rows, base, light, check)
    fraction = loaded[light].card["parameters"] / loaded[base].card["parameters"]
    check(fraction <= MAX_PARAMETER_FRACTION, f"lightweight has 1/{1 / fraction:.1f} of the baseline's parameters "
                                              f"(at most 1/8)")
    torch_speedup = latency.torch[base] / latency.torch[light]
    if isinstance(latency.onnx, dict):
        speedup = latency.onnx[base] / latency.onnx[light]
        check(speedup >= MIN_SPEEDUP, f"lightweight runs {speedup:.1f}x faster on this CPU in ONNX Runtime, which serves "
                                      f"it (at least {MIN_SPEEDUP:.0f}x); in PyTorch {torch_speedup:.1f}x")
    else:
        check(torch_speedup >= MIN_SPEEDUP, f"lightweight runs {torch_speedup:.1f}x faster on this CPU in PyTorch (at "
                                            f"least {MIN_SPEEDUP:.0f}x); ONNX Runtime not measured: {latency.onnx}")
    return checks


def inpaint_checks(rows: dict[str, Row], base: str, light: str, check) -> None:
    """Issue 15's targets on the validation windows."""
    b, lt = rows[base].values, rows[light].values
    telea = rows["OpenCV TELEA"].values
    lead = b["PSNR hole, free-form"] - telea["PSNR hole, free-form"]
    check(lead >= 1.0, f"free-form strokes: baseline is {lead:+.2f} dB against OpenCV TELEA in the hole (floor +1.0)")
    key = "PSNR hole, centred square"
    lead = b[key] - telea[key]
    check(lead >= 2.0, f"centred square: baseline is {lead:+.2f} dB against OpenCV TELEA in the hole (floor +2.0)")
    added = b[key] - rows[STARTING_FILL].values[key]
    check(added >= 1.0, f"centred square: the baseline's trained layers add {added:+.2f} dB to {STARTING_FILL} "
                        f"(floor +1.0)")
    texture = b["texture, centred square"]
    check(texture >= 0.5, f"centred square: the baseline's hole has {texture:.0%} of its ring's texture energy "
                          f"(at least 50%)")
    error = b[f"{STRUCTURE_EDGES}: mean error, px"]
    check(error <= STRUCTURE_TOLERANCE, f"edges through a {structure.HOLE_SIDE} px hole: the baseline continues them "
                                        f"{error:.1f} px from their position on average (at most {STRUCTURE_TOLERANCE})")
    for set_name in ("centred square", "free-form", "blobs"):
        gap = b[f"PSNR hole, {set_name}"] - lt[f"PSNR hole, {set_name}"]
        check(gap <= 0.5, f"{set_name}: lightweight is {gap:.2f} dB below the baseline (at most 0.5)")
    apart = rows[VARIANTS_APART].values[key]
    check(apart < DISTINCT_PSNR, f"the variants' fills of the centred square are {apart:.1f} dB apart (PSNR of one "
                                 f"against the other; below {DISTINCT_PSNR:.0f} means they differ)")


def update_card(models_dir: Path, m: Loaded, rows: dict[str, Row], task: str) -> None:
    own = rows[m.spec.id].values
    references = {"denoise": {"PSNR": "OpenCV NLM"}, "super-resolve": {"PSNR": "bicubic"},
                  "inpaint": {"PSNR hole": "mean-colour fill"}}[task]
    quality = []
    for key, value in own.items():
        for prefix, ref in references.items():
            if key.startswith(prefix):
                ref = ref if key in rows[ref].values else "noisy input"
                quality.append({"metric": key.split(" ")[0].lower(), "condition": key, "value": round(value, 3),
                                "reference": ref, "referenceValue": round(rows[ref].values[key], 3)})
    m.card["quality"] = quality
    (models_dir / m.spec.id / "model.json").write_text(json.dumps(m.card, indent=2) + "\n")


def evaluate(models_dir: Path, tasks: list[str]) -> None:
    report = ["# Evaluation", "",
              "Written by `training/run evaluate` on the validation set of `training/data/SOURCES.md` (everyday "
              "photographs from python3-skimage; none of them is trained on). Latency: one fixed native tile "
              "(the card's tile size; inpainting's working size) at batch 1 on this machine's CPU, the variants "
              "interleaved in the same run; in ONNX Runtime, which serves the models, the median of 20 runs taken "
              "in blocks of 4 back-to-back runs per model (`bench/Benchmarks --tile-latency`), and in PyTorch of "
              f"{LATENCY_RUNS} "
              f"({torch.get_num_threads()} threads). The speed floor is judged in ONNX Runtime.", ""]
    sections = previous_sections(models_dir / "EVALUATION.md")
    for task in tasks:
        ids, evaluator = TASKS[task]
        loaded = {i: m for i in ids if (m := load(models_dir, i)) is not None}
        section = [f"## {task}", ""]
        missing = [i for i in ids if i not in loaded]
        if missing:
            section += [f"Not yet trained and exported: {', '.join(missing)}.", ""]
        sections[task] = section
        if not loaded:
            continue
        print(f"[evaluate] {task}: {', '.join(loaded)}", flush=True)
        result = evaluator(list(loaded.values()))
        rows_list = result.rows
        rows = {r.name: r for r in rows_list}
        onnx_ms = onnx_latency_ms(models_dir, list(loaded), precisions=("fp32",))
        fp32_ms = {model_id: ms["fp32"] for model_id, ms in onnx_ms.items()} if isinstance(onnx_ms, dict) else onnx_ms
        latency = Latency(latency_ms(list(loaded.values())), fp32_ms)
        section += table(rows_list, loaded, latency) + [""]
        section += result.notes + ([""] if result.notes else [])
        section += [f"Floors ({FLOORS[task]}):", ""] + floor_checks(task, rows, loaded, latency) + [""]
        section += convergence(list(loaded))
        for suffix, figure in result.figures.items():
            name = f"evaluation-{task}{suffix}.png"
            figure.save(models_dir / name)
            section += [f"![{task} crops{suffix.replace('-', ', ')}]({name})", ""]
        for m in loaded.values():
            update_card(models_dir, m, rows, task)
    for task in TASKS:
        report += sections.get(task, [])
    (models_dir / "EVALUATION.md").write_text("\n".join(report).rstrip("\n") + "\n")
    print(f"[evaluate] wrote {models_dir / 'EVALUATION.md'}", flush=True)


def convergence(ids: list[str]) -> list[str]:
    """Each model's validation log (training/run train measures it every few minutes), as tables."""
    lines = []
    for model_id in ids:
        log = checkpoint_path(model_id, RUNS).parent / "validation.tsv"
        if not log.exists():
            continue
        rows = [line.split("\t") for line in log.read_text().splitlines()]
        lines += [f"Validation while training {model_id} (fixed 192 px crops of the validation photographs; "
                  "`<runs>/" + model_id + "/validation.tsv`):", "",
                  "| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]] + [""]
    return lines


def previous_sections(path: Path) -> dict[str, list[str]]:
    """The task sections of an earlier report: a task left out of this evaluation keeps its last measurement."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in path.read_text().splitlines() if path.exists() else []:
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = []
        if current is not None:
            sections[current].append(line)
    return {task: "\n".join(lines).rstrip("\n").splitlines() + [""] for task, lines in sections.items() if task in TASKS}
