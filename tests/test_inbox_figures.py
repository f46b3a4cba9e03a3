"""The issue inbox's figures where the district reads them: in the five-forces overview over a
period (raised, answered, escalated, median days to an answer; per council, rolled up, each number
linked to its issues; on the page, in the CSV and in the A4 PDF), and on the console dashboard's
council tree (overdue escalations flagged at their council and every council above, open issues),
with the clock moved by passing the day."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess

import pytest

from council import localtime
from council.db import get_db
from council.domain.forces import Period
from council.services import Actor, dashboard, overview
from council.services import inbox as service
from tests.test_overview import NOV, NOV_Q, World, _client

UTC = dt.timezone.utc


def utc(month: int, day: int, hour: int = 2) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=UTC)


class Issues:
    """The overview's world (前门街道 › 草厂社区 › 64号院 A, 66号院 B) with issues raised, answered,
    escalated and merged around November, in Beijing days:

    A: 灯 raised 11-03 answered 11-05 (2 days); 井盖 raised 10-28 answered 11-10 (13 days);
       垃圾桶 raised 11-01 at 01:00 Beijing (still October in UTC), open; 停车 raised 11-12, open,
       and its duplicate 停车2 merged into it; 漏水 raised 11-14, escalated to the property company
       on 11-14, reply due 11-25.
    B: 噪音 raised 11-06, escalated to the community on 11-07, reply due 11-20;
       电梯 raised 11-08, escalated to a unit on 11-08 (due 12-31), answered 11-09 (1 day).
    The community: 绿化 raised 12-01 at 01:00 Beijing (still November in UTC), open."""

    def __init__(self, app) -> None:
        self.world = w = World(app)
        self.app = app
        self.me = Actor.facilitator(w.facilitator)
        with app.app_context():
            db = get_db()
            raise_ = self._raise
            lamp = raise_(db, w.a, "灯", utc(11, 3))
            cover = raise_(db, w.a, "井盖", utc(10, 28))
            raise_(db, w.a, "垃圾桶", dt.datetime(2026, 10, 31, 17, tzinfo=UTC))
            parking = raise_(db, w.a, "停车", utc(11, 12))
            twin = raise_(db, w.a, "停车2", utc(11, 12, 3))
            leak = raise_(db, w.a, "漏水", utc(11, 14))
            noise = raise_(db, w.b, "噪音", utc(11, 6))
            lift = raise_(db, w.b, "电梯", utc(11, 8))
            raise_(db, w.community, "绿化", dt.datetime(2026, 11, 30, 17, tzinfo=UTC))
            service.answer_issue(db, self.me, lamp, "已修好", now=utc(11, 5))
            service.answer_issue(db, self.me, cover, "已更换井盖", now=utc(11, 10))
            service.merge_issues(db, self.me, twin, parking)
            service.escalate_issue(db, self.me, leak, False, "物业公司", "2026-11-25", today=dt.date(2026, 11, 14),
                                   now=utc(11, 14))
            service.escalate_issue(db, self.me, noise, True, "", "2026-11-20", today=dt.date(2026, 11, 7),
                                   now=utc(11, 7))
            service.escalate_issue(db, self.me, lift, False, "电梯公司", "2026-12-31", today=dt.date(2026, 11, 8),
                                   now=utc(11, 8))
            service.answer_issue(db, self.me, lift, "电梯已检修", now=utc(11, 9))

    @staticmethod
    def _raise(db, council_id: int, text: str, when: dt.datetime) -> int:
        token = f"{text}-token-{council_id}".encode().hex()[:40]
        return service.raise_issue(db, council_id, token, text, "3-101", now=when).reply["issue_id"]


@pytest.fixture
def issues(app):
    return Issues(app)


def _inbox(ov, council_id: int) -> dict[str, object]:
    return ov.issues[council_id]


# ---------------------------------------------------------------- the overview's figures


def test_the_overview_counts_the_inbox_of_the_period_per_council_and_rolled_up(issues):
    w = issues.world
    ov = w.compute(w.street)
    assert _inbox(ov, w.a) == {"raised": 4, "answered": 2, "escalated": 1, "median_days": 7.5}, \
        "垃圾桶 raised on 1 November in Beijing; 井盖 answered in November, raised before; 停车2 merged"
    assert _inbox(ov, w.b) == {"raised": 2, "answered": 1, "escalated": 2, "median_days": 1.0}
    for council in (w.community, w.street):  # 绿化 is raised on 1 December in Beijing
        assert _inbox(ov, council) == {"raised": 6, "answered": 3, "escalated": 3, "median_days": 2.0}
    december = w.compute(w.community, Period(dt.date(2026, 12, 1), dt.date(2026, 12, 31)))
    assert _inbox(december, w.community) == {"raised": 1, "answered": 0, "escalated": 0, "median_days": None}


def test_over_all_time_the_period_figures_are_the_inbox_figures(issues, app):
    """The period-aware figures agree with `services.inbox.figures` when the period holds everything."""
    w = issues.world
    always = Period(dt.date(2020, 1, 1), dt.date(2030, 12, 31))
    with app.app_context():
        db = get_db()
        for councils in ({w.a}, {w.b}, {w.a, w.b, w.community}):
            assert overview.issue_figures(db, councils, always) == service.figures(db, councils)
        assert overview.issue_figures(db, {w.a}, NOV) == {"raised": 4, "answered": 2, "escalated": 1,
                                                           "median_days": 7.5}


def test_each_inbox_number_lists_the_issues_behind_it(issues, app):
    w = issues.world
    web = _client(app)
    page = web.get(f"/console/councils/{w.street}/overview?{NOV_Q}").get_data(as_text=True)
    table = page[page.index('id="table-inbox"'):]
    table = table[:table.index("</table>")]
    for council, numbers in ((w.street, ("6", "3", "3", "2")), (w.a, ("4", "2", "1", "7.5")),
                             (w.b, ("2", "1", "2", "1"))):
        for figure, number in zip(overview.ISSUE_FIGURES, numbers):
            link = f'/console/councils/{council}/overview/{figure}?from=2026-11-01&amp;to=2026-11-30">{number}<'
            assert link in table, (council, figure, number)
    assert "反映诉求" in table and "反映到答复（中位天数）" in table

    def listed(council, figure):
        html = web.get(f"/console/councils/{council}/overview/{figure}?{NOV_Q}").get_data(as_text=True)
        body = html[html.index("<tbody>"):html.index("</tbody>")]
        return body.count("<tr>"), body
    count, body = listed(w.a, "issues_raised")
    assert count == 4 and "垃圾桶" in body and "停车" in body and "停车2" not in body and "井盖" not in body
    count, body = listed(w.a, "issues_answered")
    assert count == 2 and "已更换井盖" in body and "2026-11-10" in body
    count, body = listed(w.community, "issue_answer_days")
    assert count == 3 and re.search(r"<td>13</td>", body)
    count, body = listed(w.community, "issues_escalated")
    assert count == 3 and "草厂社区 · 2026-11-20" in body and "物业公司 · 2026-11-25" in body


def test_the_inbox_figures_in_the_csv_and_the_english_page(issues, app):
    w = issues.world
    web = _client(app)
    rows = list(csv.DictReader(io.StringIO(
        web.get(f"/console/councils/{w.street}/overview.csv?{NOV_Q}").get_data(as_text=True).lstrip("\ufeff"))))
    assert [(r["议事会"], r["反映诉求"], r["答复诉求"], r["上报诉求"], r["反映到答复（中位天数）"]) for r in rows] == [
        ("前门街道", "6", "3", "3", "2"), ("草厂社区", "6", "3", "3", "2"), ("天坛东路64号院", "4", "2", "1", "7.5"),
        ("天坛东路66号院", "2", "1", "2", "1")]
    web.get("/console?lang=en")
    page = web.get(f"/console/councils/{w.b}/overview?{NOV_Q}").get_data(as_text=True)
    assert "Issues between meetings" in page and "Median days, issue to answer" in page


def test_the_a4_report_prints_the_inbox_figures(issues, app, tmp_path):
    w = issues.world
    r = _client(app).get(f"/console/councils/{w.street}/overview.pdf?{NOV_Q}")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    path = tmp_path / "overview.pdf"
    path.write_bytes(r.data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    heading = "平时的诉求：反映、答复、上报"
    assert heading in text
    rows = {}
    for line in text[text.index(heading):].splitlines():  # the inbox table comes last
        cells = line.split()
        if len(cells) == 5 and cells[0] in ("前门街道", "草厂社区", "天坛东路64号院", "天坛东路66号院"):
            rows[cells[0]] = cells[1:]
    assert rows == {"前门街道": ["6", "3", "3", "2"], "草厂社区": ["6", "3", "3", "2"],
                    "天坛东路64号院": ["4", "2", "1", "7.5"], "天坛东路66号院": ["2", "1", "2", "1"]}, text
    flat = "".join(text.split())
    assert "本期作出的答复（不论诉求何时反映）" in flat


# ---------------------------------------------------------------- the dashboard's council tree


def test_an_overdue_escalation_is_flagged_at_its_council_and_every_council_above_from_the_day_after(issues, app):
    w = issues.world
    ids = [w.street, w.community, w.a, w.b]
    with app.app_context():
        db = get_db()

        def overdue(day):
            flags = dashboard.inbox_flags(db, issues.me, ids, day)
            return [flags[c]["overdue"] for c in ids]
        assert overdue(dt.date(2026, 11, 20)) == [0, 0, 0, 0], "噪音 is due on the 20th: not overdue that day"
        assert overdue(dt.date(2026, 11, 21)) == [1, 1, 0, 1], "B's escalation, at B and every level above"
        assert overdue(dt.date(2026, 11, 25)) == [1, 1, 0, 1]
        assert overdue(dt.date(2026, 11, 26)) == [2, 2, 1, 1], "A's escalation too, at A and above only"
        assert overdue(dt.date(2027, 6, 1)) == [2, 2, 1, 1], "电梯 was answered: never overdue"
        flags = dashboard.inbox_flags(db, issues.me, ids, dt.date(2026, 11, 26))
        assert [flags[c]["open"] for c in ids] == [0, 1, 2, 0], "open: raised there, not yet handled"
        stranger = Actor.facilitator(9999)
        assert dashboard.inbox_flags(db, stranger, ids, dt.date(2026, 11, 26)) == {}, "only councils reached"


def _tree_item(page: str, name: str) -> str:
    found = re.search(r'<li class="depth-\d">(?:(?!</li>).)*?<strong>' + re.escape(name) + r"</strong>.*?</li>",
                      page, re.S)
    assert found, name
    return found.group(0)


def test_the_dashboard_flags_overdue_escalations_up_the_tree_and_counts_open_issues(issues, app, monkeypatch):
    w = issues.world
    web = _client(app)
    monkeypatch.setattr(localtime, "today", lambda: dt.date(2026, 11, 20))
    page = web.get("/console").get_data(as_text=True)
    assert "overdue-flag" not in page
    assert "2 件待处理" in _tree_item(page, "天坛东路64号院") and "1 件待处理" in _tree_item(page, "草厂社区")
    assert "待处理" not in _tree_item(page, "天坛东路66号院")

    monkeypatch.setattr(localtime, "today", lambda: dt.date(2026, 11, 21))
    page = web.get("/console").get_data(as_text=True)
    for name, council, late in (("前门街道", w.street, 1), ("草厂社区", w.community, 1), ("天坛东路66号院", w.b, 1)):
        item = _tree_item(page, name)
        assert re.search(rf'<a class="overdue-flag" href="/console/councils/{council}/inbox"[^>]*>'
                         rf'<span aria-hidden="true">⚑</span> {late} 件上报逾期</a>', item), item
    assert "overdue-flag" not in _tree_item(page, "天坛东路64号院")

    monkeypatch.setattr(localtime, "today", lambda: dt.date(2026, 11, 26))
    web.get("/console?lang=en")
    page = web.get("/console").get_data(as_text=True)
    assert "2 overdue escalations</a>" in _tree_item(page, "前门街道")
    assert "1 overdue escalation</a>" in _tree_item(page, "天坛东路64号院")
    assert ">2 open issues</span>" in _tree_item(page, "天坛东路64号院")
    assert ">1 open issue</span>" in _tree_item(page, "草厂社区")
    flag = re.search(r'<a class="overdue-flag" href="([^"]+)"', _tree_item(page, "天坛东路66号院")).group(1)
    inbox_page = web.get(flag).get_data(as_text=True)
    assert "噪音" in inbox_page


def test_every_inbox_figure_is_named_documented_and_in_a_table():
    from pathlib import Path
    from council.documents import overview as report
    doc = (Path(__file__).parent.parent / "docs" / "five-forces.md").read_text(encoding="utf-8")
    tabled = dict(report.TABLES)["inbox"]
    assert tuple(tabled) == overview.ISSUE_FIGURES == tuple(overview.ISSUE_NUMBERS)
    for name in overview.ISSUE_FIGURES:
        assert f"`{name}`" in doc, name
    assert not set(overview.ISSUE_FIGURES) & set(report.forces.FIGURES), "no force rests on them"
