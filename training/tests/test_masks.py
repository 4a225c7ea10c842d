"""The training masks cover what they are asked to, in the shapes users draw."""
import numpy as np
import pytest

from lrtrain import data


@pytest.mark.parametrize("coverage", [0.05, 0.2, 0.4])
def test_a_blob_covers_the_area_asked_for_in_one_piece(coverage):
    from scipy import ndimage
    mask = data.blob_mask(np.random.default_rng(3), 128, coverage)
    assert mask.mean() == pytest.approx(coverage, abs=0.01)
    _, pieces = ndimage.label(mask)
    assert pieces == 1


def test_random_masks_include_rectangles_strokes_and_blobs_and_stay_in_range():
    rng = np.random.default_rng(0)
    masks = [data.random_mask(rng, 64) for _ in range(60)]
    coverages = [m.mean() for m in masks]
    assert min(coverages) >= 0.04 and max(coverages) <= 0.42
    rectangles = sum(m.sum() == m.any(0).sum() * m.any(1).sum() for m in masks)
    assert 5 <= rectangles <= 40
