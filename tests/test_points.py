"""Participation points (活力值): per-community rules, counted from stored rows on every read, a
building league table only by the community's choice, and the participation certificate."""
from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from sqlalchemy import select

from council.db import get_db
from council.domain import DomainError
from council.domain.points import DEFAULT_RULES, Deed, building_of, parse_rule, rules_with_defaults, score
from council.models import Council, Participant, Resident
from council.services import Actor, points
from council.services.participation import erase
from tests.helpers import latest_state, ok
from tests.test_participation import _phone_web, lived  # noqa: F401  (a fixture)


# ------------------------------------------------------------------ the rules, without a database

def test_a_score_is_each_kind_times_its_rule():
    rules = rules_with_defaults({"attend": 10})
    assert rules[Deed.ATTEND] == 10 and rules[Deed.RATE] == DEFAULT_RULES[Deed.RATE]
    total, lines = score({Deed.ATTEND: 2, Deed.RATE: 3}, rules)
    assert total == 2 * 10 + 3 * DEFAULT_RULES[Deed.RATE]
    assert [line.deed for line in lines] == list(Deed)  # every kind, in the meeting's order


@pytest.mark.parametrize("deed, value, code", [("attend", -1, "invalid_points"), ("attend", 101, "invalid_points"),
                                               ("attend", "5", "invalid_points"), ("attend", True, "invalid_points"),
                                               ("sleep", 1, "invalid_field")])
def test_rules_out_of_bounds_are_refused(deed, value, code):
    with pytest.raises(DomainError) as err:
        parse_rule(deed, value)
    assert err.value.code == code


@pytest.mark.parametrize("door, building", [("3-101", "3"), ("３－２０２", "3"), ("3号楼-2-101", "3号楼"),
                                            ("101", None), ("", None)])
def test_a_building_is_the_door_before_its_first_dash(door, building):
    assert building_of(door) == building


# ------------------------------------------------------------------ from the meeting's rows

def _community(app, meeting) -> int:
    with app.app_context():
        return get_db().get_one(Council, meeting.council_id).parent_id


def _resident(app, participant_id) -> Resident:
    with app.app_context():
        db = get_db()
        return db.get_one(Resident, db.get_one(Participant, participant_id).resident_id)


def test_points_follow_the_rules_and_the_rows(app, meeting, lived):  # noqa: F811
    li = _resident(app, lived.participant_id)
    community = _community(app, meeting)
    with app.app_context():
        db = get_db()
        total, lines = points.points_of(db, li)
        counted = {line.deed: line.count for line in lines}
        assert counted == {Deed.ATTEND: 1, Deed.RAISE_TOPIC: 1, Deed.TOPIC_DECIDED: 1, Deed.CONVENE_GROUP: 0,
                           Deed.ACTION_ON_TIME: 0, Deed.RATE: 1}
        assert total == 2 + 3 + 5 + 1
        me = Actor.facilitator(meeting.facilitator_id)
        points.set_rules(db, me, community, {"attend": 10}, league=False)
        assert points.points_of(db, li)[0] == 10 + 3 + 5 + 1  # a rule changed: the total follows
        with pytest.raises(DomainError) as err:  # a courtyard has a community above it
            points.set_rules(db, me, meeting.council_id, {"attend": 1}, league=False)
        assert err.value.code == "not_a_community"
        # a period that ends before the meeting: nothing
        before = points.Period(None, dt.date(2000, 1, 1))
        assert points.counts(db, [li.id], before)[li.id] == {}


def test_an_action_owned_and_done_on_time_earns_its_points(app, meeting):
    console, li = meeting.console(), meeting.phone("李阿姨", "3-101")
    ok(console, "step.advance")
    p = ok(console, "proposal.create", {"title": "修车棚"})["proposal_id"]
    ok(console, "step.advance")
    poll = ok(console, "poll.open", {"proposal_id": p})["poll_id"]
    ok(li, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": "c" * 32})
    ok(console, "poll.close", {"poll_id": poll})
    ok(console, "step.advance")
    decision = latest_state(console)["polls"][0]["decision"]["id"]
    deadline = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    late = ok(console, "action.create", {"decision_id": decision, "what": "修车棚", "owner": "李阿姨",
                                         "deadline": deadline, "owner_participant_id": li.participant_id})["action_id"]
    ok(console, "action.update", {"action_id": late, "status": "done"})
    refused = console.emit("action.create", {"decision_id": decision, "what": "x", "owner": "物业",
                                             "deadline": deadline, "owner_kind": "property",
                                             "owner_participant_id": li.participant_id}, callback=True)
    assert not refused["ok"] and refused["error"]["params"]["field"] == "owner_participant_id"
    resident = _resident(app, li.participant_id)
    with app.app_context():
        counted = {line.deed: line.count for line in points.points_of(get_db(), resident)[1]}
    assert counted[Deed.ACTION_ON_TIME] == 1
    record = _phone_web(meeting, li.token).get(f"/join/{meeting.code}/me.json").json
    assert record["actions"] == [{"what": "修车棚", "deadline": deadline, "status": "done"}]
    assert record["points"]["total"] == sum(line["points"] for line in record["points"]["lines"])


def test_the_league_table_shows_only_by_choice(app, meeting, lived):  # noqa: F811
    community = _community(app, meeting)
    web = meeting.web
    page = web.get(f"/console/councils/{community}/points").get_data(as_text=True)
    assert "活力值" in page and "李阿姨" in page and "楼栋" not in page.split("居民活力值")[1]
    r = web.post(f"/console/councils/{community}/points",
                 data={**{d.value: str(DEFAULT_RULES[d]) for d in Deed}, "league": "1"})
    assert r.status_code == 302
    with app.app_context():
        league = points.league(get_db(), Actor.facilitator(meeting.facilitator_id), community, points.Period())
    assert [(b.name, b.residents) for b in league] == [("3", 2)]
    assert league[0].points == 11 + 2  # 李阿姨 11; 张师傅 attended (supports and votes earn nothing)
    bad = web.post(f"/console/councils/{community}/points", data={"attend": "很多"}, follow_redirects=True)
    assert "0 到 100" in bad.get_data(as_text=True)
    assert web.get(f"/console/councils/{meeting.council_id}/points").status_code == 404  # a courtyard's


def test_the_certificate_prints_the_points_in_chinese(app, meeting, lived, tmp_path):  # noqa: F811
    web = _phone_web(meeting, lived.token)
    pdf = web.get(f"/join/{meeting.code}/me/certificate.pdf?lang=en")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())  # the title is letter-spaced
    for words in ("参与证明", "李阿姨", "参加会议", "提出议题", "合计", "院落环境议事会", "草厂社区", "累计活力值11分"):
        assert words in flat, words
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "yes" in fonts.split("\n", 2)[2]  # embedded
    community = _community(app, meeting)
    resident = _resident(app, lived.participant_id)
    console_pdf = meeting.web.get(f"/console/councils/{community}/residents/{resident.id}/certificate.pdf"
                                  "?from=2000-01-01&to=2000-12-31")
    assert console_pdf.status_code == 200
    path.write_bytes(console_pdf.data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "此期间未参加会议" in flat and "2000年01月01日" in flat


def test_an_erased_resident_leaves_the_league(app, meeting, lived):  # noqa: F811
    community = _community(app, meeting)
    li = _resident(app, lived.participant_id)
    with app.app_context():
        db = get_db()
        me = Actor.facilitator(meeting.facilitator_id)
        points.set_rules(db, me, community, {}, league=True)
        erase(db, db.get_one(Resident, li.id))
        league = points.league(db, me, community, points.Period())
        assert [(b.name, b.residents) for b in league] == [("3", 1)]
        assert db.scalar(select(Resident).where(Resident.display_name == "李阿姨")) is None
