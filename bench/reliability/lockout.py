"""Issue 19's lock-out check: small requests to a model while one 4096x4096 image is restored by it. Prints the small
requests' statuses and p99 latency unloaded and during the large one. Start the service first (see
concurrent_large_uploads.py), then: /usr/bin/python3 bench/reliability/lockout.py"""
import argparse
import collections
import io
import threading
import time

import numpy as np
from PIL import Image

from uploads import post

LARGE_SIDE, SMALL_SIDE = 4096, 256
QUIET_REQUESTS = 20
PAUSE_SECONDS = 0.3  # between small requests while the large one runs
# Head start of the large upload: it decodes in 2-3 s here, and a request larger than the whole queue is admitted only
# while no other waits, so small requests sent sooner would turn it away.
LARGE_HEAD_START_SECONDS = 5


def png(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, "PNG")
    return buffer.getvalue()


def p99(seconds: list[float]) -> float:
    ordered = sorted(seconds)
    return ordered[max(0, int(np.ceil(0.99 * len(ordered))) - 1)]


def summary(answers) -> str:
    served = [a.seconds for a in answers if a.status == 200]
    return f"{dict(collections.Counter(a.status for a in answers))}, p99 of the 200s {p99(served):.3f} s" if served else "no 200"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:5099/v1/denoise?variant=lightweight")
    args = parser.parse_args()
    small = png(np.random.default_rng(0).integers(0, 256, (SMALL_SIDE, SMALL_SIDE, 3), dtype=np.uint8))
    large = png(np.zeros((LARGE_SIDE, LARGE_SIDE, 3), np.uint8))
    post(args.url, small)  # warm-up
    quiet = [post(args.url, small) for _ in range(QUIET_REQUESTS)]
    outcome = {}
    runner = threading.Thread(target=lambda: outcome.setdefault("large", post(args.url, large)))
    runner.start()
    time.sleep(LARGE_HEAD_START_SECONDS)
    during = []
    while runner.is_alive():
        during.append(post(args.url, small))
        time.sleep(PAUSE_SECONDS)
    runner.join()
    print(f"large: {outcome['large'].status} after {outcome['large'].seconds:.1f} s")
    print(f"small, unloaded: {summary(quiet)}")
    print(f"small, during the large one ({len(during)}): {summary(during)}")


if __name__ == "__main__":
    main()
