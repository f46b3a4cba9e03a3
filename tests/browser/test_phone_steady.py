"""Nothing moves under a finger (issue 13, item 7): while other phones change the counts, a
resident who taps twice at one spot hits the same card both times; the ranked order comes back
when she asks for it."""
from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError, expect

from tests.browser.conftest import phone_context
from tests.browser.test_session_in_browser import _new_session, _shot

pytestmark = pytest.mark.browser


def phone(browser, server, code, name, errors, door=""):
    """A resident's phone (360×740, WeChat) joined to the session."""
    page = phone_context(browser).new_page()
    page.on("pageerror", lambda e: errors.append(e))
    page.goto(f"{server}/join/{code}")
    page.fill("input[name=name]", name)
    if door:
        page.fill("input[name=door]", door)
    page.click("#join-form button")
    expect(page.locator("#me")).to_contain_text(name)
    return page


def next_step(console):
    """The console's Next step, confirmed where the console asks first."""
    before = console.locator("#step-list li.current").inner_text()
    console.click("#step-next")
    try:
        console.locator("#step-confirm").click(timeout=3000)
    except PlaywrightTimeoutError:
        pass  # a console that moves at once
    expect(console.locator("#step-list li.current")).not_to_have_text(before)


def raise_topics(page, texts, cards):
    for n, text in enumerate(texts, 1):
        page.fill("#topic-form textarea", text)
        page.click("#topic-form button")
        expect(page.locator(cards)).to_have_count(n)


def churn(page, card_text, on, off, every=150):
    """Keep tapping one card's buttons on this phone: a stream of changes for everyone else."""
    page.evaluate("""([text, on, off, every]) => { let up = true; window.churn = setInterval(() => {
        const card = [...document.querySelectorAll('.card')].find(c => c.textContent.includes(text));
        const b = card && [...card.querySelectorAll('button')].find(x => x.textContent === (up ? on : off));
        if (b && !b.disabled) { b.click(); up = !up; } }, every); }""", [card_text, on, off, every])


def centre(locator):
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_two_taps_at_one_spot_put_both_dots_on_one_topic(server, browser, shots):
    errors: list = []
    desk, console, code = _new_session(browser, server, "贴点院", "院落开放空间", format="openspace",
                                       viewport={"width": 1366, "height": 1000})
    li, zhang = (phone(browser, server, code, n, errors) for n in ("李阿姨", "张师傅"))
    raise_topics(zhang, ["甲：电动车充电难", "乙：缺晾衣的地方", "丙：楼道堆物"], "#format-list .card")
    expect(li.locator("#format-list .card")).to_have_count(3)
    console.get_by_role("button", name="开始贴点").click()
    expect(li.locator("#format-list .note")).to_contain_text("您还剩3个点")
    third = li.locator("[data-target]", has_text="丙")
    expect(li.locator("[data-target]").nth(2)).to_contain_text("丙")  # last: no dots yet, the oldest first
    x, y = centre(third.get_by_role("button", name="+"))
    churn(zhang, "甲", "+", "−")
    li.touchscreen.tap(x, y)
    expect(third.locator(".mine")).to_have_text("●")
    li.wait_for_timeout(700)  # a few more of 张's changes arrive: 丙 now leads, 甲 comes and goes
    li.touchscreen.tap(x, y)
    expect(third.locator(".mine")).to_have_text("●●")
    zhang.evaluate("clearInterval(window.churn)")
    for other in ("甲", "乙"):
        expect(li.locator("[data-target]", has_text=other).locator(".mine")).to_have_text("○")
    expect(li.locator("[data-target]").nth(2)).to_contain_text("丙")  # still where her finger was
    expect(third.locator(".count")).to_have_text("2点")  # the room's count caught up (sent coalesced)
    _shot(li, shots, "phone-steady-dots-before-sort")
    li.locator("#format-list .sorter").click()  # on request: the ranking as it stands now
    expect(li.locator("[data-target]").first).to_contain_text("丙")
    _shot(li, shots, "phone-steady-dots-sorted")
    assert errors == [], "script errors on a page"
    for page in (li, zhang):
        page.context.close()
    desk.close()


def test_two_taps_on_a_topic_support_and_withdraw_the_same_topic(server, browser, shots):
    errors: list = []
    desk, console, code = _new_session(browser, server, "支持院", "院落环境议事会",
                                       viewport={"width": 1366, "height": 1000})
    li, zhang = (phone(browser, server, code, n, errors) for n in ("李阿姨", "张师傅"))
    raise_topics(zhang, ["甲：电动车充电难", "乙：缺晾衣的地方", "丙：楼道堆物"], "#topics .card")
    expect(li.locator("#topics .card")).to_have_count(3)
    third = li.locator("#topics .card", has_text="丙")
    expect(li.locator("#topics .card").nth(2)).to_contain_text("丙")
    x, y = centre(third.get_by_role("button"))
    churn(zhang, "甲", "✓ 已支持", "支持")  # 张 withdraws and gives his support to 甲, again and again
    li.touchscreen.tap(x, y)
    expect(third.get_by_role("button")).to_have_text("✓ 已支持")
    li.wait_for_timeout(700)
    li.touchscreen.tap(x, y)  # she changes her mind: the same topic, not the one that moved here
    expect(third.get_by_role("button")).to_have_text("支持")
    zhang.evaluate("clearInterval(window.churn)")
    for other in ("甲", "乙"):
        expect(li.locator("#topics .card", has_text=other).get_by_role("button")).to_have_text("支持")
    _shot(li, shots, "phone-steady-topics")
    assert errors == [], "script errors on a page"
    for page in (li, zhang):
        page.context.close()
    desk.close()
