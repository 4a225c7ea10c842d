"""The reference hole fills the completion networks are measured against: the mean colour, the harmonic (diffusion)
fill they start from, and OpenCV's TELEA and Navier-Stokes inpainting. Each takes and returns Nx3xHxW tensors in
[0,1] with the hole where the Nx1xHxW mask is 1, and keeps the known pixels."""
import numpy as np
import torch

from . import data
from .modules import harmonic_fill, pyramid_levels

DIFFUSION_SWEEPS = 100  # sweeps per pyramid level of the reference diffusion fill: converged (30 give the same 21.45 dB)
OPENCV_RADIUS = 3       # pixels around each hole pixel that OpenCV's fills draw on


def mean_colour_fill(image: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """The hole filled with the mean colour of the known pixels."""
    known = 1 - mask
    mean = (image * known).sum(dim=(2, 3), keepdim=True) / known.sum(dim=(2, 3), keepdim=True).clamp(min=1)
    return image * known + mean * mask


def diffusion_fill(image: torch.Tensor, mask: torch.Tensor, sweeps: int = DIFFUSION_SWEEPS) -> torch.Tensor:
    """The harmonic fill that the completion networks start from (with FILL_SWEEPS), by default relaxed much further."""
    return harmonic_fill(image, mask, sweeps, pyramid_levels(max(image.shape[2:])))


def opencv_fill(image: torch.Tensor, mask: torch.Tensor, method: str) -> torch.Tensor:
    """OpenCV's inpainting ("telea" or "ns") of each 8-bit image of the batch (OpenCV works in BGR)."""
    import cv2
    flag = {"telea": cv2.INPAINT_TELEA, "ns": cv2.INPAINT_NS}[method]
    out = []
    for rgb, hole in zip(image, mask):
        array = data.to_uint8(rgb[None])[:, :, ::-1].copy()
        hole_array = (hole[0].numpy() > 0.5).astype(np.uint8) * 255
        out.append(data.to_tensor(cv2.inpaint(array, hole_array, OPENCV_RADIUS, flag)[:, :, ::-1].copy())[0])
    return torch.stack(out)
