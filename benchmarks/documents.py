"""Document speed: each printed document of a large session, against a Latin-only baseline.

A session with 100 topics, 20 polls, 1,000 ballots, 50 actions and a 30-article convention is
built in a fresh SQLite database. Each document is rendered in its own process (a cold
start, then the measured warm render); `html_seconds` is the data and Jinja part (what the
live server does on its event loop), `child_seconds` a render in a child process as
`council serve` does it under gevent (interpreter start included). The baseline renders the same HTML with every CJK
character replaced by two Latin letters (about its width) and a Latin-only font (DejaVu Sans), so the only
difference left is the CJK font: shaping, subsetting and embedding. Prints one JSON object.

    python benchmarks/documents.py
"""
from __future__ import annotations

import datetime as dt
import json
import multiprocessing as mp
import re
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def build(url: str) -> tuple[int, int]:
    """The large session; returns (session id, council id)."""
    from council.app import create_app
    from council.db import get_db
    from council.models import Article, Convention, ConventionVersion
    from council.services import Actor, accounts, actions, participants, polls, proposals, sessions, topics
    from council.domain.convention import STARTING_TEXTS
    app = create_app({"database_url": url, "secret_key": "bench", "async_mode": "threading"})
    with app.app_context():
        db = get_db()
        fac = Actor.facilitator(accounts.add_facilitator(db, "王主任", "benchmark").id)
        council = sessions.create_council(db, fac, "天坛东路64号院", "courtyard")
        s = sessions.create_session(db, fac, council.reply["council_id"], "天坛东路64号院环境提升议事会",
                                    dt.datetime(2026, 11, 24, 11, tzinfo=dt.timezone.utc), place="社区活动室",
                                    recorder="赵记录")
        people = [Actor.participant(participants.join(db, s.reply["join_code"], f"居民{i:02d}", f"{i // 4 + 1}-{i % 4 + 101}")
                                    .reply["participant_id"]) for i in range(50)]
        texts = list(STARTING_TEXTS.values())
        for i in range(100):
            topics.raise_topic(db, people[i % 50], f"议题{i + 1}：{texts[i % len(texts)][:40]}")
        sessions.advance_step(db, fac, s.reply["session_id"])
        ids = [proposals.create_proposal(db, fac, s.reply["session_id"], f"方案{i + 1}：{texts[i % len(texts)][:18]}",
                                         texts[i % len(texts)]).reply["proposal_id"] for i in range(20)]
        sessions.advance_step(db, fac, s.reply["session_id"])
        decisions = []
        for n, pid in enumerate(ids):
            poll = polls.open_poll(db, fac, pid).reply["poll_id"]
            for k, person in enumerate(people):
                polls.cast_vote(db, person, poll, ("yes", "yes", "no", "abstain")[(k + n) % 4], uuid.uuid4().hex)
            polls.close_poll(db, fac, poll)
            decisions.append(poll)
        sessions.advance_step(db, fac, s.reply["session_id"])
        from council.models import Decision
        from sqlalchemy import select
        adopted = [d.id for d in db.scalars(select(Decision).where(Decision.adopted.is_(True)))]
        for i in range(50):
            actions.create_action(db, fac, adopted[i % len(adopted)], f"行动{i + 1}：{texts[i % len(texts)][:30]}",
                                  f"负责人{i + 1}", "2026-12-31", "property" if i % 2 else "building_head")
        conv = Convention(council_id=council.reply["council_id"], title="天坛东路64号院院落公约", preamble="为维护本院良好的居住环境，制定本公约。")
        db.add(conv)
        db.flush()
        version = ConventionVersion(convention_id=conv.id, number=7, change="新增条款")
        db.add(version)
        db.flush()
        for n in range(1, 31):
            db.add(Article(version_id=version.id, number=n, text=texts[n % len(texts)] * 2,
                           source={"session": s.title, "date": "2026-11-24", "yes": 30, "no": 10, "abstain": 10}))
        db.commit()
        return s.reply["session_id"], council.reply["council_id"]


def render(url: str, name: str, baseline: bool, out: "mp.Queue[dict]") -> None:
    """In a fresh process: build the HTML, render once cold, then the measured warm render."""
    from council.app import create_app
    from council import documents
    from council.db import get_db
    from council.documents import render as rendering
    session_id, council_id = 1, 1
    font = "DejaVu Sans" if baseline else "Noto Sans CJK SC"
    app = create_app({"database_url": url, "secret_key": "bench", "async_mode": "threading", "pdf_font": font,
                      "public_url": "http://192.168.1.20:5000"})
    with app.test_request_context():
        db = get_db()
        make = {"minutes": lambda: documents.minutes_html(db, session_id),
                "notice": lambda: documents.notice_html(db, session_id),
                "convention": lambda: documents.convention_html(db, council_id)}[name]
        make()
        t = time.perf_counter()
        html = make()  # the part the live server runs on its event loop: data, then Jinja
        html_seconds = time.perf_counter() - t
    if baseline:
        html = CJK.sub("xx", html)  # two Latin letters take about the width of one CJK glyph
    t = time.perf_counter()
    documents._write_pdf(html)
    cold = time.perf_counter() - t
    t = time.perf_counter()
    pdf = documents._write_pdf(html)
    warm = time.perf_counter() - t
    t = time.perf_counter()
    rendering._in_child(html)  # as `council serve` renders under gevent: in a child process
    child = time.perf_counter() - t
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True)
                          .stdout.decode()).group(1))
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True).stdout.decode()
    out.put({"seconds": warm, "cold_seconds": cold, "child_seconds": child, "html_seconds": html_seconds, "pages": pages, "bytes": len(pdf),
             "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
             "cjk_font": "CJK" in fonts})


def measure(url: str, name: str, baseline: bool) -> dict:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=render, args=(url, name, baseline, queue))
    proc.start()
    result = queue.get(timeout=600)
    proc.join()
    return result


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="council-docs-"))
    url = f"sqlite:///{tmp / 'council.db'}"
    from council import migrate
    migrate.upgrade(url)
    build(url)
    out = []
    for name in ("minutes", "notice", "convention"):
        cjk, latin = measure(url, name, False), measure(url, name, True)
        assert cjk["cjk_font"] and not latin["cjk_font"]
        out.append({"name": name, "pages": cjk["pages"], "seconds": round(cjk["seconds"], 3),
                    "cold_seconds": round(cjk["cold_seconds"], 3), "child_seconds": round(cjk["child_seconds"], 3),
                    "html_seconds": round(cjk["html_seconds"], 3), "baseline_seconds": round(latin["seconds"], 3),
                    "ratio": round(cjk["seconds"] / latin["seconds"], 2), "peak_rss_mb": round(cjk["peak_rss_mb"], 1),
                    "baseline_pages": latin["pages"], "bytes": cjk["bytes"]})
    print(json.dumps({"documents": out}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
