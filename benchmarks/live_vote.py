"""Live vote benchmark: N phones vote within one second; how fast does the projector show it?

Starts `council serve` as a user would (gevent; a fresh SQLite file, or a fresh PostgreSQL
database), sets a session up over HTTP as a facilitator would, connects N phones over Socket.IO
(websocket), has them all vote within one second, and measures:

- the projector: from each vote sent to the projector showing a count that includes it
  (p50_ms, p99_ms, max_ms);
- the phones: each phone behaves like the phone page (static/js/common.js, `send` with retry):
  it sends `ballot.cast` with a fresh client_id and sends the same payload again after 6 s
  without an answer (pausing min(0.5 × tries, 3) s) or after a `busy` answer (pausing
  0.3 × tries s), up to 20 tries. Acknowledgement latency runs from a phone's first send to
  its ok answer (ack_p50_ms, ack_p99_ms, ack_max_ms); busy_answers, timeouts (that led to a
  resend), failed (final answers not ok, by error code), lost (acknowledged ok but missing
  from the ballots at close), doubled (counted beyond one ballot per phone: should be 0) and
  not_stored (phones whose vote never reached the count);
- how many coalesced `patches` messages each phone got from the first vote sent until 1 s
  after the last acknowledgement (median and max);
- the console's `poll.close` answer time after the round, and the count it reports;
- server CPU during the round, per vote (summed over the processes, and per process), and peak
  memory; with PostgreSQL also the database's own CPU (every postgres process of this machine).

Then runs the same load against a bare Flask-SocketIO server that only counts (benchmarks/
bare_server.py, one process, SQLite-free), the transport's ceiling. Prints one JSON object.

    python benchmarks/live_vote.py [--phones 500] [--database-url URL] [--processes 1|2]
                                   [--message-queue redis://127.0.0.1:6379/0] [--async-mode gevent]

--database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres: a fresh database
  council_bench_<hex> is created on that server for the run and dropped afterwards (the URL's
  own database is only used to issue CREATE/DROP DATABASE). Without it: a fresh SQLite file.
--processes 2: two `council serve` processes on two ports over the same database, sharing the
  live sessions through the message queue (Redis, a fresh channel per run). Phones join over
  HTTP and connect alternately to each process; console and projector use the first.
--phones 2000 works: joins run 20 at a time, connects 50 at a time.

The benchmark servers run with the join limits per address and per session switched off
(every phone joins from this one address, as fast as it can); the event budgets stay as
configured (a vote costs 1 of a phone's 30 per 10 s).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import aiohttp
import psutil
import socketio

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "benchmark-pass"
DEFAULT_QUEUE = "redis://127.0.0.1:6379/0"
# every phone joins from this one address, as fast as it can: past the join limits
BENCH_ENV = {"COUNCIL_JOIN_LIMIT_ADDRESS": "", "COUNCIL_JOIN_LIMIT_SESSION": ""}
# the phone page's resend (static/js/common.js, `send` with retry)
ACK_TIMEOUT_S = 6.0
MAX_TRIES = 20


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
    """CPU time and peak resident memory of a server process."""

    def __init__(self, pid: int) -> None:
        self.proc = psutil.Process(pid)

    def cpu(self) -> float:
        t = self.proc.cpu_times()
        return t.user + t.system

    def peak_rss_mb(self) -> float:
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def postgres_cpu() -> float:
    """CPU time of every PostgreSQL process on this machine, finished backends included (they
    are counted to the postmaster's children): what the database costs the machine."""
    total = 0.0
    for proc in psutil.process_iter(["name", "ppid"]):
        if proc.info["name"] != "postgres":
            continue
        try:
            t = proc.cpu_times()
            parent = psutil.Process(proc.info["ppid"]).name() if proc.info["ppid"] else ""
        except psutil.Error:
            continue
        total += t.user + t.system + (t.children_user + t.children_system if parent != "postgres" else 0.0)
    return total


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


def ms(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


# --- databases and server processes --------------------------------------------------------------

def _psycopg_url(sqlalchemy_url: Any) -> str:
    return sqlalchemy_url.set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def fresh_database(database_url: str | None) -> Iterator[str | None]:
    """With a PostgreSQL URL: a new database `council_bench_<hex>` on that server, dropped at the
    end; the URL of the new database. Without one: None (start_servers makes a SQLite file)."""
    if not database_url:
        yield None
        return
    import psycopg
    from sqlalchemy.engine import make_url
    url = make_url(database_url)
    if not url.drivername.startswith("postgresql"):
        raise SystemExit(f"--database-url: a PostgreSQL URL (postgresql+psycopg://…), not {database_url!r}")
    name = f"council_bench_{secrets.token_hex(4)}"
    with psycopg.connect(_psycopg_url(url), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_psycopg_url(url), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Deployment:
    """The `council serve` processes of one benchmark run, over one database."""
    procs: list[subprocess.Popen]
    bases: list[str]
    logs: list[Any]
    folder: Path
    database: str
    channel: str | None = None
    watches: list[ServerWatch] = field(default_factory=list)

    def wait(self, timeout: float = 60) -> None:
        for proc, base in zip(self.procs, self.bases):
            wait_http(base + "/api/health", proc, timeout)
        self.watches = [ServerWatch(p.pid) for p in self.procs]

    def cpu(self) -> list[float]:
        return [w.cpu() for w in self.watches]

    def database_cpu(self) -> float | None:
        """PostgreSQL's CPU time (all of it on this machine); None with SQLite, which runs
        inside the server processes and is counted in theirs."""
        return postgres_cpu() if self.database.startswith("postgresql") else None

    def peak_rss_mb(self) -> list[float]:
        return [w.peak_rss_mb() for w in self.watches]

    def log_tails(self, lines: int = 30) -> str:
        out = []
        for i, log in enumerate(self.logs):
            log.flush()
            text = Path(log.name).read_text(errors="replace").splitlines()
            out.append(f"--- server {i} log ({log.name}), last {lines} lines ---")
            out.extend(text[-lines:])
        return "\n".join(out)

    def errors_in_logs(self) -> list[str]:
        """Lines of the server logs that look like trouble (tracebacks, errors)."""
        found = []
        for i, log in enumerate(self.logs):
            log.flush()
            for line in Path(log.name).read_text(errors="replace").splitlines():
                if re.search(r"Traceback|Error|ERROR|Exception|CRITICAL", line):
                    found.append(f"[server {i}] {line}")
        return found

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        for log in self.logs:
            log.close()


def start_servers(prefix: str, extra_env: dict[str, str], processes: int = 1, database_url: str | None = None,
                  message_queue: str | None = None) -> Deployment:
    """`processes` × `council serve` over one database (a fresh SQLite file unless `database_url`
    is given), with the account `bench`, as a user starts it. With more than one process they
    share the live sessions through `message_queue` (default: the local Redis) on a channel of
    their own. `db upgrade` and `facilitator add` run once."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    database = database_url or f"sqlite:///{tmp / 'council.db'}"
    ports = [free_port() for _ in range(processes)]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    env = {**os.environ, "COUNCIL_DATABASE_URL": database, "COUNCIL_SECRET_KEY": "bench",
           "COUNCIL_PUBLIC_URL": bases[0]}
    channel = None
    if processes > 1:
        channel = f"bench-{secrets.token_hex(6)}"  # runs on one Redis never hear each other
        env.update({"COUNCIL_MESSAGE_QUEUE": message_queue or DEFAULT_QUEUE, "COUNCIL_MESSAGE_QUEUE_CHANNEL": channel})
    env.update(extra_env)
    council = [sys.executable, "-c", "from council.entry import main; main()"]
    for command in (["db", "upgrade"], ["facilitator", "add", "bench", "--password", PASSWORD]):
        done = subprocess.run(council + command, env=env, capture_output=True, cwd=ROOT, text=True)
        if done.returncode:
            raise RuntimeError(f"council {' '.join(command[:2])} failed:\n{done.stdout}\n{done.stderr}")
    procs, logs = [], []
    for i, port in enumerate(ports):
        log = open(tmp / f"server{i}.log" if processes > 1 else tmp / "server.log", "w")
        procs.append(subprocess.Popen(
            [sys.executable, "-c", f"import sys; sys.argv=['council','serve','--host','127.0.0.1',"
             f"'--port','{port}']; from council.entry import main; main()"],
            env={**env, "COUNCIL_PUBLIC_URL": bases[i]}, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))
        logs.append(log)
    return Deployment(procs, bases, logs, tmp, database, channel)


def start_server(prefix: str, extra_env: dict[str, str], database_url: str | None = None
                 ) -> tuple[subprocess.Popen, str, Any]:
    """One `council serve` on a fresh SQLite database (or `database_url`) with the account
    `bench`, as a user starts it; returns the process, its address and its open log."""
    deployment = start_servers(prefix, extra_env, 1, database_url)
    return deployment.procs[0], deployment.bases[0], deployment.logs[0]


# --- clients ----------------------------------------------------------------------------------------

async def open_session(base: str, people: list[dict[str, str]], join_bases: Sequence[str] | None = None,
                       concurrency: int = 20) -> tuple[int, str, list[str], str]:
    """Log in as a facilitator would, make a council and a session, and join `people` (name,
    door) over HTTP, `concurrency` at a time, person i at join_bases[i % len] (default: `base`):
    the session's id, its join code, the device tokens (in the order of `people`), the login cookie."""
    timeout = aiohttp.ClientTimeout(total=300)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True), timeout=timeout) as http:
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
        cookie = "; ".join(f"{c.key}={c.value}" for c in http.cookie_jar)
    join_bases = list(join_bases or [base])
    sem = asyncio.Semaphore(concurrency)
    async with aiohttp.ClientSession(timeout=timeout) as joiner:  # no login cookie: a resident's phone

        async def join(i: int, person: dict[str, str]) -> str:
            async with sem:
                r = await joiner.post(f"{join_bases[i % len(join_bases)]}/api/join/{code}", json=person)
                body = await r.json()
                if not body.get("ok"):
                    raise RuntimeError(f"join {i} refused: HTTP {r.status} {body}")
                return body["device_token"]
        tokens = await asyncio.gather(*(join(i, p) for i, p in enumerate(people)))
    return session_id, code, list(tokens), cookie


async def connect_all(url: str | Sequence[str], auths: list[dict], headers: dict | None = None, *,
                      concurrency: int = 50, before: Callable[[int, socketio.AsyncClient], None] | None = None,
                      refusals: list | None = None, wait_timeout: float = 60) -> list[socketio.AsyncClient]:
    """A Socket.IO client (websocket) per auth, `concurrency` connecting at a time; client i to
    url[i % len] when `url` is a list. `before(i, client)` runs before connecting (to register
    handlers). A refused connect raises, unless `refusals` is given: then (i, error data) is
    appended there and that client is None in the list."""
    urls = [url] if isinstance(url, str) else list(url)
    sem = asyncio.Semaphore(concurrency)

    async def one(i: int, auth: dict) -> socketio.AsyncClient | None:
        async with sem:
            c = socketio.AsyncClient(reconnection=False)
            refused_with: list = []

            @c.on("connect_error")
            async def refused(data: object) -> None:
                refused_with.append(data)
                if refusals is None:
                    print("connection refused:", auth, data, file=sys.stderr)
            if before is not None:
                before(i, c)
            try:
                await c.connect(urls[i % len(urls)], auth=auth, transports=["websocket"],
                                headers=dict(headers or {}),  # a copy: the client consumes the Cookie header
                                wait_timeout=wait_timeout)
            except socketio.exceptions.ConnectionError as err:
                if refusals is None:
                    raise
                refusals.append((i, refused_with[0] if refused_with else str(err)))
                return None
            return c
    clients = await asyncio.gather(*(one(i, a) for i, a in enumerate(auths)))
    return list(clients)


class LoopLag:
    """How late this process's event loop wakes a 10 ms timer: when the load generator itself is
    saturated its timings grow by about this much."""

    def __init__(self) -> None:
        self.lags: list[float] = []
        self.task: asyncio.Task | None = None

    async def _tick(self) -> None:
        while True:
            t0 = time.perf_counter()
            await asyncio.sleep(0.01)
            self.lags.append((time.perf_counter() - t0 - 0.01) * 1000)

    def __enter__(self) -> LoopLag:
        self.task = asyncio.get_running_loop().create_task(self._tick())
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.task is not None:
            self.task.cancel()

    def summary(self) -> dict[str, float | None]:
        return {"p99_ms": ms(percentile(self.lags, 0.99)) if self.lags else None,
                "max_ms": ms(max(self.lags)) if self.lags else None}


def error_code(reply: object) -> str | None:
    """The error code of a Socket.IO answer, None when it is ok."""
    if isinstance(reply, dict) and reply.get("ok"):
        return None
    if isinstance(reply, dict) and isinstance(reply.get("error"), dict):
        return str(reply["error"].get("code"))
    return "empty"


async def send_like_page(client: socketio.AsyncClient, event: str, payload: dict) -> dict:
    """Send as the phone page does with retry: the same payload again after a 6 s timeout or a
    `busy` answer, up to 20 tries. The final answer with the tries, busy answers and timeouts."""
    tries = busy = timeouts = 0
    while True:
        tries += 1
        try:
            reply = await client.call(event, payload, timeout=ACK_TIMEOUT_S)
        except socketio.exceptions.TimeoutError:
            if tries < MAX_TRIES:
                timeouts += 1
                await asyncio.sleep(min(0.5 * tries, 3.0))
                continue
            reply = {"ok": False, "error": {"code": "timeout"}}
        except Exception as err:  # not connected any more: what the page would show as an error
            reply = {"ok": False, "error": {"code": f"client:{type(err).__name__}"}}
        else:
            if error_code(reply) == "busy":
                busy += 1
                if tries < MAX_TRIES:
                    await asyncio.sleep(0.3 * tries)
                    continue
        return {"reply": reply, "tries": tries, "busy": busy, "timeouts": timeouts}


async def vote_round(phones: list[socketio.AsyncClient], poll_id: int, projector_seen: list[tuple[float, int]],
                     batches: list[list[float]] | None = None) -> dict:
    """Every phone votes once, spread evenly over one second, resending like the page; then waits
    until the projector shows every acknowledged vote (at most 30 s) and until 1 s after the
    last acknowledgement. Returns per-phone outcomes and the figures derived from them."""
    n = len(phones)
    first_sent: list[float | None] = [None] * n
    outcomes: list[dict | None] = [None] * n
    start = time.perf_counter() + 0.2

    async def vote(i: int, phone: socketio.AsyncClient) -> None:
        await asyncio.sleep(max(0.0, start + i / n - time.perf_counter()))
        payload = {"poll_id": poll_id, "choice": ("yes", "no", "abstain")[i % 3], "client_id": uuid.uuid4().hex}
        first_sent[i] = t0 = time.perf_counter()
        result = await send_like_page(phone, "ballot.cast", payload)
        result["answered_at"] = time.perf_counter()
        result["ack_ms"] = (result["answered_at"] - t0) * 1000
        result["code"] = error_code(result["reply"])
        outcomes[i] = result

    with LoopLag() as lag:
        await asyncio.gather(*(vote(i, p) for i, p in enumerate(phones)))
    ok = [o for o in outcomes if o["code"] is None]
    want = len(ok)
    last_ack = max(o["answered_at"] for o in outcomes)
    deadline = time.perf_counter() + 30
    # with two processes counts may reach the projector out of order: wait for the highest
    while max((c for _, c in projector_seen), default=0) < want and time.perf_counter() < deadline:
        await asyncio.sleep(0.01)
    await asyncio.sleep(max(0.0, last_ack + 1.0 - time.perf_counter()))  # let the last batches go out
    sent = sorted(t for t in first_sent if t is not None)
    latencies = []
    for k, t_sent in enumerate(sent[:want], start=1):
        shown = next((t for t, count in projector_seen if count >= k), None)
        if shown is not None:
            latencies.append((shown - t_sent) * 1000)
    failed: dict[str, int] = {}
    for o in outcomes:
        if o["code"] is not None:
            failed[o["code"]] = failed.get(o["code"], 0) + 1
    per_phone_batches = None
    if batches is not None:
        per_phone_batches = [sum(1 for t in b if sent[0] <= t <= last_ack + 1.0) for b in batches]
    return {"latencies": latencies, "acks": [o["ack_ms"] for o in ok], "outcomes": outcomes,
            "acknowledged": want, "failed": failed,
            "busy_answers": sum(o["busy"] for o in outcomes), "timeouts": sum(o["timeouts"] for o in outcomes),
            "resent": sum(o["tries"] - 1 for o in outcomes),
            "duplicate_answers": sum(1 for o in ok if o["reply"].get("duplicate")),
            "spread_s": sent[-1] - sent[0] if sent else 0, "round_s": last_ack - sent[0] if sent else 0,
            "batches": per_phone_batches, "loop_lag": lag.summary()}


# --- the runs --------------------------------------------------------------------------------------

async def on_deployment(prefix: str, env: dict[str, str], database_url: str | None, processes: int,
                        message_queue: str | None, work: Any) -> dict:
    """Start the servers on a fresh database, run `work(deployment)`, stop them (their logs'
    tails printed if the work failed) and drop the database."""
    with fresh_database(database_url) as database:
        deployment = start_servers(prefix, env, processes, database, message_queue)
        try:
            return await work(deployment)
        except BaseException:
            print(deployment.log_tails(), file=sys.stderr)
            raise
        finally:
            deployment.stop()


def deployment_options(parser: argparse.ArgumentParser) -> None:
    """The options every benchmark of a deployment takes."""
    parser.add_argument("--phones", type=int, default=500)
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL server to make a fresh database on, e.g. "
                             "postgresql+psycopg://postgres@127.0.0.1:5432/postgres (default: a fresh SQLite file)")
    parser.add_argument("--processes", type=int, choices=(1, 2), default=1,
                        help="`council serve` processes sharing the session through the message queue")
    parser.add_argument("--message-queue", default=DEFAULT_QUEUE, help="with --processes 2 (default %(default)s)")


async def run_council(phones_n: int, async_mode: str, database_url: str | None = None, processes: int = 1,
                      message_queue: str | None = None) -> dict:
    return await on_deployment("council-bench-", {**BENCH_ENV, "COUNCIL_ASYNC_MODE": async_mode}, database_url,
                               processes, message_queue, lambda deployment: _council_round(deployment, phones_n))


async def _council_round(deployment: Deployment, phones_n: int) -> dict:
    deployment.wait()
    base = deployment.bases[0]
    names = [f"居民{i}" for i in range(phones_n)]
    t = time.perf_counter()
    session_id, code, tokens, cookie = await open_session(
        base, [{"name": names[i], "door": f"{i // 4}-{i % 4}"} for i in range(phones_n)], deployment.bases)
    join_s = time.perf_counter() - t
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
    batches: list[list[float]] = [[] for _ in range(phones_n)]

    def count_batches(i: int, c: socketio.AsyncClient) -> None:
        c.on("patches", lambda _patches: batches[i].append(time.perf_counter()))

    t = time.perf_counter()
    phones = await connect_all(deployment.bases, [{"role": "phone", "code": code, "token": tok} for tok in tokens],
                               before=count_batches)
    connect_s = time.perf_counter() - t
    await asyncio.sleep(1.0)
    me = psutil.Process()
    cpu0, db0, client0 = deployment.cpu(), deployment.database_cpu(), sum(me.cpu_times()[:2])
    result = await vote_round(phones, poll, seen, batches)
    cpu = [after - before for after, before in zip(deployment.cpu(), cpu0)]
    db_cpu = deployment.database_cpu() - db0 if db0 is not None else None
    client_cpu = sum(me.cpu_times()[:2]) - client0
    t = time.perf_counter()
    closed = await console.call("poll.close", {"poll_id": poll}, timeout=60)
    close_ms = (time.perf_counter() - t) * 1000
    if error_code(closed):
        print("poll.close refused:", closed, file=sys.stderr)
    final = await console.call("state.get", timeout=60)
    voters = {b["voter"] for b in final["state"]["ballots"][str(poll)]["ballots"]} if not error_code(final) else set()
    acked = [i for i, o in enumerate(result["outcomes"]) if o["code"] is None]
    lost = [names[i] for i in acked if names[i] not in voters]
    not_acked_counted = sum(1 for i, o in enumerate(result["outcomes"]) if o["code"] is not None and names[i] in voters)
    peak = deployment.peak_rss_mb()
    await asyncio.gather(*(c.disconnect() for c in [*phones, console, projector]))
    counted = closed.get("cast") if isinstance(closed, dict) else None
    return {**result, "counted": counted, "close_ms": close_ms, "lost": len(lost), "lost_names": lost[:20],
            # counted beyond one ballot per phone that voted: a vote stored twice
            "doubled": (counted - sum(1 for n in names if n in voters)) if counted is not None else None,
            "not_stored": sum(1 for n in names if n not in voters),  # phones whose vote never reached the count
            "counted_not_acknowledged": not_acked_counted,
            "server_cpu_s": sum(cpu), "server_cpu_s_per_process": cpu, "postgres_cpu_s": db_cpu,
            "server_peak_rss_mb": max(peak), "server_peak_rss_mb_per_process": peak,
            "client_cpu_s": client_cpu, "join_s": join_s, "connect_s": connect_s,
            "server_log_errors": deployment.errors_in_logs()[:40]}


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
        await asyncio.sleep(1.0)
        cpu0 = watch.cpu()
        result = await vote_round(phones, 1, seen)
        cpu = watch.cpu() - cpu0
        peak = watch.peak_rss_mb()
        await asyncio.gather(*(c.disconnect() for c in [*phones, projector]))
        return {**result, "server_cpu_s": cpu, "server_peak_rss_mb": peak}
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    deployment_options(parser)
    parser.add_argument("--async-mode", choices=("gevent", "threading"), default="gevent",
                        help="the Socket.IO server mode of `council serve`")
    args = parser.parse_args()
    load = os.getloadavg()
    council = asyncio.run(run_council(args.phones, args.async_mode, args.database_url, args.processes,
                                      args.message_queue))
    bare = asyncio.run(run_bare(args.phones))
    lat, base_lat, acks = council["latencies"], bare["latencies"], council["acks"]
    batches = council["batches"] or []
    print(json.dumps({
        "phones": args.phones,
        "async_mode": args.async_mode,
        "database": "postgresql" if args.database_url else "sqlite",
        "processes": args.processes,
        "message_queue": args.message_queue if args.processes > 1 else None,
        "sent": args.phones,
        "acknowledged": council["acknowledged"],
        "counted": council["counted"],
        "lost": council["lost"],
        "doubled": council["doubled"],
        "not_stored": council["not_stored"],
        "counted_not_acknowledged": council["counted_not_acknowledged"],
        "failed": sum(council["failed"].values()),
        "failed_codes": council["failed"],
        "busy_answers": council["busy_answers"],
        "timeouts": council["timeouts"],
        "resent": council["resent"],
        "duplicate_answers": council["duplicate_answers"],
        "send_spread_s": round(council["spread_s"], 3),
        "round_s": round(council["round_s"], 2),
        "ack_p50_ms": ms(statistics.median(acks)) if acks else None,
        "ack_p99_ms": ms(percentile(acks, 0.99)) if acks else None,
        "ack_max_ms": ms(max(acks)) if acks else None,
        "p50_ms": ms(statistics.median(lat)) if lat else None,
        "p99_ms": ms(percentile(lat, 0.99)) if lat else None,
        "max_ms": ms(max(lat)) if lat else None,
        "shown_on_projector": len(lat),
        "phone_batches_per_phone_median": statistics.median(batches) if batches else None,
        "phone_batches_per_phone_max": max(batches) if batches else None,
        "console_close_ms": ms(council["close_ms"]),
        "server_cpu_s": round(council["server_cpu_s"], 2),
        "server_cpu_ms_per_vote": ms(council["server_cpu_s"] * 1000 / args.phones),
        "server_cpu_s_per_process": [round(c, 2) for c in council["server_cpu_s_per_process"]],
        "postgres_cpu_s": round(council["postgres_cpu_s"], 2) if council["postgres_cpu_s"] is not None else None,
        "postgres_cpu_ms_per_vote": (ms(council["postgres_cpu_s"] * 1000 / args.phones)
                                     if council["postgres_cpu_s"] is not None else None),
        "server_peak_rss_mb": round(council["server_peak_rss_mb"], 1),
        "server_peak_rss_mb_per_process": [round(m, 1) for m in council["server_peak_rss_mb_per_process"]],
        "load_generator_cpu_s": round(council["client_cpu_s"], 2),
        "load_generator_loop_lag_ms": council["loop_lag"],
        "baseline_load_generator_loop_lag_ms": bare["loop_lag"],
        "join_s": round(council["join_s"], 1),
        "connect_s": round(council["connect_s"], 1),
        "baseline_p50_ms": ms(statistics.median(base_lat)) if base_lat else None,
        "baseline_p99_ms": ms(percentile(base_lat, 0.99)) if base_lat else None,
        "baseline_ack_p50_ms": ms(statistics.median(bare["acks"])) if bare["acks"] else None,
        "baseline_ack_p99_ms": ms(percentile(bare["acks"], 0.99)) if bare["acks"] else None,
        "baseline_counted": bare["acknowledged"],
        "baseline_server_cpu_s": round(bare["server_cpu_s"], 2),
        "baseline_server_cpu_ms_per_vote": ms(bare["server_cpu_s"] * 1000 / args.phones),
        "baseline_server_peak_rss_mb": round(bare["server_peak_rss_mb"], 1),
        "server_log_errors": council["server_log_errors"],
        "load_average": [round(x, 2) for x in load],
        "cores": os.cpu_count(),
        "note": "server(s), load generator and projector share this machine; the baseline is one bare process",
    }, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
