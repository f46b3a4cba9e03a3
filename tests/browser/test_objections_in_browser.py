"""Objections during posting, in the browser: a resident on a phone at 360×740 with 200% text objects
on the meeting's public record page; the facilitator at 1366×768 answers on the posting page; the
phone then reads the answer. No page opens a browser dialog."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import next_step, phone_context
from tests.browser.test_session_in_browser import _new_session, _no_horizontal_scroll, _shot

pytestmark = pytest.mark.browser
BIG_TEXT = "document.documentElement.style.fontSize = '200%'"


def test_a_resident_objects_and_the_facilitator_answers(server, browser, shots):
    errors: list = []
    dialogs: list = []
    _desk, console, code = _new_session(browser, server, "公示院", "停车位议事会",
                                        viewport={"width": 1366, "height": 768})
    session_id = int(re.search(r"/console/(\d+)", console.url).group(1))
    phone = phone_context(browser).new_page()
    for page in (console, phone):
        page.on("pageerror", lambda e: errors.append(e))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    phone.goto(f"{server}/join/{code}")
    phone.fill("input[name=name]", "李阿姨")
    phone.fill("input[name=door]", "3-101")
    phone.click("#join-form button")
    expect(phone.locator("#me")).to_have_text("李阿姨 · 3-101")
    for _ in range(5):  # raise → discuss → decide → act → evaluate → closed
        next_step(console)

    phone.goto(f"{server}/record/session/{session_id}")
    phone.evaluate(BIG_TEXT)
    expect(phone.locator("#objection-count")).to_have_text("收到异议 0 件，已答复 0 件")
    phone.fill("#objection-text", "新划的停车位挡住了消防通道，请重新考虑。")
    phone.fill("#objection-door", "3-101")
    assert _no_horizontal_scroll(phone), "the objection form scrolls sideways at 200% text"
    _shot(phone, shots, "phone-objection-form-200pct")
    phone.click("#object-form button[type=submit]")
    expect(phone.locator("#object-form [role=status]")).to_contain_text("您的异议已收到")
    phone.evaluate(BIG_TEXT)
    expect(phone.locator("#objection-count")).to_have_text("收到异议 1 件，已答复 0 件")
    assert _no_horizontal_scroll(phone)
    _shot(phone, shots, "phone-objection-sent-200pct")

    console.goto(f"{server}/console/{session_id}/posting")
    row = console.locator("tr[data-objection]")
    expect(row).to_contain_text("新划的停车位挡住了消防通道")
    row.locator("textarea[name=answer]").fill("已请物业重新划线，消防通道保持畅通。")
    row.locator("button[type=submit]").click()
    expect(console.locator("#objection-count")).to_have_text("收到异议 1 件，已答复 1 件")
    # completing is asked once, in the page; before the period is over it is refused with a message
    console.click("#complete-link")
    expect(console.locator("#complete-ask")).to_be_visible()
    _shot(console, shots, "console-posting-1366")
    console.locator("#complete-ask button[type=submit]").click()
    expect(console.locator("p.error[role=alert]")).to_contain_text("过了这一天才能结束公示")

    phone.reload()
    phone.evaluate(BIG_TEXT)
    expect(phone.locator("#objections .objection")).to_contain_text("已请物业重新划线")
    _shot(phone, shots, "phone-objection-answered-200pct")
    assert not errors and not dialogs
