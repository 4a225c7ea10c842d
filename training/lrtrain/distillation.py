"""Distillation: a trained network of the same task pulls the target towards its own output."""
from pathlib import Path

import torch

from .networks import MODELS, ModelSpec
from .precision import autocast

# Share of the target taken from the teacher's output. A teacher's output is its estimate of the clean signal's
# expectation given the input, which the true target only samples: mixing it in lowers the variance of a small
# network's gradients without capping it at the teacher, as a target made of the teacher alone would.
TEACHER_SHARE = 0.5


class Teacher:
    """An exported network (a model.onnx of `teacher_id`) whose outputs become part of a student's target."""

    def __init__(self, student: ModelSpec, teacher_id: str, path: Path, precision: str, dev: torch.device):
        from .train import exported_network, file_sha256
        spec = MODELS[teacher_id]
        if (spec.task, spec.scale, spec.in_channels) != (student.task, student.scale, student.in_channels):
            raise ValueError(f"{teacher_id} does not do {student.id}'s task; it cannot teach it")
        self.model = exported_network(spec, path).to(dev, memory_format=torch.channels_last)
        self.precision, self.dev = precision, dev
        self.record = f"{teacher_id}/{path.name} sha256 {file_sha256(path)[:12]}, share {TEACHER_SHARE}"

    @torch.no_grad()
    def blend(self, net_input: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """The student's target: the true target and the teacher's output on the same input, mixed TEACHER_SHARE."""
        with autocast(self.precision, self.dev):
            taught = self.model(net_input).float()
        return torch.lerp(target, taught, TEACHER_SHARE)
