"""Tests import lrtrain from training/ and share the machine's two cores with whatever else runs."""
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
torch.set_num_threads(1)
