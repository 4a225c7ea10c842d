"""A Release build of the service on a loopback port, started for one check and stopped after it, with its resident
memory read from /proc."""
import os
import subprocess
import time
import urllib.request

READY_TIMEOUT_SECONDS = 300
POLL_SECONDS = 0.2


class Service:
    def __init__(self, app_dir: str, port: int, env: dict[str, str] | None = None, settings: dict[str, str] | None = None):
        self.url = f"http://127.0.0.1:{port}"
        arguments = ["--urls", self.url, "--RateLimiting:Enabled=false"]
        for key, value in (settings or {}).items():
            arguments.append(f"--{key}={value}")
        self.log = open(os.path.join(app_dir, f"service-{port}.log"), "w")
        self.process = subprocess.Popen(["dotnet", os.path.join(app_dir, "LiteRestore.Api.dll"), *arguments],
                                        cwd=app_dir, env={**os.environ, **(env or {})}, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while not self._ready():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the service did not become ready; see {self.log.name}")
            time.sleep(POLL_SECONDS)

    def _ready(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/readyz", timeout=5) as response:
                return response.status == 200
        except OSError:
            return False

    def resident_mib(self) -> float:
        with open(f"/proc/{self.process.pid}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
