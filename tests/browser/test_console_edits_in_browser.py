"""Issue 13, item 14, on the console at 1366×768: a topic entered for a resident is theirs; Next
step says what it will do and asks once, in the page, over it (nothing moves); a starting
convention text marks its proposal as an article; proposals and actions are edited in place
(what is typed survives a change arriving) and withdrawn with an inline question, until they
are voted on or rated; after the end the actions show their final ratings, not 评议中; the
dashboard deletes a session without decisions after asking in the page, and starts the
new-session form at the council last used."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SHOTS, next_step
from tests.browser.test_projector_in_browser import _phone
from tests.browser.test_session_in_browser import _new_session

pytestmark = pytest.mark.browser
DESK = {"width": 1366, "height": 768}


def _emit(page, code, token, event, payload):
    """Send one event as a phone does (the phone page of `_phone`)."""
    reply = page.evaluate("""([code, token, event, payload]) => new Promise((resolve, reject) => {
      const s = io({auth: {role: "phone", code, token}, transports: ["websocket"]});
      s.on("connect_error", e => reject(String(e)));
      s.on("connect", () => s.emit(event, payload, r => { s.disconnect(); resolve(r); }));
    })""", [code, token, event, payload])
    assert reply["ok"], reply
    return reply


def _box(page, selector):
    return page.locator(selector).bounding_box()


def test_console_edits_at_1366(server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    errors: list = []
    desk, console, code = _new_session(browser, server, "修改院", "修改与撤回议事会", viewport=DESK)
    console.on("pageerror", lambda e: errors.append(e))
    assert console.evaluate("typeof window.confirm === 'function'")
    console.evaluate("() => { window.confirm = window.alert = window.prompt = () => { throw new Error('a browser dialog'); }; }")
    ctx, phone, token = _phone(browser, server, code, "李阿姨", "3-101")

    # A topic entered for 王奶奶, who has no phone, is hers.
    console.fill("#participant-form input[name=name]", "王奶奶")
    console.fill("#participant-form input[name=door]", "5-202")
    console.click("#participant-form button")
    who = console.locator("#topic-form select[name=participant_id]")
    expect(who).to_be_visible()
    expect(who.locator("option")).to_have_count(3)
    console.fill("#topic-form input[name=text]", "缺晾衣的地方")
    who.select_option(label="王奶奶 · 5-202")
    console.click("#topic-form button")
    expect(console.locator("#topics li").first.locator(".count")).to_have_text("1 人支持 · 王奶奶")
    topic = _emit(phone, code, token, "topic.raise", {"text": "楼道灯坏了"})["topic_id"]

    # Next step says what it will do and asks once, over the page: nothing under it moves.
    below = _box(console, "section.timer")
    console.click("#step-next")
    ask = console.locator("#step-ask")
    expect(ask).to_be_visible()
    expect(ask).to_contain_text("进入「民事民议」后")
    expect(ask).to_contain_text("提议结束：手机上不能再提新议题。")
    assert _box(console, "section.timer") == below, "the question pushed the page down"
    assert console.locator("#step-confirm").evaluate("b => b === document.activeElement"), "the confirm button has the focus"
    console.screenshot(path=str(SHOTS / "console-next-step-asks-1366.png"))
    console.click("#step-cancel")
    expect(ask).to_be_hidden()
    expect(console.locator("#step-list li.current")).to_have_text("民事民提")
    console.click("#step-next")
    console.keyboard.press("Escape")
    expect(ask).to_be_hidden()
    next_step(console)
    expect(console.locator("#step-list li.current")).to_have_text("民事民议")

    # A starting text marks its proposal as a new article at once.
    console.select_option("#proposal-form select[name=starting]", "楼道堆物")
    expect(console.locator("#proposal-form input[name=title]")).to_have_value("楼道堆物")
    console.click("#proposal-form button")
    first = console.locator("#proposals > li").first
    expect(first.locator(".tag", has_text="院落公约")).to_have_text("院落公约 · 新增条款")
    for title in ("写错的方案", "晚上关好院门"):
        console.fill("#proposal-form input[name=title]", title)
        console.click("#proposal-form button")
    expect(console.locator("#proposals > li")).to_have_count(3)

    # Edited in place: a support arriving while the facilitator types leaves the field alone.
    third_id = console.locator("#proposals > li", has_text="晚上关好院门").get_attribute("data-proposal")
    third = console.locator(f"#proposals > li[data-proposal='{third_id}']")  # its text is in a field while edited
    third.get_by_role("button", name="修改", exact=True).click()
    title = third.locator("form.proposal-edit input")
    title.click()
    title.press("End")
    title.type("，十点")
    _emit(phone, code, token, "topic.support", {"topic_id": topic, "on": False})
    expect(console.locator(f"#topics li[data-topic='{topic}'] .count")).to_contain_text("0 人支持")
    assert console.evaluate("document.activeElement.closest('form.proposal-edit') !== null"), "the field lost the focus"
    title.type("以后")
    expect(title).to_have_value("晚上关好院门，十点以后")
    third.locator("form.proposal-edit").get_by_role("button", name="保存").click()
    expect(console.locator("#proposals > li", has_text="晚上关好院门，十点以后")).to_have_count(1)

    # Withdrawn after one question in the page.
    wrong = console.locator("#proposals > li", has_text="写错的方案")
    wrong.get_by_role("button", name="撤回").click()
    expect(wrong.locator(".ask")).to_contain_text("确定撤回？")
    console.screenshot(path=str(SHOTS / "console-withdraw-asks-1366.png"))
    wrong.locator(".ask").get_by_role("button", name="撤回").click()
    expect(console.locator("#proposals > li")).to_have_count(2)

    # Put to the vote: no more editing or withdrawing it.
    next_step(console)
    voted = console.locator("#proposals > li", has_text="十点以后")
    voted.get_by_role("button", name="开始表决").click()
    expect(voted.get_by_role("button", name="修改", exact=True)).to_have_count(0)
    expect(voted.get_by_role("button", name="撤回")).to_have_count(0)
    hands = console.locator("form[data-channel=hands]")
    hands.locator("input[name=yes]").fill("6")
    hands.get_by_role("button").click()
    expect(console.locator("[data-proposal] .count")).to_contain_text("6 票")
    console.locator("[data-proposal] button", has_text="结束表决").click()
    expect(console.locator(".certificate .result")).to_have_text("通过")
    console.click("#step-next")  # the article proposal was never put to the vote: the question says so
    expect(ask).to_contain_text("有 1 项方案尚未表决，将保持未决。")
    console.screenshot(path=str(SHOTS / "console-next-step-unvoted-1366.png"))
    console.click("#step-confirm")
    expect(console.locator("#step-list li.current")).to_have_text("民事民办")

    # Actions: edited, one withdrawn.
    for what in ("晚上十点锁院门", "录错的行动"):
        console.fill("#action-form input[name=what]", what)
        console.fill("#action-form input[name=owner]", "楼门长")
        console.fill("#action-form input[name=deadline]", "2026-12-15")
        console.click("#action-form button")
    expect(console.locator("#actions > li")).to_have_count(2)
    action_id = console.locator("#actions > li", has_text="锁院门").get_attribute("data-action")
    action = console.locator(f"#actions > li[data-action='{action_id}']")
    action.get_by_role("button", name="修改", exact=True).click()
    action.locator("form.action-edit input[aria-label=负责人]").fill("物业公司")
    action.locator("form.action-edit select").select_option("property")
    action.locator("form.action-edit").get_by_role("button", name="保存").click()
    expect(action).to_contain_text("负责人: 物业公司（物业公司）")
    wrong = console.locator("#actions > li", has_text="录错的行动")
    wrong.get_by_role("button", name="撤回").click()
    wrong.locator(".ask").get_by_role("button", name="撤回").click()
    expect(console.locator("#actions > li")).to_have_count(1)

    # Rated: no more editing; after the end, the final ratings and no 评议中.
    next_step(console)
    action.get_by_role("button", name="开始评议").click()
    expect(action.locator(".tag", has_text="评议中")).to_be_visible()
    _emit(phone, code, token, "rating.give", {"action_id": int(action_id), "value": "satisfied"})
    expect(action.locator(".count")).to_have_text("满意 1 · 基本满意 0 · 不满意 0")
    expect(action.get_by_role("button", name="修改", exact=True)).to_have_count(0)
    expect(action.get_by_role("button", name="撤回")).to_have_count(0)
    next_step(console)
    expect(console.locator("#step-list li.current")).to_have_text("已结束")
    expect(action.locator(".count.final")).to_have_text("评议结果: 满意 1 · 基本满意 0 · 不满意 0")
    expect(console.locator("#actions")).not_to_contain_text("评议中")
    console.screenshot(path=str(SHOTS / "console-closed-final-ratings-1366.png"), full_page=True)
    assert errors == [], "script errors on the console"
    ctx.close()
    desk.close()


def test_dashboard_deletes_a_session_without_decisions_and_remembers_the_council(server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    desk, console, _code = _new_session(browser, server, "删除院", "建错的会", viewport=DESK)
    session_id = console.url.rstrip("/").split("/")[-1]
    console.goto(server + "/console")
    chosen = console.locator("form[action$='sessions'] select[name=council_id] option:checked")
    expect(chosen).to_contain_text("删除院")  # the council last used
    delete = console.locator(f"details.delete-session[data-session='{session_id}']")
    expect(delete.locator("form")).to_be_hidden()
    delete.locator("summary").click()
    expect(delete.locator("form")).to_be_visible()
    expect(delete.locator("form")).to_contain_text("删除后无法恢复")
    console.screenshot(path=str(SHOTS / "dashboard-delete-asks-1366.png"), full_page=True)
    delete.get_by_role("button", name="确认删除").click()
    expect(console.locator("p.okmsg")).to_have_text("已删除会议：建错的会")
    expect(console.locator(f"details.delete-session[data-session='{session_id}']")).to_have_count(0)
    assert console.request.get(f"{server}/console/{session_id}").status == 404

    # The councils as the tree they are: 街道 › 社区 › 楼院, each followed by those below it.
    made = {}
    for name, level, parent in (("东花市街道", "subdistrict", None), ("广渠门外社区", "community", "东花市街道"),
                                ("花市枣苑3号楼", "courtyard", "广渠门外社区")):
        form = console.locator("form[action$='councils']")
        form.locator("input[name=name]").fill(name)
        form.locator("select[name=level]").select_option(level)
        if parent:
            form.locator("select[name=parent_id]").select_option(made[parent])
        form.get_by_role("button").click()
        made[name] = console.url.split("council=")[1]
    tree = console.locator("ul.tree li")
    expect(console.locator("ul.tree")).to_contain_text("花市枣苑3号楼")  # the page after the redirect, not before
    names = tree.locator("strong").all_inner_texts()
    at = names.index("东花市街道")
    assert names[at:at + 3] == ["东花市街道", "广渠门外社区", "花市枣苑3号楼"], names
    assert tree.nth(at + 2).get_attribute("class") == "depth-2"
    x = [tree.nth(at + i).locator("strong").bounding_box()["x"] for i in range(3)]
    assert x[0] < x[1] < x[2], f"each level is indented below the one above: {x}"
    chosen = console.locator("form[action$='sessions'] select[name=council_id] option:checked")
    expect(chosen).to_have_text("东花市街道 › 广渠门外社区 › 花市枣苑3号楼 (楼院)")  # the council just made, by its path
    console.screenshot(path=str(SHOTS / "dashboard-tree-1366.png"), full_page=True)
    desk.close()
