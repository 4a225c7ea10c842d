#!/usr/bin/env bash
# Runs every model under models/ (or $1) on ONNX Runtime's CUDA provider beside the CPU provider, checks the outputs
# agree within 1e-3 and records median latencies in docs/benchmarks.md (section "cuda-check"). Exit status 1 when a
# model disagrees or has no CUDA session; the document then says which and why.
#
# ONNX Runtime 1.31's CUDA provider needs the CUDA 13 runtime (cudart, cublas, cublasLt, cufft, curand) and cuDNN 9
# on the library path. They are looked for in /usr/local/cuda and in the nvidia-* Python wheels of python3, if any.
set -euo pipefail
cd "$(dirname "$0")/.."
models="${1:-models}"

library_dirs=(/usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib)
if wheels=$(python3 -c 'import nvidia, os; print("\n".join(os.path.join(p, d, "lib") for p in nvidia.__path__ for d in os.listdir(p)))' 2>/dev/null); then
  while IFS= read -r dir; do library_dirs+=("$dir"); done <<< "$wheels"
fi
for dir in "${library_dirs[@]}"; do
  if [ -d "$dir" ]; then LD_LIBRARY_PATH="$dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"; fi
done
export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:-}"

nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "nvidia-smi: no GPU visible" >&2
dotnet build -c Release bench/Benchmarks
dotnet bench/Benchmarks/bin/Release/net10.0/LiteRestore.Benchmarks.dll --gpu-check --models "$models" --out docs/benchmarks.md
