"""The structure measure finds an edge or line where it is, and reports a fill that loses it as far off."""
import pytest
import torch

from lrtrain import structure
from lrtrain.fills import mean_colour_fill


def flat_cases(kind: str) -> list[structure.StructureCase]:
    return [c for c in structure.cases([]) if c.kind == kind]


@pytest.mark.parametrize("kind", ["edge", "line"])
def test_the_truth_continues_every_structure_exactly(kind):
    assert max(structure.continuation_error(c, c.image) for c in flat_cases(kind)) < 0.05


@pytest.mark.parametrize("kind", ["edge", "line"])
def test_a_structure_drawn_elsewhere_is_measured_that_far_off(kind):
    shifted = [c for c in flat_cases(kind) if c.normal == (1.0, -0.0) and c.offset == 0][0]
    moved = torch.roll(shifted.image, 5, dims=2)  # 5 px further along the normal (down)
    assert structure.continuation_error(shifted, moved) == pytest.approx(5, abs=0.1)


def test_a_flat_fill_loses_offset_edges():
    offset = [c for c in flat_cases("edge") if c.offset]
    errors = [structure.continuation_error(c, mean_colour_fill(c.image * (1 - c.mask), c.mask)) for c in offset]
    assert min(errors) > 4
