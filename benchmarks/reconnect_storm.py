"""Reconnect storm: N phones drop and reconnect at once; how soon does each have the state again?

Starts `council serve` as a user would (live_vote.py's helpers: a fresh SQLite file, or a fresh
PostgreSQL database with --database-url; --processes 2 shares the session through Redis), and
sets up a realistic meeting over the console socket as a facilitator would, with the phones
taking part: in the raise step 10 phones raise 2 topics each (20 topics) and half the phones
support 3 of them; then discuss, 3 proposals, decide, a poll open, and half the phones vote.

Then the storm: every phone disconnects at once, and 1 s later all reconnect at once (new
Socket.IO clients with the same auth: role phone, join code, device token; phone i to process
i % N). Measured from the start of the reconnect: when each phone has its `state` event
(all_have_state_s, state_p50_ms, state_p99_ms), which connects were refused (and with which
codes), and whether each state is the full current one (topics, proposals, the poll's count,
the phone's own vote). Meanwhile the console sends `state.get` every 100 ms (the next as soon
as the answer is late) and its answer times are kept (console_p50_ms, console_max_ms). Server
CPU during the storm, per reconnect. Prints one JSON object.

    python benchmarks/reconnect_storm.py [--phones 500] [--database-url URL] [--processes 1|2]

Limits in the benchmark server's environment: the join limits per address and per session are
off (every phone joins from this one address, as fast as it can; as in live_vote.py). The
console's budget (`screen_event_limit`, 300 per 10 s) is raised to 3000 per 10 s: ten whole
states a second cost 50 a second, and a storm that lasted over 15 s would otherwise see the
console refused `rate_limited` by its own budget rather than answered. Nothing else is changed:
a phone's connect takes 5 of its own bucket of 30 per 10 s (the first connect and one reconnect
are 10), and the code limit per address counts only unknown codes, so one reconnect per phone
must never be refused.
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

import psutil
import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent))
from live_vote import (BENCH_ENV, Deployment, LoopLag, connect_all, deployment_options, error_code,  # noqa: E402
                       ms, on_deployment, open_session, percentile, send_like_page)

STORM_ENV = {**BENCH_ENV, "COUNCIL_SCREEN_EVENT_LIMIT": "3000 per 10 seconds"}
AUTHORS, TOPICS_EACH, SUPPORTS_EACH = 10, 2, 3


async def each(items: list, work, concurrency: int = 20) -> list:
    """`work(i, item)` for every item, `concurrency` at a time; the results in order."""
    sem = asyncio.Semaphore(concurrency)

    async def one(i: int, item: object) -> object:
        async with sem:
            return await work(i, item)
    return list(await asyncio.gather(*(one(i, x) for i, x in enumerate(items))))


def check(reply: dict, what: str) -> dict:
    if error_code(reply):
        raise RuntimeError(f"{what} refused: {reply}")
    return reply


async def set_up_meeting(console: socketio.AsyncClient, phones: list[socketio.AsyncClient]) -> dict:
    """Topics, supports, proposals, an open poll and half the room's votes, as in a meeting."""
    state = check(await console.call("state.get", timeout=60), "state.get")["state"]
    if state["session"]["step"] != "raise":
        raise RuntimeError(f"a new session starts in the raise step, not {state['session']['step']}")
    n = len(phones)
    authors = phones[:min(AUTHORS, n)]

    async def raise_topics(i: int, phone: socketio.AsyncClient) -> list[int]:
        ids = []
        for k in range(TOPICS_EACH):
            sent = await send_like_page(phone, "topic.raise", {"text": f"楼道第{i * TOPICS_EACH + k + 1}件事：灯坏了"})
            ids.append(check(sent["reply"], "topic.raise")["topic_id"])
        return ids
    topic_ids = [t for ids in await each(authors, raise_topics) for t in ids]

    async def support(i: int, phone: socketio.AsyncClient) -> int:
        done = 0
        for k in range(SUPPORTS_EACH):
            topic = topic_ids[(i * SUPPORTS_EACH + k) % len(topic_ids)]
            sent = await send_like_page(phone, "topic.support", {"topic_id": topic, "on": True})
            done += error_code(sent["reply"]) is None
        return done
    supports = sum(await each(phones[: n // 2], support))
    check(await console.call("step.advance", {}), "step.advance")  # discuss
    proposals = [check(await console.call("proposal.create", {"title": title, "topic_id": topic}), "proposal.create")
                 ["proposal_id"] for title, topic in zip(("修楼道灯", "装电梯", "划车位"), topic_ids)]
    check(await console.call("step.advance", {}), "step.advance")  # decide
    poll = check(await console.call("poll.open", {"proposal_id": proposals[0]}), "poll.open")["poll_id"]
    choices = ("yes", "no", "abstain")

    async def vote(i: int, phone: socketio.AsyncClient) -> str | None:
        choice = choices[i % 3]
        sent = await send_like_page(phone, "ballot.cast", {"poll_id": poll, "choice": choice,
                                                          "client_id": uuid.uuid4().hex})
        return choice if error_code(sent["reply"]) is None else None
    voted = await each(phones[n // 2:], vote)
    votes = {n // 2 + i: c for i, c in enumerate(voted) if c is not None}
    return {"topics": len(topic_ids), "supports": supports, "proposals": len(proposals), "poll_id": poll,
            "votes": votes}


def stale(state: dict, expected: dict, choice: str | None) -> list[str]:
    """What a phone's state lacks of the current one."""
    wrong = []
    if len(state.get("topics", [])) != expected["topics"]:
        wrong.append("topics")
    if len(state.get("proposals", [])) != expected["proposals"]:
        wrong.append("proposals")
    poll = next((p for p in state.get("polls", []) if p["id"] == expected["poll_id"]), None)
    if poll is None or poll.get("status") != "open" or (poll.get("tally") or {}).get("cast") != len(expected["votes"]):
        wrong.append("poll")
    if (state.get("me") or {}).get("ballots", {}).get(str(expected["poll_id"])) != choice:
        wrong.append("me")
    return wrong


async def console_probe(console: socketio.AsyncClient, stop: asyncio.Event, answers: list) -> None:
    """`state.get` every 100 ms (at once after a late answer) until `stop`."""
    while not stop.is_set():
        t0 = time.perf_counter()
        try:
            reply = await console.call("state.get", timeout=30)
            code = error_code(reply)
        except socketio.exceptions.TimeoutError:
            code = "timeout"
        answers.append(((time.perf_counter() - t0) * 1000, code))
        try:
            await asyncio.wait_for(stop.wait(), max(0.0, t0 + 0.1 - time.perf_counter()))
        except asyncio.TimeoutError:
            pass


async def storm(deployment: Deployment, phones_n: int) -> dict:
    deployment.wait()
    base = deployment.bases[0]
    session_id, code, tokens, cookie = await open_session(
        base, [{"name": f"居民{i}", "door": f"{i // 4}-{i % 4}"} for i in range(phones_n)], deployment.bases)
    console = (await connect_all(base, [{"role": "console", "session_id": session_id}], {"Cookie": cookie}))[0]
    auths = [{"role": "phone", "code": code, "token": tok} for tok in tokens]
    phones = await connect_all(deployment.bases, auths)
    t = time.perf_counter()
    meeting = await set_up_meeting(console, phones)
    setup_s = time.perf_counter() - t
    await asyncio.sleep(1.5)  # the last coalesced batches go out; the room is quiet
    idle: list = []
    stop = asyncio.Event()
    probe = asyncio.create_task(console_probe(console, stop, idle))
    await asyncio.sleep(1.0)
    stop.set()
    await probe

    t = time.perf_counter()
    await asyncio.gather(*(p.disconnect() for p in phones))
    disconnect_s = time.perf_counter() - t
    await asyncio.sleep(1.0)  # every drop noticed

    got: list[float | None] = [None] * phones_n
    states: list[dict | None] = [None] * phones_n
    refusals: list = []

    def on_state(i: int, client: socketio.AsyncClient) -> None:
        def received(state: dict) -> None:
            if got[i] is None:
                got[i] = time.perf_counter()
                states[i] = state
        client.on("state", received)

    answers: list = []
    stop = asyncio.Event()
    me = psutil.Process()
    cpu0, db0, client0 = deployment.cpu(), deployment.database_cpu(), sum(me.cpu_times()[:2])
    start = time.perf_counter()
    probe = asyncio.create_task(console_probe(console, stop, answers))
    with LoopLag() as lag:
        phones = await connect_all(deployment.bases, auths, concurrency=phones_n, before=on_state,
                                   refusals=refusals, wait_timeout=120)
        deadline = time.perf_counter() + 60
        while any(g is None for i, g in enumerate(got) if phones[i] is not None) and time.perf_counter() < deadline:
            await asyncio.sleep(0.01)
    end = time.perf_counter()
    cpu = [after - before for after, before in zip(deployment.cpu(), cpu0)]
    db_cpu = deployment.database_cpu() - db0 if db0 is not None else None
    client_cpu = sum(me.cpu_times()[:2]) - client0
    await asyncio.sleep(0.5)  # one more console answer after the storm
    stop.set()
    await probe
    peak = deployment.peak_rss_mb()
    await asyncio.gather(*(c.disconnect() for c in [*phones, console] if c is not None))

    after = [(g - start) * 1000 for g in got if g is not None]
    stale_parts: dict[str, int] = {}
    stale_phones = 0
    for i, state in enumerate(states):
        if state is not None:
            wrong = stale(state, meeting, meeting["votes"].get(i))
            stale_phones += bool(wrong)
            for part in wrong:
                stale_parts[part] = stale_parts.get(part, 0) + 1
    codes: dict[str, int] = {}
    for i, data in refusals:
        err = data.get("data", data) if isinstance(data, dict) else {"code": str(data)}
        codes[str(err.get("code"))] = codes.get(str(err.get("code")), 0) + 1
        print("reconnect refused:", i, data, file=sys.stderr)
    console_ms = [a for a, _ in answers]
    console_codes: dict[str, int] = {}
    for _, c in answers:
        if c:
            console_codes[c] = console_codes.get(c, 0) + 1
    return {
        "phones": phones_n,
        "processes": len(deployment.procs),
        "database": "postgresql" if deployment.database.startswith("postgresql") else "sqlite",
        "meeting": {"topics": meeting["topics"], "supports": meeting["supports"], "proposals": meeting["proposals"],
                    "votes": len(meeting["votes"]), "setup_s": round(setup_s, 1)},
        "disconnect_s": round(disconnect_s, 2),
        "have_state": len(after),
        "refused": len(refusals),
        "refused_codes": codes,
        "all_have_state_s": round((max(got) - start), 2) if after and len(after) == phones_n else None,
        "state_p50_ms": ms(statistics.median(after)) if after else None,
        "state_p99_ms": ms(percentile(after, 0.99)) if after else None,
        "state_max_ms": ms(max(after)) if after else None,
        "stale_states": stale_phones,
        "stale_parts": stale_parts,
        "storm_s": round(end - start, 2),
        "console_answers": len(answers),
        "console_p50_ms": ms(statistics.median(console_ms)) if console_ms else None,
        "console_p99_ms": ms(percentile(console_ms, 0.99)) if console_ms else None,
        "console_max_ms": ms(max(console_ms)) if console_ms else None,
        "console_not_ok": console_codes,
        "console_idle_p50_ms": ms(statistics.median([a for a, _ in idle])) if idle else None,
        "server_cpu_s": round(sum(cpu), 2),
        "server_cpu_ms_per_reconnect": ms(sum(cpu) * 1000 / phones_n),
        "server_cpu_s_per_process": [round(c, 2) for c in cpu],
        "postgres_cpu_s": round(db_cpu, 2) if db_cpu is not None else None,
        "server_peak_rss_mb": round(max(peak), 1),
        "server_peak_rss_mb_per_process": [round(m, 1) for m in peak],
        "load_generator_cpu_s": round(client_cpu, 2),
        "load_generator_loop_lag_ms": lag.summary(),
        "server_log_errors": deployment.errors_in_logs()[:40],
    }


async def run(phones_n: int, database_url: str | None, processes: int, message_queue: str) -> dict:
    return await on_deployment("council-storm-", STORM_ENV, database_url, processes, message_queue,
                               lambda deployment: storm(deployment, phones_n))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    deployment_options(parser)
    args = parser.parse_args()
    load = os.getloadavg()
    result = asyncio.run(run(args.phones, args.database_url, args.processes, args.message_queue))
    print(json.dumps({**result, "load_average": [round(x, 2) for x in load], "cores": os.cpu_count(),
                      "note": "server(s), phones and console share this machine; the phones drop cleanly "
                              "(a Socket.IO disconnect) and reconnect all at once"},
                     indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
