"""Concurrent uploads of an all-black 4096x4096 PNG (49 KB, within every limit): to the synchronous endpoint, which
points them to the job API, and as jobs, which the memory budget admits or turns away before decoding. The service's
peak resident memory is sampled while they run."""
import collections
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from service import Service
from uploads import post, png, run_job

SIDE = 4096
SAMPLE_SECONDS = 0.2


def large_uploads(service: Service, count: int, path: str = "/v1/denoise?variant=lightweight") -> dict:
    upload = png(np.zeros((SIDE, SIDE, 3), np.uint8))
    peak, running = [service.resident_mib()], [True]

    def sample() -> None:
        while running[0]:
            peak[0] = max(peak[0], service.resident_mib())
            time.sleep(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        with ThreadPoolExecutor(count) as pool:
            synchronous = list(pool.map(lambda _: post(service.url + path, upload), range(count)))
            jobs = list(pool.map(lambda _: run_job(service.url, path.replace("/v1/", "/v1/jobs/"), upload), range(count)))
    finally:
        running[0] = False
        sampler.join()
    outcomes = collections.Counter(status["state"] if status else str(created.status) for created, status, _ in jobs)
    return {
        "synchronous": dict(collections.Counter(a.status for a in synchronous)),
        "jobs": dict(outcomes),
        "server_errors": sum(a.status >= 500 or a.status == 0 for a in synchronous)
                         + sum(c.status >= 500 or c.status == 0 or (s or {}).get("state") == "failed" for c, s, _ in jobs),
        "peak_resident_mib": round(peak[0]),
        "slowest_job_seconds": round(max(seconds for _, _, seconds in jobs), 1),
    }
