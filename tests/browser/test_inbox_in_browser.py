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
    # the thing to do is on the first screen at 200% text: the issue's text field, not an intro
    box = phone.locator("#raise-form textarea[name=text]").bounding_box()
    assert box and box["y"] + box["height"] <= 740, box
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


def _courtyard(desk, name):
    """A new courtyard council from the dashboard, and its inbox opened: its id."""
    form = "form[action$='councils']"
    desk.fill(f"{form} input[name=name]", name)
    desk.select_option(f"{form} select[name=level]", "courtyard")
    desk.click(f"{form} button")
    desk.locator("ul.tree li", has_text=name).get_by_role("link", name="诉求箱").click()
    desk.wait_for_url(re.compile(r".*/console/councils/\d+/inbox$"))
    return int(desk.url.rstrip("/").split("/")[-2])


def _raise_from_a_phone(browser, public, text, door):
    """Another resident, in a browser of their own, raises an issue on the council's page."""
    phone = phone_context(browser).new_page()
    phone.goto(public)
    _large_text(phone)
    phone.fill("#raise-form textarea[name=text]", text)
    phone.fill("#raise-form input[name=door]", door)
    phone.click("#raise-form button[type=submit]")
    expect(phone.locator(".okmsg")).to_be_visible()
    return phone


def _caret(page):
    return page.evaluate("""() => { const el = document.activeElement;
        return [el.name, el.closest('li') && el.closest('li').id, el.value, el.selectionStart, el.selectionEnd]; }""")


def test_a_new_issue_appears_live_and_a_half_typed_answer_stays(server, browser, shots):
    desk = console_login(browser, server, "王主任")
    council_id = _courtyard(desk, "实时诉求院")
    public = f"{server}/council/{council_id}/issues"
    expect(desk.locator("#conn")).to_have_class(re.compile(r"\bok\b"))

    _raise_from_a_phone(browser, public, "2号楼的下水道堵了", "2-101")
    first = desk.locator("li.issue", has_text="2号楼的下水道堵了")
    expect(first).to_be_visible(timeout=1000)  # no reload, within a second
    first_id = first.get_attribute("id")

    # the facilitator is half-way through an escalation and an answer, the caret mid-word
    first.locator("select[name=to]").select_option("unit")
    first.locator("input[name=unit]").fill("市政排水")
    first.locator("input[name=tag]").fill("下水")
    answer = first.locator("input[name=answer]")
    answer.click()
    desk.keyboard.type("物业明天上门疏通")
    desk.evaluate("() => { const el = document.activeElement; el.setSelectionRange(4, 4); }")
    desk.evaluate(f"() => {{ document.getElementById('{first_id}').seen = 'yes'; }}")  # on this very node
    before = _caret(desk)
    assert before == ["answer", first_id, "物业明天上门疏通", 4, 4]

    _raise_from_a_phone(browser, public, "小区门口的路灯不亮", "5-201")
    second = desk.locator("li.issue", has_text="小区门口的路灯不亮")
    expect(second).to_be_visible(timeout=1000)
    assert desk.locator("li.issue").first.get_attribute("id") == second.get_attribute("id"), "newest first"
    assert _caret(desk) == before, "the answer being typed keeps its text, focus and caret"
    assert desk.evaluate(f"() => document.getElementById('{first_id}').seen") == "yes", \
        "the card was updated in place, not replaced"
    expect(first.locator("input[name=unit]")).to_have_value("市政排水")
    expect(first.locator("input[name=tag]")).to_have_value("下水")
    expect(first.locator("select[name=to]")).to_have_value("unit")

    neighbour = phone_context(browser).new_page()  # backing the first issue: its count moves in place
    neighbour.goto(public)
    neighbour.locator("li.issue", has_text="2号楼的下水道堵了").get_by_role("button", name="我也附议").click()
    expect(first).to_contain_text(re.compile(r"附议:\s*2"), timeout=1000)
    assert _caret(desk) == before
    desk.keyboard.type("午")  # typing goes on where the caret was
    expect(answer).to_have_value("物业明天午上门疏通")
    desk.screenshot(path=str(shots / "inbox-live-1366.png"), full_page=True)

    live = desk.locator("#inbox-live").inner_text()
    desk.reload()
    expect(desk.locator("#conn")).to_have_class(re.compile(r"\bok\b"))
    assert desk.locator("#inbox-live").inner_text() == live, "a reload shows what the live page showed"


def _phone_login(browser, server):
    """The facilitator's inbox on a phone at 200% text (a worker at a roaming council)."""
    page = phone_context(browser).new_page()
    page.goto(server + "/login")
    page.fill("input[name=name]", "王主任")
    page.fill("input[name=password]", "browser-pass")
    page.click("button[type=submit]")
    return page


def test_a_worker_enters_a_spoken_issue_on_a_phone(server, browser, shots):
    desk = console_login(browser, server, "王主任")
    council_id = _courtyard(desk, "流动议事院")
    worker = _phone_login(browser, server)
    worker.goto(f"{server}/console/councils/{council_id}/inbox")
    _large_text(worker)
    worker.locator("details.entry summary").click()
    worker.get_by_label("流动议事厅").check()
    worker.fill(".entry-form textarea[name=text]", "4号楼楼梯扶手松了")
    worker.fill(".entry-form input[name=door]", "4-102")
    worker.fill(".entry-form input[name=name]", "赵奶奶")
    button = worker.get_by_role("button", name="录入诉求")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, "the form fits the phone's width"
    worker.screenshot(path=str(shots / "inbox-entry-360-200.png"), full_page=True)
    button.click()
    _large_text(worker)
    card = worker.locator("li.issue", has_text="4号楼楼梯扶手松了")
    expect(card).to_contain_text("工作人员录入：流动议事厅")
    expect(card).to_contain_text("赵奶奶")
    expect(card).to_contain_text(re.compile(r"附议:\s*1"))
    worker.screenshot(path=str(shots / "inbox-entered-360-200.png"), full_page=True)
    assert worker.evaluate("document.documentElement.scrollWidth") <= 360, "no card is wider than the phone"
    expect(desk.locator("li.issue", has_text="4号楼楼梯扶手松了")).to_be_visible(timeout=1000)  # live elsewhere

    worker.locator("details.entry summary").click()  # without how it came in: refused, kept, nothing stored
    worker.fill(".entry-form textarea[name=text]", "没有选来源")
    worker.fill(".entry-form input[name=door]", "4-103")
    worker.evaluate("() => document.querySelectorAll('.entry-form input[name=channel]').forEach(r => r.required = false)")
    worker.get_by_role("button", name="录入诉求").click()
    expect(worker.locator(".entry [role=alert]")).to_contain_text("请选择诉求来源")
    expect(worker.locator(".entry-form textarea[name=text]")).to_have_value("没有选来源")
    expect(worker.locator("li.issue", has_text="没有选来源")).to_have_count(0)


def test_a_building_head_raises_for_a_household(server, browser, shots):
    desk = console_login(browser, server, "王主任")
    council_id = _courtyard(desk, "楼门长院")
    desk.goto(server + "/console")
    form = "form[action$='sessions']"
    desk.select_option(f"{form} select[name=council_id]", str(council_id))
    desk.fill(f"{form} input[name=title]", "楼门长院议事会")
    desk.click(f"{form} button")
    code = desk.locator("#join-code").inner_text()

    head = phone_context(browser).new_page()
    head.goto(f"{server}/join/{code}")
    head.fill("input[name=name]", "张楼长")
    head.fill("input[name=door]", "3-301")
    head.click("#join-form button")
    expect(head.locator("#me")).to_contain_text("张楼长")
    public = f"{server}/council/{council_id}/issues"
    head.goto(public)
    expect(head.locator("details.household")).to_have_count(0)  # not yet a building head

    desk.goto(f"{server}/console/councils/{council_id}/residents")
    row = desk.locator("tr", has_text="张楼长")
    row.locator("input[name=building]").fill("3号楼")
    row.get_by_role("button", name="设为楼门长").click()
    expect(desk.locator("tr", has_text="张楼长")).to_contain_text("3号楼楼门长")
    desk.screenshot(path=str(shots / "residents-building-head-1366.png"), full_page=True)

    head.goto(public)
    _large_text(head)
    head.locator("details.household summary").click()
    head.fill("#household-form textarea[name=text]", "王奶奶家暖气不热，她不会用手机")
    head.fill("#household-form input[name=door]", "3-502")
    head.screenshot(path=str(shots / "inbox-household-360-200.png"))
    head.locator("#household-form button[type=submit]").click()
    _large_text(head)
    card = head.locator("li.issue", has_text="王奶奶家暖气不热")
    expect(card).to_contain_text("由楼门长张楼长代提")
    expect(card).to_contain_text("3-502")
    head.screenshot(path=str(shots / "inbox-household-raised-360-200.png"), full_page=True)
    assert head.evaluate("document.documentElement.scrollWidth") <= 360
    desk.goto(f"{server}/console/councils/{council_id}/inbox")
    expect(desk.locator("li.issue", has_text="王奶奶家暖气不热")).to_contain_text("由楼门长张楼长代提")
