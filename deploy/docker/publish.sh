#!/usr/bin/env bash
# The image's application layer: publish.sh <cpu|cuda> <folder>. The Dockerfile's build stage runs it, and so does
# deploy/check-image.sh on a copy of the Docker build context, so the checks below hold for what an image would carry.
set -euo pipefail
flavor=$1
out=$2
case "$flavor" in cpu | cuda) ;; *) echo "publish.sh: flavor must be cpu or cuda, not '$flavor'" >&2; exit 2 ;; esac

dotnet publish src/Api/Api.csproj --configuration Release --runtime linux-x64 --self-contained false --output "$out" -nologo

# ONNX Runtime never uses its TensorRT provider here, and the CPU image has no use for the CUDA provider (about 280 MB).
rm "$out/libonnxruntime_providers_tensorrt.so"
if [ "$flavor" = cpu ]; then rm "$out/libonnxruntime_providers_cuda.so"; fi

fail() { echo "publish.sh: $*" >&2; exit 1; }
# linux-x64 native libraries only: no Windows DLLs (the Linux GPU package has none) and no per-platform runtimes folder.
windows=$(find "$out" -iname '*onnxruntime*.dll' ! -name Microsoft.ML.OnnxRuntime.dll)
[ -z "$windows" ] || fail "Windows libraries in the output: $windows"
[ ! -e "$out/runtimes" ] || fail "$out/runtimes exists: the publish was not specific to linux-x64"
[ -e "$out/libonnxruntime.so" ] || fail "libonnxruntime.so is missing"
# The bundled networks are baked in, every file of them.
diff -r models "$out/models" >/dev/null || fail "$out/models differs from models/"
echo "publish.sh: $flavor application in $out ($(du -sh "$out" | cut -f1))"
