"""HTTP requests to the service, timed, with their status and Retry-After; a connection that fails answers status 0."""
import http.client
import io
import json
import time
import urllib.parse
from dataclasses import dataclass

import numpy as np
from PIL import Image

TIMEOUT_SECONDS = 600


@dataclass
class Answer:
    status: int
    seconds: float
    retry_after: str | None
    body: bytes = b""
    location: str | None = None
    error: str | None = None
    server_timing: dict[str, float] | None = None


def request(url: str, method: str = "GET", body: bytes | None = None, headers: dict[str, str] | None = None,
            timeout: float = TIMEOUT_SECONDS) -> Answer:
    parts = urllib.parse.urlsplit(url)
    started = time.monotonic()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return Answer(response.status, time.monotonic() - started, response.getheader("Retry-After"), data,
                      response.getheader("Location"), server_timing=server_timing(response.getheader("Server-Timing")))
    except (OSError, http.client.HTTPException) as error:
        return Answer(0, time.monotonic() - started, None, error=f"{type(error).__name__}: {error}")
    finally:
        connection.close()


def server_timing(header: str | None) -> dict[str, float] | None:
    """`decode;dur=1.5, queue;dur=2` as {"decode": 0.0015, "queue": 0.002}, in seconds."""
    if not header:
        return None
    spans = (part.strip().split(";dur=") for part in header.split(","))
    return {name: float(ms) / 1000 for name, ms in spans}


def post(url: str, body: bytes, content_type: str = "image/png", timeout: float = TIMEOUT_SECONDS) -> Answer:
    return request(url, "POST", body, {"Content-Type": content_type}, timeout)


def png(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, "PNG")
    return buffer.getvalue()


def run_job(base: str, path: str, body: bytes, poll_seconds: float = 0.5) -> tuple[Answer, dict | None, float]:
    """Posts a job and polls it until it ends; returns the creation answer, the final status and the seconds taken."""
    started = time.monotonic()
    created = post(base + path, body)
    if created.status != 202:
        return created, None, time.monotonic() - started
    while True:
        status = json.loads(request(base + created.location).body)
        if status["state"] in ("succeeded", "failed"):
            request(base + created.location, "DELETE")
            return created, status, time.monotonic() - started
        time.sleep(poll_seconds)


def p99(seconds: list[float]) -> float:
    ordered = sorted(seconds)
    return ordered[max(0, int(np.ceil(0.99 * len(ordered))) - 1)] if ordered else float("nan")
