"""Mixed traffic for a while (the three tasks, small to medium images), with the resident memory sampled every
second; then the service idles and its memory is read again."""
import collections
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from service import Service
from uploads import png, post

CLIENTS = 4
SIDES = (64, 128, 256, 512)
# every precision a user can ask for: the int8 graphs' sessions hold memory of their own
PATHS = ("/v1/denoise?variant=lightweight", "/v1/denoise?variant=baseline", "/v1/super-resolve?variant=lightweight",
         "/v1/inpaint?variant=lightweight", "/v1/denoise?variant=baseline&precision=int8",
         "/v1/super-resolve?variant=baseline&precision=int8", "/v1/inpaint?variant=baseline&precision=int8")


def inpaint_upload(rng: np.random.Generator, side: int) -> bytes:
    rgba = rng.integers(0, 256, (side, side, 4), dtype=np.uint8)
    rgba[..., 3] = 255
    rgba[side // 4: side // 2, side // 4: side // 2, 3] = 0  # the hole
    return png(rgba)


def soak(service: Service, seconds: float, idle_seconds: float) -> dict:
    rng = np.random.default_rng(2)
    uploads = {(path, side): inpaint_upload(rng, side) if "inpaint" in path else
               png(rng.integers(0, 256, (side // (4 if "super" in path else 1),) * 2 + (3,), dtype=np.uint8))
               for path in PATHS for side in SIDES}
    for (path, side), body in uploads.items():  # warm-up
        post(service.url + path, body)
    warm = service.resident_mib()
    trace, statuses, lock = [], collections.Counter(), threading.Lock()
    started = time.monotonic()
    end = started + seconds

    def client(index: int) -> None:
        choice = np.random.default_rng(100 + index)
        keys = list(uploads)
        while time.monotonic() < end:
            path, side = keys[choice.integers(len(keys))]
            answer = post(service.url + path, uploads[(path, side)])
            with lock:
                statuses[answer.status] += 1

    def sample() -> None:
        while time.monotonic() < end:
            trace.append((time.monotonic() - started, service.resident_mib()))
            time.sleep(1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(client, range(CLIENTS)))
    sampler.join()
    time.sleep(idle_seconds)
    idle = service.resident_mib()

    def mean_between(low: float, high: float) -> float:
        values = [rss for t, rss in trace if low <= t < high]
        return sum(values) / len(values)

    # the second fifth of the run against the last, as minute 2 against minute 10 of a 10-minute soak
    early, late = mean_between(seconds / 10, 2 * seconds / 10), mean_between(9 * seconds / 10, seconds)
    return {
        "seconds": seconds,
        "statuses": dict(sorted(statuses.items())),
        "server_errors": sum(n for status, n in statuses.items() if status >= 500 or status == 0),
        "warm_resident_mib": round(warm),
        "early_mean_mib": round(early),
        "late_mean_mib": round(late),
        "drift_percent": round(100 * (late - early) / early, 1),
        "idle_resident_mib": round(idle),
        "idle_vs_warm_percent": round(100 * (idle - warm) / warm, 1),
        "trace": trace,
    }
