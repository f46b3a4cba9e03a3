"""Flood benchmark: one phone sends thousands of events without waiting; how does the room fare?

Starts `council serve` as a user would (SQLite, gevent), sets a session up over HTTP, connects
a console, a flooding phone and a bystander phone. For each kind of flood (topics, whole
states, votes) the flooder sends N events as fast as its socket takes them, while the
bystander does what a resident does, one event every 0.4 s, and its round trips are timed.
Prints one JSON object: per flood, the bystander's round trip (p50, p99, max), how many of the
flood's events were answered, accepted and refused, and what the flood stored.

    python benchmarks/flood.py [--events 5000]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parent))
from live_vote import ServerWatch, connect_all, open_session, percentile, start_server, wait_http  # noqa: E402


async def flood_phase(flooder, bystander, n: int, flood_event: str, flood_payload, bystander_call) -> dict:
    """The flood and the bystander at once, until every flood event is answered."""
    answers: list[dict] = []
    round_trips: list[float] = []
    done = asyncio.Event()

    async def bystand() -> None:
        i = 0
        while not done.is_set():
            t0 = time.perf_counter()
            reply = await bystander_call(i)
            round_trips.append((time.perf_counter() - t0) * 1000)
            if not reply.get("ok"):
                print("bystander refused:", reply, file=sys.stderr)
            i += 1
            await asyncio.sleep(0.4)

    watcher = asyncio.create_task(bystand())
    start = time.perf_counter()
    for i in range(n):
        await flooder.emit(flood_event, flood_payload(i), callback=lambda a: answers.append(a))
    sent = time.perf_counter() - start
    deadline = time.perf_counter() + 120
    while len(answers) < n and time.perf_counter() < deadline:
        await asyncio.sleep(0.02)
    took = time.perf_counter() - start
    await asyncio.sleep(0.4)  # one more bystander round after the flood
    done.set()
    await watcher
    codes: dict[str, int] = {}
    for a in answers:
        if not a.get("ok"):
            codes[a["error"]["code"]] = codes.get(a["error"]["code"], 0) + 1
    return {
        "flood_events": n,
        "flood_send_s": round(sent, 2),
        "flood_answered": len(answers),
        "flood_answered_in_s": round(took, 2),
        "flood_accepted": sum(1 for a in answers if a.get("ok")),
        "flood_refused": codes,
        "bystander_round_trips": len(round_trips),
        "bystander_p50_ms": round(statistics.median(round_trips), 1) if round_trips else None,
        "bystander_p99_ms": round(percentile(round_trips, 0.99), 1) if round_trips else None,
        "bystander_max_ms": round(max(round_trips), 1) if round_trips else None,
    }


async def run(n: int) -> dict:
    proc, base, log = start_server("council-flood-", {})
    try:
        wait_http(base + "/api/health", proc)
        watch = ServerWatch(proc.pid)
        session_id, code, tokens, cookie = await open_session(base, [{"name": "刷屏者"}, {"name": "李阿姨"}])
        console = (await connect_all(base, [{"role": "console", "session_id": session_id}], {"Cookie": cookie}))[0]
        flooder, bystander = await connect_all(base, [{"role": "phone", "code": code, "token": t} for t in tokens])
        topic = (await bystander.call("topic.raise", {"text": "楼道灯坏了"}))["topic_id"]
        await asyncio.sleep(10)  # the bystander's raise and connect are out of the window again
        cpu0 = watch.cpu()

        async def support(i: int) -> dict:
            return await bystander.call("topic.support", {"topic_id": topic, "on": i % 2 == 1}, timeout=60)

        results = {}
        results["topics"] = await flood_phase(flooder, bystander, n, "topic.raise",
                                              lambda i: {"text": f"垃圾{i}"}, support)
        state = (await console.call("state.get"))["state"]
        results["topics"]["flood_stored_topics"] = sum(1 for t in state["topics"] if t["text"].startswith("垃圾"))
        await asyncio.sleep(10)
        results["states"] = await flood_phase(flooder, bystander, n, "state.get", lambda i: {}, support)
        await console.call("step.advance", {})
        proposal = (await console.call("proposal.create", {"title": "安装电梯"}))["proposal_id"]
        await console.call("step.advance", {})
        poll = (await console.call("poll.open", {"proposal_id": proposal}))["poll_id"]
        await asyncio.sleep(10)

        async def vote(i: int) -> dict:
            return await bystander.call("ballot.cast", {"poll_id": poll, "choice": ("yes", "no")[i % 2],
                                                        "client_id": uuid.uuid4().hex}, timeout=60)
        results["votes"] = await flood_phase(flooder, bystander, n, "ballot.cast",
                                             lambda i: {"poll_id": poll, "choice": ("yes", "no", "abstain")[i % 3],
                                                        "client_id": uuid.uuid4().hex}, vote)
        closed = await console.call("poll.close", {"poll_id": poll})
        results["votes"]["counted"] = closed["cast"]
        cpu = watch.cpu() - cpu0
        for c in (console, flooder, bystander):
            await c.disconnect()
        return {"events_per_flood": n, **results, "server_cpu_s": round(cpu, 2),
                "server_peak_rss_mb": round(watch.peak_rss_mb(), 1), "cores": os.cpu_count(),
                "note": "server, flooder and bystander share this machine; limits as in config.toml"}
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.events)), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
