"""Training runs in the precision asked for, resumes, and logs validation quality as it goes."""
import numpy as np
import pytest
import torch

from lrtrain import precision
from lrtrain import train as train_module
from lrtrain.__main__ import MODELS_DIR
from lrtrain.distillation import TEACHER_SHARE, Teacher
from lrtrain.networks import MODELS
from lrtrain.train import load_trained, train
from lrtrain.validation import ValidationLog


def tiny_images() -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    return [rng.integers(0, 256, (96, 96, 3), dtype=np.uint8) for _ in range(2)]


@pytest.mark.parametrize("chosen", ["bf16", "fp32"])
def test_a_denoiser_trains_resumes_and_logs_validation(tmp_path, chosen):
    spec = MODELS["denoise-lightweight"]
    images = [torch.from_numpy(im).permute(2, 0, 1).float() / 255 for im in tiny_images()]
    log = ValidationLog(spec, tmp_path / "validation.tsv", images)

    train(spec, steps=2, runs=tmp_path, images=tiny_images(), batch=2, patch=16,
          precision=chosen, validation=log)
    train(spec, steps=1, runs=tmp_path, images=tiny_images(), batch=2, patch=16,
          precision=chosen, validation=log)

    _, state = load_trained(spec, tmp_path)
    assert state["step"] == 3
    assert state["precision"] == chosen
    rows = (tmp_path / "validation.tsv").read_text().splitlines()
    assert rows[0].split("\t")[:3] == ["step", "minutes", "clean_psnr"]
    assert [r.split("\t")[0] for r in rows[1:]] == ["2", "3"]


def test_a_resumed_run_warms_its_learning_rate_up_again(tmp_path, monkeypatch):
    spec = MODELS["denoise-lightweight"]
    steps_seen = []
    real = train_module.learning_rate
    monkeypatch.setattr(train_module, "learning_rate",
                        lambda s, steps_this_run, progress: steps_seen.append(steps_this_run) or real(s, steps_this_run, progress))

    images = [torch.from_numpy(im).permute(2, 0, 1).float() / 255 for im in tiny_images()]
    for steps in (2, 2):
        train(spec, steps=steps, runs=tmp_path, images=tiny_images(), batch=2, patch=16, precision="fp32",
              validation=ValidationLog(spec, tmp_path / "validation.tsv", images))

    assert steps_seen == [0, 1, 0, 1]
    assert real(spec, 0, 0.5) < spec.lr / spec.warmup_steps * 1.01


def test_auto_precision_picks_one_of_the_two_and_explicit_choices_are_kept():
    spec = MODELS["denoise-lightweight"]
    assert precision.choose("fp32", spec, 2, 16) == "fp32"
    assert precision.choose("bf16", spec, 2, 16) == "bf16"
    assert precision.choose("auto", spec, 2, 16) in ("bf16", "fp32")


def test_a_cpu_without_bfloat16_units_trains_in_fp32_without_probing(tmp_path, monkeypatch):
    avx2_only = tmp_path / "cpuinfo"
    avx2_only.write_text("flags\t\t: fpu sse2 avx avx2 fma\n")
    with_bf16 = tmp_path / "cpuinfo-bf16"
    with_bf16.write_text("flags\t\t: fpu sse2 avx avx2 fma avx512f avx512_bf16\n")
    monkeypatch.setattr(precision, "CPU_INFO", with_bf16)
    assert precision.has_bf16_hardware(torch.device("cpu"))
    monkeypatch.setattr(precision, "CPU_INFO", avx2_only)
    assert not precision.has_bf16_hardware(torch.device("cpu"))

    monkeypatch.setattr(precision, "device", lambda: torch.device("cpu"))
    monkeypatch.setattr(precision, "interleaved_medians", lambda *args: pytest.fail("probed bf16 without bf16 units"))
    assert precision.choose("auto", MODELS["denoise-baseline"], 2, 16) == "fp32"


def test_bf16_autocast_runs_the_forward_pass_in_bfloat16():
    conv = torch.nn.Conv2d(3, 4, 3)
    with precision.autocast("bf16", torch.device("cpu")):
        assert conv(torch.rand(1, 3, 8, 8)).dtype == torch.bfloat16
    with precision.autocast("fp32", torch.device("cpu")):
        assert conv(torch.rand(1, 3, 8, 8)).dtype == torch.float32


def test_a_taught_run_records_its_teacher_and_how_many_steps_it_taught(tmp_path):
    spec = MODELS["denoise-lightweight"]
    teacher = ("denoise-baseline", MODELS_DIR / "denoise-baseline" / "model.onnx")
    images = [torch.from_numpy(im).permute(2, 0, 1).float() / 255 for im in tiny_images()]
    log = ValidationLog(spec, tmp_path / "validation.tsv", images)

    train(spec, steps=2, runs=tmp_path, images=tiny_images(), batch=2, patch=16, precision="fp32", validation=log,
          teacher=teacher)
    train(spec, steps=1, runs=tmp_path, images=tiny_images(), batch=2, patch=16, precision="fp32", validation=log)

    _, state = load_trained(spec, tmp_path)
    assert state["teacher"].startswith("denoise-baseline/model.onnx sha256 ")
    assert state["taught_steps"] == 2


def test_a_network_of_another_task_cannot_teach():
    with pytest.raises(ValueError, match="cannot teach"):
        Teacher(MODELS["denoise-lightweight"], "sr4-baseline", MODELS_DIR / "sr4-baseline" / "model.onnx", "fp32",
                torch.device("cpu"))


def test_the_teachers_share_of_the_target_is_its_output_on_the_same_input():
    teacher = Teacher(MODELS["denoise-lightweight"], "denoise-baseline",
                      MODELS_DIR / "denoise-baseline" / "model.onnx", "fp32", torch.device("cpu"))
    noisy = torch.rand(1, 3, 24, 24)
    true_noise = torch.randn(1, 3, 24, 24) * 0.1

    blended = teacher.blend(noisy, true_noise)

    taught = teacher.model(noisy)
    assert torch.allclose(blended, true_noise + TEACHER_SHARE * (taught - true_noise), atol=1e-6)
    assert not torch.allclose(blended, true_noise, atol=1e-3)
