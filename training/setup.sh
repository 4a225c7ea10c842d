#!/usr/bin/env bash
# Installs everything the training pipeline needs from Debian's packages: PyTorch, ONNX, Pillow, and the packages
# whose photographs are the training and validation data. Run as root. Use /usr/bin/python3 afterwards.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  python3-torch python3-onnx python3-pil python3-numpy python3-skimage python3-pytest \
  python3-opencv mate-backgrounds plasma-workspace-wallpapers lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 >/dev/null
/usr/bin/python3 -c "import torch, onnx, PIL, skimage; print('torch', torch.__version__, 'onnx', onnx.__version__)"
