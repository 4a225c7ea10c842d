"""A seeded hostile-input fuzzer: mutated, truncated and lying images, random blobs, wrong media types, declared-size
bombs, multipart and query oddities, sent to every upload endpoint. A finding is an answer of 500 or more, a failed
connection, or an answer slower than the deadline."""
import collections
import io
import random
import struct
import threading
import zlib
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from PIL import Image

from uploads import Answer, request

SLOW_SECONDS = 30
PATHS = ["/v1/denoise", "/v1/super-resolve", "/v1/inpaint", "/v1/jobs/denoise", "/v1/jobs/super-resolve", "/v1/jobs/inpaint"]
QUERIES = ["", "variant=baseline", "variant=lightweight", "variant=%00", "variant=" + "x" * 3000, "format=jpeg", "format=gif",
           "scale=4", "scale=2", "scale=abc", "scale=99999999999", "variant=baseline&variant=lightweight", "format=webp&scale=4"]
MEDIA_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif", "image/bmp", "text/plain", "application/octet-stream",
               "multipart/form-data", "multipart/form-data; boundary=", "image/png; charset=utf-8", ""]


def _encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def seeds(rng: np.random.Generator) -> list[bytes]:
    """Valid small uploads of every kind the service reads, the material the mutations start from."""
    rgb = Image.fromarray(rng.integers(0, 256, (48, 40, 3), dtype=np.uint8))
    rgba = Image.fromarray(rng.integers(0, 256, (40, 48, 4), dtype=np.uint8))
    grey16 = Image.fromarray(rng.integers(0, 65536, (32, 32), dtype=np.uint16).astype(np.int32), "I")
    return [_encode(rgb, "PNG"), _encode(rgba, "PNG"), _encode(grey16, "PNG"), _encode(rgb, "JPEG", quality=80),
            _encode(rgb.convert("L"), "JPEG"), _encode(rgb, "WEBP"), _encode(rgb, "JPEG", progressive=True)]


def png_claiming(width: int, height: int) -> bytes:
    """A PNG header that declares a huge image over a few bytes of data (CRC correct, so only the size lies)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    data = zlib.compress(b"\x00" * 64)
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
            + struct.pack(">I", len(data)) + b"IDAT" + data + struct.pack(">I", zlib.crc32(b"IDAT" + data)))


def mutate(data: bytes, rnd: random.Random) -> bytes:
    kind = rnd.randrange(6)
    buffer = bytearray(data)
    if kind == 0:  # flipped bytes
        for _ in range(rnd.randint(1, 24)):
            buffer[rnd.randrange(len(buffer))] = rnd.randrange(256)
    elif kind == 1:  # truncated
        buffer = buffer[:rnd.randrange(len(buffer))]
    elif kind == 2:  # a random run inserted
        at = rnd.randrange(len(buffer))
        buffer[at:at] = rnd.randbytes(rnd.randint(1, 2048))
    elif kind == 3:  # a run duplicated
        at = rnd.randrange(len(buffer))
        buffer[at:at] = buffer[at:at + rnd.randint(1, 4096)]
    elif kind == 4:  # a run zeroed
        at = rnd.randrange(len(buffer))
        buffer[at:at + rnd.randint(1, 512)] = bytes(min(len(buffer) - at, 512))
    else:  # bytes swapped in the header
        for _ in range(rnd.randint(1, 4)):
            i, j = rnd.randrange(min(len(buffer), 64)), rnd.randrange(min(len(buffer), 64))
            buffer[i], buffer[j] = buffer[j], buffer[i]
    return bytes(buffer)


def multipart(fields: list[tuple[str, bytes]], boundary: str = "fuzzboundary") -> tuple[bytes, str]:
    body = b""
    for name, content in fields:
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"f.png\"\r\n"
                 f"Content-Type: image/png\r\n\r\n").encode() + content + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def case(rnd: random.Random, material: list[bytes]) -> tuple[str, bytes, dict[str, str]]:
    """One hostile request: path with query, body, headers."""
    path = rnd.choice(PATHS)
    query = rnd.choice(QUERIES)
    url = path + (f"?{query}" if query else "")
    kind = rnd.randrange(8)
    image = rnd.choice(material)
    if kind == 0:
        body, media = rnd.randbytes(rnd.randint(0, 65536)), rnd.choice(MEDIA_TYPES)
    elif kind == 1:
        body, media = png_claiming(rnd.choice([0, 1, 60000, 2 ** 31 - 1, 2 ** 32 - 1]), rnd.choice([0, 1, 60000, 2 ** 31 - 1])), "image/png"
    elif kind == 2:
        body, media = multipart([(rnd.choice(["image", "mask", "img", ""]), mutate(image, rnd)) for _ in range(rnd.randint(0, 3))])
    elif kind == 3:
        body, media = multipart([("image", image), ("mask", rnd.choice(material))])
    elif kind == 4:
        body, media = image, rnd.choice(MEDIA_TYPES)
    else:
        body, media = mutate(image, rnd), rnd.choice(["image/png", "image/jpeg", "image/webp"])
    headers = {"Content-Type": media} if media else {}
    return url, body, headers


def fuzz(base: str, count: int, seed: int = 0, threads: int = 4) -> dict:
    rng = np.random.default_rng(seed)
    material = seeds(rng)
    rnd = random.Random(seed)
    cases = [case(rnd, material) for _ in range(count)]
    statuses: collections.Counter = collections.Counter()
    findings: list[str] = []
    slowest = [0.0]
    lock = threading.Lock()

    def send(item: tuple[str, bytes, dict[str, str]]) -> None:
        url, body, headers = item
        answer: Answer = request(base + url, "POST", body, headers, timeout=SLOW_SECONDS * 2)
        if answer.status == 202 and answer.location:
            request(base + answer.location, "DELETE")
        with lock:
            statuses[answer.status] += 1
            slowest[0] = max(slowest[0], answer.seconds)
            if answer.status >= 500 or answer.status == 0 or answer.seconds > SLOW_SECONDS:
                findings.append(f"{url} {headers.get('Content-Type', '-')} {len(body)} B: {answer.status} after "
                                f"{answer.seconds:.1f} s {answer.error or answer.body[:200]!r}")

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(send, cases))
    return {"inputs": count, "statuses": dict(sorted(statuses.items())), "slowest_seconds": round(slowest[0], 2),
            "findings": findings}
