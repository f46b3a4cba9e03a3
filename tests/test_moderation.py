"""Pre-moderation and undoing a merge (issue 13, item 13).

An insult naming a neighbour's door reached the projector the moment it was sent. With
pre-moderation on, what phones write waits for the facilitator's OK: it reaches the console
and its author's own list only, and nothing else (no screen, count, ranking, document) until
approved; a rejected one never. A merge can be undone, giving back exactly the supports it
moved, and the author of a merged topic is told where it went.
"""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select

from council.db import get_db
from council.documents import minutes
from council.models import AuditEvent
from tests.helpers import Meeting, latest_state, ok, refused

INSULT = "3-102那家人是垃圾"


@pytest.fixture
def checked(app):
    """A plain meeting whose every page is checked against a reload after each operation."""
    m = Meeting(app, check_live=True)
    yield m
    m.disconnect_all()


def _texts(view):
    return [t["text"] for t in view["topics"]]


def _supporters(console, topic_id):
    return next(t["supports"] for t in latest_state(console)["topics"] if t["id"] == topic_id)


def _audit(app, session_id):
    with app.app_context():
        return [(e.kind, e.detail) for e in get_db().scalars(
            select(AuditEvent).where(AuditEvent.session_id == session_id).order_by(AuditEvent.id))]


def test_a_waiting_topic_reaches_only_the_console_and_its_author(checked, app):
    m = checked
    console, projector = m.console(), m.projector()
    li, zhang = m.phone("李阿姨", "3-101"), m.phone("张师傅", "3-103")
    assert latest_state(projector)["session"]["premoderation"] is False, "off by default"
    ok(console, "session.moderation", {"on": True})
    assert latest_state(projector)["session"]["premoderation"] is True
    reply = ok(li, "topic.raise", {"text": INSULT})
    assert reply["review"] == "pending"
    waiting = reply["topic_id"]
    ok(console, "topic.raise", {"text": "楼道灯坏了"})  # the facilitator's own goes up at once
    for screen in (projector, zhang):
        assert _texts(latest_state(screen)) == ["楼道灯坏了"]
        assert INSULT not in str(latest_state(screen)), "not in any part, under any name"
    own = latest_state(li)
    assert _texts(own) == ["楼道灯坏了"]
    assert own["me"]["own_topics"] == [{"id": waiting, "text": INSULT, "review": "pending", "merged_into": None}]
    assert [(t["text"], t["review"]) for t in latest_state(console)["topics"]] == [
        (INSULT, "pending"), ("楼道灯坏了", "approved")]
    # nobody can support it, the projector's count and the documents leave it out
    assert refused(zhang, "topic.support", {"topic_id": waiting, "on": True})["code"] == "not_found"
    with app.app_context():
        assert [t["text"] for t in minutes.build(get_db(), m.session_id)["topics"]] == ["楼道灯坏了"]
    assert INSULT not in m.app.test_client().get(f"/record/session/{m.session_id}").get_data(as_text=True)


def test_approving_publishes_it_like_a_new_topic(checked, app):
    m = checked
    console, projector = m.console(), m.projector()
    li, zhang = m.phone("李阿姨"), m.phone("张师傅")
    ok(console, "session.moderation", {"on": True})
    topic = ok(li, "topic.raise", {"text": "院里停车太乱"})["topic_id"]
    assert refused(li, "topic.approve", {"topic_id": topic})["code"] == "not_facilitator"
    assert refused(projector, "topic.approve", {"topic_id": topic})["code"] == "not_facilitator"
    assert refused(zhang, "topic.reject", {"topic_id": topic})["code"] == "not_facilitator"
    assert refused(li, "session.moderation", {"on": False})["code"] == "not_facilitator"
    ok(console, "topic.approve", {"topic_id": topic})
    assert _texts(latest_state(projector)) == ["院里停车太乱"]
    assert [(t["text"], t["supports"]) for t in latest_state(zhang)["topics"]] == [("院里停车太乱", 1)]
    assert latest_state(li)["me"]["own_topics"] == [], "on the wall now: the author's list is empty"
    ok(zhang, "topic.support", {"topic_id": topic, "on": True})
    assert refused(console, "topic.approve", {"topic_id": topic})["code"] == "not_pending"
    assert ("topic.approve", {"topic": topic, "text": "院里停车太乱"}) in _audit(app, m.session_id)


def test_a_rejected_topic_is_never_shown(checked, app):
    m = checked
    console, projector = m.console(), m.projector()
    li = m.phone("李阿姨", "3-101")
    ok(console, "session.moderation", {"on": True})
    topic = ok(li, "topic.raise", {"text": INSULT})["topic_id"]
    ok(console, "topic.reject", {"topic_id": topic})
    assert latest_state(li)["me"]["own_topics"][0]["review"] == "rejected"
    assert refused(console, "topic.approve", {"topic_id": topic})["code"] == "not_pending"
    assert refused(console, "topic.reject", {"topic_id": topic})["code"] == "not_pending"
    ok(console, "session.moderation", {"on": False})  # switching off approves nothing
    ok(li, "topic.raise", {"text": "楼道灯坏了"})  # without pre-moderation: on the wall at once
    assert _texts(latest_state(projector)) == ["楼道灯坏了"]
    other = ok(console, "topic.raise", {"text": "垃圾分类"})["topic_id"]
    assert refused(console, "topic.merge", {"source_id": topic, "target_id": other})["code"] == "not_approved"
    assert refused(console, "topic.merge", {"source_id": other, "target_id": topic})["code"] == "not_approved"
    ok(console, "step.advance")
    with app.app_context():
        assert INSULT not in str(minutes.build(get_db(), m.session_id))
    assert INSULT not in str(latest_state(projector))
    kinds = [k for k, _ in _audit(app, m.session_id)]
    assert kinds == ["moderation.set", "topic.reject", "moderation.set"]


def test_merge_tells_the_author_where_her_topic_went_and_unmerge_gives_back_exactly_the_supports(checked, app):
    m = checked
    console, projector = m.console(), m.projector()
    li, zhang, x, y, z = (m.phone(n) for n in ("李阿姨", "张师傅", "吴姐", "钱老师", "孙阿姨"))
    target = ok(li, "topic.raise", {"text": "楼道灯坏了"})["topic_id"]
    source = ok(zhang, "topic.raise", {"text": "楼道没有灯"})["topic_id"]
    ok(x, "topic.support", {"topic_id": target, "on": True})  # the target only
    ok(y, "topic.support", {"topic_id": source, "on": True})  # the duplicate only
    ok(z, "topic.support", {"topic_id": target, "on": True})  # both
    ok(z, "topic.support", {"topic_id": source, "on": True})
    assert (_supporters(console, target), _supporters(console, source)) == (3, 3)

    ok(console, "topic.merge", {"source_id": source, "target_id": target})
    assert _texts(latest_state(projector)) == ["楼道灯坏了"]
    assert _supporters(console, target) == 5, "李, 吴, 孙, and from the duplicate 张 and 钱"
    assert latest_state(zhang)["me"]["own_topics"] == [
        {"id": source, "text": "楼道没有灯", "review": "approved", "merged_into": {"id": target, "text": "楼道灯坏了"}}]
    assert target in latest_state(y)["me"]["supports"]
    ok(console, "topic.edit", {"topic_id": target, "text": "楼道灯坏了，晚上看不见"})
    assert latest_state(zhang)["me"]["own_topics"][0]["merged_into"]["text"] == "楼道灯坏了，晚上看不见"
    late = m.phone("郑奶奶")  # supports the merged topic afterwards: her own support, kept
    ok(late, "topic.support", {"topic_id": target, "on": True})

    ok(console, "topic.unmerge", {"topic_id": source})
    view = latest_state(projector)
    assert {t["id"]: t["supports"] for t in view["topics"]} == {target: 4, source: 3}
    assert latest_state(zhang)["me"]["own_topics"] == []
    assert target not in latest_state(y)["me"]["supports"] and source in latest_state(y)["me"]["supports"]
    assert {target, source} <= set(latest_state(z)["me"]["supports"]), "who backed both keeps both"
    assert target in latest_state(late)["me"]["supports"]
    assert refused(console, "topic.unmerge", {"topic_id": source})["code"] == "not_merged"
    assert refused(li, "topic.unmerge", {"topic_id": source})["code"] == "not_facilitator"
    trail = [(k, d) for k, d in _audit(app, m.session_id) if k.startswith("topic.")]
    assert [k for k, _ in trail] == ["topic.merge", "topic.unmerge"]
    assert trail[0][1]["supporters"] == 2 and trail[1][1]["supporters"] == 2


def test_unmerge_waits_for_a_later_merge_of_the_target_to_be_undone(meeting):
    console, li = meeting.console(), meeting.phone("李阿姨")
    a, b, c = (ok(li, "topic.raise", {"text": t})["topic_id"] for t in ("停车", "乱停车", "车位"))
    ok(console, "topic.merge", {"source_id": b, "target_id": a})
    ok(console, "topic.merge", {"source_id": a, "target_id": c})
    assert refused(console, "topic.unmerge", {"topic_id": b})["code"] == "merge_target_merged"
    ok(console, "topic.unmerge", {"topic_id": a})
    ok(console, "topic.unmerge", {"topic_id": b})
    assert sorted(t["id"] for t in latest_state(meeting.projector())["topics"]) == [a, b, c]


def test_a_waiting_duplicate_is_approved_by_its_merge(meeting):
    console, projector, li = meeting.console(), meeting.projector(), meeting.phone("李阿姨")
    target = ok(console, "topic.raise", {"text": "楼道灯坏了"})["topic_id"]
    ok(console, "session.moderation", {"on": True})
    waiting = ok(li, "topic.raise", {"text": "楼道没灯"})["topic_id"]
    assert refused(console, "topic.merge", {"source_id": target, "target_id": waiting})["code"] == "not_approved"
    ok(console, "topic.merge", {"source_id": waiting, "target_id": target})
    assert latest_state(li)["me"]["own_topics"][0]["merged_into"] == {"id": target, "text": "楼道灯坏了"}
    ok(console, "topic.unmerge", {"topic_id": waiting})
    assert _texts(latest_state(projector)) == ["楼道灯坏了", "楼道没灯"]


def test_a_waiting_topic_gets_no_dots_and_no_place_on_the_open_space_wall(open_space):
    m = open_space
    console, projector, li = m.console(), m.projector(), m.phone("李阿姨")
    ok(console, "session.moderation", {"on": True})
    waiting = ok(li, "topic.raise", {"text": INSULT})["topic_id"]
    ok(console, "dots.open", {"open": True})
    assert refused(li, "dot.place", {"target_id": waiting, "count": 1})["code"] == "not_found"
    assert latest_state(projector)["dots"]["ranking"] == []
    ok(console, "agenda.setup", {"spaces": ["东侧桌"], "slots": ["14:00"]})
    ok(console, "dots.open", {"open": False})
    ok(console, "step.advance")
    assert refused(console, "agenda.move", {"topic_id": waiting, "space_id": 1, "slot_id": 1})["code"] == "not_found"
    assert INSULT not in str(latest_state(projector))


def _cafe_round(m, console):
    ok(console, "cafe.setup", {"tables": ["青松"], "rounds": [{"minutes": 20, "question": "改什么？"}]})
    ok(console, "cafe.seat")
    ok(console, "step.advance")
    ok(console, "cafe.round")
    return latest_state(console)["cafe"]["tables"][0]["id"]


def test_cafe_ideas_wait_for_approval_too(cafe, app):
    m = cafe
    console, projector = m.console(), m.projector()
    li, wu = m.phone("李阿姨"), m.phone("吴姐")
    table = _cafe_round(m, console)
    ok(console, "session.moderation", {"on": True})
    reply = ok(li, "idea.add", {"text": INSULT})
    assert reply["review"] == "pending" and reply["me"]["own_ideas"] == [
        {"id": reply["idea_id"], "text": INSULT, "review": "pending"}]
    fair = ok(wu, "idea.add", {"text": "楼道装感应灯"})["idea_id"]
    ok(console, "idea.add", {"text": "建工具共享角", "table_id": table})
    assert [i["text"] for i in latest_state(projector)["ideas"]] == ["建工具共享角"]
    assert [(i["text"], i["review"]) for i in latest_state(console)["ideas"]] == [
        (INSULT, "pending"), ("楼道装感应灯", "pending"), ("建工具共享角", "approved")]
    assert refused(wu, "idea.approve", {"idea_id": fair})["code"] == "not_facilitator"
    ok(console, "idea.approve", {"idea_id": fair})
    ok(console, "idea.reject", {"idea_id": reply["idea_id"]})
    assert refused(console, "idea.approve", {"idea_id": reply["idea_id"]})["code"] == "not_pending"
    assert [i["text"] for i in latest_state(projector)["ideas"]] == ["楼道装感应灯", "建工具共享角"]
    assert latest_state(wu)["me"]["own_ideas"] == []
    assert latest_state(li)["me"]["own_ideas"][0]["review"] == "rejected"
    ok(console, "dots.open", {"open": True})
    assert refused(li, "dot.place", {"target_id": reply["idea_id"], "count": 1})["code"] == "not_found"
    with app.app_context():
        section = minutes.build(get_db(), m.session_id)["section"]
    assert [i["text"] for i in section["ideas"]] == ["楼道装感应灯", "建工具共享角"]
    assert [k for k, _ in _audit(app, m.session_id)] == ["moderation.set", "idea.approve", "idea.reject"]


def test_migration_0010_keeps_every_topic_idea_and_support_shown(tmp_path):
    """A database of 0009 with topics, a merge, supports and ideas: after 0010 all of it is
    approved, no session is pre-moderated, and no support is marked as moved by a merge (an
    older merge cannot be undone: who was moved is not known). Back down, what waits or was
    rejected is hidden."""
    from alembic import command
    from council.migrate import alembic_config, upgrade
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0009")
    db = sqlite3.connect(tmp_path / "old.db")
    db.executescript("""
        INSERT INTO facilitators(name, password_hash, created_at) VALUES ('a', 'x', '2026-01-01');
        INSERT INTO councils(name, level, created_by_id, created_at) VALUES ('c', 'courtyard', 1, '2026-01-01');
        INSERT INTO sessions(council_id, facilitator_id, title, place, starts_at, format, step, join_code, recorder,
                             timer_seconds, created_at) VALUES (1, 1, 't', '', '2026-01-01', 'cafe', 'discuss',
                             '123456', '', 0, '2026-01-01');
        INSERT INTO participants(session_id, display_name, door_number, device_token, joined_at)
            VALUES (1, 'p', '', 'tok', '2026-01-01'), (1, 'q', '', 'tok2', '2026-01-01');
        INSERT INTO topics(session_id, author_id, text, hidden, created_at) VALUES (1, 1, 'a', 0, '2026-01-01');
        INSERT INTO topics(session_id, author_id, text, hidden, merged_into_id, created_at)
            VALUES (1, 2, 'b', 0, 1, '2026-01-01');
        INSERT INTO supports(topic_id, participant_id) VALUES (1, 1), (1, 2), (2, 2);
        INSERT INTO cafe_tables(session_id, name, position) VALUES (1, '青松', 0);
        INSERT INTO ideas(session_id, table_id, round_number, author_id, text, hidden, created_at)
            VALUES (1, 1, 1, 1, 'i', 0, '2026-01-01');
    """)
    db.commit()
    db.close()
    upgrade(url)
    db = sqlite3.connect(tmp_path / "old.db")
    assert db.execute("SELECT premoderation FROM sessions").fetchall() == [(0,)]
    assert db.execute("SELECT id, review, merged_into_id FROM topics ORDER BY id").fetchall() == [
        (1, "approved", None), (2, "approved", 1)]
    assert db.execute("SELECT topic_id, participant_id, via_topic_id FROM supports ORDER BY id").fetchall() == [
        (1, 1, None), (1, 2, None), (2, 2, None)]
    assert db.execute("SELECT review FROM ideas").fetchall() == [("approved",)]
    with pytest.raises(sqlite3.IntegrityError):  # the database itself knows the three states
        db.execute("UPDATE topics SET review = 'maybe' WHERE id = 1")
    db.execute("UPDATE topics SET review = 'pending' WHERE id = 1")
    db.commit()
    db.close()
    command.downgrade(alembic_config(url), "0009")
    db = sqlite3.connect(tmp_path / "old.db")
    assert db.execute("SELECT id, hidden FROM topics ORDER BY id").fetchall() == [(1, 1), (2, 0)]
    assert db.execute("SELECT count(*) FROM supports").fetchone() == (3,)
    db.close()


def test_a_phone_never_quotes_a_topic_hidden_as_abuse(checked):
    m = checked
    console, li, zhang = m.console(), m.phone("李阿姨"), m.phone("张师傅")
    target = ok(li, "topic.raise", {"text": INSULT})["topic_id"]
    source = ok(zhang, "topic.raise", {"text": "3-102家门口太乱"})["topic_id"]
    ok(console, "topic.merge", {"source_id": source, "target_id": target})
    assert latest_state(zhang)["me"]["own_topics"][0]["merged_into"] == {"id": target, "text": INSULT}
    ok(console, "topic.hide", {"topic_id": target, "hidden": True})
    assert latest_state(zhang)["me"]["own_topics"][0]["merged_into"] == {"id": target, "text": ""}
    assert INSULT not in str(latest_state(zhang))
