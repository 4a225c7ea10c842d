"""Issue 19's reliability suite against a Release build on loopback: hostile inputs, concurrent large uploads under a
heap hard limit, the 4096² lock-out, overload, and a soak with a memory trace. Each check gets a service of its own.

    bench/reliability/run            # the full suite (about 20 minutes); writes docs/reliability.md
    bench/reliability/run --short    # a few minutes, as CI runs it: fails on any 5xx, lost request or fuzz finding

Latency and memory targets are reported, not asserted, in the short run: a shared machine's timings are noise."""
import argparse
import datetime
import json
import os
import sys

from fuzz import fuzz
from large_uploads import large_uploads
from lockout import lockout
from overload import overload
from service import Service
from soak import soak
from upload_burst import upload_burst

PORT = 5199
HEAP_HARD_LIMIT = "0xC0000000"  # 3 GiB, the limit the pod reproduction ran under
PEAK_RSS_TARGET_MIB = 3.5 * 1024
MAX_QUEUE_WAIT_SECONDS = 5.0
FULL = {"fuzz": 5000, "burst": 50, "large": 16, "overload_clients": 32, "overload_seconds": 150, "soak_seconds": 600, "idle_seconds": 60}
SHORT = {"fuzz": 400, "burst": 10, "large": 4, "overload_clients": 16, "overload_seconds": 15, "soak_seconds": 30, "idle_seconds": 10}


def run_checks(app: str, size: dict, with_lockout: bool) -> dict:
    results = {}
    with Service(app, PORT) as service:
        results["fuzz"] = fuzz(service.url, size["fuzz"])
    with Service(app, PORT) as service:
        results["upload_burst"] = upload_burst(service, size["burst"])
    with Service(app, PORT, env={"DOTNET_GCHeapHardLimit": HEAP_HARD_LIMIT}) as service:
        results["large_uploads"] = large_uploads(service, size["large"])
    if with_lockout:
        with Service(app, PORT) as service:
            results["lockout"] = lockout(service)
    with Service(app, PORT) as service:
        results["overload"] = overload(service, size["overload_clients"], size["overload_seconds"], MAX_QUEUE_WAIT_SECONDS)
    with Service(app, PORT) as service:
        results["soak"] = soak(service, size["soak_seconds"], size["idle_seconds"])
    return results


def verdicts(results: dict, size: dict) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for every target of the issue that this run measured."""
    f, b, l, o, s = results["fuzz"], results["upload_burst"], results["large_uploads"], results["overload"], results["soak"]
    rows = [
        (f">= {size['fuzz']} hostile inputs, 0 answers >= 500, none slower than 30 s",
         f"{f['inputs']} inputs, {len(f['findings'])} findings, slowest {f['slowest_seconds']} s", not f["findings"]),
        (f"{b['uploads']} concurrent {b['upload_megabytes']} MB uploads: none answered 400 or 408",
         f"{b['blamed_on_client']} blamed on the client, {b['server_errors']} 5xx; {b['statuses']}",
         b["blamed_on_client"] == 0 and b["server_errors"] == 0),
        (f"{size['large']} concurrent 4096² uploads (synchronous, then as jobs) under a 3 GiB heap limit: 0 5xx, peak RSS < 3.5 GiB",
         f"{l['server_errors']} 5xx, peak {l['peak_resident_mib']} MiB; synchronous {l['synchronous']}, jobs {l['jobs']}",
         l["server_errors"] == 0 and l["peak_resident_mib"] < PEAK_RSS_TARGET_MIB),
        (f"overload, {o['clients']} clients: 0 lost, 0 5xx, every 429 with Retry-After, accepted requests' p99 wait beyond "
         "their own service time (decode, their batches, encode) <= MaxQueueWait",
         f"{o['requests']} requests {o['statuses']}, {o['lost']} lost, p99 wait {o['waited_p99_seconds']} s "
         f"(MaxQueueWait {o['max_queue_wait_seconds']} s); accepted p99 {o['accepted_p99_seconds']} s against "
         f"MaxQueueWait + unloaded p99 {o['bound_seconds']} s",
         o["lost"] == 0 and o["server_errors"] == 0 and o["429_without_retry_after"] == 0
         and o["waited_p99_seconds"] <= o["max_queue_wait_seconds"]),
        (f"soak {s['seconds']:.0f} s: RSS drift (second tenth to last) < 10 %, idle RSS within 25 % of post-warm-up",
         f"drift {s['drift_percent']} % ({s['early_mean_mib']} to {s['late_mean_mib']} MiB), idle {s['idle_resident_mib']} MiB "
         f"vs {s['warm_resident_mib']} MiB ({s['idle_vs_warm_percent']:+} %); {s['server_errors']} 5xx",
         s["drift_percent"] < 10 and abs(s["idle_vs_warm_percent"]) <= 25 and s["server_errors"] == 0),
    ]
    if "lockout" in results:
        k = results["lockout"]
        rows.insert(2, ("256² requests during a 4096² denoise: p99 within 3x unloaded, no 429",
                        f"p99 {k['during_p99_seconds']} s vs {k['unloaded_p99_seconds']} s unloaded ({k['ratio']}x), "
                        f"{k['rejected']} rejected; large: {k['large']}", k["ratio"] <= 3 and k["rejected"] == 0))
    return rows


def hard_failures(results: dict) -> list[str]:
    failures = list(results["fuzz"]["findings"])
    for name in ("upload_burst", "large_uploads", "overload", "soak"):
        if results[name]["server_errors"]:
            failures.append(f"{name}: {results[name]['server_errors']} 5xx or failed connections")
    if results["upload_burst"]["blamed_on_client"]:
        failures.append(f"upload burst: {results['upload_burst']['blamed_on_client']} uploads answered 400 or 408")
    if results["overload"]["lost"]:
        failures.append(f"overload: {results['overload']['lost']} requests lost")
    return failures


def report(results: dict, rows: list[tuple[str, str, bool]], command: str) -> str:
    trace = results["soak"]["trace"]
    every = max(1, len(trace) // 20)
    lines = [
        "# Reliability",
        "",
        f"Measured {datetime.date.today()} on this machine ({os.cpu_count()} cores) against a Release build on loopback, each",
        f"check with a service of its own; rerun with `{command}` (about 20 minutes; `--short` is the CI version).",
        "",
        "| target | measured | |",
        "|---|---|---|",
        *[f"| {target} | {measured} | {'met' if met else '**MISSED**'} |" for target, measured, met in rows],
        "",
        "## Soak: resident memory",
        "",
        "| second | MiB |",
        "|---:|---:|",
        *[f"| {t:.0f} | {rss:.0f} |" for t, rss in trace[::every]],
        "",
        "## Raw results",
        "",
        "```json",
        json.dumps({k: ({**v, "trace": f"{len(v['trace'])} samples"} if k == "soak" else v) for k, v in results.items()}, indent=2),
        "```",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--app", required=True, help="folder of the published service")
    parser.add_argument("--short", action="store_true")
    parser.add_argument("--write", help="where to write the report (the full run: docs/reliability.md)")
    args = parser.parse_args()
    size = SHORT if args.short else FULL
    results = run_checks(args.app, size, with_lockout=not args.short)
    rows = verdicts(results, size)
    for target, measured, met in rows:
        print(f"[{'met' if met else 'MISSED'}] {target}: {measured}")
    if args.write:
        with open(args.write, "w") as out:
            out.write(report(results, rows, "bench/reliability/run"))
        print(f"wrote {args.write}")
    failures = hard_failures(results)
    for failure in failures:
        print("FAILED:", failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
