"""Entry point: /usr/bin/python3 -m lrtrain <command> (run from training/, or use training/run)."""
import argparse
import dataclasses
import os
import tempfile
from pathlib import Path

import torch

from . import data
from .networks import MODELS
from .precision import PRECISIONS

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"


def threads() -> None:
    torch.set_num_threads(int(os.environ.get("LITERESTORE_THREADS", os.cpu_count() or 1)))


def cmd_train(args) -> None:
    from .train import train
    for model_id in args.model:
        warm_start = MODELS_DIR / model_id / "model.onnx" if args.warm_start else None
        spec = MODELS[model_id]
        if args.adversarial_weight is not None:
            spec = dataclasses.replace(spec, adversarial_weight=args.adversarial_weight)
        teacher = (args.teacher, MODELS_DIR / args.teacher / "model.onnx") if args.teacher else None
        train(spec, args.minutes, args.steps, seed=args.seed, precision=args.precision, warm_start=warm_start,
              teacher=teacher)


def cmd_bench_step(args) -> None:
    from .bench import bench, write_report
    sizes = [tuple(int(v) for v in size.split("x")) for size in args.sizes]
    rows = bench(args.model, sizes, args.steps)
    if args.write:
        write_report(rows, args.steps, "training/run bench-step " + " ".join(
            ["--model", *args.model, "--sizes", *args.sizes, "--steps", str(args.steps), "--write"]))


def cmd_export(args) -> None:
    from .export import export
    for model_id in args.model:
        export(MODELS[model_id], MODELS_DIR / model_id, shipped=args.shipped)


def cmd_quantize(args) -> None:
    from .quantize import quantize
    for model_id in args.model:
        quantize(MODELS[model_id], Path(args.models_dir) / model_id)


def cmd_evaluate(args) -> None:
    from .evaluate import evaluate
    evaluate(Path(args.models_dir), args.tasks)


def cmd_evaluate_inpaint_service(args) -> None:
    from .service_inpaint import measure
    measure(args.url.rstrip("/"))


def cmd_sources(_args) -> None:
    lines = ["# Image sources", "",
             "Every photograph the pipeline reads, all shipped in Debian packages. Written by `run sources`.",
             "JPEG sources are downscaled by 2 before patches are cut, so compression artefacts are not learned.",
             "No validation image is ever trained on.", "",
             "| split | file | package | licence | author |", "|---|---|---|---|---|"]
    lines += [f"| {s.split} | `{s.path}` | {s.package} | {s.licence} | {s.author} |" for s in data.SOURCES]
    (Path(__file__).resolve().parents[1] / "data" / "SOURCES.md").write_text("\n".join(lines) + "\n")


def cmd_smoke(args) -> None:
    """A few steps of every requested model on tiny data, export, checker, fold and parity fixture."""
    from .export import export
    from .train import train
    root = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="literestore-smoke-"))
    runs, out = root / "runs", root / "models"
    tiny = [im[:160, :160] for im in data.load_split("train", limit=2)]
    for model_id in args.model:
        spec = MODELS[model_id]
        patch = 64 if spec.task == "inpaint" else 16
        train(spec, steps=args.steps, runs=runs, images=tiny, batch=2, patch=patch,
              precision=args.precision)
        export(spec, out / model_id, runs=runs, data_note="smoke test: two 160x160 crops")
    print(f"smoke: exported {len(args.model)} models to {out}")


def main() -> None:
    threads()
    parser = argparse.ArgumentParser(prog="lrtrain", description=__doc__)
    sub = parser.add_subparsers(required=True)
    choices = list(MODELS)

    p = sub.add_parser("train", help="train (or resume) for a time or step budget")
    p.add_argument("--model", nargs="+", choices=choices, required=True)
    budget = p.add_mutually_exclusive_group(required=True)
    budget.add_argument("--minutes", type=float, help="train this many more minutes")
    budget.add_argument("--steps", type=int, help="train this many more steps (compare networks at equal steps)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--precision", choices=PRECISIONS, default="auto",
                   help="bf16: bfloat16 autocast forward, fp32 weights and optimiser; fp32: all fp32; auto (default): "
                        "whichever a few timed steps of both show faster here")
    p.add_argument("--adversarial-weight", type=float, default=None,
                   help="weight of the inpainting networks' adversarial term for a recipe experiment (default: the "
                        "spec's); give the experiment its own LITERESTORE_RUNS folder")
    p.add_argument("--warm-start", action="store_true",
                   help="a new run starts from the weights of models/<id>/model.onnx instead of at random")
    p.add_argument("--teacher", choices=choices, default=None,
                   help="mix the outputs of models/<teacher>/model.onnx into the targets (distillation); a resumed run "
                        "without it trains on the true targets alone")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("bench-step", help="time fp32 against bf16 training steps of every network, interleaved")
    p.add_argument("--model", nargs="+", choices=choices, default=choices)
    p.add_argument("--sizes", nargs="+", default=["16x48", "64x48"], help="BATCHxPATCH, e.g. 128x50")
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--write", action="store_true", help="write docs/training-speed.md")
    p.set_defaults(func=cmd_bench_step)

    p = sub.add_parser("export", help="export trained checkpoints to models/<id>/")
    p.add_argument("--model", nargs="+", choices=choices, default=choices)
    p.add_argument("--shipped", action="store_true",
                   help="export the weights of models/<id>/model.onnx again instead of the run's checkpoint")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("quantize", help="write models/<id>/model.int8.onnx: static QDQ int8, calibrated on training "
                                        "patches, with its parity fixture and validation scores on the card")
    p.add_argument("--model", nargs="+", choices=choices, required=True)
    p.add_argument("--models-dir", default=str(MODELS_DIR))
    p.set_defaults(func=cmd_quantize)

    p = sub.add_parser("evaluate", help="measure models/ on the validation set; writes models/EVALUATION.md")
    p.add_argument("--tasks", nargs="+", default=["denoise", "super-resolve", "inpaint"])
    p.add_argument("--models-dir", default=str(MODELS_DIR))
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("evaluate-inpaint-service", help="inpainting through a running service on whole validation "
                                                        "photographs; writes docs/inpaint-service.md")
    p.add_argument("--url", default="http://127.0.0.1:5000")
    p.set_defaults(func=cmd_evaluate_inpaint_service)

    p = sub.add_parser("sources", help="write training/data/SOURCES.md")
    p.set_defaults(func=cmd_sources)

    p = sub.add_parser("smoke", help="a few steps of each model on tiny data, then export and check")
    p.add_argument("--model", nargs="+", choices=choices, default=choices)
    p.add_argument("--steps", type=int, default=3)
    p.add_argument("--precision", choices=PRECISIONS, default="bf16")
    p.add_argument("--out", default=None, help="folder for runs/ and models/ (default: a new temporary folder)")
    p.set_defaults(func=cmd_smoke)

    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
