"""Fifty concurrent uploads of a 1.7 MB JPEG at loopback speed, which a busy server reads late: none may be blamed on
the client (400 or 408); 429 is the honest answer of a full queue."""
import collections
import io
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from PIL import Image

from service import Service
from uploads import post

WIDTH, HEIGHT, QUALITY = 1600, 1200, 90  # random pixels: about 1.7 MB as JPEG


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.random.default_rng(3).integers(0, 256, (HEIGHT, WIDTH, 3), dtype=np.uint8)).save(buffer, "JPEG", quality=QUALITY)
    return buffer.getvalue()


def upload_burst(service: Service, count: int, path: str = "/v1/denoise?variant=lightweight") -> dict:
    body = jpeg()
    with ThreadPoolExecutor(count) as pool:
        answers = list(pool.map(lambda _: post(service.url + path, body, "image/jpeg"), range(count)))
    return {
        "uploads": count,
        "upload_megabytes": round(len(body) / 1e6, 2),
        "statuses": dict(sorted(collections.Counter(a.status for a in answers).items())),
        "blamed_on_client": sum(a.status in (400, 408) for a in answers),
        "server_errors": sum(a.status >= 500 or a.status == 0 for a in answers),
    }
