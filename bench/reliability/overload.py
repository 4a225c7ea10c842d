"""Many clients sending small images back to back, far more than the sessions serve: every request must get an
answer, every 429 a Retry-After, and the accepted ones a latency within the queue's longest wait plus their own service
time: their decode, encode and the batches that ran their tiles, from Server-Timing, as they ran under this load; the
bound with their unloaded latency instead is reported beside it."""
import collections
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from service import Service
from uploads import p99, png, post

SIDE = 256
UNLOADED_REQUESTS = 10


def overload(service: Service, clients: int, seconds: float, max_queue_wait: float, path: str = "/v1/denoise?variant=baseline") -> dict:
    image = png(np.random.default_rng(1).integers(0, 256, (SIDE, SIDE, 3), dtype=np.uint8))
    url = service.url + path
    post(url, image)
    unloaded = p99([post(url, image).seconds for _ in range(UNLOADED_REQUESTS)])
    answers, lock = [], threading.Lock()
    end = time.monotonic() + seconds

    def client(_: int) -> None:
        while time.monotonic() < end:
            answer = post(url, image)
            with lock:
                answers.append(answer)
            if answer.status == 429:
                time.sleep(float(answer.retry_after or 1))

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    accepted = [a.seconds for a in answers if a.status == 200]
    waited = [a.seconds - sum(a.server_timing[span] for span in ("decode", "batches", "encode"))
              for a in answers if a.status == 200 and a.server_timing]
    return {
        "clients": clients,
        "requests": len(answers),
        "statuses": dict(collections.Counter(a.status for a in answers)),
        "lost": sum(a.status == 0 for a in answers),
        "server_errors": sum(a.status >= 500 for a in answers),
        "429_without_retry_after": sum(a.status == 429 and not a.retry_after for a in answers),
        "unloaded_p99_seconds": round(unloaded, 3),
        "accepted_p99_seconds": round(p99(accepted), 3),
        "bound_seconds": round(max_queue_wait + unloaded, 3),
        "waited_p99_seconds": round(p99(waited), 3),
        "max_queue_wait_seconds": max_queue_wait,
    }
