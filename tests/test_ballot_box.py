"""Group commit: the phones' votes that arrive together go to the database in one transaction,
each phone answered after that commit; the database busy or out of connections is `busy`."""
from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, TimeoutError as PoolTimeout

from council.db import get_db
from council.domain import DomainError
from council.live import ballot_box
from council.models import AuditEvent, Ballot
from council.services import Actor, polls, sessions
from tests.helpers import client_id, latest_state, ok, refused


def deciding_poll(meeting, console, **options):
    ok(console, "step.advance")
    ok(console, "step.advance")
    proposal = ok(console, "proposal.create", {"title": "楼道装灯"})["proposal_id"]
    return ok(console, "poll.open", {"proposal_id": proposal, **options})["poll_id"]


def stored_ballots(app, poll):
    with app.app_context():
        return get_db().scalar(select(func.count()).select_from(Ballot).where(Ballot.poll_id == poll))


def at_once(calls):
    """Run the calls each in its own thread, released together; their results in order."""
    start, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(i, call):
        start.wait()
        results[i] = call()
    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_votes_that_arrive_together_are_committed_together(meeting, app, monkeypatch):
    console, projector = meeting.console(), meeting.projector()
    phones = [meeting.phone(f"居民{i}") for i in range(8)]
    poll = deciding_poll(meeting, console)
    latest_state(projector)
    batches: list[int] = []
    store = polls.cast_votes

    def first_batch_waits_for_the_rest(db, votes):
        # The first vote's transaction is slow (a disk, a busy machine): the others arrive meanwhile.
        if not batches:
            box = app.extensions["council.ballot_box"]
            deadline = time.monotonic() + 10
            while len(box.waiting) + len(votes) < len(phones) and time.monotonic() < deadline:
                time.sleep(0.01)
        batches.append(len(votes))
        return store(db, votes)
    monkeypatch.setattr(polls, "cast_votes", first_batch_waits_for_the_rest)
    replies = at_once([lambda p=p: p.emit("ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()},
                                          callback=True) for p in phones])
    assert all(r["ok"] and not r["duplicate"] for r in replies), replies
    assert sum(batches) == 8 and len(batches) <= 2, \
        f"one transaction for the first vote(s), one for all that came meanwhile: {batches}"
    assert stored_ballots(app, poll) == 8
    tallies = [m for m in projector.get_received() if m["name"] == "patch" and m["args"][0]["part"] == "tally"]
    assert [t["args"][0]["data"][str(poll)]["tally"]["cast"] for t in tallies] == [batches[0], 8][-len(batches):], \
        "the projector gets one count per transaction, each with every vote it committed"
    with app.app_context():  # the audit trail has each vote, in the order the batch stored them
        assert get_db().scalar(select(func.count()).select_from(AuditEvent)
                               .where(AuditEvent.kind == "ballot.cast")) == 8


def test_a_batch_counts_a_resend_once_and_refuses_a_bad_vote_alone(meeting, app):
    console = meeting.console()
    a, b, c = (meeting.phone(n) for n in ("李阿姨", "王大爷", "赵师傅"))
    poll = deciding_poll(meeting, console)
    other = ok(console, "poll.open", {"proposal_id": ok(console, "proposal.create", {"title": "车棚"})["proposal_id"]})
    ok(console, "poll.close", {"poll_id": other["poll_id"]})
    same = client_id()
    votes = [polls.PhoneVote(Actor.participant(a.participant_id), poll, "yes", same),
             polls.PhoneVote(Actor.participant(b.participant_id), poll, "maybe", client_id()),
             polls.PhoneVote(Actor.participant(a.participant_id), poll, "yes", same),  # the page resent it
             polls.PhoneVote(Actor.participant(c.participant_id), other["poll_id"], "no", client_id()),
             polls.PhoneVote(Actor.participant(c.participant_id), poll, "no", client_id()),
             polls.PhoneVote(Actor.participant(b.participant_id), poll, "no", client_id()),
             polls.PhoneVote(Actor.participant(a.participant_id), poll, "abstain", client_id())]  # changed her mind
    with app.app_context():
        results = polls.cast_votes(get_db(), votes)
    assert [r.code if isinstance(r, DomainError) else r.reply["duplicate"] for r in results] == \
        [False, "invalid_choice", True, "poll_closed", False, False, False]
    assert results[2].reply["choice"] == "abstain" and results[2].parts == frozenset(), "the ballot as stored"
    assert stored_ballots(app, poll) == 3
    tally = {p["id"]: p for p in ok(console, "state.get")["state"]["polls"]}[poll]["tally"]
    assert (tally["yes"], tally["no"], tally["abstain"], tally["cast"]) == (0, 2, 1, 3), "the later vote counts"
    with app.app_context():
        trail = [(e.kind, e.detail["voter"], e.detail["choice"]) for e in get_db().scalars(
            select(AuditEvent).where(AuditEvent.poll_id == poll).order_by(AuditEvent.id)) if e.kind.startswith("ballot")]
    assert sorted(trail[:3]) == sorted([("ballot.cast", "李阿姨", "yes"), ("ballot.cast", "王大爷", "no"),
                                        ("ballot.cast", "赵师傅", "no")])
    assert trail[3:] == [("ballot.change", "李阿姨", "abstain")]


def test_one_broken_vote_does_not_take_the_batch_down(meeting, app, monkeypatch):
    console = meeting.console()
    phones = [meeting.phone(f"居民{i}") for i in range(4)]
    poll = deciding_poll(meeting, console)
    store = polls.cast_votes
    broken = phones[2].participant_id

    def a_vote_breaks_the_transaction(db, votes):
        if any(v.actor.id == broken for v in votes):
            raise IntegrityError("INSERT INTO ballots", {}, Exception("a constraint the checks missed"))
        return store(db, votes)
    monkeypatch.setattr(polls, "cast_votes", a_vote_breaks_the_transaction)
    box = ballot_box.BallotBox(app)
    waiting = [ballot_box._Waiting(polls.PhoneVote(Actor.participant(p.participant_id), poll, "yes", client_id()))
               for p in phones]
    with app.app_context():
        results = box._store(waiting)
    assert [isinstance(r, DomainError) for r in results] == [False, False, True, False]
    assert results[2].code == "invalid_field"
    assert stored_ballots(app, poll) == 3


def test_a_pool_timeout_is_busy_and_the_resend_counts_once(meeting, app, monkeypatch):
    """Two thousand phones on two processes ran the pools dry: votes waiting for a connection
    timed out and were answered `invalid_field`, or not at all. They are `busy` now, and the
    page's resend (same client id) counts once."""
    console, phone = meeting.console(), meeting.phone("李阿姨")
    poll = deciding_poll(meeting, console)
    store = polls.cast_votes

    def no_connection_free(db, votes):
        raise PoolTimeout("QueuePool limit of size 10 overflow 10 reached, connection timed out")
    monkeypatch.setattr(polls, "cast_votes", no_connection_free)
    vote = {"poll_id": poll, "choice": "no", "client_id": client_id()}
    assert refused(phone, "ballot.cast", vote)["code"] == "busy"
    monkeypatch.setattr(polls, "cast_votes", store)
    assert ok(phone, "ballot.cast", vote)["duplicate"] is False
    assert ok(phone, "ballot.cast", vote)["duplicate"] is True
    assert stored_ballots(app, poll) == 1

    def pool_dry(*args, **kwargs):
        raise PoolTimeout("QueuePool limit reached")
    monkeypatch.setattr(sessions, "set_timer", pool_dry)  # any other event alike
    assert refused(console, "timer.set", {"seconds": 60})["code"] == "busy"


def test_sqlite_commits_are_durable(app):
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("a SQLite setting")
    with app.app_context():
        # 2 is FULL: a commit is on the disk before the phone is answered, a power cut loses nothing acknowledged
        assert get_db().connection().exec_driver_sql("PRAGMA synchronous").scalar() == 2


def test_screens_read_without_waiting_for_a_writer(meeting, app):
    """A page's state is read in a plain transaction: it took the write lock before, so while
    anything wrote (a batch of votes, a document) every reconnecting phone waited."""
    url = app.config["DATABASE_URL"]
    if not url.startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    phone = meeting.phone("李阿姨")
    writer = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        assert ok(phone, "state.get")["state"]["session"]["id"] == meeting.session_id
        assert time.monotonic() - started < 2
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_room_reconnecting_gets_one_state_built_once_per_change(meeting, app, monkeypatch):
    """A Wi-Fi drop: every phone reconnects at once. The public state is built once for all
    of them (it was built per connection: 500 phones waited eleven seconds), and a change
    published since is in the next one, never an older state."""
    from council.services import state
    console = meeting.console()
    tokens = [meeting.join(f"居民{i}", f"3-{i}")["device_token"] for i in range(6)]
    built: list[str] = []
    build = state.snapshot

    def counted(db, session_id, audience, participant_id=None):
        built.append(str(audience))
        return build(db, session_id, audience, participant_id=participant_id)
    monkeypatch.setattr(state, "snapshot", counted)
    phones = [meeting._connect(auth={"role": "phone", "code": meeting.code, "token": t}) for t in tokens]
    states = [{**latest_state(p, wait=0)} for p in phones]
    assert built.count("phone") == 1, built
    assert [s["me"]["name"] for s in states] == [f"居民{i}" for i in range(6)], "each phone its own `me`"
    ok(console, "step.advance")  # published: the revision moves on
    late = meeting._connect(auth={"role": "phone", "code": meeting.code, "token": tokens[0]})
    late_state = dict(latest_state(late, wait=0))
    assert late_state["session"]["step"] == latest_state(console)["session"]["step"] == "discuss"
    assert built.count("phone") == 2
    assert late_state["session"]["server_now"] > states[0]["session"]["server_now"], \
        "the clock a page sets its countdown by is the moment the state is sent"


def test_a_change_while_a_phone_connects_is_in_every_state_after_it(meeting, app, monkeypatch):
    """The shared state must not be built from what the connecting phone read before the
    change (its authentication): that state would be handed to every later phone, which joined
    the room after the change's patches went out and would never see it."""
    from council.live import broadcast, budget
    meeting.console()
    tokens = [meeting.join(f"居民{i}")["device_token"] for i in range(2)]
    charge, changed = budget.charge_participant, []

    def the_facilitator_moves_on_meanwhile(participant_id, cost):
        charge(participant_id, cost)
        if changed:
            return
        changed.append(True)

        def advance():
            with app.app_context():
                me = Actor.facilitator(meeting.facilitator_id, session_id=meeting.session_id)
                broadcast.publish(sessions.advance_step(get_db(), me, meeting.session_id))
        worker = threading.Thread(target=advance)
        worker.start()
        worker.join(30)
    monkeypatch.setattr(budget, "charge_participant", the_facilitator_moves_on_meanwhile)
    first = meeting._connect(auth={"role": "phone", "code": meeting.code, "token": tokens[0]})
    second = meeting._connect(auth={"role": "phone", "code": meeting.code, "token": tokens[1]})
    assert changed
    assert latest_state(first, wait=0)["session"]["step"] == "discuss"
    assert latest_state(second, wait=0)["session"]["step"] == "discuss"
