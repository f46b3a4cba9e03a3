"""Pre-moderation and merges in a real browser (issue 13, item 13): an insult sent from a
phone with pre-moderation on never reaches the projector; a topic the console approves is on
the projector within a second; a merge is picked, then confirmed in place, and the author's
phone says where her topic went; undoing the merge brings it back."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, SHOTS, phone_context

pytestmark = pytest.mark.browser
INSULT = "3-102那家人是垃圾，滚出去"


def _shot(page, name, full=False):
    # a folder of its own: the session-wide `shots` fixture empties the whole artifacts folder
    folder = SHOTS / "moderation"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=full)


def _join(browser, server, code, name, door, errors):
    page = phone_context(browser).new_page()
    page.on("pageerror", lambda e: errors.append(e))
    page.goto(f"{server}/join/{code}")
    page.fill("input[name=name]", name)
    page.fill("input[name=door]", door)
    page.click("#join-form button")
    expect(page.locator("#step")).to_have_text("民事民提")
    page.evaluate("document.documentElement.style.fontSize = '200%'")  # as WeChat's large text
    return page


def _raise(phone, text):
    phone.fill("#topic-form textarea", text)
    phone.click("#topic-form button")


def test_pre_moderation_and_merge(server, browser):
    errors: list = []
    desk = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    console = desk.new_page()
    console.on("pageerror", lambda e: errors.append(e))
    console.goto(server + "/console")
    console.fill("input[name=name]", "王主任")
    console.fill("input[name=password]", PASSWORD)
    console.click("button[type=submit]")
    console.fill("form[action$='councils'] input[name=name]", "草厂社区3号院")
    console.select_option("form[action$='councils'] select[name=level]", "courtyard")
    console.click("form[action$='councils'] button")
    console.fill("form[action$='sessions'] input[name=title]", "楼道议事会")
    console.click("form[action$='sessions'] button")
    expect(console.locator("#step-list li.current")).to_have_text("民事民提")
    code = console.locator("#join-code").inner_text()

    projector = desk.new_page()
    projector.on("pageerror", lambda e: errors.append(e))
    projector.set_viewport_size({"width": 1920, "height": 1080})
    projector.goto(console.url.replace("/console/", "/projector/"))
    expect(projector.locator("#step")).to_have_text("民事民提")
    li = _join(browser, server, code, "李阿姨", "3-101", errors)
    zhang = _join(browser, server, code, "张师傅", "3-103", errors)

    # Pre-moderation on: the insult waits in the console's queue and reaches no other screen.
    switch = console.locator("#premoderation")
    expect(switch).not_to_be_checked()
    switch.check()
    expect(switch).to_be_checked()
    expect(console.locator("#mod-queue li.empty")).to_have_text("没有待审核的内容。")
    _raise(li, INSULT)
    queued = console.locator("#mod-queue li", has_text=INSULT)
    expect(queued).to_have_count(1)
    expect(li.locator("#own li", has_text=INSULT)).to_contain_text("等待主持人审核")
    _raise(zhang, "楼道灯坏了，晚上看不见")
    expect(console.locator("#mod-queue li[data-pending]")).to_have_count(2)
    expect(zhang.locator("#own li")).to_contain_text("等待主持人审核")
    expect(zhang.locator("#topics li[data-topic]")).to_have_count(0)  # waits: not on the other phone either
    projector.wait_for_timeout(600)  # the insult would have come by now (changes arrive at once)
    expect(projector.locator(".wall li")).to_have_count(0)
    assert INSULT not in projector.content() and INSULT not in zhang.content()
    _shot(console, "console-queue")
    _shot(li, "phone-waiting-200pct", full=True)

    # Approving puts a topic on the projector within a second; rejecting keeps it off for good.
    console.locator("#mod-queue li", has_text="楼道灯坏了").get_by_role("button", name="通过", exact=True).click()
    expect(projector.locator(".wall li", has_text="楼道灯坏了")).to_have_count(1, timeout=1000)
    queued.get_by_role("button", name="不通过", exact=True).click()
    expect(li.locator("#own li", has_text=INSULT)).to_contain_text("主持人未通过")
    expect(console.locator("#mod-queue li[data-pending]")).to_have_count(0)
    switch.uncheck()
    expect(switch).not_to_be_checked()
    _raise(li, "楼道没有灯")
    expect(projector.locator(".wall li")).to_have_count(2)
    assert INSULT not in projector.content() and INSULT not in zhang.content()
    _shot(projector, "projector-after-approval")

    # Merge: picked from the list, then asked once in place; nothing is merged before the OK.
    def row(text):  # a topic's row by its own text (the merge lists name other topics too)
        return console.locator("#topics li[data-topic]").filter(has=console.locator("span.text", has_text=text))
    source, target_id = row("楼道没有灯"), row("楼道灯坏了").get_attribute("data-topic")
    source.locator("select").select_option(target_id)
    ask = source.locator("[data-merge-ask]")
    expect(ask).to_contain_text("把「楼道没有灯」合并到「楼道灯坏了，晚上看不见」？")
    expect(projector.locator(".wall li")).to_have_count(2)
    _shot(console, "console-merge-ask")
    ask.get_by_role("button", name="取消").click()
    expect(ask).to_have_count(0)
    expect(projector.locator(".wall li")).to_have_count(2)
    source.locator("select").select_option(target_id)
    source.locator("[data-merge-ask]").get_by_role("button", name="合并", exact=True).click()
    expect(projector.locator(".wall li")).to_have_count(1)
    expect(projector.locator(".wall li .supports")).to_have_text("2")
    expect(li.locator("#own li", has_text="楼道没有灯")).to_contain_text(re.compile("您的议题已合并到：楼道灯坏了，晚上看不见"))
    expect(source).to_contain_text("已合并到「#" + target_id)
    expect(li.locator("#topics li[data-topic]")).to_have_count(1)  # phones get the wall coalesced, `me` at once
    _shot(li, "phone-merged-200pct", full=True)
    _shot(console, "console-merged")
    assert li.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "sideways at 200% text"

    # Undo: the topic is back on the projector with its own supporter; the phone's note goes.
    source.get_by_role("button", name="撤销合并").click()
    expect(projector.locator(".wall li")).to_have_count(2)
    expect(projector.locator(".wall li", has_text="楼道灯坏了").locator(".supports")).to_have_text("1")
    expect(li.locator("#own li", has_text="楼道没有灯")).to_have_count(0)
    expect(li.locator("#topics li", has_text="楼道没有灯")).to_have_count(1)
    _shot(projector, "projector-unmerged")
    assert errors == [], "script errors on a page"
    for page in (li, zhang):
        page.context.close()
    desk.close()
