"""Small requests to a model while it restores one 4096x4096 image as a job: their statuses and p99 latency unloaded
and during the large one."""
import collections
import threading
import time

import numpy as np

from service import Service
from uploads import p99, png, post, run_job

LARGE_SIDE, SMALL_SIDE = 4096, 256
QUIET_REQUESTS = 20
PAUSE_SECONDS = 0.3  # between small requests while the large one runs
HEAD_START_SECONDS = 3  # the large upload's decode, so that the small ones meet its tiles in the queue


def lockout(service: Service, path: str = "/v1/denoise?variant=lightweight") -> dict:
    small = png(np.random.default_rng(0).integers(0, 256, (SMALL_SIDE, SMALL_SIDE, 3), dtype=np.uint8))
    large = png(np.zeros((LARGE_SIDE, LARGE_SIDE, 3), np.uint8))
    url = service.url + path
    post(url, small)  # warm-up
    quiet = [post(url, small) for _ in range(QUIET_REQUESTS)]
    outcome = {}
    runner = threading.Thread(target=lambda: outcome.setdefault("large", run_job(service.url, path.replace("/v1/", "/v1/jobs/"), large)))
    runner.start()
    time.sleep(HEAD_START_SECONDS)
    during = []
    while runner.is_alive():
        during.append(post(url, small))
        time.sleep(PAUSE_SECONDS)
    runner.join()
    created, status, seconds = outcome["large"]
    served_quiet = [a.seconds for a in quiet if a.status == 200]
    served_during = [a.seconds for a in during if a.status == 200]
    return {
        "large": f"{status['state'] if status else created.status} after {seconds:.1f} s",
        "unloaded_p99_seconds": round(p99(served_quiet), 3),
        "during": dict(collections.Counter(a.status for a in during)),
        "during_p99_seconds": round(p99(served_during), 3),
        "ratio": round(p99(served_during) / p99(served_quiet), 2),
        "rejected": sum(a.status == 429 for a in during),
    }
