"""One whole World Café session over Socket.IO: set-up, seating, rounds with a late arrival
and a leaver, the harvest, dots on ideas, and the top ideas as candidate proposals."""
from __future__ import annotations

import itertools

from tests.helpers import latest_state, ok, refused

QUESTIONS = ["院里最让你头疼的是什么？", "如果只能改一件事，改什么？", "你愿意出什么力？"]


def test_whole_world_cafe_session(cafe):
    m = cafe
    console, projector = m.console(), m.projector()
    names = ["李阿姨", "张师傅", "赵大爷", "吴姐", "钱老师", "孙阿姨", "周大哥", "郑奶奶", "冯叔"]
    phones = {n: m.phone(n) for n in names}
    pid = {n: c.participant_id for n, c in phones.items()}
    no_phone = ok(console, "participant.add", {"name": "陈爷爷"})["participant_id"]

    # Set-up: three tables, three rounds with their questions, a host at each table.
    assert refused(console, "cafe.setup", {"tables": ["青松", "青松"], "rounds": [{"minutes": 5, "question": "?"}]}
                   )["code"] == "invalid_tables"
    assert refused(console, "cafe.setup", {"tables": ["青松"], "rounds": [{"minutes": 0, "question": "?"}]}
                   )["code"] == "invalid_minutes"
    ok(console, "cafe.setup", {"tables": ["青松", "翠竹", "红梅"],
                               "rounds": [{"minutes": 20, "question": q} for q in QUESTIONS]})
    tables = {t["name"]: t["id"] for t in latest_state(console)["cafe"]["tables"]}
    hosts = {"青松": "李阿姨", "翠竹": "张师傅", "红梅": "赵大爷"}
    for table, host in hosts.items():
        ok(console, "cafe.host", {"table_id": tables[table], "participant_id": pid[host]})
    assert refused(phones["吴姐"], "cafe.round")["code"] == "not_facilitator"
    assert refused(console, "cafe.round")["code"] == "wrong_step"
    ok(console, "cafe.seat")
    ok(console, "step.advance")

    # Round 1: every phone knows its table and the question; the projector shows the map.
    ok(console, "cafe.round")
    view = latest_state(projector)["cafe"]
    assert view["current"] == 1 and view["rounds"][0]["question"] == QUESTIONS[0]
    assert latest_state(projector)["session"]["timer_seconds"] == 20 * 60
    seat1 = view["seats"]["1"]
    sizes = sorted(list(seat1.values()).count(t) for t in tables.values())
    assert sizes == [3, 3, 4], "ten people at three tables: sizes differ by at most one"
    for table, host in hosts.items():
        assert seat1[str(pid[host])] == tables[table], "hosts sit at their own table"
    li_view = latest_state(phones["吴姐"])
    assert li_view["cafe"]["seats"]["1"][str(li_view["me"]["id"])] in tables.values()
    assert "names" not in view and "names" in latest_state(console)["cafe"]

    # Harvest: anyone at a table types its ideas; the facilitator types for any table.
    ideas = {}
    ideas["charging"] = ok(phones["李阿姨"], "idea.add", {"text": "北墙装充电桩"})["idea_id"]
    ideas["lights"] = ok(phones["吴姐"], "idea.add", {"text": "楼道装感应灯"})["idea_id"]
    ideas["tools"] = ok(console, "idea.add", {"text": "建工具共享角", "table_id": tables["红梅"]})["idea_id"]
    assert refused(phones["吴姐"], "idea.add", {"text": "冒名", "table_id": tables["红梅"]})["code"] == "invalid_field"
    assert refused(phones["吴姐"], "idea.add", {"text": "  "})["code"] == "text_empty"
    gallery = latest_state(projector)["ideas"]
    assert [i["text"] for i in gallery] == ["北墙装充电桩", "楼道装感应灯", "建工具共享角"]
    assert gallery[0]["table_id"] == tables["青松"] and gallery[0]["round"] == 1

    # A late arrival is seated at once, into the smallest table; nobody already seated moves.
    late = m.phone("何阿姨")
    after = latest_state(projector)["cafe"]["seats"]
    assert all(after["1"][k] == v for k, v in seat1.items()), "nobody seated this round moves"
    assert str(late.participant_id) in after["1"] and str(late.participant_id) in after["3"]
    assert list(seat1.values()).count(after["1"][str(late.participant_id)]) == 3, "into a smallest table"
    ok(late, "idea.add", {"text": "垃圾分类督导员轮值"})

    # Round 2, then 周大哥 goes home: the rest of the café is re-planned without him.
    ok(console, "cafe.round")
    before_leave = latest_state(console)["cafe"]["seats"]
    ok(console, "participant.leave", {"participant_id": pid["周大哥"], "left": True})
    seats = latest_state(console)["cafe"]["seats"]
    assert str(pid["周大哥"]) not in seats["3"] and str(pid["周大哥"]) in seats["1"], "past rounds stay"
    assert all(seats["2"][k] == v for k, v in before_leave["2"].items() if k != str(pid["周大哥"]))
    ideas["garden"] = ok(phones["钱老师"], "idea.add", {"text": "空地改成小菜园"})["idea_id"]
    ok(console, "cafe.round")
    ideas["patrol"] = ok(phones["孙阿姨"], "idea.add", {"text": "组建老人巡逻队"})["idea_id"]
    assert refused(console, "cafe.round")["code"] == "no_more_rounds"
    seats = latest_state(console)["cafe"]["seats"]
    plan = [{int(p): t for p, t in seats[str(n)].items()} for n in (1, 2, 3)]
    assert set(plan[2]) == set(pid.values()) - {pid["周大哥"]} | {no_phone, late.participant_id}
    for table, host in hosts.items():
        assert all(r[pid[host]] == tables[table] for r in plan), "hosts stay"

    # Vote: dots on the whole harvest, after the last round; the harvest then closes.
    ok(console, "dots.rules", {"dots": 3, "per_topic": 2, "top": 2})
    ok(console, "dots.open", {"open": True})
    assert refused(phones["李阿姨"], "idea.add", {"text": "太晚了"})["code"] == "dotting_started"
    votes = {"李阿姨": {"charging": 2, "lights": 1}, "张师傅": {"charging": 1, "garden": 2},
             "吴姐": {"lights": 2, "garden": 1}, "赵大爷": {"patrol": 1}}
    for name, spread in votes.items():
        for idea, n in spread.items():
            ok(phones[name], "dot.place", {"target_id": ideas[idea], "count": n})
    ok(console, "dot.enter", {"participant_id": no_phone, "target_id": ideas["tools"], "count": 2})
    assert refused(phones["赵大爷"], "dot.place", {"target_id": ideas["patrol"], "count": 3})["code"] \
        == "too_many_dots_on_topic"
    ranking = latest_state(projector)["dots"]["ranking"]
    assert ranking[:3] == [{"id": ideas["charging"], "dots": 3}, {"id": ideas["lights"], "dots": 3},
                           {"id": ideas["garden"], "dots": 3}]
    ok(console, "dots.open", {"open": False})

    # Decide: the top 2 ideas, and the one tied with the second, are candidate proposals.
    ok(console, "step.advance")
    proposals = latest_state(phones["钱老师"])["proposals"]
    assert [(p["title"], p["from"]) for p in proposals] == [("北墙装充电桩", "idea"), ("楼道装感应灯", "idea"),
                                                            ("空地改成小菜园", "idea")]


def test_cafe_refusals(cafe):
    m = cafe
    console, li = m.console(), m.phone("李阿姨")
    assert refused(console, "cafe.round")["code"] == "wrong_step"
    ok(console, "step.advance")
    assert refused(console, "cafe.seat")["code"] == "invalid_tables"
    assert refused(console, "cafe.setup", {"tables": "青松", "rounds": []})["code"] == "invalid_field"
    assert refused(console, "cafe.setup", {"tables": ["青松"], "rounds": [3]})["code"] == "invalid_field"
    assert refused(console, "cafe.setup", {"tables": ["青松"], "rounds": [{"minutes": 5, "question": ""}]}
                   )["code"] == "text_empty"
    ok(console, "cafe.setup", {"tables": ["青松", "翠竹"], "rounds": [{"minutes": 5, "question": "问题一"}]})
    assert refused(li, "idea.add", {"text": "想法"})["code"] == "no_round_running"
    assert refused(console, "dots.open", {"open": True})["code"] == "rounds_not_done"
    ok(console, "cafe.round")
    table = latest_state(console)["cafe"]["tables"][0]["id"]
    assert refused(console, "cafe.host", {"table_id": table, "participant_id": li.participant_id})["code"] \
        == "cafe_started"
    assert refused(console, "cafe.setup", {"tables": ["A"], "rounds": [{"minutes": 5, "question": "?"}]}
                   )["code"] == "cafe_started"
    assert refused(li, "agenda.setup", {"spaces": ["A"], "slots": ["B"]})["code"] == "not_facilitator"
    assert refused(console, "agenda.setup", {"spaces": ["A"], "slots": ["B"]})["code"] == "wrong_format"


def test_seating_spreads_people_in_a_live_cafe(cafe):
    m = cafe
    console = m.console()
    people = [m.phone(f"居民{i}").participant_id for i in range(12)]
    ok(console, "cafe.setup", {"tables": ["青松", "翠竹", "红梅", "白杨"],
                               "rounds": [{"minutes": 10, "question": f"问题{i}"} for i in range(3)]})
    ok(console, "cafe.seat")
    seats = latest_state(console)["cafe"]["seats"]
    plan = [{int(p): t for p, t in seats[str(n)].items()} for n in (1, 2, 3)]
    assert all(set(r) == set(people) for r in plan)
    pairs = [frozenset(p) for r in plan for t in set(r.values())
             for p in itertools.combinations([x for x, y in r.items() if y == t], 2)]
    assert len(pairs) == len(set(pairs)), "twelve people, four tables: nobody meets anyone twice"
