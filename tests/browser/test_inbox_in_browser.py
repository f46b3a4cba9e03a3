"""The issue inbox in a browser: a resident on a phone at 200% text raises an issue on the
council's page, a neighbour supports it, the facilitator at 1366×768 sees it on reload and
answers, and the answer shows on the resident's page."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import console_login, phone_context

pytestmark = pytest.mark.browser


def _large_text(page):
    page.wait_for_load_state("domcontentloaded")
    page.evaluate("document.documentElement.style.fontSize = '200%'")


def test_raise_support_answer(server, browser, shots):
    desk = console_login(browser, server, "王主任")
    form = "form[action$='councils']"
    desk.fill(f"{form} input[name=name]", "诉求箱测试院")
    desk.select_option(f"{form} select[name=level]", "courtyard")
    desk.click(f"{form} button")
    desk.locator("ul.tree li", has_text="诉求箱测试院").get_by_role("link", name="诉求箱").click()
    desk.wait_for_url(re.compile(r".*/console/councils/\d+/inbox$"))
    council_id = int(desk.url.rstrip("/").split("/")[-2])
    public = f"{server}/council/{council_id}/issues"

    phone = phone_context(browser).new_page()
    phone.goto(public)
    _large_text(phone)
    phone.fill("textarea[name=text]", "3号楼楼道的灯坏了一个星期")
    phone.fill("input[name=door]", "3-101")
    phone.screenshot(path=str(shots / "inbox-raise-360-200.png"))
    phone.click("form.stack button[type=submit]")
    _large_text(phone)
    card = phone.locator("li.issue", has_text="3号楼楼道的灯坏了一个星期")
    expect(card).to_contain_text(re.compile(r"附议:\s*1"))
    expect(phone.locator(".okmsg")).to_be_visible()
    phone.screenshot(path=str(shots / "inbox-raised-360-200.png"), full_page=True)

    neighbour = phone_context(browser).new_page()
    neighbour.goto(public)
    _large_text(neighbour)
    neighbour.locator("li.issue").first.get_by_role("button", name="我也附议").click()
    _large_text(neighbour)
    expect(neighbour.locator("li.issue").first).to_contain_text(re.compile(r"附议:\s*2"))
    button = neighbour.locator("li.issue").first.get_by_role("button", name="取消附议")
    box = button.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, "the button fits the phone's width"
    neighbour.screenshot(path=str(shots / "inbox-supported-360-200.png"), full_page=True)

    desk.reload()
    item = desk.locator("li.issue", has_text="3号楼楼道的灯坏了一个星期")
    expect(item).to_contain_text("3-101")
    expect(item).to_contain_text(re.compile(r"附议:\s*2"))
    item.locator("input[name=answer]").fill("物业已派电工，周五前换好")
    desk.screenshot(path=str(shots / "inbox-console-1366.png"), full_page=True)
    item.get_by_role("button", name="答复").click()
    expect(desk.locator("li.issue", has_text="3号楼楼道的灯坏了一个星期")).to_contain_text("已答复")

    phone.reload()
    _large_text(phone)
    expect(phone.locator("li.issue").first).to_contain_text("物业已派电工，周五前换好")
    phone.screenshot(path=str(shots / "inbox-answered-360-200.png"), full_page=True)
