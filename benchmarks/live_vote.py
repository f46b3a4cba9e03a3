"""Live vote benchmark: N phones vote within one second; how fast does the projector show it?

Starts `council serve` as a user would (SQLite, gevent), sets a session up over HTTP as a
facilitator would, connects N phones over Socket.IO (websocket), has them all vote within one
second, and measures from each vote sent to the projector showing a count that includes it.
Then runs the same load against a bare Flask-SocketIO server that only counts (benchmarks/
bare_server.py), the transport's ceiling. Prints one JSON object.

    python benchmarks/live_vote.py [--phones 500]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import psutil
import socketio

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "benchmark-pass"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    import urllib.request
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


class ServerWatch:
    """CPU time and peak resident memory of a server process (and its children)."""

    def __init__(self, pid: int) -> None:
        self.proc = psutil.Process(pid)

    def cpu(self) -> float:
        t = self.proc.cpu_times()
        return t.user + t.system

    def peak_rss_mb(self) -> float:
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


async def connect_all(url: str, auths: list[dict], headers: dict | None = None) -> list[socketio.AsyncClient]:
    clients = []
    sem = asyncio.Semaphore(50)

    async def one(auth: dict) -> socketio.AsyncClient:
        async with sem:
            c = socketio.AsyncClient(reconnection=False)

            @c.on("connect_error")
            async def refused(data: object) -> None:
                print("connection refused:", auth, data, file=sys.stderr)
            await c.connect(url, auth=auth, transports=["websocket"], headers=dict(headers or {}),
                            wait_timeout=30)  # a copy: the client consumes the Cookie header
            return c
    clients = await asyncio.gather(*(one(a) for a in auths))
    return list(clients)


async def vote_round(phones: list[socketio.AsyncClient], poll_id: int, projector_seen: list[tuple[float, int]],
                     want: int) -> dict:
    """Every phone votes once, spread over one second; returns latencies and acknowledgements."""
    n = len(phones)
    sent: list[float] = []
    acks = {"ok": 0, "failed": 0}
    start = time.perf_counter() + 0.2

    async def vote(i: int, phone: socketio.AsyncClient) -> None:
        await asyncio.sleep(max(0.0, start + i / n - time.perf_counter()))
        sent.append(time.perf_counter())
        reply = await phone.call("ballot.cast", {"poll_id": poll_id, "choice": ("yes", "no", "abstain")[i % 3],
                                                 "client_id": uuid.uuid4().hex}, timeout=60)
        acks["ok" if reply and reply.get("ok") else "failed"] += 1

    await asyncio.gather(*(vote(i, p) for i, p in enumerate(phones)))
    deadline = time.perf_counter() + 30
    while (not projector_seen or projector_seen[-1][1] < want) and time.perf_counter() < deadline:
        await asyncio.sleep(0.01)
    sent.sort()
    latencies = []
    for k, t_sent in enumerate(sent, start=1):
        shown = next((t for t, count in projector_seen if count >= k), None)
        if shown is not None:
            latencies.append((shown - t_sent) * 1000)
    return {"latencies": latencies, "acks": acks, "spread_s": sent[-1] - sent[0] if sent else 0}


def start_server(prefix: str, extra_env: dict[str, str]) -> tuple[subprocess.Popen, str, Any]:
    """`council serve` on a fresh SQLite database with the account `bench`, as a user starts
    it; returns the process, its address and its open log."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "COUNCIL_DATABASE_URL": f"sqlite:///{tmp / 'council.db'}", "COUNCIL_SECRET_KEY": "bench",
           "COUNCIL_PUBLIC_URL": base, **extra_env}
    council = [sys.executable, "-c", "from council.entry import main; main()"]
    subprocess.run(council + ["db", "upgrade"], env=env, check=True, capture_output=True, cwd=ROOT)
    subprocess.run(council + ["facilitator", "add", "bench", "--password", PASSWORD], env=env, check=True,
                   capture_output=True, cwd=ROOT)
    log = open(tmp / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "-c", f"import sys; sys.argv=['council','serve','--host','127.0.0.1',"
                             f"'--port','{port}']; from council.entry import main; main()"],
                            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    return proc, base, log


async def open_session(base: str, people: list[dict[str, str]]) -> tuple[int, str, list[str], str]:
    """Log in as a facilitator would, make a council and a session, and join `people` (name,
    door) over HTTP: the session's id, its join code, the device tokens, the login cookie."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        page = await (await http.get(base + "/login")).text()
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        page = await (await http.post(base + "/login", data={"name": "bench", "password": PASSWORD,
                                                             "csrf_token": csrf})).text()
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)  # a new login, a new token
        await http.post(base + "/console/councils", data={"name": "基准院", "level": "courtyard", "csrf_token": csrf})
        page = await (await http.get(base + "/console")).text()
        council_id = re.search(r'<option value="(\d+)">基准院', page).group(1)
        r = await http.post(base + "/console/sessions", data={
            "council_id": council_id, "title": "基准议事会", "starts_at": "2026-11-24T19:00", "csrf_token": csrf},
            allow_redirects=False)
        session_id = int(r.headers["Location"].rsplit("/", 1)[1])
        state = await (await http.get(f"{base}/api/sessions/{session_id}/state")).json()
        code = state["state"]["session"]["join_code"]
        tokens = []
        for person in people:
            r = await http.post(f"{base}/api/join/{code}", json=person)
            tokens.append((await r.json())["device_token"])
        cookie = "; ".join(f"{c.key}={c.value}" for c in http.cookie_jar)
    return session_id, code, tokens, cookie


async def run_council(phones_n: int, async_mode: str) -> dict:
    # every phone joins from this one address, as fast as it can: past the join limits
    proc, base, log = start_server("council-bench-", {"COUNCIL_ASYNC_MODE": async_mode,
                                                      "COUNCIL_JOIN_LIMIT_ADDRESS": "",
                                                      "COUNCIL_JOIN_LIMIT_SESSION": ""})
    try:
        wait_http(base + "/api/health", proc)
        watch = ServerWatch(proc.pid)
        session_id, code, tokens, cookie = await open_session(
            base, [{"name": f"居民{i}", "door": f"{i // 4}-{i % 4}"} for i in range(phones_n)])
        headers = {"Cookie": cookie}
        console = (await connect_all(base, [{"role": "console", "session_id": session_id}], headers))[0]
        projector = (await connect_all(base, [{"role": "projector", "session_id": session_id}], headers))[0]
        seen: list[tuple[float, int]] = []

        @projector.on("patch")
        async def on_patch(patch: dict) -> None:
            if patch["part"] == "tally":
                cast = max((t["tally"]["cast"] for t in patch["data"].values()), default=0)
                seen.append((time.perf_counter(), cast))

        await console.call("step.advance", {})
        proposal = (await console.call("proposal.create", {"title": "安装电梯"}))["proposal_id"]
        await console.call("step.advance", {})
        poll = (await console.call("poll.open", {"proposal_id": proposal}))["poll_id"]
        phones = await connect_all(base, [{"role": "phone", "code": code, "token": t} for t in tokens])
        await asyncio.sleep(0.5)
        cpu0 = watch.cpu()
        result = await vote_round(phones, poll, seen, phones_n)
        await asyncio.sleep(0.5)  # let the coalesced batches for phones go out
        cpu = watch.cpu() - cpu0
        closed = await console.call("poll.close", {"poll_id": poll})
        peak = watch.peak_rss_mb()
        for c in [*phones, console, projector]:
            await c.disconnect()
        return {**result, "counted": closed["cast"], "server_cpu_s": cpu, "server_peak_rss_mb": peak}
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


async def run_bare(phones_n: int) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, str(ROOT / "benchmarks" / "bare_server.py"), str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(base + "/health", proc)
        watch = ServerWatch(proc.pid)
        projector = (await connect_all(base, [{"role": "projector"}]))[0]
        seen: list[tuple[float, int]] = []

        @projector.on("patch")
        async def on_patch(patch: dict) -> None:
            seen.append((time.perf_counter(), patch["data"]["1"]["cast"]))

        phones = await connect_all(base, [{"role": "phone"}] * phones_n)
        await asyncio.sleep(0.5)
        cpu0 = watch.cpu()
        result = await vote_round(phones, 1, seen, phones_n)
        cpu = watch.cpu() - cpu0
        peak = watch.peak_rss_mb()
        for c in [*phones, projector]:
            await c.disconnect()
        return {**result, "server_cpu_s": cpu, "server_peak_rss_mb": peak}
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=500)
    parser.add_argument("--async-mode", choices=("gevent", "threading"), default="gevent",
                        help="the Socket.IO server mode of `council serve`")
    args = parser.parse_args()
    council = asyncio.run(run_council(args.phones, args.async_mode))
    bare = asyncio.run(run_bare(args.phones))
    lat, base_lat = council["latencies"], bare["latencies"]
    print(json.dumps({
        "phones": args.phones,
        "async_mode": args.async_mode,
        "sent": args.phones,
        "acknowledged": council["acks"]["ok"],
        "counted": council["counted"],
        "send_spread_s": round(council["spread_s"], 3),
        "p50_ms": round(statistics.median(lat), 1) if lat else None,
        "p99_ms": round(percentile(lat, 0.99), 1) if lat else None,
        "max_ms": round(max(lat), 1) if lat else None,
        "shown_on_projector": len(lat),
        "baseline_p50_ms": round(statistics.median(base_lat), 1) if base_lat else None,
        "baseline_p99_ms": round(percentile(base_lat, 0.99), 1) if base_lat else None,
        "baseline_counted": bare["acks"]["ok"],
        "server_cpu_s": round(council["server_cpu_s"], 2),
        "server_peak_rss_mb": round(council["server_peak_rss_mb"], 1),
        "baseline_server_cpu_s": round(bare["server_cpu_s"], 2),
        "baseline_server_peak_rss_mb": round(bare["server_peak_rss_mb"], 1),
        "cores": os.cpu_count(),
        "note": "server, load generator and projector share this machine",
    }, indent=2))


if __name__ == "__main__":
    main()
