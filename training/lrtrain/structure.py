"""Whether a fill continues structure across a hole: straight edges and thin lines that cross a square hole, on flat
colours and on photographic texture. Each case knows where its edge or line passes the hole's centre; a fill is scored
by how far from there its own edge or line lies, measured across the structure through the hole's centre."""
import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from .metrics import luma

WINDOW = 128              # the completion networks' working size
HOLE_SIDE = 64            # the "64 px hole"
ANGLES = (0, 30, 60, 90, 120, 150)  # degrees of the structure's direction from the horizontal
OFFSETS = (-12, 0, 12)    # signed distance (px) of the structure from the hole's centre
REACH = 24                # half-length (px) of the profile across the structure, inside the hole
BAND = 8                  # half-width (px) along the structure over which profiles are averaged, to average texture out
LINE_WIDTH = 3
FLAT_COLOURS = ((0.25, 0.35, 0.55), (0.85, 0.75, 0.55))  # sky-blue against sand
LINE_COLOUR = (0.1, 0.1, 0.1)
CLEARANCE = 3             # px either side of the structure left out of the levels it is measured between
MIN_CONTRAST = 0.1        # luma difference two textures need for an edge between them to have a position


@dataclass
class StructureCase:
    kind: str            # "edge" | "line"
    image: torch.Tensor  # 1x3xHxW ground truth
    mask: torch.Tensor   # 1x1xHxW, the centred square hole
    normal: tuple[float, float]  # unit (y, x) across the structure
    offset: float        # where the structure crosses the profile through the hole's centre
    textured: bool       # between photographic textures rather than flat colours


def hole_mask() -> torch.Tensor:
    mask = torch.zeros(1, 1, WINDOW, WINDOW)
    start = (WINDOW - HOLE_SIDE) // 2
    mask[..., start:start + HOLE_SIDE, start:start + HOLE_SIDE] = 1
    return mask


def signed_distance(angle: float, offset: float) -> tuple[torch.Tensor, tuple[float, float]]:
    """Each pixel's signed distance from the line at `angle` degrees that passes `offset` px from the window's centre."""
    theta = math.radians(angle)
    normal = (math.cos(theta), -math.sin(theta))  # (y, x), perpendicular to the direction (sin, cos)
    centre = (WINDOW - 1) / 2
    ys, xs = torch.meshgrid(torch.arange(WINDOW) - centre, torch.arange(WINDOW) - centre, indexing="ij")
    return ys * normal[0] + xs * normal[1] - offset, normal


def colour(rgb: tuple[float, float, float]) -> torch.Tensor:
    return torch.tensor(rgb).reshape(1, 3, 1, 1).expand(1, 3, WINDOW, WINDOW)


def cases(textures: list[torch.Tensor]) -> list[StructureCase]:
    """Edges between two flat colours, edges between two photographic textures (pairs of `textures`, 1x3xWxW crops),
    and dark lines over one flat colour, at every angle and offset."""
    out = []
    mask = hole_mask()
    pairs = [(colour(FLAT_COLOURS[0]), colour(FLAT_COLOURS[1]), "edge", False)]
    pairs += [(a, b, "edge", True) for a, b in zip(textures, textures[1:] + textures[:1])
              if abs(float(luma(a).mean() - luma(b).mean())) >= MIN_CONTRAST]
    pairs += [(colour(FLAT_COLOURS[1]), colour(LINE_COLOUR), "line", False)]
    for first, second, kind, textured in pairs:
        for angle in ANGLES:
            for offset in OFFSETS:
                distance, normal = signed_distance(angle, offset)
                # anti-aliased: each pixel's share of the second side (or of the line)
                share = (distance + 0.5).clamp(0, 1) if kind == "edge" else (LINE_WIDTH / 2 + 0.5 - distance.abs()).clamp(0, 1)
                out.append(StructureCase(kind, first * (1 - share) + second * share, mask, normal, float(offset), textured))
    return out


def profile(image: torch.Tensor, normal: tuple[float, float]) -> torch.Tensor:
    """Luma along the normal through the window's centre, from -REACH to +REACH px in steps of one, each sample the
    mean of 2*BAND+1 samples along the structure (bilinear)."""
    centre = (WINDOW - 1) / 2
    t = torch.arange(-REACH, REACH + 1, dtype=torch.float32)
    s = torch.arange(-BAND, BAND + 1, dtype=torch.float32)
    tangent = (-normal[1], normal[0])
    ys = centre + t[:, None] * normal[0] + s[None, :] * tangent[0]
    xs = centre + t[:, None] * normal[1] + s[None, :] * tangent[1]
    grid = torch.stack([xs, ys], dim=-1)[None] / (WINDOW - 1) * 2 - 1
    samples = F.grid_sample(luma(image), grid, mode="bilinear", align_corners=True)
    return samples[0, 0].mean(dim=1)


def position(case: StructureCase, filled: torch.Tensor) -> float:
    """Where the fill's edge or line crosses the profile through the hole's centre (px along the normal). An edge: the
    step's position that leaves the same area under the profile, levels taken from the truth's ends. A line: the
    centroid of its darkness below the background. The levels are the truth's mean on either side, clear of the
    structure."""
    truth, values = profile(case.image, case.normal), profile(filled, case.normal)
    t = torch.arange(-REACH, REACH + 1, dtype=torch.float32)
    before, after = truth[t < case.offset - CLEARANCE].mean(), truth[t > case.offset + CLEARANCE].mean()
    if case.kind == "edge":
        share = ((values - before) / (after - before)).clamp(0, 1)
        return float(REACH - share.sum() + 0.5)
    background, darkest = (before + after) / 2, truth.min()
    weight = ((background - values) / (background - darkest)).clamp(0, 1)
    if weight.sum() < 0.5:  # no line at all: as far off as the profile reaches
        return float(REACH)
    return float((weight * t).sum() / weight.sum())


def continuation_error(case: StructureCase, filled: torch.Tensor) -> float:
    return abs(position(case, filled) - case.offset)
