"""One whole five-step session over Socket.IO: a facilitator, a projector and three phones."""
from __future__ import annotations

from tests.helpers import client_id, heads, latest_state, ok, refused


def test_whole_session_through_five_steps(meeting):
    console, projector = meeting.console(), meeting.projector()
    li, zhang, zhao = meeting.phone("李阿姨", "3-101"), meeting.phone("张师傅", "3-102"), meeting.phone("赵大爷", "5-201")

    # Everyone connects to the complete current state.
    for c in (console, projector, li):
        s = latest_state(c, wait=0)
        assert s["session"]["step"] == "raise" and s["session"]["title"] == "院落环境议事会"
    assert latest_state(li, wait=0)["me"]["name"] == "李阿姨"
    assert latest_state(console)["participants"]["count"] == 3
    assert latest_state(projector)["participants"] == {"count": 3, "households": 3}
    assert "list" not in latest_state(projector)["participants"]

    # raise: topics arrive, are supported, moderated and merged.
    t1 = ok(li, "topic.raise", {"text": "楼道堆物太多，消防通道不畅"})["topic_id"]
    t2 = ok(zhang, "topic.raise", {"text": "楼道里堆的东西要清理"})["topic_id"]
    t3 = ok(zhao, "topic.raise", {"text": "广告！！！加微信"})["topic_id"]
    t4 = ok(console, "topic.raise", {"text": "院里缺少晾衣的地方"})["topic_id"]  # for a resident without a phone
    ok(zhao, "topic.support", {"topic_id": t1, "on": True})
    ok(zhao, "topic.support", {"topic_id": t1, "on": True})  # supporting twice counts once
    ok(console, "topic.hide", {"topic_id": t3, "hidden": True})
    ok(console, "topic.edit", {"topic_id": t4, "text": "院里缺少晾衣架"})
    ok(console, "topic.merge", {"source_id": t2, "target_id": t1})

    wall = {t["id"]: t for t in latest_state(projector)["topics"]}
    assert set(wall) == {t1, t4}, "hidden and merged topics leave the projector"
    assert wall[t1]["supports"] == 3, "the merged topic keeps its supporters: 李, 赵 and 张"
    assert wall[t4]["text"] == "院里缺少晾衣架"
    console_topics = {t["id"]: t for t in latest_state(console)["topics"]}
    assert console_topics[t3]["hidden"] and console_topics[t2]["merged_into"] == t1
    phone_topics = {t["id"]: t for t in latest_state(li)["topics"]}
    assert set(phone_topics) == {t1, t4} and phone_topics[t1]["supports"] == 3

    # discuss: topics become proposals.
    ok(console, "step.advance")
    assert refused(li, "topic.raise", {"text": "晚到的议题"})["code"] == "wrong_step"
    p1 = ok(console, "proposal.create", {"topic_id": t1, "title": "清理楼道堆物",
                                         "text": "本周六上午集中清理，大件由物业协助搬运"})["proposal_id"]
    p2 = ok(console, "proposal.create", {"topic_id": t4, "title": "在东侧空地安装晾衣架"})["proposal_id"]
    assert [p["title"] for p in latest_state(zhao)["proposals"]] == ["清理楼道堆物", "在东侧空地安装晾衣架"]

    # decide: two polls, votes changed and retried, both closed.
    ok(console, "step.advance")
    poll1 = ok(console, "poll.open", {"proposal_id": p1})["poll_id"]
    retry = client_id()
    ok(li, "ballot.cast", {"poll_id": poll1, "choice": "yes", "client_id": retry})
    again = ok(li, "ballot.cast", {"poll_id": poll1, "choice": "yes", "client_id": retry})
    assert again["duplicate"] is True
    ok(zhang, "ballot.cast", {"poll_id": poll1, "choice": "no", "client_id": client_id()})
    ok(zhang, "ballot.cast", {"poll_id": poll1, "choice": "yes", "client_id": client_id()})  # changed while open
    ok(zhao, "ballot.cast", {"poll_id": poll1, "choice": "abstain", "client_id": client_id()})
    live = latest_state(projector)["polls"][0]
    assert live["status"] == "open" and heads(live["tally"]) == {"yes": 2, "no": 0, "abstain": 1, "cast": 3}
    assert latest_state(li)["polls"][0]["tally"]["cast"] == 3
    assert refused(console, "step.advance")["code"] == "poll_still_open"
    closed = ok(console, "poll.close", {"poll_id": poll1})
    assert closed["adopted"] is True and closed["yes"] == 2
    assert refused(zhao, "ballot.cast", {"poll_id": poll1, "choice": "no", "client_id": client_id()})["code"] == "poll_closed"

    poll2 = ok(console, "poll.open", {"proposal_id": p2})["poll_id"]
    ok(li, "ballot.cast", {"poll_id": poll2, "choice": "no", "client_id": client_id()})
    ok(zhang, "ballot.cast", {"poll_id": poll2, "choice": "yes", "client_id": client_id()})
    ok(console, "poll.close", {"poll_id": poll2})
    for c in (console, projector, li, zhang, zhao):
        polls = {p["id"]: p for p in latest_state(c)["polls"]}
        assert polls[poll1]["decision"]["adopted"] is True, c
        assert heads(polls[poll1]["tally"]) == {"yes": 2, "no": 0, "abstain": 1, "cast": 3}
        assert polls[poll2]["decision"]["adopted"] is False
    assert latest_state(li)["me"]["ballots"] == {str(poll1): "yes", str(poll2): "no"}

    # do: actions on the adopted decision only.
    ok(console, "step.advance")
    polls = {p["id"]: p for p in latest_state(console)["polls"]}
    d1, d2 = polls[poll1]["decision"]["id"], polls[poll2]["decision"]["id"]
    assert refused(console, "action.create", {"decision_id": d2, "what": "买晾衣架", "owner": "物业",
                                              "deadline": "2026-12-01"})["code"] == "decision_not_adopted"
    a1 = ok(console, "action.create", {"decision_id": d1, "what": "周六上午集中清理楼道", "owner": "楼门长张师傅",
                                       "deadline": "2026-11-29"})["action_id"]
    a2 = ok(console, "action.create", {"decision_id": d1, "what": "大件搬运", "owner": "物业公司",
                                       "deadline": "2026-11-30"})["action_id"]
    ok(console, "action.update", {"action_id": a1, "status": "done"})

    # evaluate: residents rate what the facilitator opened.
    ok(console, "step.advance")
    assert refused(li, "rating.give", {"action_id": a1, "value": "satisfied"})["code"] == "rating_closed"
    ok(console, "rating.open", {"action_id": a1, "open": True})
    ok(li, "rating.give", {"action_id": a1, "value": "satisfied"})
    ok(zhang, "rating.give", {"action_id": a1, "value": "dissatisfied"})
    ok(zhang, "rating.give", {"action_id": a1, "value": "basic"})  # a second rating replaces the first
    ok(zhao, "rating.give", {"action_id": a1, "value": "satisfied"})
    actions = {a["id"]: a for a in latest_state(projector)["actions"]}
    assert actions[a1]["ratings"] == {"satisfied": 2, "basic": 1, "dissatisfied": 0, "total": 3, "satisfaction": 1.0}
    assert actions[a1]["status"] == "done" and actions[a2]["owner"] == "物业公司"

    ok(console, "step.advance")
    for c in (console, projector, li, zhang, zhao):
        assert latest_state(c)["session"]["step"] == "closed"
    assert refused(console, "step.advance")["code"] == "session_closed"


def test_step_back_and_timer_reach_everyone(meeting):
    console, projector, phone = meeting.console(), meeting.projector(), meeting.phone("李阿姨")
    ok(console, "step.advance")
    ok(console, "step.back")
    ok(console, "timer.set", {"seconds": 300})
    for c in (console, projector, phone):
        s = latest_state(c)["session"]
        assert s["step"] == "raise" and s["timer_seconds"] == 300 and s["timer_ends_at"]
    ok(console, "timer.set", {"seconds": 0})
    assert latest_state(phone)["session"]["timer_ends_at"] is None
    assert refused(console, "timer.set", {"seconds": 3})["code"] == "invalid_timer"


def test_reconnect_and_reload_restore_the_exact_state(meeting, app):
    console, phone = meeting.console(), meeting.phone("李阿姨", "3-101")
    topic = ok(phone, "topic.raise", {"text": "垃圾分类桶不够"})["topic_id"]
    ok(console, "step.advance")
    ok(console, "step.advance")
    poll = ok(console, "poll.open", {"proposal_id": ok(console, "proposal.create", {"title": "增设分类桶"})["proposal_id"]})["poll_id"]
    ok(phone, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})
    before = latest_state(phone)
    phone.disconnect()

    # The same device comes back (same token) and sees exactly what the others see.
    from council.extensions import socketio
    again = socketio.test_client(app, auth={"role": "phone", "code": meeting.code, "token": phone.token})
    meeting.clients.append(again)
    after = latest_state(again, wait=0)
    for part in ("topics", "proposals", "polls", "actions", "participants"):
        assert after[part] == before[part], part
    assert after["me"]["ballots"] == {str(poll): "yes"} and after["me"]["supports"] == [topic]
    reloaded = meeting.projector()
    assert latest_state(reloaded, wait=0)["polls"] == after["polls"]
    assert ok(again, "state.get")["state"]["session"]["step"] == "decide"


def test_same_device_joining_again_is_the_same_participant(meeting):
    first = meeting.join("李阿姨", "3-101")
    second = meeting.join("李秀兰", "3-101", token=first["device_token"])
    assert second["participant_id"] == first["participant_id"]
    console = meeting.console()
    assert [p["name"] for p in latest_state(console)["participants"]["list"]] == ["李秀兰"]


def test_phones_get_vote_counts_coalesced_projector_at_once(meeting):
    console, projector = meeting.console(), meeting.projector()
    phones = [meeting.phone(f"居民{i}") for i in range(6)]
    ok(console, "step.advance")
    ok(console, "step.advance")
    poll = ok(console, "poll.open", {"proposal_id": ok(console, "proposal.create", {"title": "装车棚"})["proposal_id"]})["poll_id"]
    for c in [console, projector, *phones]:
        latest_state(c)
    for p in phones:
        ok(p, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})
    projector_msgs = projector.get_received()
    tally_patches = [m for m in projector_msgs if m["name"] == "patch" and m["args"][0]["part"] == "tally"]
    assert len(tally_patches) == 6, "the projector sees each vote"
    import time
    time.sleep(0.3)
    watcher = phones[0]
    batches = [m for m in watcher.get_received() if m["name"] in ("patch", "patches")]
    assert 1 <= len(batches) < 6, f"a phone gets votes in batches, not one message per vote: {len(batches)}"
    final = batches[-1]["args"][0]
    tally = [p for p in final if p["part"] == "tally"][0]["data"][str(poll)]
    assert tally["tally"]["cast"] == 6
