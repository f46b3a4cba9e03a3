"""A resident votes from home on the remote page, then comes to the meeting with the same phone:
while at home she is no one present (the console counts her apart, as voting remotely); the
room's page (`/join/<code>`) knows her and joins her with one tap, and she is present."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SHOTS, next_step, phone_context
from tests.browser.test_session_in_browser import _new_session

pytestmark = pytest.mark.browser


def test_a_remote_voter_who_comes_joins_the_room_with_one_tap(server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    errors: list = []
    desk, console, code = _new_session(browser, server, "远近院", "远近议事会",
                                       viewport={"width": 1366, "height": 768})
    console.on("pageerror", lambda e: errors.append(e))
    next_step(console)
    console.fill("#proposal-form input[name=title]", "增设电动车充电桩")
    console.click("#proposal-form button")
    expect(console.locator("#proposals > li")).to_have_count(1)
    next_step(console)
    card = console.locator("#proposals > li").first
    card.locator("input[name=window]").fill("48")
    card.locator("button", has_text="开始表决").click()
    expect(console.locator("#poll-live")).to_contain_text("投票截止")

    ctx = phone_context(browser)
    zhou = ctx.new_page()
    zhou.on("pageerror", lambda e: errors.append(e))
    zhou.goto(f"{server}/join/{code}/remote")
    zhou.fill("input[name=name]", "周阿姨")
    zhou.fill("input[name=door]", "7-302")
    zhou.click("button[type=submit]")
    zhou.locator("li.card").first.locator("button", has_text="赞成").click()
    expect(zhou.locator("li.card").first.locator(".yours")).to_contain_text("赞成")

    people = console.locator("#people")
    expect(people).to_contain_text("0 人参加")
    expect(people).to_contain_text("远程加入 1 人")
    expect(console.locator("#remote-voters")).to_contain_text("周阿姨 · 7-302")
    console.screenshot(path=str(SHOTS / "remote-voter-apart-console.png"))

    # at the meeting, the same phone opens the room's page: one tap joins her
    zhou.goto(f"{server}/join/{code}")
    expect(zhou.locator("#welcome")).to_contain_text("周阿姨")
    expect(zhou.locator("#live")).to_be_hidden()
    zhou.screenshot(path=str(SHOTS / "remote-voter-comes-phone.png"))
    zhou.click("#join-again")
    expect(zhou.locator("#me")).to_have_text("周阿姨 · 7-302")
    expect(people).to_contain_text("1 人参加")
    expect(people).not_to_contain_text("远程投票")
    expect(console.locator("#remote-voters")).to_have_count(0)
    zhou.reload()  # and she stays: no join form again
    expect(zhou.locator("#me")).to_have_text("周阿姨 · 7-302")
    expect(zhou.locator("#welcome-box")).to_be_hidden()
    console.screenshot(path=str(SHOTS / "remote-voter-present-console.png"))
    assert not errors, errors
    ctx.close()
    desk.close()
