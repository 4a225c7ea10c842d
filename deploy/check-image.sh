#!/usr/bin/env bash
# What an image would carry and how it would run, for CI, without a container engine:
#   1. copies the Docker build context as .dockerignore admits it, so that a file the build needs but the context
#      leaves out fails here as it would in `docker build`;
#   2. runs the Dockerfile's publish step (deploy/docker/publish.sh) in that copy, for both flavours;
#   3. starts the CPU application the way the image and the Kubernetes manifests do: from its folder, as a non-root
#      user, with nothing writable but /tmp, on the image's environment; checks the container health check
#      (deploy/docker/healthcheck) against it, waits for /readyz within the startup probe's window, checks that every
#      bundled model is ready in every precision, lints its /metrics with promtool, and stops it with SIGTERM, sent
#      while requests are in flight, within the pod's grace period: every request it accepted must be answered
#      (deploy/check_drain.py);
#   4. does it again with a shutdown budget too short for what is queued: every request must still be answered.
set -euo pipefail
cd "$(dirname "$0")/.."

python=/usr/bin/python3
nobody=65534
# What the CPU image sets (the ENV of its cpu-base and final stages), and what the Kubernetes manifests promise the
# process: the startup probe's window, the grace period after SIGTERM less the preStop pause, and the CPU overlay's settings (python3-yaml
# comes with deploy/check.sh).
eval "$("$python" - <<'PY'
import re, yaml
stage, image_env = None, []
for line in re.sub(r"\\\n", " ", open("Dockerfile").read()).splitlines():
    words = line.split()
    if words[:1] == ["FROM"]:
        stage = words[3] if len(words) == 4 and words[2].upper() == "AS" else None
    elif words[:1] == ["ENV"] and stage in ("cpu-base", "final"):
        image_env += words[1:]
print(f"image_env='{' '.join(image_env)}'")
pod = yaml.safe_load(open("deploy/k8s/base/deployment.yaml"))["spec"]["template"]["spec"]
container = pod["containers"][0]
probe = container["startupProbe"]
print(f"startup_window_s={probe['periodSeconds'] * probe['failureThreshold']}")
print(f"grace_s={pod['terminationGracePeriodSeconds']}")
print(f"prestop_s={container['lifecycle']['preStop']['exec']['command'][1]}")
overlay = yaml.safe_load(open("deploy/k8s/overlays/cpu/kustomization.yaml"))["configMapGenerator"][0]["literals"]
print(f"overlay_settings='{' '.join(overlay)}'")
PY
)"

work=$(mktemp -d)
app_pid=
cleanup() {
  if [ -n "$app_pid" ]; then kill -KILL "$app_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$python" - . "$work/context" <<'PY'
import os, re, shutil, sys

source, target = sys.argv[1], sys.argv[2]

def rule(line):
    """A .dockerignore line as (re-includes, regex), with Docker's pattern syntax: ** spans folders, * and ? do not."""
    exclusion = line.startswith("!")
    pattern = os.path.normpath(line.lstrip("!").strip("/"))
    regex = ""
    for token in re.findall(r"\*\*/?|\*|\?|[^*?]+", pattern):
        regex += {"**/": "(.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}.get(token, re.escape(token))
    return exclusion, re.compile(regex)

with open(os.path.join(source, ".dockerignore")) as ignore:
    rules = [rule(l.strip()) for l in ignore if l.strip() and not l.lstrip().startswith("#")]

def admitted(path):
    """The last rule that matches the path or one of its folders decides, as in Docker."""
    parts = path.split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    excluded = False
    for exclusion, regex in rules:
        if any(regex.fullmatch(prefix) for prefix in prefixes):
            excluded = not exclusion
    return not excluded

copied = 0
for folder, subfolders, files in os.walk(source):
    subfolders[:] = [s for s in subfolders if s != ".git"]
    for name in files:
        path = os.path.relpath(os.path.join(folder, name), source)
        if admitted(path):
            os.makedirs(os.path.join(target, os.path.dirname(path)), exist_ok=True)
            shutil.copy2(os.path.join(source, path), os.path.join(target, path))
            copied += 1
print(f"context: {copied} files admitted by .dockerignore")
PY

for flavor in cuda cpu; do
  (cd "$work/context" && deploy/docker/publish.sh "$flavor" "$work/app-$flavor")
done
[ -e "$work/app-cuda/libonnxruntime_providers_cuda.so" ] || { echo "the cuda application lacks the CUDA provider" >&2; exit 1; }

app="$work/app-cpu"
chmod -R a+rX,a-w "$app"
chmod a+rx "$work"
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
healthcheck() { ASPNETCORE_HTTP_PORTS=$port deploy/docker/healthcheck 2>/dev/null; }
ready() { [ "$("$python" -c 'import sys, urllib.request as u
try: print(u.urlopen(sys.argv[1], timeout=5).status)
except Exception as e: print(getattr(e, "code", "none"))' "http://127.0.0.1:$port/readyz")" = 200 ]; }
fail() { echo "$*; the application's log:" >&2; cat "$work/app.log" >&2; exit 1; }
# Polls "$@" every second until it passes; fails once the application exits or the deadline (s since start) passes.
await() {
  local deadline=$1
  shift
  until "$@"; do
    kill -0 "$app_pid" 2>/dev/null || fail "the application exited"
    [ $((SECONDS - started)) -le "$deadline" ] || fail "'$*' did not pass within $deadline s"
    sleep 1
  done
}

# Starts the CPU application as the image and the CPU overlay would: the image's environment (Dockerfile: cpu-base and
# final stages) and the overlay's settings, then "$@"; its working folder and its non-root user. Waits until ready.
# The drain checks queue more work than admission's wait bound (Inference:MaxQueueWait) accepts, so that work is still
# queued at SIGTERM however fast this machine is; the bound itself is tested by the Inference tests and bench/reliability.
drain_settings=Inference__MaxQueueWait=00:10:00
start_app() {
  started=$SECONDS
  # shellcheck disable=SC2086 # the image's and the overlay's settings are separate words
  (cd "$app" && exec env -i PATH=/usr/bin:/bin HOME=/nonexistent TMPDIR=/tmp $image_env $overlay_settings \
    ASPNETCORE_HTTP_PORTS="$port" $drain_settings "$@" setpriv --reuid=$nobody --regid=$nobody --clear-groups dotnet LiteRestore.Api.dll) \
    >"$work/app.log" 2>&1 &
  app_pid=$!
  await 60 healthcheck
  await "$startup_window_s" ready
}

# A rolling update sends SIGTERM while requests are in flight: deploy/check_drain.py "$@" checks that every request the
# service accepted is answered; then the process must exit cleanly within what the pod's grace period leaves after the
# preStop pause, counted from before the SIGTERM (check_drain.py sends it once the server has begun every request).
stop_app() {
  stopping=$SECONDS
  local budget_s=$((grace_s - prestop_s))
  "$python" deploy/check_drain.py "$port" "$app_pid" "$@" || fail "the drain check failed"
  while kill -0 "$app_pid" 2>/dev/null; do
    [ $((SECONDS - stopping)) -le "$budget_s" ] || fail "still running ${budget_s} s after the drain check began"
    sleep 1
  done
  local code=0
  wait "$app_pid" || code=$?
  app_pid=
  [ "$code" = 0 ] || fail "exited with $code after SIGTERM"
  echo "image app: exits cleanly $((SECONDS - stopping)) s after the drain check began (grace period ${grace_s} s, ${prestop_s} s of it the preStop pause)"
}

if healthcheck; then echo "the health check passed with nothing listening on $port" >&2; exit 1; fi

start_app
echo "image app: health check and /readyz pass after $((SECONDS - started)) s (the startup probe allows ${startup_window_s} s), as uid $nobody with a read-only application folder"
"$python" - "http://127.0.0.1:$port/v1/models" models <<'PY'
import json, pathlib, sys, urllib.request
served = json.load(urllib.request.urlopen(sys.argv[1], timeout=5))
bundled = {card.parent.name: json.loads(card.read_text()) for card in pathlib.Path(sys.argv[2]).glob("*/model.json")}
# every bundled model in fp32 and in each other precision its card offers
expected = sorted((id, p) for id, card in bundled.items() for p in ["fp32", *(e["precision"] for e in card.get("precisions", []))])
ready = {(m["id"], m["precision"]): m for m in served if m["availability"] == "ready"}
wrong = [f"{id} ({p})" for id, p in expected if (id, p) not in ready]
if wrong or not bundled:
    sys.exit("bundled models not ready in the image's application:\n" + "\n".join(wrong or ["none bundled"]))
print(f"image app: all {len(bundled)} bundled models ready ({len(expected)} with their other precisions) on "
      f"{', '.join(sorted({m['provider'] for m in ready.values()}))}")
PY
# The metrics a Prometheus scrape reads lint clean (promtool check metrics), after a restoration has filled every
# request and batch instrument (promtool comes with deploy/check.sh).
"$python" - "http://127.0.0.1:$port" <<'PY'
import io, sys, urllib.request, zlib, struct
def png(width, height):
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + bytes(range(width * 3)) for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
request = urllib.request.Request(sys.argv[1] + "/v1/denoise?variant=baseline&precision=int8", png(64, 64), {"Content-Type": "image/png"})
urllib.request.urlopen(request, timeout=60).read()
PY
promtool="${XDG_CACHE_HOME:-$HOME/.cache}/literestore-deploy-check/usr/bin/promtool"
"$python" -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())' \
  "http://127.0.0.1:$port/metrics" | "$promtool" check metrics || fail "promtool check metrics found problems in /metrics"
echo "image app: /metrics passes promtool check metrics"

stop_app all

# The same with more queued than the host's shutdown timeout can drain: the requests still queued when the drain runs
# out of time must be answered 503 rather than cut off.
short_budget_s=8
start_app DOTNET_shutdownTimeoutSeconds=$short_budget_s
stop_app budget $short_budget_s
echo "deploy/check-image.sh: the image's application builds from its context, runs and stops as deployed"
