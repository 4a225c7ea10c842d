# syntax=docker/dockerfile:1
# LiteRestore images. CPU (default):  docker build -t literestore:cpu .
#                     CUDA:           docker build --build-arg FLAVOR=cuda -t literestore:cuda .
# The CUDA image needs the NVIDIA Container Toolkit on the host (docker run --gpus all, or nvidia.com/gpu on Kubernetes).

ARG FLAVOR=cpu
ARG DOTNET_VERSION=10.0
# ONNX Runtime 1.31's CUDA provider links against the CUDA 13 runtime libraries and loads cuDNN 9.
ARG CUDA_IMAGE=nvidia/cuda:13.0.2-cudnn-runtime-ubuntu24.04

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /source
# Restore first, from the project files alone, so that a source change does not invalidate the package layer.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Contracts/Contracts.csproj src/Contracts/
COPY src/Inference/Inference.csproj src/Inference/
COPY src/Api/Api.csproj src/Api/
RUN dotnet restore src/Api/Api.csproj --runtime linux-x64
COPY . .
ARG FLAVOR
# Publishes for linux-x64, leaves out the providers the flavour never loads, and fails the build if a Windows library
# or a bundled model is amiss; deploy/check-image.sh runs the same script on a copy of this build context.
RUN deploy/docker/publish.sh "$FLAVOR" /app

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS cpu-base
ENV Inference__ExecutionProvider=Cpu

FROM ${CUDA_IMAGE} AS cuda-base
# The ASP.NET Core runtime from the official image (both are Ubuntu 24.04). Globalization is invariant (see
# Directory.Build.props), so ICU is not needed; TLS and time zones are.
COPY --from=cpu-base /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \
    && apt-get update \
    && apt-get install --yes --no-install-recommends ca-certificates libssl3t64 tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 1654 app \
    && useradd --uid 1654 --gid app --no-create-home --shell /usr/sbin/nologin app
ENV APP_UID=1654 \
    DOTNET_ROOT=/usr/share/dotnet

FROM ${FLAVOR}-base AS final
WORKDIR /app
# On SIGTERM the host answers admitted requests for up to this many seconds (.NET's default is 30): enough for every
# model's queue full on the measured CPU; what is still queued near the end is answered 503 (docs/deploy.md). Stop
# with a longer timeout: docker stop -t 180.
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_shutdownTimeoutSeconds=170
COPY --from=build /app ./
COPY deploy/docker/healthcheck /usr/local/bin/healthcheck
USER $APP_UID
EXPOSE 8080
# Liveness only; readiness (models warmed up) is /readyz, which orchestrators probe themselves.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["/usr/local/bin/healthcheck"]
ENTRYPOINT ["dotnet", "LiteRestore.Api.dll"]
