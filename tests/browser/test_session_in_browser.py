"""Console, projector and two phones run a short session in a real browser."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, next_step, phone_context

pytestmark = pytest.mark.browser
XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">楼道灯坏了'


def _shot(page, shots, name):
    page.screenshot(path=str(shots / f"{name}.png"), full_page=name.startswith("phone"))


def _no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_short_session(server, browser, shots):
    desk = browser.new_context(viewport={"width": 1366, "height": 800}, locale="zh-CN")
    console = desk.new_page()
    errors: list = []
    console.on("pageerror", lambda e: errors.append(e))
    console.goto(server + "/console")
    console.fill("input[name=name]", "王主任")
    console.fill("input[name=password]", PASSWORD)
    console.click("button[type=submit]")
    expect(console.get_by_role("heading", name="新建议事会")).to_be_visible()
    console.fill("form[action$='councils'] input[name=name]", "天坛东路64号院")
    console.select_option("form[action$='councils'] select[name=level]", "courtyard")
    console.click("form[action$='councils'] button")
    console.fill("form[action$='sessions'] input[name=title]", "院落环境议事会")
    console.fill("form[action$='sessions'] input[name=place]", "活动室")
    console.click("form[action$='sessions'] button")
    expect(console.locator("#step-list li.current")).to_have_text("民事民提")
    code = console.locator("#join-code").inner_text()
    assert re.fullmatch(r"\d{6}", code)

    projector = desk.new_page()
    projector.on("pageerror", lambda e: errors.append(e))
    projector.set_viewport_size({"width": 1920, "height": 1080})
    projector.goto(console.url.replace("/console/", "/projector/"))
    expect(projector.locator("#step")).to_have_text("民事民提")
    expect(projector.locator(".qr svg")).to_be_visible()

    phones = []
    for name, door in (("李阿姨", "3-101"), ("张师傅", "3-102")):
        ctx = phone_context(browser)
        page = ctx.new_page()
        page.on("pageerror", lambda e: errors.append(e))
        page.goto(f"{server}/join/{code}")
        page.fill("input[name=name]", name)
        page.fill("input[name=door]", door)
        page.click("#join-form button")
        expect(page.locator("#step")).to_have_text("民事民提")
        phones.append(page)
    li, zhang = phones
    expect(projector.locator("#count")).to_have_text("2")

    li.fill("#topic-form textarea", XSS)
    li.click("#topic-form button")
    zhang.fill("#topic-form textarea", "垃圾分类桶不够用")
    zhang.click("#topic-form button")
    expect(projector.locator(".wall li")).to_have_count(2)
    expect(projector.locator(".wall li").filter(has_text="<script>window.__xss=1</script>")).to_have_count(1)
    zhang.locator("#topics li", has_text="楼道灯坏了").get_by_role("button").click()
    expect(projector.locator(".wall li", has_text="楼道灯坏了").locator(".supports")).to_have_text("2")
    for page in (console, projector, li, zhang):
        assert page.evaluate("window.__xss") is None, "participant text ran as script"
        assert page.locator("#topics script, .wall script, #topics img, .wall img").count() == 0
    li.evaluate("document.documentElement.style.fontSize = '200%'")
    assert _no_horizontal_scroll(li), "the phone page scrolls sideways at 200% text"
    _shot(li, shots, "phone-raise-200pct")
    _shot(projector, shots, "projector-raise")
    _shot(console, shots, "console-raise")

    next_step(console)
    expect(li.locator("#step")).to_have_text("民事民议")
    topic = console.locator("#proposal-form select[name=topic_id] option", has_text="垃圾分类").get_attribute("value")
    console.select_option("#proposal-form select[name=topic_id]", topic)
    console.fill("#proposal-form input[name=title]", "增设分类垃圾桶")
    console.fill("#proposal-form textarea", "在东门增设两组分类桶")
    console.click("#proposal-form button")
    expect(zhang.locator("#proposals li")).to_have_text(re.compile("增设分类垃圾桶"))

    next_step(console)
    rule = console.locator("[data-proposal] select[name=rule]")
    assert rule.input_value() == "majority_cast", "the everyday rule comes first"
    console.locator("[data-proposal] button", has_text="开始表决").click()
    li.get_by_role("button", name="赞成").click()
    zhang.get_by_role("button", name="弃权").click()
    expect(li.locator("#polls .choice.on")).to_have_text("✓ 赞成")
    expect(projector.locator("[data-choice=yes]")).to_have_text("1")
    expect(projector.locator("[data-choice=abstain]")).to_have_text("1")
    zhang.get_by_role("button", name="赞成").click()  # changing the vote while the poll is open
    expect(projector.locator("[data-choice=yes]")).to_have_text("2")
    expect(projector.locator("[data-choice=abstain]")).to_have_text("0")
    expect(zhang.locator("#polls .count")).to_contain_text("2 票")  # phones get counts, coalesced
    _shot(projector, shots, "projector-vote")
    zhang.evaluate("document.documentElement.style.fontSize = '200%'")
    assert _no_horizontal_scroll(zhang), "the vote buttons overflow at 200% text"
    _shot(zhang, shots, "phone-vote-200pct")
    console.locator("[data-proposal] button", has_text="结束表决").click()
    expect(projector.locator(".result")).to_have_text("通过")
    expect(li.locator("#polls .result")).to_contain_text("通过")

    next_step(console)
    console.fill("#action-form input[name=what]", "东门增设两组分类桶")
    console.fill("#action-form input[name=owner]", "物业公司")
    console.fill("#action-form input[name=deadline]", "2026-12-15")
    console.click("#action-form button")
    expect(projector.locator("table.actions")).to_contain_text("物业公司")

    next_step(console)
    console.locator("[data-action] button", has_text="开始评议").click()
    li.get_by_role("button", name="满意", exact=True).click()
    zhang.get_by_role("button", name="基本满意").click()
    expect(projector.locator("table.actions .rating.satisfied")).to_have_text("满意 1")
    assert _no_horizontal_scroll(li), "the rating buttons overflow at 200% text"
    _shot(li, shots, "phone-evaluate-200pct")

    # A reloaded projector comes back to exactly where the room is.
    projector.reload()
    expect(projector.locator("#step")).to_have_text("民事民评")
    expect(projector.locator("table.actions .rating.basic")).to_have_text("基本满意 1")

    next_step(console)
    expect(li.locator("#step")).to_have_text("已结束")
    _shot(console, shots, "console-closed")
    pdf = console.request.get(console.url + "/minutes.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert errors == [], "script errors on a page"
    for page in (li, zhang):
        page.context.close()
    desk.close()


def _new_session(browser, server, council, title, format="plain", **context):
    """Log in, create a council and a session in it; the console page and the join code."""
    desk = browser.new_context(locale="zh-CN", **context)
    page = desk.new_page()
    page.goto(server + "/login")
    page.fill("input[name=name]", "王主任")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(server + "/console")
    page.fill("form[action$='councils'] input[name=name]", council)
    page.click("form[action$='councils'] button")
    # the session goes into the council just made, not the first of the list: each test's
    # meeting has only its own actions (a council's open actions follow it to its next session)
    made = page.locator("form[action$='sessions'] select[name=council_id] option", has_text=council).last
    page.select_option("form[action$='sessions'] select[name=council_id]", made.get_attribute("value"))
    page.fill("form[action$='sessions'] input[name=title]", title)
    page.select_option("form[action$='sessions'] select[name=format]", format)
    page.click("form[action$='sessions'] button")
    return desk, page, page.locator("#join-code").inner_text()


def test_phone_returns_as_the_same_participant(server, browser):
    desk, page, code = _new_session(browser, server, "回访院", "回访议事会")
    ctx = phone_context(browser)
    phone = ctx.new_page()
    phone.goto(f"{server}/join/{code}")
    phone.fill("input[name=name]", "回头客")
    phone.click("#join-form button")
    expect(phone.locator("#me")).to_have_text("回头客")
    phone.close()
    again = ctx.new_page()  # closing the browser tab and scanning again
    again.goto(f"{server}/join/{code}")
    expect(again.locator("#me")).to_have_text("回头客")
    expect(again.locator("#join-form")).to_be_hidden()
    ctx.close()
    desk.close()


def test_unknown_code_gets_a_clear_message(server, browser):
    ctx = phone_context(browser)
    page = ctx.new_page()
    page.goto(server + "/")
    page.fill("input[name=code]", "000000")
    page.click("button[type=submit]")
    expect(page.locator(".error")).to_have_text("没有这个会议码，请核对数字。")
    ctx.close()


def test_counts_named_votes_and_a_failed_rule_in_browser(server, browser, shots):
    desk, console, code = _new_session(browser, server, "规则院", "停车收费议事会",
                                       viewport={"width": 1366, "height": 900})
    ctx = phone_context(browser)
    phone = ctx.new_page()
    phone.goto(f"{server}/join/{code}")
    phone.fill("input[name=name]", "李阿姨")
    phone.click("#join-form button")
    console.fill("#participant-form input[name=name]", "王奶奶")
    console.click("#participant-form button")
    expect(console.locator("#participants li")).to_have_count(2)
    next_step(console)
    console.fill("#proposal-form input[name=title]", "收取停车管理费")
    console.click("#proposal-form button")
    next_step(console)
    console.select_option("[data-proposal] select[name=rule]", "two_thirds_cast")
    console.check("[data-proposal] input[name=secret]")
    console.locator("[data-proposal] button", has_text="开始表决").click()
    expect(phone.locator("#polls .note")).to_contain_text("无记名投票")
    phone.get_by_role("button", name="赞成").click()
    hands = console.locator("form[data-channel=hands]")
    hands.locator("input[name=yes]").fill("3")
    hands.locator("input[name=no]").fill("4")
    hands.get_by_role("button").click()
    enter = console.locator("form.enter")
    enter.locator("select[name=participant]").select_option(label="王奶奶")
    enter.locator("select[name=choice]").select_option("no")
    enter.get_by_role("button").click()
    expect(console.locator("[data-proposal] .count")).to_contain_text("9 票")
    console.locator("[data-proposal] button", has_text="结束表决").click()
    expect(console.locator(".certificate .result")).to_have_text("未通过")
    expect(console.locator(".certificate .why li")).to_have_text("赞成 4 票；须达到投票总数 9 票的三分之二，即至少 6 票。")
    expect(phone.locator(".certificate .why li")).to_contain_text("三分之二")
    expect(phone.locator("#polls")).to_contain_text("您已参加表决")
    phone.evaluate("document.documentElement.style.fontSize = '200%'")
    assert _no_horizontal_scroll(phone)
    _shot(console, shots, "console-certificate")
    _shot(phone, shots, "phone-certificate-200pct")
    ctx.close()
    desk.close()
