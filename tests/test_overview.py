"""The five-forces overview read from the database (council/services/overview.py), its page, the
lists of events behind its numbers, its CSV and its A4 PDF, on SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import event

from council.db import get_db
from council.domain.forces import Period
from council.documents import overview as report
from council.models import (Action, ActionUpdate, ArticleChange, Decision, Group, Household, Participant, Poll,
                            Proposal, Rating, Resident, Session, Topic)
from council.services import Actor, accounts, overview, sessions
from tests.helpers import PASSWORD

ARTIFACTS = Path(__file__).parent / "artifacts"
UTC = dt.timezone.utc
NOV = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
SETTINGS = {"trend_periods": 4, "weights": None}


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=UTC)


class World:
    """前门街道 › 草厂社区 › 64号院 (A) and 66号院 (B), with sessions in September and November."""

    def __init__(self, app) -> None:
        self.app = app
        with app.app_context():
            db = get_db()
            f = accounts.add_facilitator(db, "王主任", PASSWORD)
            self.facilitator = f.id
            me = Actor.facilitator(f.id)
            council = lambda name, level, parent=None: sessions.create_council(  # noqa: E731
                db, me, name, level, parent).reply["council_id"]
            self.street = council("前门街道", "subdistrict")
            self.community = council("草厂社区", "community", self.street)
            self.a = council("天坛东路64号院", "courtyard", self.community)
            self.b = council("天坛东路66号院", "courtyard", self.community)
            self.session = lambda cid, title, when, **kw: sessions.create_session(  # noqa: E731
                db, me, cid, title, when, **kw).reply["session_id"]
            self._fill(db)

    def _fill(self, db) -> None:
        roll = {door: Household(council_id=self.a, door_number=door) for door in ("3-101", "3-102", "3-103", "3-104")}
        roll |= {door: Household(council_id=self.b, door_number=door) for door in ("1-1", "1-2")}
        people = {name: Resident(community_id=self.community, display_name=name, device_token=name)
                  for name in ("李阿姨", "张大爷", "王奶奶", "老赵")}
        db.add_all([*roll.values(), *people.values()])
        db.flush()
        people["王奶奶"].merged_into_id = people["张大爷"].id  # one person, two records: counted once
        s0 = self.session(self.a, "九月议事会", at(9, 10))
        s1 = self.session(self.a, "十一月议事会", at(11, 5))
        s2 = self.session(self.b, "66号院议事会", at(11, 20))
        s3 = self.session(self.a, "开放空间", at(11, 25), format="openspace")
        self.s1 = s1
        for s in (s0, s1, s2, s3):
            db.get_one(Session, s).step = "closed"

        def came(session, who, door=None, name=None):
            p = Participant(session_id=session, display_name=name or who, device_token=f"{session}-{name or who}",
                            resident_id=people[who].id if who in people else None,
                            household_id=roll[door].id if door else None, door_number=door or "")
            db.add(p)
            return p
        came(s0, "老赵")
        author = came(s1, "李阿姨", "3-101")
        came(s1, "张大爷", "3-102")
        came(s1, "老赵")
        came(s1, "路人", name="<b>路人</b>")  # no resident record: counts as one person, never a new face
        came(s2, "李阿姨", "1-1")
        came(s2, "王奶奶", "1-2")
        db.flush()
        self._topics(db, s1, s3, author.id)

    def _topics(self, db, s1: int, s3: int, author: int) -> None:
        def topic(text, **kw):
            t = Topic(session_id=s1, text=text, author_id=author, created_at=at(11, 5, 10, 10), **kw)
            db.add(t)
            db.flush()
            return t
        lamp, bikes = topic("楼道灯坏了 <script>"), topic("自行车乱停")
        topic("广告", hidden=True)
        topic("待审", review="pending")
        topic("拒绝", review="rejected")
        topic("楼道没灯", merged_into_id=lamp.id)
        p1 = Proposal(session_id=s1, topic_id=lamp.id, title="更换楼道灯")
        p2 = Proposal(session_id=s1, topic_id=bikes.id, title="车棚")
        db.add_all([p1, p2])
        db.flush()
        db.add(ArticleChange(proposal_id=p1.id, kind="add"))
        poll = Poll(session_id=s1, proposal_id=p1.id, status="closed", closed_at=at(11, 7, 10, 10))
        db.add(poll)
        db.flush()
        d = Decision(session_id=s1, poll_id=poll.id, proposal_id=p1.id, adopted=True, yes=3, no=0, abstain=0,
                     decided_at=at(11, 7, 10, 10))
        db.add(d)
        db.flush()
        acts = [Action(session_id=s1, council_id=self.a, decision_id=d.id, what=what, owner=owner, owner_kind=kind,
                       deadline=deadline, status=status, created_at=at(11, 7, 11))
                for what, owner, kind, deadline, status in (
                    ("换灯", "物业", "property", dt.date(2026, 11, 20), "done"),
                    ("贴告示", "李阿姨", "resident", dt.date(2026, 11, 10), "done"),
                    ("修车棚", "共建单位", "partner", dt.date(2026, 12, 31), "planned"))]
        db.add_all(acts)
        db.flush()
        db.add_all([ActionUpdate(action_id=acts[0].id, status="done", at=at(11, 15, 10, 10), by_id=self.facilitator),
                    ActionUpdate(action_id=acts[1].id, status="underway", at=at(11, 8), by_id=self.facilitator),
                    ActionUpdate(action_id=acts[1].id, status="done", at=at(11, 12, 10, 10), by_id=self.facilitator)])
        voters = list(db.scalars(Participant.__table__.select().with_only_columns(Participant.id)
                                 .where(Participant.session_id == s1)))
        db.add_all([Rating(action_id=acts[0].id, participant_id=voters[0], session_id=s1, value="satisfied",
                           rated_at=at(11, 16)),
                    Rating(action_id=acts[0].id, participant_id=voters[1], session_id=s1, value="basic",
                           rated_at=at(11, 16)),
                    Rating(action_id=acts[1].id, participant_id=voters[0], session_id=s1, value="dissatisfied",
                           rated_at=at(11, 16))])
        group_topic = Topic(session_id=s3, text="小花园", created_at=at(11, 25))
        db.add(group_topic)
        db.flush()
        db.add(Group(session_id=s3, topic_id=group_topic.id))
        db.commit()

    def compute(self, council_id: int, period: Period = NOV):
        from council.domain.forces import DEFAULT_WEIGHTS
        with self.app.app_context():
            return overview.compute(get_db(), council_id, period, {**SETTINGS, "weights": DEFAULT_WEIGHTS})


@pytest.fixture
def world(app):
    return World(app)


def _numbers(ov, council_id: int, figures: str) -> dict[str, object]:
    f = ov.figures[council_id][-1]
    return {name: f.number(name) for name in figures.split()}


def test_figures_of_a_courtyard(world):
    ov = world.compute(world.a)
    assert _numbers(ov, world.a, "sessions people households roll new_faces") == {
        "sessions": 2, "people": 4, "households": 2, "roll": 4, "new_faces": 2}
    assert _numbers(ov, world.a, "topics discussed decided to_decision_days") == {
        "topics": 3, "discussed": 2, "decided": 1, "to_decision_days": 2.0}  # with the Open Space one
    assert _numbers(ov, world.a, "actions done on_time to_done_days satisfied basic dissatisfied") == {
        "actions": 3, "done": 2, "on_time": 1, "to_done_days": 6.5, "satisfied": 1, "basic": 1, "dissatisfied": 1}
    assert _numbers(ov, world.a, "articles_adopted format_sessions ideas owner_property owner_resident "
                                 "owner_partner owner_volunteers") == {
        "articles_adopted": 1, "format_sessions": 1, "ideas": 1, "owner_property": 1, "owner_resident": 1,
        "owner_partner": 1, "owner_volunteers": 0}


def test_rolled_up_a_person_in_two_courtyards_counts_once_and_merged_records_are_one(world):
    ov = world.compute(world.street)
    assert [n.name for n in ov.tree] == ["前门街道", "草厂社区", "天坛东路64号院", "天坛东路66号院"]
    assert _numbers(ov, world.b, "sessions people households roll new_faces") == {
        "sessions": 1, "people": 2, "households": 2, "roll": 2, "new_faces": 0}  # 王奶奶 is 张大爷, seen first in A
    for council in (world.community, world.street):
        assert _numbers(ov, council, "sessions people households roll new_faces topics") == {
            "sessions": 3, "people": 4, "households": 4, "roll": 6, "new_faces": 2, "topics": 3}


def test_the_trend_holds_earlier_periods_and_a_first_visit_there_is_no_new_face_now(world):
    ov = world.compute(world.a)
    assert [p.days for p in ov.periods] == [30] * 5 and ov.periods[-1] == NOV
    september = [i for i, p in enumerate(ov.periods) if dt.date(2026, 9, 10) in p][0]
    assert ov.figures[world.a][september].number("new_faces") == 1  # 老赵's first session
    assert ov.figures[world.a][september].number("sessions") == 1
    assert sum(f.number("sessions") for f in ov.figures[world.a]) == 3
    assert ov.forces[world.a][-1]["deliberation"] is not None


def test_the_queries_do_not_grow_with_the_councils(world, app):
    engine = app.extensions["council.engine"]
    seen: list[str] = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        world.compute(world.street)
        few = len(seen)
        with app.app_context():
            db = get_db()
            me = Actor.facilitator(world.facilitator)
            for i in range(6):
                cid = sessions.create_council(db, me, f"新院{i}", "courtyard", world.community).reply["council_id"]
                sessions.create_session(db, me, cid, "会", at(11, 10 + i))
        seen.clear()
        world.compute(world.street)
        assert len(seen) == few, "one query per family of figures, never one per council"
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def _client(app):
    web = app.test_client()
    assert web.post("/login", data={"name": "王主任", "password": PASSWORD}).status_code == 302
    return web


NOV_Q = "from=2026-11-01&to=2026-11-30"


def test_the_page_links_every_number_to_its_events(world, app):
    web = _client(app)
    page = web.get(f"/console/councils/{world.street}/overview?{NOV_Q}").get_data(as_text=True)
    assert "五力" in page and "协商力" in page and "草厂社区" in page and "<svg" in page
    assert f'/console/councils/{world.b}/overview/people?from=2026-11-01&amp;to=2026-11-30">2<' in page
    assert f'/console/councils/{world.community}/overview/roll?from=2026-11-01&amp;to=2026-11-30">6<' in page
    listed = web.get(f"/console/councils/{world.a}/overview/topics?{NOV_Q}").get_data(as_text=True)
    assert "楼道灯坏了 &lt;script&gt;" in listed and "自行车乱停" in listed
    assert "广告" not in listed and "待审" not in listed and "楼道没灯" not in listed and "<script>" not in listed
    people = web.get(f"/console/councils/{world.a}/overview/people?{NOV_Q}").get_data(as_text=True)
    assert "&lt;b&gt;路人&lt;/b&gt;" in people and "2026-11-05 18:00" in people  # Beijing time
    ratings = web.get(f"/console/councils/{world.a}/overview/ratings?{NOV_Q}").get_data(as_text=True)
    assert ratings.count("<tr>") == 4 and "不满意" in ratings
    assert web.get(f"/console/councils/{world.a}/overview/nonsense?{NOV_Q}").status_code == 404
    r = web.get(f"/console/councils/{world.a}/overview?from=2026-11-30&to=2026-11-01")
    assert r.status_code == 400 and r.json["error"]["code"] == "invalid_date"


def test_the_default_period_is_the_last_90_days(world, app):
    page = _client(app).get(f"/console/councils/{world.a}/overview").get_data(as_text=True)
    with app.app_context():
        from council import localtime
        today = localtime.today()
    assert f'value="{today.isoformat()}"' in page
    assert f'value="{(today - dt.timedelta(days=89)).isoformat()}"' in page


def test_csv_has_one_row_per_council(world, app):
    r = _client(app).get(f"/console/councils/{world.street}/overview.csv?{NOV_Q}")
    assert r.mimetype == "text/csv" and r.data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
    assert [row["议事会"] for row in rows] == ["前门街道", "草厂社区", "天坛东路64号院", "天坛东路66号院"]
    assert rows[1]["召开会议"] == "3" and rows[1]["在册户数"] == "6" and rows[2]["决定到完成（中位天数）"] == "6.5"
    assert rows[2]["行动力"] != "—"


def test_the_a4_report_reads_back(world, app, tmp_path):
    r = _client(app).get(f"/console/councils/{world.street}/overview.pdf?{NOV_Q}")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    path = tmp_path / "overview.pdf"
    path.write_bytes(r.data)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "overview.pdf").write_bytes(r.data)  # beside the other sample documents
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    for words in ("前门街道 五力概况", "2026-11-01 — 2026-11-30", "协商力", "培育力", "行动力", "创新力", "合作力",
                  "天坛东路66号院", "在册户数", "物业公司"):
        assert words in text, words
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "CJK-SC" in fonts and "CJK-JP" not in fonts, fonts


def test_out_of_reach_is_not_found(world, app):
    with app.app_context():
        accounts.add_facilitator(get_db(), "赵主任", PASSWORD)
    web = app.test_client()
    web.post("/login", data={"name": "赵主任", "password": PASSWORD})
    for tail in ("overview", "overview.csv", "overview.pdf", "overview/people"):
        assert web.get(f"/console/councils/{world.a}/{tail}?{NOV_Q}").status_code == 404, tail


def test_report_content_is_plain_data(world, app):
    ov = world.compute(world.community)
    with app.test_request_context("/?lang=zh_CN"):
        data = report.content(ov)
    assert [f["key"] for f in data["forces"]] == ["deliberation", "cultivation", "action", "innovation", "cooperation"]
    assert data["rows"][0]["figures"]["roll"] == "6" and len(data["forces"][0]["series"]) == 5


def test_every_figure_is_read_by_one_family_and_documented():
    made = [figure for _family, figures in overview.FAMILIES for figure in figures]
    assert sorted(made) == sorted(set(made)) and set(made) == set(report.forces.FIGURES)
    doc = (Path(__file__).parent.parent / "docs" / "five-forces.md").read_text(encoding="utf-8")
    for name in [*report.forces.FIGURES, *(i for ws in report.forces.DEFAULT_WEIGHTS.values() for i in ws)]:
        assert f"`{name}`" in doc, name


def test_charts_write_names_as_text_and_draw_without_colour():
    from council.documents import charts
    svg = charts.bars("action", "行动力", [("<script>alert(1)</script>", 0, 64.0), ("空", 1, None)], "fill-x")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and ">64<" in svg and ">—<" in svg
    line = charts.trend("cultivation", "培育力 & co", [None, 20, 100], ["2026-01-01", "b", "2026-03-31"])
    assert "培育力 &amp; co" in line and ">100<" in line and ">—<" in line
    colours = {c for s in (svg, line) for c in __import__("re").findall(r'(?:fill|stroke)="(#[0-9a-f]+)"', s)}
    assert colours <= {"#000", "#fff", "#444", "#999"}, "black, white and greys only"
