"""Residents across meetings on a phone at 200% text: the consent note at the first join, the
same phone welcomed back by another courtyard's session of the community, 我的参与 with both
sessions and the points, and erasure asked once, in the page."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import phone_context
from tests.browser.test_roles_in_browser import _console, _new_council, district  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser


def _session_in(console, council_label, title):
    form = "form[action$='sessions']"
    console.select_option(f"{form} select[name=council_id]", label=council_label)
    console.fill(f"{form} input[name=title]", title)
    console.click(f"{form} button")
    code = console.locator("#join-code").inner_text()
    console.goto(console.url.split("/console/")[0] + "/console")
    return code


def _large_text(page):
    page.wait_for_load_state("domcontentloaded")
    page.evaluate("document.documentElement.style.fontSize = '200%'")


def test_one_phone_across_two_courtyards_then_its_record(district, browser, shots):  # noqa: F811
    desk = _console(browser, district, "钱主任")
    _new_council(desk, "东花市社区", "community")
    _new_council(desk, "一号院", "courtyard", "东花市社区 (社区)")
    _new_council(desk, "二号院", "courtyard", "东花市社区 (社区)")
    first = _session_in(desk, "东花市社区 › 一号院 (楼院)", "一号院议事会")
    second = _session_in(desk, "东花市社区 › 二号院 (楼院)", "二号院议事会")

    phone = phone_context(browser).new_page()
    phone.goto(f"{district}/join/{first}")
    _large_text(phone)
    expect(phone.locator(".consent")).to_contain_text("我的参与")
    phone.screenshot(path=str(shots / "residents-first-join-360-200.png"))
    phone.fill("input[name=name]", "李阿姨")
    phone.fill("input[name=door]", "3-101")
    phone.click("#join-form button")
    expect(phone.locator("#me")).to_contain_text("李阿姨")

    phone.goto(f"{district}/join/{second}")  # the other courtyard's code: welcomed back, one tap
    _large_text(phone)
    expect(phone.locator("#welcome")).to_contain_text("欢迎回来，李阿姨")
    expect(phone.locator("input[name=door]")).to_have_value("3-101")
    phone.screenshot(path=str(shots / "residents-welcome-back-360-200.png"))
    again = phone.locator("#join-again")
    box = again.bounding_box()
    assert box and box["y"] + box["height"] <= 740, "the one tap to join is on the first screen"
    again.click()
    expect(phone.locator("#me")).to_contain_text("李阿姨")

    phone.get_by_role("link", name="我的参与").click()
    phone.wait_for_url("**/me")
    _large_text(phone)
    expect(phone.locator("h1")).to_have_text("我的参与")
    sessions = phone.locator("section", has_text="参加的会议").locator("li.card")
    expect(sessions).to_have_count(2)
    expect(phone.locator(".points-box .total")).to_have_text("4")  # two sessions attended, 2 points each
    phone.screenshot(path=str(shots / "residents-my-participation-360-200.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360, "nothing wider than the phone"

    desk.locator(".tree li", has_text="东花市社区").get_by_role("link", name="居民").click()
    expect(desk.locator("table.residents tbody tr")).to_have_count(1)  # one resident, not two
    expect(desk.locator("table.residents tbody tr")).to_contain_text("2")
    desk.screenshot(path=str(shots / "residents-console-1366.png"), full_page=True)

    # the community's points: its rules, its residents' totals, a league table once chosen
    desk.goto(district + "/console")
    desk.locator(".tree li", has_text="东花市社区").first.get_by_role("link", name="活力值").click()
    desk.locator("input[name=attend]").fill("3")
    desk.locator("input[name=league]").check()
    desk.get_by_role("button", name="保存").click()
    expect(desk.locator("table.points tbody tr")).to_contain_text("6")  # two sessions at 3 points
    expect(desk.locator("table.league tbody tr")).to_contain_text("3")
    desk.screenshot(path=str(shots / "points-console-1366.png"), full_page=True)
    desk.goto(district + "/console")
    desk.locator(".tree li", has_text="东花市社区").first.get_by_role("link", name="居民").click()

    phone.get_by_role("link", name="要求删除我的记录").click()
    expect(phone.locator(".confirm")).to_contain_text("删除后无法恢复")
    phone.get_by_role("button", name="删除我的记录").click()
    expect(phone.locator("main")).to_contain_text("您的记录已删除")
    desk.reload()
    expect(desk.locator("table.residents tbody tr")).to_contain_text("已删除的居民")
    phone.context.close()
    desk.context.close()


def test_an_action_owned_by_a_resident_of_the_room_reaches_her_record(server, browser, shots):
    """The console picks the owner from the room; done on time, it is in her 我的参与 with its points."""
    from tests.browser.test_phone_steady import next_step, phone
    from tests.browser.test_phone_votes import proposals, start_poll
    from tests.browser.test_session_in_browser import _new_session
    errors: list = []
    desk, console, code = _new_session(browser, server, "负责院", "车棚议事会", viewport={"width": 1366, "height": 768})
    li = phone(browser, server, code, "李阿姨", errors, door="3-101")
    proposals(console, "修车棚")
    start_poll(console, "修车棚")
    li.get_by_role("button", name="赞成").click()
    expect(console.locator(".poll-card, [data-proposal]").first).to_contain_text("1")
    console.get_by_role("button", name="结束表决").first.click()
    next_step(console)
    form = console.locator("#action-form")
    form.locator("input[name=what]").fill("修好车棚的门")
    form.locator("select[name=owner_participant_id]").select_option(label="李阿姨 · 3-101")
    expect(form.locator("input[name=owner]")).to_have_value("李阿姨")  # the name fills in
    form.locator("input[name=deadline]").fill("2099-12-31")
    console.screenshot(path=str(shots / "console-action-owner-from-the-room-1366.png"))
    form.get_by_role("button").click()
    item = console.locator("#actions li", has_text="修好车棚的门")
    item.locator("select").first.select_option("done")
    expect(item).to_contain_text("已完成")
    li.get_by_role("link", name="我的参与").click()
    owned = li.locator("section", has_text="我负责的行动")
    expect(owned).to_contain_text("修好车棚的门")
    expect(li.locator(".points-box")).to_contain_text("负责的行动按时完成: 1 × 5 = 5")
    li.screenshot(path=str(shots / "phone-owned-action-in-record-360.png"), full_page=True)
    assert errors == []
    li.context.close()
    desk.close()
