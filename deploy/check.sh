#!/usr/bin/env bash
# Static checks of the deployment files, for CI: no container engine or cluster is needed.
#   - every YAML and JSON file (compose, manifests, collector, Prometheus, Grafana provisioning and dashboard) parses;
#   - docker-compose validates the compose file, with and without the gpu profile;
#   - kubectl kustomize builds both overlays, and what it builds parses;
#   - promtool validates the Prometheus configuration and every PromQL expression of the dashboard.
# What the files mention (ports, paths, variables, option and metric names) is checked against the service by
# tests/Deployment.Tests. Missing tools come from Debian: python3-yaml, docker-compose and kubernetes-client are
# installed; promtool is unpacked from the prometheus package so that no Prometheus server gets installed and started.
set -euo pipefail
cd "$(dirname "$0")/.."

python=/usr/bin/python3
tools="${XDG_CACHE_HOME:-$HOME/.cache}/literestore-deploy-check"
promtool="$tools/usr/bin/promtool"

missing=()
"$python" -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v kubectl >/dev/null || missing+=(kubernetes-client)
if [ ${#missing[@]} -gt 0 ] || [ ! -x "$promtool" ]; then
  apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ ! -x "$promtool" ]; then
  mkdir -p "$tools"
  # apt warns that it downloads unsandboxed into a folder its _apt user cannot write: expected here.
  (cd "$tools" && apt-get download -qq prometheus 2>&1 | { grep -v "unsandboxed" >&2 || true; } && dpkg-deb -x prometheus_*.deb . && rm prometheus_*.deb)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for overlay in deploy/k8s/overlays/*/; do
  name=$(basename "$overlay")
  # kustomize 5 warns that 'bases' is deprecated; Debian's kubectl (kustomize 2) knows no other way to name a base.
  kubectl kustomize "$overlay" 2> >(grep -v "is deprecated" >&2) > "$work/k8s-$name.yaml"
  echo "kustomize: $overlay builds"
done

docker-compose -f docker-compose.yml config -q
docker-compose -f docker-compose.yml --profile gpu config -q
echo "compose: docker-compose.yml is valid, with and without the gpu profile"

"$python" - "$work" <<'PY'
import json, pathlib, sys, yaml

def expressions(node):
    """Every PromQL "expr" of a Grafana dashboard, however deeply its panels nest."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "expr" and isinstance(value, str):
                yield value
            else:
                yield from expressions(value)
    elif isinstance(node, list):
        for item in node:
            yield from expressions(item)

work = pathlib.Path(sys.argv[1])
files = [pathlib.Path("docker-compose.yml"), *sorted(pathlib.Path("deploy").rglob("*")), *sorted(work.glob("k8s-*.yaml"))]
failed = False
exprs = []
for path in files:
    try:
        if path.suffix in (".yaml", ".yml"):
            documents = [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
            if not documents:
                raise ValueError("no YAML document")
        elif path.suffix == ".json":
            exprs += list(expressions(json.loads(path.read_text())))
        else:
            continue
        print(f"parses: {path}")
    except Exception as error:  # any parser's error fails the check, with the file named
        print(f"FAILED: {path}: {error}", file=sys.stderr)
        failed = True

# Grafana's variables are not PromQL: put stand-ins in their place so that promtool can parse each expression.
def promql(expr):
    return expr.replace("$__rate_interval", "1m").replace("$model", ".*")

rules = {"groups": [{"name": "dashboard", "rules": [
    {"record": f"dashboard:expr{i}", "expr": promql(e)} for i, e in enumerate(exprs)]}]}
(work / "dashboard-rules.yaml").write_text(yaml.safe_dump(rules))
print(f"dashboards: {len(exprs)} PromQL expressions collected")
sys.exit(1 if failed else 0)
PY

"$promtool" check config deploy/prometheus/prometheus.yml
"$promtool" check rules "$work/dashboard-rules.yaml"
echo "deploy/check.sh: all deployment files check"
