"""Remote voting (issue 15, item 3) in a real browser: the facilitator opens a poll with a voting
window on the 1366×768 console (its deadline and the remote link shown on the poll's card); a
resident who was not in the room opens the remote page on a phone at 360×740 with 200% text in
WeChat's browser, joins with her door, votes, changes her vote, and the console counts it once,
in the remote channel; nothing scrolls sideways and the choice buttons stay on the screen."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SHOTS, next_step, phone_context
from tests.browser.test_session_in_browser import _new_session

pytestmark = pytest.mark.browser

BIG_TEXT = "document.addEventListener('DOMContentLoaded', () => { document.documentElement.style.fontSize = '200%'; })"
TITLE = "楼下空地改建为共享菜园"

FIT_JS = r"""() => {
  const vw = innerWidth, out = [];
  document.querySelectorAll("main *").forEach(el => {
    const r = el.getBoundingClientRect();
    if (r.width && (r.right > vw + 0.5 || r.left < -0.5)) out.push(el.tagName + "." + el.className + " " + Math.round(r.right));
  });
  return {scrollWidth: document.documentElement.scrollWidth, vw, out: out.slice(0, 5)};
}"""


def _fits(page) -> None:
    g = page.evaluate(FIT_JS)
    assert g["scrollWidth"] <= g["vw"] + 1 and not g["out"], g


def test_a_resident_votes_from_afar_at_200_percent_text(server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)  # never wipe what other tests saved there
    errors: list = []
    desk, console, code = _new_session(browser, server, "菜园院", "共享菜园议事会",
                                       viewport={"width": 1366, "height": 768})
    console.on("pageerror", lambda e: errors.append(e))
    next_step(console)
    console.fill("#proposal-form input[name=title]", TITLE)
    console.click("#proposal-form button")
    expect(console.locator("#proposals > li")).to_have_count(1)
    next_step(console)
    card = console.locator("#proposals > li").first
    card.locator("input[name=window]").fill("48")
    card.locator("button", has_text="开始表决").click()
    live = console.locator("#poll-live")
    expect(live).to_contain_text("投票截止")
    expect(live).to_contain_text(f"/join/{code}/remote")
    console.screenshot(path=str(SHOTS / "remote-vote-console-window.png"))

    ctx = phone_context(browser)
    ctx.add_init_script(BIG_TEXT)
    li = ctx.new_page()
    li.on("pageerror", lambda e: errors.append(e))
    li.goto(f"{server}/join/{code}/remote")
    expect(li.locator("h1")).to_have_text("远程投票")
    li.fill("input[name=name]", "周阿姨")
    li.fill("input[name=door]", "7-302")
    _fits(li)
    li.screenshot(path=str(SHOTS / "remote-vote-phone-join-200.png"), full_page=True)
    li.click("button[type=submit]")

    poll = li.locator("li.card").first
    expect(poll).to_contain_text(TITLE)
    expect(poll).to_contain_text("投票截止")
    expect(poll).to_contain_text("您还没有投票")
    _fits(li)
    li.screenshot(path=str(SHOTS / "remote-vote-phone-poll-200.png"))
    # the thing to do now is on the first screen: the first poll's buttons, without scrolling
    li.evaluate("window.scrollTo(0, 0)")
    first = poll.locator("button", has_text="弃权").bounding_box()
    assert first and first["y"] + first["height"] <= 740, first
    poll.locator("button", has_text="赞成").click()
    expect(li.locator("li.card").first.locator(".yours")).to_contain_text("赞成")
    expect(li.locator("li.card").first.locator(".yours")).to_contain_text("远程投票")
    li.locator("li.card").first.locator("button", has_text="反对").click()
    yours = li.locator("li.card").first.locator(".yours")
    expect(yours).to_contain_text("反对")
    # the card voted in is in view after the page comes back, its buttons inside the screen
    box = li.locator("li.card").first.locator("button", has_text="弃权").bounding_box()
    assert box and 0 <= box["x"] and box["x"] + box["width"] <= 360 + 0.5, box
    _fits(li)
    li.screenshot(path=str(SHOTS / "remote-vote-phone-voted-200.png"))

    expect(live.locator(".count")).to_contain_text("1 票")  # counted once, the later vote
    console.screenshot(path=str(SHOTS / "remote-vote-console-counted.png"))
    assert not errors, errors
    ctx.close()
    desk.close()


EARLY_TITLE = "院内增设电动车充电桩"


def test_a_household_on_the_roll_votes_before_the_meeting_at_200_percent_text(server, browser):
    """Before the meeting (raise) the facilitator opens a household poll with a voting window from
    the proposal's card (the window-only form, its fields kept while the page updates); a resident
    on the roll votes on the remote page at 360×740 with 200% text; one whose door is not on the
    roll is told why and corrects it; at the meeting the poll is simply open in decide."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    errors: list = []
    desk, console, code = _new_session(browser, server, "充电桩院", "充电桩会前投票",
                                       viewport={"width": 1366, "height": 768})
    console.on("pageerror", lambda e: errors.append(e))
    session_url = console.url
    council = console.locator("a[href*='/convention']").first.get_attribute("href").split("/")[3]
    roll = desk.new_page()
    for door in ("8-101", "8-102"):
        roll.goto(f"{server}/console/councils/{council}/households")
        roll.fill("form.stack input[name=door]", door)
        roll.click("form.stack button[type=submit]")
        expect(roll.locator("body")).to_contain_text(door)
    roll.close()
    console.goto(session_url)
    expect(console.locator("#step-list li.current")).to_contain_text("民事民提")
    # raise: a proposal, then the window-only form on its card
    console.fill("#proposal-form input[name=title]", EARLY_TITLE)
    console.click("#proposal-form button")
    card = console.locator("#proposals > li").first
    form = card.locator("form.poll-open.early")
    expect(form).to_contain_text("会前投票")
    form.locator("select[name=unit]").select_option("household")
    # the window is offered long enough to reach the meeting (the server refuses a shorter one)
    assert int(form.locator("input[name=window]").input_value()) >= 1
    # a refusal shows where the facilitator is, not at the top of a page scrolled away from
    form.scroll_into_view_if_needed()
    console.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    console.evaluate("Council.flash('会前开启的表决至少要开放到会议开始')")
    shown = console.locator("#flash").bounding_box()
    assert shown and 0 <= shown["y"] and shown["y"] + shown["height"] <= 768, shown
    form.locator("input[name=window]").fill("72")
    # a resident joins meanwhile (the console's page updates): the form keeps what was typed
    ctx = phone_context(browser)
    ctx.add_init_script(BIG_TEXT)
    zhou = ctx.new_page()
    zhou.on("pageerror", lambda e: errors.append(e))
    zhou.goto(f"{server}/join/{code}/remote")
    zhou.fill("input[name=name]", "周阿姨")
    zhou.fill("input[name=door]", "8-101")
    zhou.click("button[type=submit]")
    expect(console.locator("#participants")).to_contain_text("周阿姨")
    expect(form.locator("input[name=window]")).to_have_value("72")
    expect(form.locator("select[name=unit]")).to_have_value("household")
    console.screenshot(path=str(SHOTS / "premeeting-console-form.png"))
    form.locator("button[type=submit]").click()
    live = console.locator("#poll-live")
    expect(live).to_contain_text(EARLY_TITLE)
    expect(live).to_contain_text("投票截止")
    expect(live).to_contain_text(f"/join/{code}/remote")
    expect(console.locator("#step-list li.current")).to_contain_text("民事民提")
    console.screenshot(path=str(SHOTS / "premeeting-console-open.png"))

    # the resident on the roll votes from afar before the meeting
    zhou.goto(f"{server}/join/{code}/remote")
    poll = zhou.locator("li.card").first
    expect(poll).to_contain_text(EARLY_TITLE)
    expect(poll).to_contain_text("投票截止")
    expect(zhou.locator("main")).to_contain_text("开会时间")
    _fits(zhou)
    zhou.screenshot(path=str(SHOTS / "premeeting-phone-poll-200.png"), full_page=True)
    poll.locator("button", has_text="赞成").click()
    expect(zhou.locator("li.card").first.locator(".yours")).to_contain_text("赞成")
    _fits(zhou)
    zhou.screenshot(path=str(SHOTS / "premeeting-phone-voted-200.png"))

    # a door that is not on the roll: the reason, and the door corrected on the same page
    other = phone_context(browser)
    other.add_init_script(BIG_TEXT)
    sun = other.new_page()
    sun.on("pageerror", lambda e: errors.append(e))
    sun.goto(f"{server}/join/{code}/remote")
    sun.fill("input[name=name]", "孙女士")
    sun.fill("input[name=door]", "8-1O2")
    sun.click("button[type=submit]")
    card = sun.locator("li.card").first
    expect(card).to_contain_text("您的门牌号不在本院住户名册中")
    expect(card.locator("button", has_text="赞成")).to_have_count(0)
    _fits(sun)
    sun.screenshot(path=str(SHOTS / "premeeting-phone-off-roll-200.png"), full_page=True)
    sun.fill("#door-fix input[name=door]", "8-102")
    sun.click("#door-fix button[type=submit]")
    sun.locator("li.card").first.locator("button", has_text="反对").click()
    expect(sun.locator("li.card").first.locator(".yours")).to_contain_text("反对")
    expect(live.locator(".count")).to_contain_text("2 票")

    # the meeting: raise → discuss → decide, the poll just open in the room
    next_step(console)
    next_step(console)
    expect(console.locator("#step-list li.current")).to_contain_text("民事民决")
    expect(live).to_contain_text(EARLY_TITLE)
    console.screenshot(path=str(SHOTS / "premeeting-console-decide.png"))
    assert not errors, errors
    ctx.close()
    other.close()
    desk.close()
