"""Services against a real database: constraints, retries and races, on SQLite and PostgreSQL."""
from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from council.domain import DomainError
from council.models import Ballot, Decision, Support
from council.services import Actor, participants, polls, proposals, sessions, topics


@pytest.fixture
def db_session(app):
    maker = app.extensions["council.sessionmaker"]
    db = maker()
    yield db
    db.close()


@pytest.fixture
def deciding(meeting, db_session):
    """A session in decide with one open poll and residents who joined."""
    fac = Actor.facilitator(meeting.facilitator_id)
    sessions.advance_step(db_session, fac, meeting.session_id)
    proposal = proposals.create_proposal(db_session, fac, meeting.session_id, "安装电动车充电桩").reply["proposal_id"]
    sessions.advance_step(db_session, fac, meeting.session_id)
    poll = polls.open_poll(db_session, fac, proposal).reply["poll_id"]
    return meeting, fac, poll


def _residents(db, meeting, n):
    return [Actor.participant(participants.join(db, meeting.code, f"居民{i}", f"{i}-101").reply["participant_id"])
            for i in range(n)]


def test_database_refuses_a_second_ballot(deciding, db_session):
    meeting, _, poll = deciding
    (resident,) = _residents(db_session, meeting, 1)
    db_session.add(Ballot(poll_id=poll, voter_key=f"p:{resident.id}", participant_id=resident.id, choice="yes"))
    db_session.commit()
    db_session.add(Ballot(poll_id=poll, voter_key=f"p:{resident.id}", participant_id=resident.id, choice="no"))
    with pytest.raises(IntegrityError):
        db_session.commit()
    db_session.rollback()


def test_database_refuses_a_second_open_poll_on_a_proposal(deciding, db_session):
    meeting, fac, poll = deciding
    proposal = db_session.scalar(select(Decision.proposal_id).where(Decision.poll_id == poll))
    assert proposal is None
    from council.models import Poll
    existing = db_session.get(Poll, poll)
    with pytest.raises(DomainError) as err:
        polls.open_poll(db_session, fac, existing.proposal_id)
    assert err.value.code == "poll_already_open"


def test_retried_and_changed_votes(deciding, db_session):
    meeting, fac, poll = deciding
    (resident,) = _residents(db_session, meeting, 1)
    first, second = uuid.uuid4().hex, uuid.uuid4().hex
    polls.cast_vote(db_session, resident, poll, "yes", first)
    polls.cast_vote(db_session, resident, poll, "no", second)
    late = polls.cast_vote(db_session, resident, poll, "yes", first)  # a delayed retry of the first send
    assert late.reply == {"poll_id": poll, "choice": "no", "duplicate": True}
    total, channels = polls.tally_of(db_session, poll)
    assert (total.yes, total.no, total.cast) == (0, 1, 1) and channels["phone"].no == 1


def test_merge_keeps_supporters_once(meeting, db_session):
    fac = Actor.facilitator(meeting.facilitator_id)
    a, b, c = _residents(db_session, meeting, 3)
    t1 = topics.raise_topic(db_session, a, "停车太乱").reply["topic_id"]
    t2 = topics.raise_topic(db_session, b, "乱停车堵门").reply["topic_id"]
    topics.support_topic(db_session, c, t1)
    topics.support_topic(db_session, c, t2)
    topics.merge_topics(db_session, fac, t2, t1)
    supporters = set(db_session.scalars(select(Support.participant_id).where(Support.topic_id == t1)))
    assert supporters == {a.id, b.id, c.id}
    with pytest.raises(DomainError):
        topics.support_topic(db_session, c, t2)  # the merged duplicate is gone from the wall


def test_concurrent_votes_racing_the_close_are_counted_or_refused(deciding, app):
    """Each acknowledged vote is in the decision; each refused one is not; nothing half-counted."""
    meeting, fac, poll = deciding
    maker = app.extensions["council.sessionmaker"]
    with maker() as db:
        residents = _residents(db, meeting, 24)
    acked: list[int] = []
    refused: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(len(residents) + 1)

    def vote(resident: Actor) -> None:
        start.wait()
        with maker() as db:
            cid = uuid.uuid4().hex
            for _ in range(50):
                try:
                    polls.cast_vote(db, resident, poll, "yes", cid)
                    outcome = True
                    break
                except DomainError as err:
                    db.rollback()
                    assert err.code == "poll_closed"
                    outcome = False
                    break
                except Exception:  # database busy: retry like a phone does
                    db.rollback()
            with lock:
                (acked if outcome else refused).append(resident.id)

    def close() -> None:
        start.wait()
        with maker() as db:
            for _ in range(50):
                try:
                    polls.close_poll(db, fac, poll)
                    return
                except DomainError:
                    raise
                except Exception:
                    db.rollback()

    threads = [threading.Thread(target=vote, args=(r,)) for r in residents] + [threading.Thread(target=close)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    with maker() as db:
        decision = db.scalar(select(Decision).where(Decision.poll_id == poll))
        stored = db.scalar(select(func.count()).select_from(Ballot).where(Ballot.poll_id == poll))
    assert len(acked) + len(refused) == len(residents)
    assert decision.yes == len(acked) == stored
