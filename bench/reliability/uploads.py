"""One raw PNG upload to the service, timed, with its status and Retry-After."""
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

TIMEOUT_SECONDS = 600


@dataclass
class Answer:
    status: int
    seconds: float
    retry_after: str | None


def post(url: str, body: bytes) -> Answer:
    started = time.monotonic()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "image/png"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            response.read()
            return Answer(response.status, time.monotonic() - started, None)
    except urllib.error.HTTPError as error:
        return Answer(error.code, time.monotonic() - started, error.headers.get("Retry-After"))
