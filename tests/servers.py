"""Start `council serve` the way a user does, for tests that need a real server."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ENTRY = "from council.entry import main; main()"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def council(args: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    """Run one `council` command and wait for it."""
    return subprocess.run([sys.executable, "-c", ENTRY, *args], env={**os.environ, **env}, cwd=ROOT,
                          capture_output=True, text=True, **kwargs)


class Server:
    """`council serve` on 127.0.0.1 in a subprocess, ready when its health check answers."""

    def __init__(self, env: dict[str, str], log: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "COUNCIL_PUBLIC_URL": self.url, **env}
        self.log_path = log
        self.proc: subprocess.Popen | None = None

    def start(self) -> Server:
        argv = ["council", "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        self.log = open(self.log_path, "a")
        self.proc = subprocess.Popen([sys.executable, "-c", f"import sys; sys.argv={argv!r}; {ENTRY}"],
                                     env=self.env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                with urllib.request.urlopen(self.url + "/api/health", timeout=1):
                    return self
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(self.log_path.read_text())
                time.sleep(0.1)
        raise RuntimeError(f"server did not answer: {self.log_path.read_text()}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        if self.proc:
            self.log.close()


async def live_client(url: str, auth: dict, cookie: str = "") -> tuple[Any, list]:
    """A python-socketio client of a real server, and the list its messages land in, in order
    (a coalesced batch counts as its patches one by one)."""
    import socketio
    got: list = []
    c = socketio.AsyncClient(reconnection=False)
    c.on("state", lambda s: got.append(("state", s)))
    c.on("patch", lambda p: got.append(("patch", p)))
    c.on("patches", lambda ps: got.extend(("patch", p) for p in ps))
    await c.connect(url, auth=auth, transports=["websocket"], headers={"Cookie": cookie} if cookie else {},
                    wait_timeout=20)
    return c, got


def run_scenario(scenario: Any, timeout: float = 120) -> None:
    """Run an asyncio scenario (a coroutine) in a thread and event loop of its own, as tests of
    real servers do: Playwright's sync API may hold this thread's loop. Its failure is raised here."""
    import asyncio
    import threading
    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(scenario)
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            failure.append(exc)
    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout)
    if failure:
        raise failure[0]
    assert not worker.is_alive(), "the scenario did not finish"
