"""Deciding by the courtyard's rules: households, channels, thresholds, secret ballots, audit."""
from __future__ import annotations

import csv
import io
import random
import threading
import uuid
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from council.domain import DomainError
from council.models import AuditEvent, Ballot, Session, BallotReceipt, Decision, Participation
from council.services import Actor, households, participants, polls, proposals, sessions
from tests.helpers import client_id, heads, latest_state, ok, refused

ROLL = "门牌号,面积,是否业主\n3-101,100,是\n3-102,100,是\n3-103,100,是\n3-104,100,是\n3-105,100,是\n3-106,100,是\n3-201,50,否\n"


def deciding(meeting, console):
    ok(console, "step.advance")
    ok(console, "step.advance")


def new_poll(console, title="增设电动车充电桩", **options):
    proposal = ok(console, "proposal.create", {"title": title})["proposal_id"]
    return ok(console, "poll.open", {"proposal_id": proposal, **options})["poll_id"]


def import_roll(meeting, text=ROLL):
    r = meeting.web.post(f"/console/councils/{meeting.council_id}/households/import",
                         data={"file": (io.BytesIO(text.encode("utf-8")), "roll.csv")},
                         content_type="multipart/form-data")
    assert r.status_code == 302


def vote_at_once(maker, phones, poll) -> list[DomainError]:
    """Every phone votes yes at the same instant, each from its own thread and database
    connection, retrying what the database refused (busy: nothing was committed); the
    refusals of the rules, if any."""
    start = threading.Barrier(len(phones))
    errors: list[DomainError] = []

    def vote(actor):
        start.wait()
        with maker() as db:
            for _ in range(50):
                try:
                    polls.cast_vote(db, actor, poll, "yes", uuid.uuid4().hex)
                    return
                except DomainError as err:
                    errors.append(err)
                    return
                except Exception:  # busy or a serialization retry: nothing was committed
                    db.rollback()
    threads = [threading.Thread(target=vote, args=(p,)) for p in phones]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return errors


def certificate(console, poll):
    return {p["id"]: p for p in ok(console, "state.get")["state"]["polls"]}[poll]["certificate"]


def test_roll_page_and_csv_import(meeting):
    import_roll(meeting, ROLL + "3-101,90,是\n3-301,abc,是\n")
    page = meeting.web.get(f"/console/councils/{meeting.council_id}/households").get_data(as_text=True)
    assert "已导入 7 户" in page and "第 9 行" in page and "请按平方米填写面积数字" in page
    assert "3-201" in page and "6 户业主" in page
    r = meeting.web.post(f"/console/councils/{meeting.council_id}/households",
                         data={"door": "３－１０１", "area": "88.5", "owner": "1"})
    assert r.status_code == 302
    with meeting.app.app_context():
        from council.db import get_db
        row = [h for h in households.roll(get_db(), meeting.council_id) if h.door_number == "3-101"][0]
        assert row.area_m2 == Decimal("88.50")


def test_one_vote_per_household_latest_counts_both_phones_see_it(meeting):
    import_roll(meeting)
    console = meeting.console()
    mum, son = meeting.phone("李阿姨", "3-101"), meeting.phone("小李", "3 - 101")
    neighbour, stranger = meeting.phone("张师傅", "3-102"), meeting.phone("访客", "9-999")
    deciding(meeting, console)
    poll = new_poll(console, unit="household")
    ok(mum, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})
    ok(son, "ballot.cast", {"poll_id": poll, "choice": "no", "client_id": client_id()})
    ok(neighbour, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})
    assert refused(stranger, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})["code"] \
        == "no_household"
    live = {p["id"]: p for p in latest_state(console)["polls"]}[poll]
    assert heads(live["tally"]) == {"yes": 1, "no": 1, "abstain": 0, "cast": 2}, "3-101 counted once: its latest vote"
    assert latest_state(mum)["me"]["ballots"] == {str(poll): "no"}, "the other phone of the household sees it"
    assert latest_state(son)["me"]["household"] == "3-101"
    ok(console, "poll.close", {"poll_id": poll})
    cert = certificate(console, poll)
    assert cert["eligible"] == 7 and cert["unit"] == "household" and cert["total"]["cast"] == 2


def test_hands_paper_and_named_votes_join_one_tally_with_the_split_shown(meeting):
    console, projector = meeting.console(), meeting.projector()
    li, zhang = meeting.phone("李阿姨", "3-101"), meeting.phone("张师傅", "3-102")
    grandma = ok(console, "participant.add", {"name": "王奶奶", "door": "3-103"})["participant_id"]
    deciding(meeting, console)
    poll = new_poll(console)
    ok(li, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})
    ok(zhang, "ballot.cast", {"poll_id": poll, "choice": "no", "client_id": client_id()})
    ok(console, "poll.count", {"poll_id": poll, "channel": "hands", "yes": 6, "no": 1, "abstain": 1})
    ok(console, "poll.count", {"poll_id": poll, "channel": "paper", "yes": 2, "no": 0, "abstain": 1})
    ok(console, "poll.count", {"poll_id": poll, "channel": "hands", "yes": 5, "no": 1, "abstain": 1})  # corrected
    ok(console, "ballot.enter", {"poll_id": poll, "participant_id": grandma, "choice": "yes"})
    replaced = ok(console, "ballot.enter", {"poll_id": poll, "participant_id": zhang.participant_id, "choice": "yes"})
    assert replaced["replaced"] == "phone"
    view = latest_state(console)
    conflicts = view["ballots"][str(poll)]["conflicts"]
    assert [(c["voter"], c["replaced"], c["channel"]) for c in conflicts] == [("张师傅", "phone", "entered")]
    live = {p["id"]: p for p in latest_state(projector)["polls"]}[poll]
    assert heads(live["tally"]) == {"yes": 10, "no": 1, "abstain": 2, "cast": 13}
    assert "ballots" not in latest_state(projector), "names stay on the console"
    ok(console, "poll.close", {"poll_id": poll})
    cert = certificate(console, poll)
    assert {k: heads(v) for k, v in cert["channels"].items()} == {
        "phone": {"yes": 1, "no": 0, "abstain": 0, "cast": 1},
        "entered": {"yes": 2, "no": 0, "abstain": 0, "cast": 2},
        "hands": {"yes": 5, "no": 1, "abstain": 1, "cast": 7},
        "paper": {"yes": 2, "no": 0, "abstain": 1, "cast": 3}}
    assert cert["passed"] is True
    names = {b["voter"]: b["choice"] for b in ok(console, "state.get")["state"]["ballots"][str(poll)]["ballots"]}
    assert names == {"李阿姨": "yes", "张师傅": "yes", "王奶奶": "yes"}, "an open ballot keeps names for the minutes"


def test_more_than_half_of_those_present(meeting):
    console, li = meeting.console(), meeting.phone("李阿姨")
    deciding(meeting, console)
    poll = new_poll(console, rule="majority_present")
    ok(console, "poll.attendance", {"poll_id": poll, "present": 20})
    ok(console, "poll.count", {"poll_id": poll, "channel": "hands", "yes": 9, "no": 2, "abstain": 0})
    ok(li, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})
    assert ok(console, "poll.close", {"poll_id": poll})["adopted"] is False  # 10 of 20 present
    cert = certificate(console, poll)
    assert cert["present"] == 20
    assert [(c["key"], c["actual"], c["needed"], c["of"]) for c in cert["conditions"] if not c["met"]] == \
        [("yes_of_present", "10", "11", "20")]


def test_two_thirds_and_quorum(meeting):
    console = meeting.console()
    deciding(meeting, console)
    poll = new_poll(console, rule="two_thirds_cast", quorum=10)
    ok(console, "poll.count", {"poll_id": poll, "channel": "hands", "yes": 6, "no": 3, "abstain": 0})
    assert ok(console, "poll.close", {"poll_id": poll})["adopted"] is False
    failed = [c["key"] for c in certificate(console, poll)["conditions"] if not c["met"]]
    assert failed == ["quorum"]
    poll2 = new_poll(console, "第二个方案", rule="two_thirds_cast")
    ok(console, "poll.count", {"poll_id": poll2, "channel": "paper", "yes": 6, "no": 3, "abstain": 0})
    assert ok(console, "poll.close", {"poll_id": poll2})["adopted"] is True


def test_article_278_by_area_and_owners(meeting):
    import_roll(meeting)
    console = meeting.console()
    owners = [meeting.phone(f"业主{i}", f"3-10{i}") for i in range(1, 6)]
    tenant = meeting.phone("租户", "3-201")
    deciding(meeting, console)
    assert refused(console, "poll.open", {"proposal_id": ok(console, "proposal.create", {"title": "加装电梯"})["proposal_id"],
                                          "rule": "civil_278_special"})["code"] == "area_rule_needs_households"
    poll = ok(console, "poll.open", {"proposal_id": 1, "rule": "civil_278_special", "unit": "household"})["poll_id"]
    assert refused(tenant, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})["code"] == "not_owner"
    assert refused(console, "poll.count", {"poll_id": poll, "channel": "hands", "yes": 1, "no": 0, "abstain": 0})["code"] \
        == "named_votes_only"
    for phone, choice in zip(owners[:3], ("yes", "yes", "no")):
        ok(phone, "ballot.cast", {"poll_id": poll, "choice": choice, "client_id": client_id()})
    assert ok(console, "poll.close", {"poll_id": poll})["adopted"] is False
    cert = certificate(console, poll)
    assert cert["eligible"] == 6 and cert["eligible_area"] == "600.00"
    failed = {c["key"]: c for c in cert["conditions"] if not c["met"]}
    assert set(failed) == {"turnout_heads", "turnout_area", "yes_heads_three_quarters", "yes_area_three_quarters"}
    assert failed["turnout_heads"]["needed"] == "4" and failed["turnout_area"]["needed"] == "400.00"

    poll2 = ok(console, "poll.open", {"proposal_id": ok(console, "proposal.create", {"title": "楼道粉刷"})["proposal_id"],
                                      "rule": "civil_278_ordinary", "unit": "household"})["poll_id"]
    for phone, choice in zip(owners, ("yes", "yes", "yes", "no", "abstain")):
        ok(phone, "ballot.cast", {"poll_id": poll2, "choice": choice, "client_id": client_id()})
    assert ok(console, "poll.close", {"poll_id": poll2})["adopted"] is True  # 5 of 6 take part; 3 of 5 agree


def test_secret_ballot_keeps_who_took_part_and_forgets_who_chose_what(meeting, app):
    console = meeting.console()
    li, zhang, zhao = meeting.phone("李阿姨"), meeting.phone("张师傅"), meeting.phone("赵大爷")
    deciding(meeting, console)
    poll = new_poll(console, secret=True)
    for phone, choice in ((li, "yes"), (zhang, "no"), (zhao, "yes")):
        ok(phone, "ballot.cast", {"poll_id": poll, "choice": choice, "client_id": client_id()})
    while_open = ok(console, "state.get")["state"]["ballots"][str(poll)]["ballots"]
    assert {b["voter"] for b in while_open} == {"李阿姨", "张师傅", "赵大爷"} and all(b["choice"] is None for b in while_open)
    ok(console, "poll.close", {"poll_id": poll})
    maker = app.extensions["council.sessionmaker"]
    with maker() as db:
        rows = db.scalars(select(Ballot).where(Ballot.poll_id == poll)).all()
        assert sorted(b.choice for b in rows) == ["no", "yes", "yes"]
        assert all(b.voter_key is None and b.participant_id is None and b.household_id is None and b.cast_at is None
                   for b in rows)
        assert db.scalar(select(func.count()).select_from(BallotReceipt).where(BallotReceipt.poll_id == poll)) == 0
        assert sorted(db.scalars(select(Participation.label).where(Participation.poll_id == poll))) == \
            ["张师傅", "李阿姨", "赵大爷"]
        for event in db.scalars(select(AuditEvent).where(AuditEvent.poll_id == poll)):
            assert "choice" not in event.detail, event.kind
        decision = db.scalar(select(Decision).where(Decision.poll_id == poll))
        assert (decision.yes, decision.no) == (2, 1)
    me = ok(li, "state.get")["state"]["me"]
    assert str(poll) not in me["ballots"] and me["took_part"] == [poll]
    assert ok(console, "state.get")["state"]["ballots"][str(poll)]["took_part"] == ["张师傅", "李阿姨", "赵大爷"]


def test_secret_ballot_cannot_be_unmasked_from_audit_trail_and_console_patches(meeting):
    """Issue 11's attacker: the permanent audit CSV and every message the console received,
    zipped (the n-th voter in the trail against the n-th count that moved). Against a secret
    poll they must recover nothing better than a blind guess."""
    console = meeting.console()
    deciding(meeting, console)
    names = [f"居民{i:02d}" for i in range(26)]
    phones = [meeting.phone(name) for name in names]
    poll = new_poll(console, secret=True)
    latest_state(console, wait=0.1)
    console.log = []  # from here on: what the attacker's console hears
    dice = random.Random(11)
    truth = {}
    for name, phone in zip(names, phones):
        truth[name] = dice.choice(["yes", "no", "abstain"])
        ok(phone, "ballot.cast", {"poll_id": poll, "choice": truth[name], "client_id": client_id()})
        latest_state(console, wait=0.05)  # listening between the votes
    ok(console, "poll.close", {"poll_id": poll})
    latest_state(console, wait=0.2)

    moved: list[str] = []  # which count went up, patch after patch, while the poll was open
    last = {"yes": 0, "no": 0, "abstain": 0}
    for message in console.log:
        patches = [message["args"][0]] if message["name"] == "patch" else \
            message["args"][0] if message["name"] == "patches" else []
        for patch in patches:
            views = [patch["data"].get(str(poll), {})] if patch["part"] == "tally" else \
                [p for p in patch["data"] if p["id"] == poll and p["status"] == "open"] if patch["part"] == "polls" else []
            for view in views:
                tally = view.get("tally") or {}
                for choice in last:
                    if tally.get(choice, last[choice]) > last[choice]:
                        moved.append(choice)
                        last[choice] = tally[choice]
    trail = meeting.web.get(f"/console/{meeting.session_id}/audit.csv").get_data(as_text=True)
    in_order = [dict(kv.split("=", 1) for kv in row[5].split("; ") if "=" in kv).get("voter")
                for row in csv.reader(io.StringIO(trail.lstrip("\ufeff"))) if row[2] == str(poll)]
    guesses = dict(zip([v for v in in_order if v], moved))
    right = sum(guesses.get(name, "yes") == truth[name] for name in names)
    blind = sum(choice == "yes" for choice in truth.values())  # everyone guessed "yes"
    assert right <= blind, f"the attacker recovered {right} of {len(names)} secret choices"
    assert not moved, "no count of a secret poll moves while it is open"
    assert ok(console, "state.get")["state"]["ballots"][str(poll)]["took_part"] == sorted(names)
    assert in_order == [None] * 3 and "居民00、居民01" in trail  # open, took part (names), close


def test_audit_trail_and_csv(meeting):
    console, li = meeting.console(), meeting.phone("李阿姨")
    deciding(meeting, console)
    poll = new_poll(console)
    ok(li, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})
    ok(li, "ballot.cast", {"poll_id": poll, "choice": "no", "client_id": client_id()})
    ok(console, "poll.count", {"poll_id": poll, "channel": "hands", "yes": 3, "no": 0, "abstain": 0})
    ok(console, "poll.close", {"poll_id": poll})
    r = meeting.web.get(f"/console/{meeting.session_id}/audit.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    lines = r.get_data(as_text=True).lstrip("\ufeff").splitlines()
    kinds = [line.split(",")[4] for line in lines[1:]]
    assert kinds == ["poll.open", "ballot.cast", "ballot.change", "count.entered", "poll.close"]
    assert "participant:李阿姨" in lines[2] and "choice=yes" in lines[2]
    page = meeting.web.get(f"/console/{meeting.session_id}/audit").get_data(as_text=True)
    assert "改票" in page and "李阿姨" in page and "ballot.change" not in page
    assert meeting.app.test_client().get(f"/console/{meeting.session_id}/audit.csv").status_code == 302


def test_household_phones_voting_at_once_count_once(meeting, app):
    import_roll(meeting)
    console = meeting.console()
    deciding(meeting, console)
    poll = new_poll(console, unit="household")
    maker = app.extensions["council.sessionmaker"]
    with maker() as db:
        phones = [Actor.participant(participants.join(db, meeting.code, f"家人{i}", f"3-10{1 + i % 6}")
                                    .reply["participant_id"]) for i in range(24)]
    assert vote_at_once(maker, phones, poll) == []
    with maker() as db:
        total, _ = polls.tally_of(db, poll)
        assert total.cast == 6, "24 phones of 6 households: 6 votes"


choices = st.sampled_from(["yes", "no", "abstain"])
operations = st.lists(st.one_of(
    st.tuples(st.just("cast"), st.integers(0, 3), choices, st.integers(0, 4)),
    st.tuples(st.just("enter"), st.integers(0, 3), choices),
    st.tuples(st.just("count"), st.sampled_from(["hands", "paper"]), st.integers(0, 9), st.integers(0, 9),
              st.integers(0, 9)),
), max_size=25)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations)
def test_stored_tally_equals_recount_for_any_sequence(meeting, app, ops):
    """Casts, changes, retries, manual entries and a close: the decision equals the ballots recounted."""
    maker = app.extensions["council.sessionmaker"]
    fac = Actor.facilitator(meeting.facilitator_id)
    with maker() as db:
        session = db.get_one(Session, meeting.session_id)
        while session.step != "decide":
            sessions.advance_step(db, fac, session.id)
            db.refresh(session)
        people = [participants.join(db, meeting.code, f"居民{i}", device_token=f"token-{i}-{'x' * 20}").reply["participant_id"]
                  for i in range(4)]
        poll = polls.open_poll(db, fac, proposals.create_proposal(db, fac, session.id, "方案").reply["proposal_id"]
                               ).reply["poll_id"]
        expected: dict[int, str] = {}
        counts: dict[str, tuple[int, int, int]] = {}
        sent: dict[tuple[int, int], str] = {}
        for op in ops:
            if op[0] == "cast":
                _, who, choice, retry = op
                key = (who, retry)
                cid = f"client-{poll}-{who}-{retry}"
                if key in sent:  # a retry of an earlier send: counted once, changes nothing
                    polls.cast_vote(db, Actor.participant(people[who]), poll, choice, cid)
                    continue
                sent[key] = choice
                polls.cast_vote(db, Actor.participant(people[who]), poll, choice, cid)
                expected[who] = choice
            elif op[0] == "enter":
                _, who, choice = op
                polls.enter_vote(db, fac, poll, choice, participant_id=people[who])
                expected[who] = choice
            else:
                _, channel, y, n, a = op
                polls.set_count(db, fac, poll, channel, y, n, a)
                counts[channel] = (y, n, a)
        polls.close_poll(db, fac, poll)
        decision = db.scalar(select(Decision).where(Decision.poll_id == poll))
        recount, _ = polls.tally_of(db, poll)
        want = [list(expected.values()).count(c) + sum(v[i] for v in counts.values())
                for i, c in enumerate(("yes", "no", "abstain"))]
        assert [decision.yes, decision.no, decision.abstain] == [recount.yes, recount.no, recount.abstain] == want


def test_audit_trail_says_what_happened_when_household_phones_vote_at_once(meeting, app):
    """Two phones of each household vote at the same instant: the trail shows, per household,
    one cast and one change (never two casts), written in the ballot's own transaction."""
    doors = [f"9-{100 + i}" for i in range(30)]
    import_roll(meeting, "门牌号,面积,业主\n" + "".join(f"{d},80,是\n" for d in doors))
    console = meeting.console()
    deciding(meeting, console)
    poll = new_poll(console, unit="household")
    maker = app.extensions["council.sessionmaker"]
    with maker() as db:
        phones = [Actor.participant(participants.join(db, meeting.code, f"家人{i}", doors[i // 2])
                                    .reply["participant_id"]) for i in range(2 * len(doors))]
    assert vote_at_once(maker, phones, poll) == []
    with maker() as db:
        rows = db.execute(select(AuditEvent.kind, AuditEvent.detail).where(AuditEvent.poll_id == poll)).all()
        casts = [r.detail["voter"] for r in rows if r.kind == "ballot.cast"]
        changes = [r.detail["voter"] for r in rows if r.kind == "ballot.change"]
        assert sorted(casts) == sorted(changes) == sorted(doors)
        assert polls.tally_of(db, poll)[0].cast == len(doors)
