"""Minutes of an Open Space and of a World Café, at the size of a big courtyard meeting.

Open Space: 40 residents, 30 topics, 3 dots each, a wall of 4 spaces × 3 slots, every group
reporting 3 key points and 2 needs. World Café: 40 residents, 8 tables, 4 rounds, 80 ideas,
3 dots each. Each is built through the services in a fresh SQLite database, then its minutes
are rendered once cold and once warm (measured). Prints one JSON object.

    python benchmarks/format_minutes.py
"""
from __future__ import annotations

import datetime as dt
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def open_space(db, fac, council_id: int) -> int:
    from council.formats.dotting import services as dots
    from council.formats.openspace import services as openspace
    from council.services import participants, sessions, topics
    s = sessions.create_session(db, fac, council_id, "院落开放空间", dt.datetime(2026, 11, 24, 6, tzinfo=dt.timezone.utc),
                                format="openspace")
    people = _people(db, participants, s.reply["join_code"])
    ids = [topics.raise_topic(db, people[i], f"议题{i + 1}：院里的停车、晾衣和绿化问题之{i + 1}").reply["topic_id"]
           for i in range(30)]
    dots.set_open(db, fac, s.reply["session_id"], True)
    for k, person in enumerate(people):
        dots.place(db, person, ids[k % 30], 2)
        dots.place(db, person, ids[(k * 7) % 30 if (k * 7) % 30 != k % 30 else (k + 1) % 30], 1)
    dots.set_open(db, fac, s.reply["session_id"], False)
    openspace.set_wall(db, fac, s.reply["session_id"], ["东侧桌", "西侧桌", "活动室", "院子"], ["14:00–14:40", "14:50–15:30", "15:40–16:20"])
    openspace.place_topics(db, fac, s.reply["session_id"])
    sessions.advance_step(db, fac, s.reply["session_id"])
    from council.models import Group
    from sqlalchemy import select
    for n, group in enumerate(db.scalars(select(Group).where(Group.session_id == s.reply["session_id"])).all()):
        openspace.save_report(db, fac, group.id, [f"要点{n}-{i}：大家认为需要先摸清现状再动手" for i in range(3)],
                              [f"需求{n}-{i}：请物业在月底前给出方案" for i in range(2)])
    return s.reply["session_id"]


def cafe(db, fac, council_id: int) -> int:
    from council.formats.cafe import services as cafes
    from council.formats.dotting import services as dots
    from council.services import participants, sessions
    s = sessions.create_session(db, fac, council_id, "院落世界咖啡馆", dt.datetime(2026, 11, 24, 6, tzinfo=dt.timezone.utc),
                                format="cafe")
    people = _people(db, participants, s.reply["join_code"])
    cafes.set_up(db, fac, s.reply["session_id"], ["青松", "翠竹", "红梅", "白杨", "海棠", "银杏", "丁香", "石榴"],
                 [{"minutes": 20, "question": f"第{i + 1}个问题：院里最想改变的是什么？"} for i in range(4)])
    sessions.advance_step(db, fac, s.reply["session_id"])
    ideas = []
    for r in range(4):
        cafes.start_round(db, fac, s.reply["session_id"])
        for i in range(20):
            ideas.append(cafes.add_idea(db, people[(i * 2 + r) % 40], f"第{r + 1}轮想法{i + 1}：建一个共享工具角").reply["idea_id"])
    dots.set_open(db, fac, s.reply["session_id"], True)
    for k, person in enumerate(people):
        dots.place(db, person, ideas[k % 80], 2)
        dots.place(db, person, ideas[(k * 3 + 1) % 80], 1)
    return s.reply["session_id"]


def _people(db, participants, code: str) -> list:
    from council.services import Actor
    return [Actor.participant(participants.join(db, code, f"居民{i:02d}", f"{i // 4 + 1}-{i % 4 + 101}")
                              .reply["participant_id"]) for i in range(40)]


def main() -> None:
    from council import documents, migrate
    from council.app import create_app
    from council.db import get_db
    from council.services import Actor, accounts, sessions
    tmp = Path(tempfile.mkdtemp(prefix="council-formats-"))
    url = f"sqlite:///{tmp / 'council.db'}"
    migrate.upgrade(url)
    app = create_app({"database_url": url, "secret_key": "bench", "async_mode": "threading",
                      "public_url": "http://192.168.1.20:5000"})
    out = []
    with app.test_request_context():
        db = get_db()
        fac = Actor.facilitator(accounts.add_facilitator(db, "王主任", "benchmark").id)
        council = sessions.create_council(db, fac, "天坛东路64号院", "courtyard")
        for name, build in (("openspace", open_space), ("cafe", cafe)):
            session_id = build(db, fac, council.reply["council_id"])
            t = time.perf_counter()
            documents.minutes_pdf(db, session_id)
            cold = time.perf_counter() - t
            t = time.perf_counter()
            pdf = documents.minutes_pdf(db, session_id)
            warm = time.perf_counter() - t
            info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True).stdout.decode()
            out.append({"name": name, "pages": int(re.search(r"Pages:\s+(\d+)", info).group(1)),
                        "seconds": round(warm, 3), "cold_seconds": round(cold, 3), "bytes": len(pdf)})
    print(json.dumps({"minutes": out, "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)},
                     indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
