"""A vote on a phone says what happened to it (issue 13, items 9 and 11): who changed the
household's vote and when; that a phone without a door on the roll cannot vote, before a tap;
a vote made during a drop-out is kept, sent when the connection is back, counted once, or said
plainly to have come too late."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_phone_steady import next_step, phone
from tests.browser.test_session_in_browser import _new_session, _no_horizontal_scroll, _shot

pytestmark = pytest.mark.browser
BIG_TEXT = "document.documentElement.style.fontSize = '200%'"


def add_to_roll(console, council, doors):
    """Put doors on the council's household roll from the console's pages, then come back."""
    back = console.url
    console.goto(console.url.split("/console")[0] + "/console")
    console.locator("li", has=console.locator("strong", has_text=council)).get_by_role("link", name="住户名册").click()
    for door in doors:
        console.fill("input[name=door]", door)
        console.locator("form:has(input[name=door]) button").click()
        expect(console.locator("td", has_text=door)).to_have_count(1)
    console.goto(back)


def proposals(console, *titles):
    next_step(console)
    for title in titles:
        console.fill("#proposal-form input[name=title]", title)
        console.click("#proposal-form button")
        expect(console.locator("#proposal-form input[name=title]")).to_have_value("")  # taken, the form ready again
    next_step(console)


def start_poll(console, title, unit="person", secret=False):
    card = console.locator("[data-proposal]", has_text=title)
    card.locator("select[name=unit]").select_option(unit)
    if secret:
        card.locator("input[name=secret]").check()
    card.get_by_role("button", name="开始表决").click()


def test_household_vote_changed_by_another_phone_or_the_facilitator_is_said(server, browser, shots):
    errors: list = []
    desk, console, code = _new_session(browser, server, "张家院", "楼道修缮议事会",
                                       viewport={"width": 1366, "height": 1000})
    add_to_roll(console, "张家院", ["3-101"])
    grandpa = phone(browser, server, code, "张大爷", errors, door="3-101")
    grandma = phone(browser, server, code, "张大妈", errors, door="3-101")
    visitor = phone(browser, server, code, "访客", errors)
    proposals(console, "修缮楼道扶手", "楼道加装照明")
    start_poll(console, "扶手", unit="household")
    # No door on the roll: said before any tap, the buttons off.
    expect(visitor.locator("#polls .refusal")).to_contain_text("门牌号")
    for button in visitor.locator("#polls .choice").all():
        expect(button).to_be_disabled()
    grandpa.get_by_role("button", name="赞成").click()
    expect(grandpa.locator("#polls .choice.on")).to_have_text("✓ 赞成")
    grandma.get_by_role("button", name="反对").click()
    expect(grandpa.locator("#polls .choice.on")).to_have_text("✓ 反对")
    expect(grandpa.locator("#polls .set-by")).to_have_text(re.compile(r"本户的票已由另一部手机于\d\d:\d\d改为「反对」"))
    expect(grandma.locator("#polls .set-by")).to_have_count(0)  # her own vote needs no word
    console.locator("form.enter input[name=door]").fill("3-101")
    console.locator("form.enter select[name=choice]").select_option("abstain")
    console.locator("form.enter").get_by_role("button").click()
    for page in (grandpa, grandma):
        expect(page.locator("#polls .set-by")).to_have_text(re.compile(r"主持人于\d\d:\d\d代录了这一票：弃权"))
        expect(page.locator("#polls .choice.on")).to_have_text("✓ 弃权")
    grandpa.evaluate(BIG_TEXT)
    visitor.evaluate(BIG_TEXT)
    assert _no_horizontal_scroll(grandpa)
    _shot(grandpa, shots, "phone-household-set-by-200pct")
    _shot(visitor, shots, "phone-household-no-door-200pct")

    # A secret household poll: that another phone voted, and when; never the choice.
    console.locator("[data-proposal]", has_text="扶手").get_by_role("button", name="结束表决").click()
    start_poll(console, "照明", unit="household", secret=True)
    # tapped in the new poll's card: until the close reaches her phone, 扶手 still shows its buttons
    lighting = grandma.locator("#polls .card", has_text="照明")
    lighting.get_by_role("button", name="赞成").click()
    expect(lighting.locator(".choice.on")).to_have_text("✓ 赞成")
    card = grandpa.locator("#polls .card", has_text="照明")
    expect(card.locator(".set-by")).to_have_text(re.compile(r"本户的票已由另一部手机于\d\d:\d\d投出（无记名投票，不显示选择）"))
    expect(card.locator(".choice.on")).to_have_count(0)
    _shot(grandpa, shots, "phone-household-secret-200pct")
    assert errors == [], "script errors on a page"
    for page in (grandpa, grandma, visitor):
        page.context.close()
    desk.close()


def test_a_vote_made_offline_is_sent_when_back_or_said_too_late(server, browser, shots):
    errors: list = []
    desk, console, code = _new_session(browser, server, "断网院", "停车管理议事会",
                                       viewport={"width": 1366, "height": 1000})
    li = phone(browser, server, code, "李阿姨", errors)
    li.evaluate(BIG_TEXT)
    proposals(console, "划定电动车停放区", "收取停车管理费", "夜间限速")
    start_poll(console, "停放区")
    expect(li.locator("#polls .choice")).to_have_count(3)

    # Offline longer than a send waits for its answer: the vote is kept, and said to be.
    li.context.set_offline(True)
    expect(li.locator("#conn")).to_contain_text("断开")
    li.get_by_role("button", name="赞成").click()
    status = li.locator("#polls .status")
    expect(status).to_contain_text("联网后自动发送")
    li.wait_for_timeout(8000)
    expect(status).to_contain_text("联网后自动发送")  # still kept, no error that vanishes
    expect(li.locator("#flash.error")).to_be_hidden()
    _shot(li, shots, "phone-offline-queued-200pct")
    li.context.set_offline(False)
    expect(li.locator("#polls .choice.on")).to_have_text("✓ 赞成")
    expect(status).to_contain_text("您的选择: 赞成")
    expect(console.locator("[data-proposal]", has_text="停放区").locator(".count")).to_contain_text("1 票")
    console.locator("[data-proposal]", has_text="停放区").get_by_role("button", name="结束表决").click()
    expect(li.locator("#polls .card", has_text="停放区").locator(".result")).to_have_text("通过")
    expect(console.locator("[data-proposal]", has_text="停放区").locator(".certificate .counts")) \
        .to_have_text("赞成 1 · 反对 0 · 弃权 0")  # counted once, however often it was sent

    # Closed while the phone was away: said plainly, and it stays said.
    start_poll(console, "管理费")
    expect(li.locator("#polls .choice")).to_have_count(3)
    li.context.set_offline(True)
    expect(li.locator("#conn")).to_contain_text("断开")
    li.get_by_role("button", name="反对").click()
    expect(li.locator("#polls .status")).to_contain_text("联网后自动发送")
    console.locator("[data-proposal]", has_text="管理费").get_by_role("button", name="结束表决").click()
    li.context.set_offline(False)
    late = li.locator("#polls .card", has_text="管理费").locator(".late")
    expect(late).to_contain_text("表决已经结束")
    li.wait_for_timeout(7000)
    expect(late).to_be_visible()
    _shot(li, shots, "phone-offline-too-late-200pct")

    # The page closed while offline (WeChat drops it): the kept vote goes when it opens again.
    start_poll(console, "限速")
    expect(li.locator("#polls .choice")).to_have_count(3)
    ctx = li.context
    ctx.set_offline(True)
    expect(li.locator("#conn")).to_contain_text("断开")
    li.get_by_role("button", name="弃权").click()
    expect(li.locator("#polls .status")).to_contain_text("联网后自动发送")
    li.close()
    ctx.set_offline(False)
    again = ctx.new_page()
    again.on("pageerror", lambda e: errors.append(e))
    again.goto(f"{server}/join/{code}")
    expect(again.locator("#polls .card", has_text="限速").locator(".choice.on")).to_have_text("✓ 弃权")
    expect(console.locator("[data-proposal]", has_text="限速").locator(".count")).to_contain_text("1 票")
    assert errors == [], "script errors on a page"
    ctx.close()
    desk.close()

