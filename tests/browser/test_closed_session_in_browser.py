"""After the end, on a phone at 200% text: what was decided, who does what by when, how it was
rated, and the record; a latecomer lands there. The console edits a topic in place. No page
ever opens a browser dialog."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import next_step, phone_context
from tests.browser.test_session_in_browser import _new_session, _no_horizontal_scroll, _shot

pytestmark = pytest.mark.browser
BIG_TEXT = "document.documentElement.style.fontSize = '200%'"


def _watch(page, errors, dialogs):
    page.on("pageerror", lambda e: errors.append(e))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))


def _join(ctx, server, code, name, door, errors, dialogs):
    page = ctx.new_page()
    _watch(page, errors, dialogs)
    page.goto(f"{server}/join/{code}")
    page.fill("input[name=name]", name)
    page.fill("input[name=door]", door)
    page.click("#join-form button")
    expect(page.locator("#me")).to_have_text(f"{name} · {door}")
    return page


def test_phones_after_the_end_and_a_latecomer(server, browser, shots):
    errors: list = []
    dialogs: list = []
    desk, console, code = _new_session(browser, server, "结束院", "楼道照明议事会",
                                       viewport={"width": 1366, "height": 768})
    _watch(console, errors, dialogs)
    li = _join(phone_context(browser), server, code, "李阿姨", "3-101", errors, dialogs)
    waiting = phone_context(browser).new_page()  # opens the form now, sends it after the end
    _watch(waiting, errors, dialogs)
    waiting.goto(f"{server}/join/{code}")
    expect(waiting.locator("#join-form")).to_be_visible()

    next_step(console)
    console.fill("#proposal-form input[name=title]", "更换楼道感应灯")
    console.click("#proposal-form button")
    next_step(console)
    console.locator("[data-proposal] button", has_text="开始表决").click()
    li.get_by_role("button", name="赞成").click()
    expect(li.locator("#polls .choice.on")).to_have_text("✓ 赞成")
    console.locator("[data-proposal] button", has_text="结束表决").click()
    expect(li.locator("#polls .result")).to_contain_text("通过")
    next_step(console)
    console.fill("#action-form input[name=what]", "更换三个单元的楼道感应灯")
    console.fill("#action-form input[name=owner]", "物业公司")
    console.fill("#action-form input[name=deadline]", "2026-12-15")
    console.click("#action-form button")
    next_step(console)
    console.locator("[data-action] button", has_text="开始评议").click()
    li.get_by_role("button", name="基本满意").click()
    expect(li.locator("#actions .choice.on")).to_contain_text("基本满意")
    console.click("[data-timer='180']")
    expect(li.locator("#timer")).to_be_visible()
    next_step(console)

    # The phone that was there: the end, in full, and nothing counting down.
    expect(li.locator("#step")).to_have_text("已结束")
    expect(li.locator("#decisions li")).to_have_count(1)
    expect(li.locator("#decisions .result.big")).to_have_text("通过")
    expect(li.locator("#decisions li")).to_contain_text("更换楼道感应灯")
    expect(li.locator("#decisions .count")).to_have_text("赞成 1 · 反对 0 · 弃权 0")
    action = li.locator("#actions li")
    expect(action).to_contain_text("物业公司")
    expect(action).to_contain_text("2026-12-15")
    expect(action.locator(".ratings")).to_contain_text("基本满意 1")
    expect(li.locator("#actions .choice")).to_have_count(0)  # rating is over
    record = li.locator("#record-box a")
    expect(record).to_be_visible()
    li.wait_for_timeout(1200)  # a tick of the clock's interval
    expect(li.locator("#timer")).to_be_hidden()
    assert "时间到" not in li.locator("body").inner_text()
    li.evaluate(BIG_TEXT)
    assert _no_horizontal_scroll(li), "the closed view scrolls sideways at 200% text"
    _shot(li, shots, "phone-closed-200pct")
    li.locator("#decisions summary").click()  # the certificate, on request
    expect(li.locator("#decisions .certificate")).to_be_visible()

    # A latecomer scanning the code now: no form to fill in vain, the same view.
    late_ctx = phone_context(browser)
    late = late_ctx.new_page()
    _watch(late, errors, dialogs)
    late.goto(f"{server}/join/{code}")
    late.evaluate(BIG_TEXT)
    expect(late.locator("#join-form")).to_have_count(0)
    expect(late.locator("#step")).to_have_text("已结束")
    expect(late.locator("#decisions .result.big")).to_have_text("通过")
    expect(late.locator("#actions .ratings")).to_contain_text("基本满意 1")
    expect(late.locator("#timer")).to_be_hidden()
    assert _no_horizontal_scroll(late)
    assert late.locator("#actions").inner_text() == li.locator("#actions").inner_text(), "not what the room's phones show"
    box = late.locator("#decisions .result.big").bounding_box()
    assert box["y"] + box["height"] <= 740, "the outcome is on the latecomer's first screen"
    _shot(late, shots, "phone-closed-latecomer-200pct")
    late.locator("#record-box a").click()
    expect(late).to_have_url(re.compile(r"/record/session/\d+$"))
    expect(late.locator("h1")).to_have_text("楼道照明议事会")
    expect(late.locator(".cards").first).to_contain_text("更换楼道感应灯")
    _shot(late, shots, "phone-record-from-closed")

    # The form opened before the end and sent after it lands on the same view, no dialog.
    waiting.fill("input[name=name]", "晚到的王大爷")
    waiting.click("#join-form button")
    expect(waiting.locator("#step")).to_have_text("已结束")
    expect(waiting.locator("#join-form")).to_have_count(0)
    expect(waiting.locator("#decisions .result.big")).to_have_text("通过")

    assert dialogs == [], "a browser dialog opened"
    assert errors == [], "script errors on a page"
    for page in (li, waiting, late):
        page.context.close()
    desk.close()


def test_console_edits_a_topic_in_place_while_the_room_goes_on(server, browser, shots):
    errors: list = []
    dialogs: list = []
    desk, console, code = _new_session(browser, server, "编辑院", "停车议事会",
                                       viewport={"width": 1366, "height": 768})
    _watch(console, errors, dialogs)
    phone = _join(phone_context(browser), server, code, "张师傅", "5-201", errors, dialogs)
    phone.fill("#topic-form textarea", "停车位不够")
    phone.click("#topic-form button")
    expect(console.locator("#topics li", has_text="停车位不够")).to_have_count(1)
    # by its id: while edited, its text is in the field, not on the line
    topic = console.locator("#topics li[data-topic='%s']" % console.locator("#topics li").first.get_attribute("data-topic"))

    topic.get_by_role("button", name="修改").click()
    box = topic.locator("form[data-topic-edit] input[name=text]")
    expect(box).to_be_focused()
    expect(box).to_have_value("停车位不够")
    console.keyboard.type("，晚上乱停")
    # The caret between 停车位 and 不够, then topics and supports arrive: it stays there.
    box.evaluate("b => b.setSelectionRange(3, 3)")
    for text in ("楼道堆放杂物", "垃圾桶太少"):
        phone.fill("#topic-form textarea", text)
        phone.click("#topic-form button")
        expect(phone.locator("#topic-form textarea")).to_have_value("")  # sent: the box is empty again
    expect(console.locator("#topics li")).to_have_count(3)
    phone.locator("#topics li", has_text="楼道堆放杂物").get_by_role("button").click()  # a raiser supports her own: off
    expect(console.locator("#topics li .text", has_text="楼道堆放杂物").locator("xpath=..").locator(".count")).to_contain_text("0 ")
    expect(box).to_be_focused()
    assert box.evaluate("b => [b.selectionStart, b.selectionEnd]") == [3, 3], "the caret moved on an update"
    console.keyboard.type("的")
    expect(box).to_have_value("停车位的不够，晚上乱停")
    _shot(console, shots, "console-topic-edit")
    console.keyboard.press("Enter")
    expect(topic.locator("form")).to_have_count(0)
    expect(console.locator("#topics li .text", has_text="停车位的不够，晚上乱停")).to_have_count(1)
    expect(phone.locator("#topics")).to_contain_text("停车位的不够，晚上乱停")

    # Cancel leaves the text as it was.
    other = console.locator("#topics li .text", has_text="垃圾桶太少").locator("xpath=..")
    other = console.locator("#topics li[data-topic='%s']" % other.get_attribute("data-topic"))
    other.get_by_role("button", name="修改").click()
    console.keyboard.type("！！")
    other.locator("form[data-topic-edit] button[type=button]").click()
    expect(other.locator("form")).to_have_count(0)
    expect(other.locator(".text")).to_have_text("垃圾桶太少")
    _shot(console, shots, "console-topic-edited")

    assert dialogs == [], "a browser dialog opened"
    assert errors == [], "script errors on a page"
    phone.context.close()
    desk.close()
