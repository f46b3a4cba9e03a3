"""What to do now is on the first screen (issue 13, item 8): at 360×740 with 200% text the vote
buttons of a poll that just opened are inside the first 740 px, the acknowledgement never moves
them, a closed poll shows its result word first, and an owner's name never breaks inside."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_phone_steady import next_step, phone
from tests.browser.test_session_in_browser import _new_session, _no_horizontal_scroll, _shot

pytestmark = pytest.mark.browser
BIG_TEXT = "document.documentElement.style.fontSize = '200%'"
HEIGHT = 740


def boxes(page):
    """Where the open poll's buttons are on the screen (not the page)."""
    return [page.locator("#polls .choice").nth(i).bounding_box() for i in range(page.locator("#polls .choice").count())]


def assert_on_first_screen(page, what):
    for box in boxes(page):
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT, f"{what}: a vote button at {box}"


def open_poll(console, title, text=""):
    console.fill("#proposal-form input[name=title]", title)
    if text:
        console.fill("#proposal-form textarea", text)
    console.click("#proposal-form button")
    expect(console.locator("#proposal-form input[name=title]")).to_have_value("")  # taken, the form ready again


def test_vote_buttons_on_the_first_screen_at_200_percent(server, browser, shots):
    errors: list = []
    desk, console, code = _new_session(browser, server, "大字院", "前门东大街北侧院落公共空间改造与停车秩序议事会",
                                       viewport={"width": 1366, "height": 1000})
    li = phone(browser, server, code, "李阿姨", errors, door="3-101")
    li.evaluate(BIG_TEXT)
    next_step(console)
    open_poll(console, "在东门内侧增设两组分类垃圾桶并安排专人值守",
              "东门内侧现有一组垃圾桶，早晚高峰经常满溢。建议增设两组四分类垃圾桶，由物业安排专人早晚值守。")
    open_poll(console, "南墙下划定电动车停放区")
    next_step(console)
    console.locator("[data-proposal]", has_text="垃圾桶").get_by_role("button", name="开始表决").click()
    expect(li.locator("#polls .choice")).to_have_count(3)
    li.wait_for_timeout(300)  # the page settles (any scroll into view is done once, at once)
    assert_on_first_screen(li, "a poll that just opened")
    assert _no_horizontal_scroll(li)
    _shot(li, shots, "phone-first-screen-poll-200pct")
    li.screenshot(path=str(shots / "phone-first-screen-poll-200pct-viewport.png"))
    before = boxes(li)
    li.get_by_role("button", name="赞成").click()
    expect(li.locator("#flash")).to_be_visible()  # the acknowledgement is said…
    expect(li.locator("#polls .choice.on")).to_have_text("✓ 赞成")
    assert boxes(li) == before, "…and moves nothing"
    li.screenshot(path=str(shots / "phone-first-screen-ack-200pct-viewport.png"))

    # The next poll: it comes first, its buttons on the screen, the closed one below it.
    console.locator("[data-proposal]", has_text="垃圾桶").get_by_role("button", name="结束表决").click()
    expect(li.locator("#polls .result").first).to_be_visible()
    closed = li.locator("#polls .card").first
    expect(closed.locator("> *").first).to_have_class("result big adopted")  # the result word first, large
    li.mouse.wheel(0, 600)  # she scrolled down to read the result
    li.wait_for_timeout(300)
    console.locator("[data-proposal]", has_text="电动车").get_by_role("button", name="开始表决").click()
    expect(li.locator("#polls .choice")).to_have_count(3)
    li.wait_for_timeout(500)
    expect(li.locator("#polls .card").first).to_contain_text("电动车")
    assert_on_first_screen(li, "the second poll")
    li.screenshot(path=str(shots / "phone-first-screen-second-poll-200pct-viewport.png"))
    assert errors == []
    li.context.close()
    desk.close()


def test_an_owner_name_never_breaks_inside_at_200_percent(server, browser, shots):
    errors: list = []
    desk, console, code = _new_session(browser, server, "负责人院", "楼道照明议事会",
                                       viewport={"width": 1366, "height": 1000})
    li = phone(browser, server, code, "李阿姨", errors)
    next_step(console)
    open_poll(console, "更换楼道感应灯")
    next_step(console)
    console.locator("[data-proposal] button", has_text="开始表决").click()
    li.get_by_role("button", name="赞成").click()
    expect(li.locator("#polls .choice.on")).to_have_text("✓ 赞成")
    console.locator("[data-proposal] button", has_text="结束表决").click()
    next_step(console)
    for n, (what, owner) in enumerate((("更换三个单元的楼道感应灯", "物业公司"), ("清理楼道堆物", "Qianmen-Property-Management-Co")), 1):
        console.fill("#action-form input[name=what]", what)
        console.fill("#action-form input[name=owner]", owner)
        console.fill("#action-form input[name=deadline]", "2026-12-15")
        console.click("#action-form button")
        expect(li.locator("#actions .card")).to_have_count(n)
    li.evaluate(BIG_TEXT)
    assert _no_horizontal_scroll(li), "a long Latin name still wraps rather than overflow"
    lines = li.evaluate("""(word) => {
        const walker = document.createTreeWalker(document.getElementById('actions'), NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const at = n.textContent.indexOf(word);
            if (at < 0) continue;
            const r = document.createRange(); r.setStart(n, at); r.setEnd(n, at + word.length);
            return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size;
        }
        return 0; }""", "物业公司")
    assert lines == 1, "物业公司 breaks inside the word"
    li.locator("#actions .card").first.scroll_into_view_if_needed()
    li.screenshot(path=str(shots / "phone-owner-200pct-viewport.png"))
    assert errors == []
    li.context.close()
    desk.close()
