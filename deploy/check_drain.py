"""Sends SIGTERM to a LiteRestore process while requests are queued, and checks that every request it accepted is
answered: check_drain.py PORT PID all | check_drain.py PORT PID budget SECONDS.

all:    the drain has time for everything queued; every request must be answered 200.
budget: the host's shutdown timeout (SECONDS) is too short for what is queued; every request must still be answered,
        200 if it ran, 503 model_not_ready if it was still queued near the timeout, or 429 if admission turned it away
        before SIGTERM; at least one must be 503.
"""
import http.client, json, math, os, random, re, signal, struct, sys, threading, time, urllib.request, zlib

port, pid, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
budget_s = float(sys.argv[4]) if mode == "budget" else 0.0
side, admission_timeout_s = 512, 60
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


def send(index, body):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("POST", "/v1/denoise?variant=baseline", body, {"Content-Type": "image/png"})
        answers[index] = connection.getresponse().status
    except Exception as error:  # a request dropped without an answer
        answers[index] = repr(error)


def started_posts():
    """Requests the server has begun (answered or not): a connection whose request Kestrel has not begun yet is closed
    unanswered at SIGTERM, by design, so SIGTERM waits for this to reach every request."""
    answered = len(answers)
    metrics = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    return answered + sum(float(value) for value in re.findall(
        r'^http_server_active_requests\{[^}]*http_request_method="POST"[^}]*\} (\S+)', metrics, re.MULTILINE))


# Enough requests that work is still queued when SIGTERM comes, however fast this machine is.
started = time.monotonic()
send(-1, noise_png(side, side, -1))
one_request_s = time.monotonic() - started
if answers.pop(-1) != 200:
    sys.exit("drain: a lone request was not answered 200")
requests = max(4, math.ceil(sessions * queued_work_s / one_request_s))
threads = [threading.Thread(target=send, args=(i, noise_png(side, side, i))) for i in range(requests)]
for thread in threads:
    thread.start()
deadline = time.monotonic() + admission_timeout_s
while started_posts() < requests:
    if time.monotonic() > deadline:
        sys.exit(f"drain ({mode}): the server began {started_posts():.0f} of {requests} requests within {admission_timeout_s} s")
    time.sleep(0.05)
in_flight = requests - len(answers)
os.kill(pid, signal.SIGTERM)
for thread in threads:
    thread.join()

statuses = sorted(answers.values(), key=str)
# With a short budget, more work is sent than the queue promises to run in time: admission may turn the last ones away
# (429 with Retry-After) before SIGTERM, which is an answer too; what must not happen is a request left unanswered.
expected = {200} if mode == "all" else {200, 429, 503}
if in_flight == 0 or any(status not in expected for status in statuses) or (mode == "budget" and 503 not in statuses):
    sys.exit(f"drain ({mode}): {in_flight} of {requests} requests in flight at SIGTERM; answers {statuses}")
print(f"image app: {in_flight} of {requests} requests in flight at SIGTERM, every one answered: "
      f"{statuses.count(200)} with 200, {statuses.count(503)} with 503")
