"""An Open Space and a World Café, each run in a real browser: console, projector, phones."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import next_step, phone_context
from tests.browser.test_session_in_browser import XSS, _new_session, _no_horizontal_scroll, _shot

pytestmark = pytest.mark.browser


def _phone(browser, server, code, name, errors):
    page = phone_context(browser).new_page()
    page.on("pageerror", lambda e: errors.append(e))
    page.goto(f"{server}/join/{code}")
    page.fill("input[name=name]", name)
    page.click("#join-form button")
    expect(page.locator("#me")).to_have_text(name)
    return page


def _start(browser, server, council, title, format):
    """A new session of `format`: the console, its projector, the join code, and a list that
    collects script errors from every page."""
    errors: list = []
    desk, console, code = _new_session(browser, server, council, title, format=format,
                                       viewport={"width": 1366, "height": 1000})
    console.on("pageerror", lambda e: errors.append(e))
    return errors, desk, console, _projector(console, errors), code


def _projector(console, errors):
    page = console.context.new_page()
    page.on("pageerror", lambda e: errors.append(e))
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(console.url.replace("/console/", "/projector/"))
    return page


def test_open_space_in_browser(server, browser, shots):
    errors, desk, console, projector, code = _start(browser, server, "开放空间院", "院落开放空间", "openspace")
    li, zhang = (_phone(browser, server, code, n, errors) for n in ("李阿姨", "张师傅"))
    console.fill("#participant-form input[name=name]", "王奶奶")
    console.click("#participant-form button")
    expect(console.locator("#participants li")).to_have_count(3)

    # Marketplace: phones propose, the console enters 王奶奶's topic in her name.
    li.fill("#topic-form textarea", "电动车充电难")
    li.click("#topic-form button")
    zhang.fill("#topic-form textarea", XSS)
    zhang.click("#topic-form button")
    console.fill("#topic-form input[name=text]", "缺晾衣的地方")
    console.select_option("#topic-form select[name=participant_id]", label="王奶奶")
    console.click("#topic-form button")
    expect(li.locator("#format-list .card")).to_have_count(3)
    expect(li.locator("#format-list")).to_contain_text("召集人: 王奶奶")

    # Dots: open, place from phones and for 王奶奶, the projector ranks live.
    console.get_by_role("button", name="开始贴点").click()
    expect(li.locator("#format-list .note")).to_contain_text("您还剩3个点")
    card = li.locator("[data-target]", has_text="电动车充电难")
    card.get_by_role("button", name="+").click()
    expect(card.locator(".mine")).to_have_text("●")
    card.get_by_role("button", name="+").click()
    expect(card.locator(".mine")).to_have_text("●●")
    expect(card.get_by_role("button", name="+")).to_be_disabled()  # at most 2 on one topic
    zhang.locator("[data-target]", has_text="晾衣").get_by_role("button", name="+").click()
    console.select_option("form:has(select[name=target]) select[name=participant]", label="王奶奶")
    target = console.locator("form:has(select[name=target]) option", has_text="晾衣").get_attribute("value")
    console.select_option("form:has(select[name=target]) select[name=target]", target)
    console.fill("form:has(select[name=target]) input[name=count]", "2")
    console.locator("form:has(select[name=target]) button").click()
    expect(projector.locator(".ranking li").first).to_contain_text("缺晾衣的地方")
    expect(projector.locator(".ranking li").first.locator(".supports")).to_have_text("3")
    li.evaluate("document.documentElement.style.fontSize = '200%'")
    assert _no_horizontal_scroll(li), "the dot buttons overflow at 200% text"
    _shot(li, shots, "phone-openspace-dots-200pct")
    _shot(projector, shots, "projector-openspace-ranking")

    # Agenda wall: the facilitator types spaces and slots while 张 keeps moving a dot, so the
    # console re-renders under the typing: not a keystroke may be lost.
    zhang.evaluate("""() => { let up = false; window.churn = setInterval(() => {
        const card = [...document.querySelectorAll('[data-target]')].find(c => c.textContent.includes('晾衣'));
        const b = card && [...card.querySelectorAll('button')].find(x => x.textContent === (up ? '+' : '−'));
        if (b && !b.disabled) { b.click(); up = !up; } }, 120); }""")
    console.locator("#format-section textarea[name=spaces]").press_sequentially("东侧桌\n活动室", delay=60)
    console.locator("#format-section textarea[name=slots]").press_sequentially("14:00–14:40\n14:50–15:30", delay=60)
    zhang.evaluate("clearInterval(window.churn)")
    expect(console.locator("#format-section textarea[name=spaces]")).to_have_value("东侧桌\n活动室")
    expect(console.locator("#format-section textarea[name=slots]")).to_have_value("14:00–14:40\n14:50–15:30")
    laundry = zhang.locator("[data-target]", has_text="晾衣")
    if laundry.locator(".mine").inner_text() == "○":
        laundry.get_by_role("button", name="+").click()
    expect(laundry.locator(".mine")).to_have_text("●")
    console.get_by_role("button", name="结束贴点").click()
    console.get_by_role("button", name="保存场地和时段").click()
    expect(console.locator("table.wall-grid th", has_text="活动室")).to_be_visible()
    console.get_by_role("button", name="按点数排入议程").click()
    expect(console.locator("table.wall-grid td b")).to_have_count(2)
    next_step(console)
    expect(projector.locator("table.agenda td b")).to_have_count(2)

    # Groups: the law of two feet, with live headcounts.
    li.locator("[data-group]", has_text="电动车充电难").get_by_role("button").click()
    zhang.locator("[data-group]", has_text="晾衣").get_by_role("button").click()
    expect(projector.locator("td", has_text="晾衣").locator(".heads")).to_have_text("1人")
    zhang.locator("[data-group]", has_text="充电").get_by_role("button").click()  # walks over
    expect(projector.locator("td", has_text="电动车充电难").locator(".heads")).to_have_text("2人")
    expect(projector.locator("td", has_text="晾衣").locator(".heads")).to_have_text("0人")

    # Report: the convener types it on her phone; the console writes 王奶奶's.
    expect(li.locator("#report-form")).to_be_visible()
    expect(zhang.locator("#report-form")).to_be_hidden()
    li.fill("#report-form textarea[name=points]", "充电桩不够\n夜里排队")
    li.fill("#report-form textarea[name=needs]", "在北墙加装4个充电桩")
    li.click("#report-form button")
    expect(console.locator("form.report", has_text="电动车").locator("textarea[name=needs]")) \
        .to_have_value("在北墙加装4个充电桩")
    report = console.locator("form.report", has_text="晾衣")
    report.locator("textarea[name=needs]").fill("东侧空地装晾衣架")
    report.get_by_role("button").click()
    _shot(li, shots, "phone-openspace-groups-200pct")
    _shot(projector, shots, "projector-openspace-agenda")
    _shot(console, shots, "console-openspace")

    # Decide: the needs are candidate proposals.
    next_step(console)
    expect(console.locator("[data-proposal]")).to_have_count(2)
    expect(console.locator("[data-proposal]").first).to_contain_text("来自小组需求")
    projector.reload()
    expect(projector.locator("#step")).to_have_text("民事民决")
    for page in (console, projector, li, zhang):
        assert page.evaluate("window.__xss") is None, "participant text ran as script"
    assert errors == [], "script errors on a page"
    desk.close()


def test_world_cafe_in_browser(server, browser, shots):
    errors, desk, console, projector, code = _start(browser, server, "咖啡馆院", "院落世界咖啡馆", "cafe")
    phones = [_phone(browser, server, code, n, errors) for n in ("李阿姨", "张师傅", "赵大爷", "吴姐")]
    for count, name in ((5, "王奶奶"), (6, "钱老师")):
        console.fill("#participant-form input[name=name]", name)
        console.click("#participant-form button")
        expect(console.locator("#participants li")).to_have_count(count)

    console.fill("#format-section textarea[name=tables]", "青松\n翠竹")
    console.fill("#format-section textarea[name=rounds]",
                 "20 | 院里最让你头疼的是什么？\n15 | 如果只能改一件事，改什么？")
    console.get_by_role("button", name="保存桌子和轮次").click()
    expect(console.locator("[data-table]")).to_have_count(2)
    console.select_option("[data-table]:has-text('青松') select", label="李阿姨")
    expect(console.locator("[data-table]:has-text('青松') select")).to_have_value(re.compile(r"\d+"))
    console.get_by_role("button", name="安排座位").click()
    expect(phones[1].locator("#format-list")).to_contain_text("第1轮您在")
    next_step(console)
    console.get_by_role("button", name="开始下一轮").click()

    li = phones[0]
    expect(li.locator(".card.go")).to_have_text("第1轮 · 请到「青松」桌 · 问题：院里最让你头疼的是什么？")
    expect(li.locator("#timer")).to_be_visible()
    expect(projector.locator(".question")).to_have_text("院里最让你头疼的是什么？")
    expect(projector.locator(".tables li")).to_have_count(2)
    li.fill("#idea-form textarea", "北墙装充电桩")
    li.click("#idea-form button")
    phones[1].fill("#idea-form textarea", XSS)
    phones[1].click("#idea-form button")
    console.fill("#format-section input[name=text]", "建工具共享角")
    console.locator("#format-section form:has(input[name=text]) button").click()
    expect(projector.locator(".gallery li")).to_have_count(3)
    li.evaluate("document.documentElement.style.fontSize = '200%'")
    assert _no_horizontal_scroll(li), "the café card overflows at 200% text"
    _shot(li, shots, "phone-cafe-round-200pct")
    _shot(projector, shots, "projector-cafe-round")

    console.get_by_role("button", name="开始下一轮").click()
    expect(li.locator(".card.go")).to_contain_text("第2轮 · 请到「青松」桌")  # the host stays
    phones[2].fill("#idea-form textarea", "空地改成小菜园")
    phones[2].click("#idea-form button")
    expect(projector.locator(".gallery li")).to_have_count(4)
    _shot(console, shots, "console-cafe")

    console.get_by_role("button", name="开始贴点").click()
    expect(li.locator("[data-target]")).to_have_count(4)
    assert _no_horizontal_scroll(li), "the dot buttons overflow at 200% text"
    for phone in phones[:3]:
        phone.locator("[data-target]", has_text="充电桩").get_by_role("button", name="+").click()
        expect(phone.locator("[data-target]", has_text="充电桩").locator(".mine")).to_have_text("●")
    phones[3].locator("[data-target]", has_text="小菜园").get_by_role("button", name="+").click()
    expect(projector.locator(".ranking li").first).to_contain_text("北墙装充电桩")
    expect(projector.locator(".ranking li").first.locator(".supports")).to_have_text("3")
    _shot(li, shots, "phone-cafe-dots-200pct")
    _shot(projector, shots, "projector-cafe-ranking")
    console.get_by_role("button", name="结束贴点").click()
    next_step(console)
    expect(console.locator("[data-proposal]").first).to_contain_text("北墙装充电桩")
    expect(console.locator("[data-proposal]").first).to_contain_text("来自世界咖啡馆")
    for page in [console, projector] + phones:
        assert page.evaluate("window.__xss") is None, "participant text ran as script"
    assert errors == [], "script errors on a page"
    desk.close()
