"""Issue 19's reproduction: N concurrent uploads of an all-black 4096x4096 PNG (49 KB, within every limit) to a running
service, with the service's peak resident memory sampled from /proc while they run. Start the service first, e.g.

    DOTNET_GCHeapHardLimit=0xC0000000 dotnet LiteRestore.Api.dll --urls http://127.0.0.1:5099 --RateLimiting:Enabled=false

then: /usr/bin/python3 bench/reliability/concurrent_large_uploads.py --count 16"""
import argparse
import collections
import io
import subprocess
import threading
import time

from PIL import Image

from uploads import post

SIDE = 4096
RSS_SAMPLE_SECONDS = 0.2


def resident_kib(pid: str) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:5099/v1/denoise?variant=lightweight")
    parser.add_argument("--count", type=int, default=8)
    args = parser.parse_args()
    pid = subprocess.check_output(["pgrep", "-f", "LiteRestore.Api.dll"]).split()[0].decode()
    buffer = io.BytesIO()
    Image.new("RGB", (SIDE, SIDE)).save(buffer, "PNG")
    upload = buffer.getvalue()

    peak, running, answers = [0], [True], []

    def sample() -> None:
        while running[0]:
            peak[0] = max(peak[0], resident_kib(pid))
            time.sleep(RSS_SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample)
    sampler.start()
    senders = [threading.Thread(target=lambda: answers.append(post(args.url, upload))) for _ in range(args.count)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    running[0] = False
    sampler.join()
    print("statuses:", dict(collections.Counter(a.status for a in answers)))
    print("answers (status, seconds, Retry-After):", sorted((a.status, round(a.seconds, 1), a.retry_after) for a in answers))
    print(f"peak resident memory: {peak[0] // 1024} MiB")


if __name__ == "__main__":
    main()
