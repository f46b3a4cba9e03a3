"""The projector between polls and after them, as the back row sees it at 1920×1080 and 1366×768:
the proposals waiting to be voted, each with the topic it came from; the action table with its
headings, dates and status words never broken inside, ratings as labelled words (no emoji that
this machine draws as empty boxes), every text at 4.5:1 or better."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SHOTS
from tests.browser.test_projector_in_browser import TITLE, _cast, _contrast, _phone
from tests.browser.test_session_in_browser import _new_session

pytestmark = pytest.mark.browser

SIZES = ((1920, 1080), (1366, 768))
TOPICS = ("楼道里私拉电线给电动车充电，夜里有起火的危险", "垃圾分类桶不够用，东门的桶天天满出来")
RATED = ["满意 3", "基本满意 1", "不满意 0"]  # each rating's word with its count
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]")


def _facilitator(page):
    """A second console socket on the logged-in console page: the test sets the room up through
    the same events the console sends, without depending on the console's layout."""
    session_id = int(re.search(r"/console/(\d+)", page.url).group(1))
    page.wait_for_function("() => typeof io === 'function'")
    page.evaluate("""sid => new Promise((resolve, reject) => {
      const s = io({auth: {role: "console", session_id: sid}, transports: ["websocket"]});
      s.on("connect_error", e => reject(String(e)));
      s.on("connect", () => { window.__desk = s; resolve(); });
    })""", session_id)
    return session_id


def _act(page, event, payload=None):
    reply = page.evaluate("""([event, payload]) => new Promise(resolve =>
      window.__desk.timeout(10000).emit(event, payload, (err, r) => resolve(err ? {ok: false, error: String(err)} : r)))""",
                          [event, payload or {}])
    assert reply["ok"], (event, payload, reply)
    return reply


def _rate(page, code, token, action_id, value):
    """Rate an action over Socket.IO as the phone page does."""
    reply = page.evaluate("""([code, token, action, value]) => new Promise((resolve, reject) => {
      const s = io({auth: {role: "phone", code, token}, transports: ["websocket"]});
      s.on("connect_error", e => reject(String(e)));
      s.on("connect", () => s.emit("rating.give", {action_id: action, value}, r => { s.disconnect(); resolve(r); }));
    })""", [code, token, action_id, value])
    assert reply["ok"], reply


LINES_JS = r"""
sel => [...document.querySelectorAll(sel)].map(el => {
  // the lines an element's text takes: its text's client rects, grouped by their top (rects of
  // one line differ by a pixel or two where fonts mix; a new line is most of a line lower)
  const r = document.createRange();
  r.selectNodeContents(el);
  const size = parseFloat(getComputedStyle(el).fontSize);
  const tops = [...r.getClientRects()].filter(x => x.width > 0 && x.height > 0).map(x => x.top).sort((a, b) => a - b);
  let lines = tops.length ? 1 : 0;
  for (let i = 1; i < tops.length; i++) if (tops[i] - tops[i - 1] > size * 0.6) lines++;
  return {text: el.textContent, lines};
})
"""

INSIDE_JS = r"""
sel => {
  const stage = document.getElementById("stage"), s = stage.getBoundingClientRect();
  return {sideways: stage.scrollWidth > stage.clientWidth + 1,
          out: [...document.querySelectorAll(sel)].filter(el => {
            const r = el.getBoundingClientRect();
            return r.top < s.top - 0.5 || r.bottom > Math.min(s.bottom, innerHeight) + 0.5 || r.left < s.left - 0.5
              || r.right > s.right + 0.5;
          }).map(el => el.textContent.slice(0, 40))};
}
"""


def _unbroken(page, selector, where, problems):
    """Each element's text on one line; a problem for every one that wraps."""
    found = page.evaluate(LINES_JS, selector)
    assert found, f"{where}: nothing matches {selector}"
    problems += [f"{where}: {t['text']!r} ({selector}) takes {t['lines']} lines" for t in found if t["lines"] != 1]


def _on_stage(page, selector, where, problems):
    """Each element wholly on the stage (not clipped, not off screen); the stage never scrolls sideways."""
    found = page.evaluate(INSIDE_JS, selector)
    if found["sideways"]:
        problems.append(f"{where}: the stage is wider than the screen")
    problems += [f"{where}: {text!r} ({selector}) is not wholly on the stage" for text in found["out"]]


def _projector(desk, console, errors):
    projector = desk.new_page()
    projector.on("pageerror", lambda e: errors.append(e))
    projector.set_viewport_size({"width": 1920, "height": 1080})
    projector.goto(console.url.replace("/console/", "/projector/"))
    expect(projector.locator("#step")).to_have_text("民事民提")
    return projector


def test_projector_shows_the_proposals_waiting_and_where_they_came_from(server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    errors: list = []
    problems: list = []
    desk, console, _ = _new_session(browser, server, "待决院", "楼道安全议事会", viewport={"width": 1366, "height": 768})
    _facilitator(console)
    projector = _projector(desk, console, errors)
    topic_ids = [_act(console, "topic.raise", {"text": t})["topic_id"] for t in TOPICS]
    expect(projector.locator(".wall li")).to_have_count(2)

    _act(console, "step.advance")
    long_one = _act(console, "proposal.create", {"title": TITLE, "text": "由物业公司统一管理，按月收取电费。",
                                                "topic_id": topic_ids[0]})["proposal_id"]
    bins = _act(console, "proposal.create", {"title": "东门增设两组分类垃圾桶", "topic_id": topic_ids[1]})["proposal_id"]
    own = _act(console, "proposal.create", {"title": "每月第一个周六集中清理楼道"})["proposal_id"]
    expect(projector.locator("#stage [data-proposal]")).to_have_count(3)
    # once proposals exist the topic wall gives way to them, each with the topic it came from
    expect(projector.locator(".wall")).to_have_count(0)
    expect(projector.locator(f"[data-proposal='{long_one}'] .origin")).to_contain_text(TOPICS[0])
    expect(projector.locator(f"[data-proposal='{bins}'] .origin")).to_contain_text(TOPICS[1])
    expect(projector.locator(f"[data-proposal='{own}'] .origin")).to_have_count(0)  # the facilitator's own
    projector.screenshot(path=str(SHOTS / "projector-discuss-proposals-1920.png"))
    # a topic the facilitator hides does not come back to the projector as a proposal's origin
    _act(console, "topic.hide", {"topic_id": topic_ids[0], "hidden": True})
    expect(projector.locator(f"[data-proposal='{long_one}'] .origin")).to_have_count(0)
    expect(projector.locator("#stage")).not_to_contain_text(TOPICS[0])
    expect(projector.locator(f"[data-proposal='{bins}'] .origin")).to_contain_text(TOPICS[1])
    _act(console, "topic.hide", {"topic_id": topic_ids[0], "hidden": False})
    expect(projector.locator(f"[data-proposal='{long_one}'] .origin")).to_contain_text(TOPICS[0])

    _act(console, "step.advance")
    expect(projector.locator("#step")).to_have_text("民事民决")
    for reload in (False, True):  # a reloaded projector shows what a live one shows
        if reload:
            projector.reload()
            expect(projector.locator("#step")).to_have_text("民事民决")
        expect(projector.locator("#stage")).not_to_contain_text("目前没有正在进行的表决")
        waiting = projector.locator("#stage .waiting [data-proposal]")
        expect(waiting).to_have_count(3)
        expect(projector.locator(f".waiting [data-proposal='{long_one}'] .origin")).to_contain_text(TOPICS[0])
        expect(projector.locator(f".waiting [data-proposal='{bins}'] .origin")).to_contain_text(TOPICS[1])
    for width, height in SIZES:
        where = f"waiting proposals, {width}×{height}"
        projector.set_viewport_size({"width": width, "height": height})
        projector.wait_for_timeout(200)
        _on_stage(projector, ".waiting [data-proposal] .origin, .waiting [data-proposal] .title", where, problems)
        _contrast(projector, where, problems)
        projector.screenshot(path=str(SHOTS / f"projector-waiting-{width}.png"))

    # ten waiting, most with the longest title there can be: smaller type, never cut at the bottom
    for n in range(7):
        _act(console, "proposal.create", {"title": f"{n + 1}. {TITLE}"[:200], "text": "由物业公司统一管理，按月收取电费。" * 4,
                                          "topic_id": topic_ids[n % 2]})
    expect(projector.locator(".waiting [data-proposal]")).to_have_count(10)
    for width, height in SIZES:
        where = f"ten waiting proposals, {width}×{height}"
        projector.set_viewport_size({"width": width, "height": height})
        projector.wait_for_timeout(200)
        _on_stage(projector, ".waiting [data-proposal]", where, problems)
        _contrast(projector, where, problems)
        projector.screenshot(path=str(SHOTS / f"projector-waiting-ten-{width}.png"))

    # a poll opened on one of them takes the stage; the others wait for their turn
    _act(console, "poll.open", {"proposal_id": bins})
    expect(projector.locator("section.poll")).to_have_count(1)
    expect(projector.locator(".waiting")).to_have_count(0)
    assert errors == [], "script errors on a page"
    assert not problems, "\n".join(problems)
    desk.close()


def test_projector_action_table_reads_from_the_back(server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    errors: list = []
    problems: list = []
    desk, console, code = _new_session(browser, server, "行动院", "楼道照明议事会", viewport={"width": 1366, "height": 768})
    _facilitator(console)
    projector = _projector(desk, console, errors)
    phones = [_phone(browser, server, code, n, d) for n, d in
              (("李阿姨", "3-101"), ("张师傅", "3-102"), ("王奶奶", "3-201"), ("赵大哥", "3-202"))]
    _act(console, "step.advance")
    proposal = _act(console, "proposal.create", {"title": "更换楼道感应灯"})["proposal_id"]
    _act(console, "step.advance")
    poll = _act(console, "poll.open", {"proposal_id": proposal})["poll_id"]
    for _, page, token in phones:
        _cast(page, code, token, poll, "yes")
    _act(console, "poll.close", {"poll_id": poll})
    decision = next(p for p in _act(console, "state.get")["state"]["polls"] if p["id"] == poll)["decision"]
    assert decision["adopted"], decision
    _act(console, "step.advance")
    lights = _act(console, "action.create", {"decision_id": decision["id"], "what": "更换三个单元共十二盏楼道感应灯，并在一楼加装应急照明",
                                             "owner": "物业公司", "deadline": "2026-12-15"})["action_id"]
    wiring = _act(console, "action.create", {"decision_id": decision["id"], "what": "拆除楼道里私拉的电线",
                                             "owner": "三号楼楼门长与志愿者服务队", "deadline": "2027-01-31"})["action_id"]
    _act(console, "action.update", {"action_id": wiring, "status": "underway"})
    _act(console, "step.advance")
    _act(console, "rating.open", {"action_id": lights, "open": True})
    _act(console, "rating.open", {"action_id": wiring, "open": True})
    for (_, page, token), value in zip(phones, ("satisfied", "satisfied", "basic", "satisfied")):
        _rate(page, code, token, lights, value)

    table = projector.locator("table.actions")
    expect(table.locator(f"[data-action='{lights}'] .rating")).to_have_text(RATED)
    expect(table.locator(f"[data-action='{wiring}'] .ratings")).to_have_text("评议中")
    expect(table.locator("thead th")).to_have_text(["行动", "负责人", "完成期限", "状态", "评议结果"])
    expect(table.locator(f"[data-action='{wiring}'] .status")).to_have_text("进行中")
    expect(table.locator(f"[data-action='{lights}'] .status")).to_have_text("未开始")
    assert not EMOJI.search(table.inner_text()), f"emoji on the projector: {table.inner_text()!r}"
    for width, height in SIZES:
        where = f"actions, {width}×{height}"
        projector.set_viewport_size({"width": width, "height": height})
        projector.wait_for_timeout(200)
        for selector in ("table.actions th", "table.actions .deadline", "table.actions .status", "table.actions .rating",
                         f"[data-action='{lights}'] .owner"):  # 物业公司, never 物业公/司
            _unbroken(projector, selector, where, problems)
        _on_stage(projector, "table.actions", where, problems)
        _contrast(projector, where, problems)
        projector.screenshot(path=str(SHOTS / f"projector-actions-{width}.png"))

    _act(console, "step.advance")  # closed: the thanks, then the same table
    expect(projector.locator("#step")).to_have_text("已结束")
    expect(table.locator("thead th")).to_have_count(5)
    expect(table.locator(f"[data-action='{lights}'] .rating")).to_have_text(RATED)
    projector.set_viewport_size({"width": 1366, "height": 768})
    _on_stage(projector, "table.actions", "closed, 1366×768", problems)
    projector.screenshot(path=str(SHOTS / "projector-closed-1366.png"))
    assert errors == [], "script errors on a page"
    assert not problems, "\n".join(problems)
    for ctx, _, _ in phones:
        ctx.close()
    desk.close()
