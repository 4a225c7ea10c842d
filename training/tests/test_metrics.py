"""The pixel-shuffle measure: a pattern that repeats every few pixels is reported at its strength, anything else not."""
import torch

from lrtrain.metrics import luma, periodic_residual, texture_ratio


def grey(values: torch.Tensor) -> torch.Tensor:
    """An Nx3xHxW image whose three channels are `values` (so its luma follows them)."""
    return values.expand(-1, 3, -1, -1).clone()


def test_a_checkerboard_in_the_error_is_measured_at_its_amplitude_and_a_smooth_error_is_not():
    truth = grey(torch.full((1, 1, 64, 64), 0.5))
    y, x = torch.meshgrid(torch.arange(64), torch.arange(64), indexing="ij")
    checker = ((y + x) % 2 * 2 - 1).float()[None, None] * (2 / 255)
    everywhere = torch.ones(1, 1, 64, 64, dtype=torch.bool)

    # Y spans less than the full range (studio levels), so the error in grey is scaled up to be 2 levels in Y
    y_per_grey = float(luma(grey(torch.ones(1, 1, 1, 1))) - luma(grey(torch.zeros(1, 1, 1, 1))))
    shuffled = grey(0.5 + checker / y_per_grey)
    smooth = grey(0.5 + 0.02 * (x.float() / 64)[None, None])

    assert abs(periodic_residual(shuffled, truth, 2, everywhere) - 2.0) < 0.01
    assert abs(periodic_residual(shuffled, truth, 4, everywhere) - 2.0) < 0.01
    assert periodic_residual(smooth, truth, 4, everywhere) < 0.2


def square_hole(size: int = 64, side: int = 24) -> torch.Tensor:
    mask = torch.zeros(1, 1, size, size)
    start = (size - side) // 2
    mask[..., start:start + side, start:start + side] = 1
    return mask


def test_a_smeared_hole_has_no_texture_and_an_untouched_photo_has_its_surroundings():
    textured = grey(torch.rand(1, 1, 64, 64, generator=torch.Generator().manual_seed(0)))
    mask = square_hole()
    smeared = textured * (1 - mask) + 0.5 * mask
    assert texture_ratio(smeared, mask) < 0.01
    assert 0.8 < texture_ratio(textured, mask) < 1.25
