"""Sends SIGTERM to a LiteRestore process while requests are queued, and checks that every request it accepted is
answered: check_drain.py PORT PID all | check_drain.py PORT PID budget SECONDS.

all:    the drain has time for everything queued; every request must be answered 200.
budget: the host's shutdown timeout (SECONDS) is too short for what is queued; every request must still be answered,
        200 if it ran and 503 model_not_ready if it was still queued near the timeout, and at least one must be 503.
"""
import http.client, json, math, os, random, signal, struct, sys, threading, time, urllib.request, zlib

port, pid, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
budget_s = float(sys.argv[4]) if mode == "budget" else 0.0
side, admission_s = 512, 1.5
queued_work_s = 3.0 if mode == "all" else 2 * budget_s  # seconds of work left when SIGTERM comes
model = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models/denoise-baseline", timeout=5))
sessions = model["engine"]["sessions"]


def noise_png(width, height, seed):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    pixels = random.Random(seed).randbytes(width * height * 3)
    rows = b"".join(b"\0" + pixels[y * width * 3:(y + 1) * width * 3] for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


answers = {}


def send(index):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("POST", "/v1/denoise?variant=baseline", noise_png(side, side, index), {"Content-Type": "image/png"})
        answers[index] = connection.getresponse().status
    except Exception as error:  # a request dropped without an answer
        answers[index] = repr(error)


# Enough requests that work is still queued when SIGTERM comes, however fast this machine is.
started = time.monotonic()
send(-1)
one_request_s = time.monotonic() - started
if answers.pop(-1) != 200:
    sys.exit("drain: a lone request was not answered 200")
requests = max(4, math.ceil(sessions * (admission_s + queued_work_s) / one_request_s))
threads = [threading.Thread(target=send, args=(i,)) for i in range(requests)]
for thread in threads:
    thread.start()
time.sleep(admission_s)  # uploads of a few hundred KB are admitted within milliseconds on an idle machine
in_flight = requests - len(answers)
os.kill(pid, signal.SIGTERM)
for thread in threads:
    thread.join()

statuses = sorted(answers.values(), key=str)
expected = {200} if mode == "all" else {200, 503}
if in_flight == 0 or any(status not in expected for status in statuses) or (mode == "budget" and 503 not in statuses):
    sys.exit(f"drain ({mode}): {in_flight} of {requests} requests in flight at SIGTERM; answers {statuses}")
print(f"image app: {in_flight} of {requests} requests in flight at SIGTERM, every one answered: "
      f"{statuses.count(200)} with 200, {statuses.count(503)} with 503")
