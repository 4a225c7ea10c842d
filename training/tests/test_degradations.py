"""The degradations: what the networks learn from must be what uploads are."""
import numpy as np
import torch

from lrtrain.degradations import (DegradationMix, Degrader, LowResolutionDegrader, LowResolutionMix, noise,
                                  to_grey)


def photo(seed: int = 0, size: int = 32) -> torch.Tensor:
    """A random 8-bit colour image, 3 x size x size in [0,1]."""
    return torch.from_numpy(np.random.default_rng(seed).integers(0, 256, (3, size, size))).float() / 255


def on_8bit_levels(x: torch.Tensor) -> bool:
    return torch.allclose((x * 255).round(), x * 255, atol=1e-3)


def test_a_clean_sample_is_its_own_target():
    clean = photo()
    degraded, target = Degrader(np.random.default_rng(1), DegradationMix(clean=1.0, greyscale=0.0)).degrade(clean)
    assert torch.equal(degraded, clean)
    assert torch.equal(target, clean)


def test_greyscale_samples_are_grey_in_and_out_even_after_jpeg():
    mix = DegradationMix(clean=0.0, low_sigma=0.0, greyscale=1.0, jpeg=1.0)
    degrader = Degrader(np.random.default_rng(2), mix)
    for seed in range(5):
        degraded, target = degrader.degrade(photo(seed))
        for image in (degraded, target):
            assert torch.equal(image[0], image[1]) and torch.equal(image[1], image[2])
        assert not torch.equal(degraded, target)


def test_degraded_samples_are_8bit_images_like_uploads():
    degrader = Degrader(np.random.default_rng(3))
    for seed in range(20):
        degraded, target = degrader.degrade(photo(seed))
        assert degraded.min() >= 0 and degraded.max() <= 1
        assert on_8bit_levels(degraded) and on_8bit_levels(target)


def test_noise_has_the_strength_asked_for_at_mid_grey():
    grey = torch.full((3, 128, 128), 0.5)
    rng = np.random.default_rng(4)
    for kind in ("gaussian", "poisson", "correlated", "luminance"):
        std = float(noise(grey, 25, kind, rng).std() * 255)
        assert abs(std - 25) < 2.5, f"{kind}: {std:.1f}"


def test_luminance_noise_is_the_same_in_every_channel_and_white_noise_is_not():
    grey = torch.full((3, 64, 64), 0.5)
    rng = np.random.default_rng(5)
    luminance = noise(grey, 10, "luminance", rng)
    white = noise(grey, 10, "gaussian", rng)
    assert torch.equal(luminance[0], luminance[2])
    assert abs(float(torch.corrcoef(white.reshape(3, -1))[0, 1])) < 0.1


def test_to_grey_uses_luma_weights():
    red = torch.zeros(3, 2, 2)
    red[0] = 1
    assert torch.allclose(to_grey(red), torch.full((3, 2, 2), round(0.299 * 255) / 255))


def test_low_resolution_inputs_are_8bit_and_jpeg_ones_differ_from_the_downscale():
    smooth = torch.nn.functional.avg_pool2d(photo(4, 64)[None], 3, 1, 1)[0]
    plain = LowResolutionDegrader(np.random.default_rng(5), LowResolutionMix(jpeg=0.0)).degrade(smooth)
    compressed = LowResolutionDegrader(np.random.default_rng(5), LowResolutionMix(jpeg=1.0)).degrade(smooth)
    assert on_8bit_levels(plain) and on_8bit_levels(compressed)
    assert (plain - smooth).abs().max() <= 0.5 / 255 + 1e-6
    assert (compressed - plain).abs().mean() > 1 / 255
