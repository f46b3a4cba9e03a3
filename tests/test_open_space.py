"""One whole Open Space session over Socket.IO: marketplace, dots, agenda wall, groups,
reports, and the needs arriving in decide as candidate proposals."""
from __future__ import annotations

from tests.helpers import client_id, latest_state, ok, refused


def test_whole_open_space_session(open_space):
    m = open_space
    console, projector = m.console(), m.projector()
    li, zhang, zhao, wu = (m.phone("李阿姨", "3-101"), m.phone("张师傅", "3-102"), m.phone("赵大爷", "5-201"),
                           m.phone("吴姐", "5-202"))
    old_wang = ok(console, "participant.add", {"name": "王奶奶", "door": "1-101"})["participant_id"]

    # Marketplace: the proposer convenes; the facilitator enters one for 王奶奶, who has no phone.
    parking = ok(li, "topic.raise", {"text": "电动车充电难"})["topic_id"]
    trees = ok(zhang, "topic.raise", {"text": "院里的树该修剪了"})["topic_id"]
    kids = ok(zhao, "topic.raise", {"text": "孩子们没地方玩"})["topic_id"]
    laundry = ok(console, "topic.raise", {"text": "缺晾衣的地方", "participant_id": old_wang})["topic_id"]
    late = ok(li, "topic.raise", {"text": "快递乱放"})["topic_id"]  # 李 convenes two topics
    assert refused(li, "topic.raise", {"text": "冒名", "participant_id": old_wang})["code"] == "invalid_field"

    # Dots: 3 each, at most 2 on one topic, movable until closed.
    assert refused(li, "dot.place", {"target_id": parking, "count": 1})["code"] == "dotting_closed"
    ok(console, "dots.rules", {"dots": 3, "per_topic": 2})
    ok(console, "dots.open", {"open": True})
    assert refused(li, "dot.place", {"target_id": parking, "count": 3})["code"] == "too_many_dots_on_topic"
    ok(li, "dot.place", {"target_id": parking, "count": 2})
    ok(li, "dot.place", {"target_id": kids, "count": 1})
    assert refused(li, "dot.place", {"target_id": trees, "count": 1})["code"] == "no_dots_left"
    ok(li, "dot.place", {"target_id": parking, "count": 1})  # moving a dot: one off here ...
    reply = ok(li, "dot.place", {"target_id": trees, "count": 1})  # ... and onto another topic
    assert reply["me"]["dots"] == {str(parking): 1, str(kids): 1, str(trees): 1}
    ok(zhang, "dot.place", {"target_id": parking, "count": 2})
    ok(zhang, "dot.place", {"target_id": laundry, "count": 1})
    ok(zhao, "dot.place", {"target_id": kids, "count": 2})
    ok(wu, "dot.place", {"target_id": laundry, "count": 2})
    ok(console, "dot.enter", {"participant_id": old_wang, "target_id": laundry, "count": 1})
    assert refused(console, "dot.enter", {"participant_id": old_wang, "target_id": late, "count": 3})["code"] \
        == "too_many_dots_on_topic"
    assert refused(console, "dots.rules", {"dots": 5, "per_topic": 2})["code"] == "dots_placed"
    assert refused(li, "dots.open", {"open": False})["code"] == "not_facilitator"
    ranking = latest_state(projector)["dots"]["ranking"]
    assert ranking[:4] == [{"id": laundry, "dots": 4}, {"id": parking, "dots": 3}, {"id": kids, "dots": 3},
                           {"id": trees, "dots": 1}], "ties keep the order topics were raised in"
    assert latest_state(zhao)["dots"]["ranking"][0] == {"id": laundry, "dots": 4}
    ok(console, "dots.open", {"open": False})
    assert refused(li, "dot.place", {"target_id": late, "count": 1})["code"] == "dotting_closed"

    # Agenda wall: two spaces, two slots, placed by dots, one convener in one place a slot.
    assert refused(console, "agenda.place")["code"] == "invalid_agenda"
    assert refused(console, "agenda.setup", {"spaces": ["东侧桌", "东侧桌"], "slots": ["14:00"]})["code"] \
        == "invalid_agenda"
    ok(console, "agenda.setup", {"spaces": ["东侧桌", "活动室"], "slots": ["14:00–14:40", "14:50–15:30"]})
    ok(console, "agenda.place")
    wall = latest_state(projector)["agenda"]
    east, hall = [s["id"] for s in wall["spaces"]]
    first, second = [s["id"] for s in wall["slots"]]
    cells = {(g["space_id"], g["slot_id"]): g["topic_id"] for g in wall["groups"]}
    assert cells == {(east, first): laundry, (hall, first): parking, (east, second): kids,
                     (hall, second): trees}, cells
    by_topic = {g["topic_id"]: g for g in wall["groups"]}
    assert by_topic[laundry]["convener"] == "王奶奶" and by_topic[parking]["convener"] == "李阿姨"
    assert refused(console, "agenda.move", {"topic_id": late, "space_id": east, "slot_id": first})["code"] \
        == "cell_taken", "a topic new to the wall never pushes another off"
    ok(console, "agenda.move", {"topic_id": trees, "space_id": east, "slot_id": second})  # swaps with kids
    cells = {(g["space_id"], g["slot_id"]): g["topic_id"] for g in latest_state(console)["agenda"]["groups"]}
    assert cells[(east, second)] == trees and cells[(hall, second)] == kids
    ok(console, "agenda.move", {"topic_id": kids})  # off the wall
    ok(console, "agenda.move", {"topic_id": late, "space_id": hall, "slot_id": second})
    # 李 convenes the express group in the second slot: her parking group cannot join it there.
    assert refused(console, "agenda.move", {"topic_id": parking, "space_id": east, "slot_id": second})["code"] \
        == "convener_busy"

    # Groups: residents pick, and move (the law of two feet); headcounts live.
    assert refused(li, "group.join", {"group_id": by_topic[parking]["id"]})["code"] == "wrong_step"
    ok(console, "step.advance")
    groups = {g["topic_id"]: g["id"] for g in latest_state(console)["agenda"]["groups"]}
    ok(li, "group.join", {"group_id": groups[parking]})
    ok(zhang, "group.join", {"group_id": groups[parking]})
    ok(zhao, "group.join", {"group_id": groups[laundry]})
    ok(wu, "group.join", {"group_id": groups[parking]})
    reply = ok(wu, "group.join", {"group_id": groups[laundry]})  # walks over
    assert reply["me"]["groups"] == {str(first): groups[laundry]}
    ok(wu, "group.join", {"group_id": groups[late]})  # a second slot: a group there too
    counts = {g["topic_id"]: g["headcount"] for g in latest_state(projector)["agenda"]["groups"]}
    assert counts == {laundry: 2, parking: 2, trees: 0, late: 1}
    assert refused(console, "agenda.setup", {"spaces": ["A"], "slots": ["B"]})["code"] == "agenda_in_use"

    # Reports: the convener from a phone, the facilitator for 王奶奶's group; needs, one a line.
    assert refused(zhang, "report.save", {"group_id": groups[parking], "points": ["x"], "needs": []})["code"] \
        == "not_convener"
    ok(li, "report.save", {"group_id": groups[parking], "points": ["充电桩不够", " "],
                           "needs": ["在北墙加装4个充电桩"]})
    ok(console, "report.save", {"group_id": groups[laundry], "points": ["老人晾被子难"],
                                "needs": ["东侧空地装晾衣架", "物业每周检查一次"]})
    assert refused(li, "report.save", {"group_id": groups[parking], "points": [], "needs": ["x" * 201]})["code"] \
        == "text_too_long"
    report = {g["topic_id"]: g for g in latest_state(zhao)["agenda"]["groups"]}[laundry]
    assert report["points"] == ["老人晾被子难"] and report["needs"] == ["东侧空地装晾衣架", "物业每周检查一次"]

    # Decide: every need is a candidate proposal, drawn once even if the step is taken twice.
    ok(console, "step.advance")
    ok(console, "step.back")
    ok(console, "step.advance")
    proposals = latest_state(projector)["proposals"]
    assert [(p["title"], p["topic_id"], p["from"]) for p in proposals] == [
        ("东侧空地装晾衣架", laundry, "need"), ("物业每周检查一次", laundry, "need"),
        ("在北墙加装4个充电桩", parking, "need")]
    poll = ok(console, "poll.open", {"proposal_id": proposals[2]["id"]})["poll_id"]
    for phone in (li, zhang, zhao):
        ok(phone, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})
    ok(console, "poll.close", {"poll_id": poll})
    assert latest_state(projector)["polls"][0]["decision"]["adopted"] is True


def test_open_space_refusals(open_space):
    m = open_space
    console, li = m.console(), m.phone("李阿姨")
    topic = ok(li, "topic.raise", {"text": "电动车充电难"})["topic_id"]
    assert refused(console, "dots.rules", {"dots": 2, "per_topic": 3})["code"] == "invalid_dot_rules"
    assert refused(console, "dots.rules", {"dots": True, "per_topic": 1})["code"] == "invalid_field"
    assert refused(console, "cafe.setup", {"tables": ["A"], "rounds": [{"minutes": 5, "question": "?"}]})["code"] \
        == "wrong_format"
    assert refused(li, "dot.place", {"target_id": topic, "count": "2"})["code"] == "invalid_field"
    ok(console, "dots.open", {"open": True})
    assert refused(li, "dot.place", {"target_id": topic, "count": -1})["code"] == "invalid_count"
    assert refused(li, "dot.place", {"target_id": 99999, "count": 1})["code"] == "not_found"
    assert refused(li, "agenda.place")["code"] == "not_facilitator"
    assert refused(console, "agenda.place")["code"] == "dotting_not_closed"
    assert refused(li, "report.save", {"group_id": 1, "points": "一行", "needs": []})["code"] == "invalid_field"


def test_a_plain_session_has_no_dots(meeting):
    console = meeting.console()
    assert refused(console, "dots.open", {"open": True})["code"] == "wrong_format"
    state = latest_state(console, wait=0)
    assert not {"dots", "agenda", "cafe", "ideas"} & set(state)  # a plain round adds no parts of its own


def test_dots_on_a_hidden_or_merged_topic_go_back_to_their_owners(open_space):
    m = open_space
    console, li = m.console(), m.phone("李阿姨")
    spam = ok(li, "topic.raise", {"text": "广告加微信"})["topic_id"]
    twin = ok(li, "topic.raise", {"text": "楼道太暗"})["topic_id"]
    keep = ok(li, "topic.raise", {"text": "楼道灯坏了"})["topic_id"]
    ok(console, "dots.open", {"open": True})
    ok(li, "dot.place", {"target_id": spam, "count": 2})
    ok(li, "dot.place", {"target_id": twin, "count": 1})
    assert refused(li, "dot.place", {"target_id": keep, "count": 1})["code"] == "no_dots_left"
    ok(console, "topic.hide", {"topic_id": spam, "hidden": True})
    ok(console, "topic.merge", {"source_id": twin, "target_id": keep})
    assert latest_state(li)["me"]["dots"] == {}
    ok(li, "dot.place", {"target_id": keep, "count": 2})
    assert latest_state(console)["dots"]["ranking"] == [{"id": keep, "dots": 2}]


def test_a_written_report_keeps_the_wall(open_space):
    m = open_space
    console, li = m.console(), m.phone("李阿姨")
    topic = ok(li, "topic.raise", {"text": "电动车充电难"})["topic_id"]
    ok(console, "dots.open", {"open": True})
    ok(li, "dot.place", {"target_id": topic, "count": 1})
    ok(console, "dots.open", {"open": False})
    ok(console, "agenda.setup", {"spaces": ["东侧桌"], "slots": ["14:00"]})
    ok(console, "agenda.place")
    ok(console, "step.advance")
    group = latest_state(console)["agenda"]["groups"][0]["id"]
    ok(console, "report.save", {"group_id": group, "points": ["充电桩不够"], "needs": []})
    assert refused(console, "agenda.place")["code"] == "agenda_in_use"
    assert refused(console, "agenda.setup", {"spaces": ["A"], "slots": ["B"]})["code"] == "agenda_in_use"
    assert latest_state(console)["agenda"]["groups"][0]["points"] == ["充电桩不够"]
