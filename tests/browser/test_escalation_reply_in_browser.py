"""An escalated issue's reply at the next evaluate step, on the phone of the resident who raised
it (360×740, text at 200%): the card says it is an escalated issue, shows the reply and the
rating buttons, and her rating reaches the console."""
from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SHOTS, next_step, phone_context
from tests.browser.test_session_in_browser import _new_session, _no_horizontal_scroll

pytestmark = pytest.mark.browser
BIG_TEXT = "document.documentElement.style.fontSize = '200%'"
ISSUE = "5号楼电梯停了一周，老人上下楼困难"
REPLY = "物业已请厂家更换主板，电梯已恢复运行，并每周检修一次"


def test_the_reply_to_an_escalation_is_rated_on_the_phone(server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)  # beside the other tests' shots, not wiping them
    errors: list = []
    desk, console, code = _new_session(browser, server, "吹哨院", "电梯回音议事会",
                                       viewport={"width": 1366, "height": 768})
    console.on("pageerror", lambda e: errors.append(e))
    inbox = desk.new_page()
    inbox.goto(server + "/console")
    inbox.locator("ul.tree li", has_text="吹哨院").last.get_by_role("link", name="诉求箱").click()
    inbox.wait_for_url(re.compile(r".*/console/councils/\d+/inbox$"))
    council_id = int(inbox.url.rstrip("/").split("/")[-2])

    # she raises it on the council's page, from the phone she will bring to the meeting
    ctx = phone_context(browser)
    phone = ctx.new_page()
    phone.on("pageerror", lambda e: errors.append(e))
    phone.goto(f"{server}/council/{council_id}/issues")
    phone.fill("textarea[name=text]", ISSUE)
    phone.fill("input[name=door]", "5-302")
    phone.click("form.stack button[type=submit]")

    inbox.reload()
    item = inbox.locator("li.issue", has_text=ISSUE)
    item.locator("select[name=to]").select_option("unit")
    item.locator("input[name=unit]").fill("天坛物业公司")
    item.locator("input[name=due]").fill((dt.datetime.now(ZoneInfo("Asia/Shanghai")).date() + dt.timedelta(days=7)).isoformat())
    item.get_by_role("button", name="上报").click()
    item = inbox.locator("li.issue", has_text=ISSUE)
    expect(item).to_contain_text("天坛物业公司")
    item.locator("input[name=answer]").fill(REPLY)
    item.get_by_role("button", name="答复").click()
    expect(inbox.locator("li.issue", has_text=ISSUE)).to_contain_text(REPLY)

    phone.goto(f"{server}/join/{code}")
    phone.fill("input[name=name]", "周阿姨")
    phone.fill("input[name=door]", "5-302")
    phone.click("#join-form button")
    expect(phone.locator("#me")).to_have_text("周阿姨 · 5-302")
    for _ in range(4):
        next_step(console)
    row = console.locator("[data-action]", has_text=ISSUE)
    expect(row).to_contain_text("居民反映事项（已上报）")
    expect(row).to_contain_text(REPLY)
    expect(row.locator("select")).to_have_count(0)  # its status follows the reply, never set here
    row.locator("button.primary").click()  # open its rating

    phone.evaluate(BIG_TEXT)
    card = phone.locator("#actions [data-action]", has_text=ISSUE)
    expect(card).to_contain_text("居民反映事项（已上报）")
    expect(card).to_contain_text(REPLY)
    expect(card).to_contain_text("天坛物业公司")
    expect(card.locator(".reply")).to_have_text("答复: " + REPLY)  # read before the buttons
    satisfied = card.get_by_role("button", name="满意", exact=True)
    expect(satisfied).to_be_visible()
    assert _no_horizontal_scroll(phone)
    box = satisfied.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360
    phone.screenshot(path=str(SHOTS / "escalation-reply-to-rate-360-200.png"), full_page=True)
    satisfied.click()
    expect(card.locator(".choice.on")).to_contain_text("满意")
    expect(console.locator("[data-action]", has_text=ISSUE)).to_contain_text(re.compile(r"满意\s*1"))
    phone.screenshot(path=str(SHOTS / "escalation-reply-rated-360-200.png"), full_page=True)
    console.screenshot(path=str(SHOTS / "escalation-reply-console-1366.png"), full_page=True)

    # her record (我的参与) lists the issue she raised, answered, with the reply
    phone.goto(f"{server}/join/{code}/me")
    phone.evaluate(BIG_TEXT)
    mine = phone.locator(".my-issues [data-state=answered]", has_text=ISSUE)
    expect(mine).to_contain_text("我反映的")
    expect(mine).to_contain_text("已上报至天坛物业公司")
    expect(mine).to_contain_text(REPLY)
    assert _no_horizontal_scroll(phone)
    mine.scroll_into_view_if_needed()
    phone.screenshot(path=str(SHOTS / "escalation-reply-my-record-360-200.png"))
    assert errors == []
