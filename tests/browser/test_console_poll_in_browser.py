"""The facilitator's console while a poll is open, at 1366×768 and 1920×1080: the poll in
progress (its title, turnout, count forms, named-vote entry, voter list and close button) on the
screen without scrolling, no label squeezed to a character a line, and a count being typed kept
while votes arrive."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SHOTS, next_step
from tests.browser.test_projector_in_browser import SESSION_TITLE, TITLE, _cast, _phone
from tests.browser.test_session_in_browser import _new_session

pytestmark = pytest.mark.browser

# Where each part of the open poll's card lies, found from the close button so that the check
# holds for any layout; short texts (labels, headings, buttons) and the number of lines each takes.
GEOMETRY_JS = r"""
title => {
  const close = [...document.querySelectorAll("[data-proposal] button")].find(b => b.textContent === "结束表决");
  const card = close.closest("[data-proposal]");
  const box = el => { const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
  const parts = {close: box(close), count: box(card.querySelector(".count")), enter: box(card.querySelector("form.enter"))};
  card.querySelectorAll("form[data-channel]").forEach(f => { parts["counts " + f.dataset.channel] = box(f); });
  const roll = card.querySelector("details");
  parts.roll = roll ? box(roll.querySelector("summary")) : null;
  const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
  const labels = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent.trim();
    if (!text || n.parentElement.closest("select, option, script")) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    const rects = [...range.getClientRects()].filter(r => r.width > 0);
    if (text === title) parts.title = {top: Math.min(...rects.map(r => r.top)), bottom: Math.max(...rects.map(r => r.bottom)),
                                     left: Math.min(...rects.map(r => r.left)), right: Math.max(...rects.map(r => r.right))};
    if (text.length > 12) continue;  // a label, not a sentence
    const tops = [];
    rects.forEach(r => { if (!tops.some(t => Math.abs(t - r.top) < 3)) tops.push(r.top); });
    labels.push({text, lines: tops.length, tag: n.parentElement.tagName.toLowerCase()});
  }
  return {parts, labels, rollOpen: roll ? roll.open : null, vh: innerHeight, vw: innerWidth,
          scrollWidth: document.documentElement.scrollWidth};
}
"""


def _layout_problems(page, size):
    g = page.evaluate(GEOMETRY_JS, TITLE)
    problems = []
    for name in ("title", "count", "counts hands", "counts paper", "enter", "roll", "close"):
        box = g["parts"].get(name)
        if box is None:
            problems.append(f"{size}: the open poll shows no {name}")
        elif box["top"] < 0 or box["bottom"] > g["vh"] + 0.5 or box["right"] > g["vw"] + 0.5:
            problems.append(f"{size}: {name} is off the screen: {box}, screen {g['vw']}×{g['vh']}")
    problems += [f"{size}: label {x['text']!r} <{x['tag']}> takes {x['lines']} lines" for x in g["labels"] if x["lines"] > 1]
    if g["rollOpen"]:
        problems.append(f"{size}: the voter list is not collapsed")
    if g["scrollWidth"] > g["vw"] + 1:
        problems.append(f"{size}: the page scrolls sideways ({g['scrollWidth']} px)")
    return problems, g


def test_open_poll_fits_the_console(server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)  # never wipe what other tests saved there
    errors: list = []
    desk, console, code = _new_session(browser, server, "表决院", SESSION_TITLE,
                                       viewport={"width": 1366, "height": 768})
    console.on("pageerror", lambda e: errors.append(e))
    phones = [_phone(browser, server, code, n, d) for n, d in (("李阿姨", "3-101"), ("张师傅", "3-102"), ("赵大姐", "5-201"))]
    console.fill("#participant-form input[name=name]", "王奶奶")
    console.fill("#participant-form input[name=door]", "5-202")
    console.click("#participant-form button")
    expect(console.locator("#participants li")).to_have_count(4)

    next_step(console)
    for n, title in enumerate(("楼道里不再堆放杂物", TITLE, "东侧空地装晾衣架"), 1):
        console.fill("#proposal-form input[name=title]", title)
        console.fill("#proposal-form textarea[name=text]", "由物业与楼门长共同落实，费用按户分摊，每季度公示一次。")
        console.click("#proposal-form button")
        expect(console.locator("#proposals > li")).to_have_count(n)  # the form is cleared once it is saved
    next_step(console)
    expect(console.locator("#step-list li.current")).to_have_text("民事民决")
    second = console.locator("#proposals > li").nth(1)
    second.locator("select[name=rule]").select_option("majority_present")  # counts and attendance: the most controls
    second.locator("button", has_text="开始表决").click()  # Playwright scrolls down to it, as a facilitator would
    close = console.locator("[data-proposal] button", has_text="结束表决")
    expect(close).to_have_count(1)

    poll_id = phones[0][1].evaluate("""([code, token]) => new Promise((resolve, reject) => {
      const s = io({auth: {role: "phone", code, token}, transports: ["websocket"]});
      s.on("connect_error", e => reject(String(e)));
      s.on("state", st => { s.disconnect(); resolve(st.polls.filter(p => p.status === "open")[0].id); });
    })""", [code, phones[0][2]])
    for (_, page, token), choice in zip(phones[:2], ("yes", "no")):
        _cast(page, code, token, poll_id, choice)
    hands = console.locator("form[data-channel=hands]")
    for field, n in zip(("yes", "no", "abstain"), (5, 3, 1)):
        hands.locator(f"input[name={field}]").fill(str(n))
    hands.get_by_role("button").click()
    enter = console.locator("form.enter")
    enter.locator("select[name=participant]").select_option(label="王奶奶 · 5-202")
    enter.get_by_role("button").click()
    expect(console.locator("[data-proposal] .count")).to_contain_text("12 票")

    # A vote arriving while the facilitator types a count leaves the field, its focus and caret alone.
    paper = console.locator("form[data-channel=paper] input[name=no]")
    paper.click()
    paper.press("Control+a")
    paper.type("1")
    _cast(phones[2][1], code, phones[2][2], poll_id, "yes")
    expect(console.locator("[data-proposal] .count")).to_contain_text("13 票")
    assert console.evaluate("document.activeElement.name === 'no' && !!document.activeElement.closest('[data-channel=paper]')")
    paper.type("2")
    expect(paper).to_have_value("12")

    problems, g = _layout_problems(console, "1366×768")
    print("1366×768:", {k: (round(v["top"]), round(v["bottom"])) for k, v in g["parts"].items() if v})
    console.screenshot(path=str(SHOTS / "console-poll-open-1366.png"))
    console.set_viewport_size({"width": 1920, "height": 1080})
    console.wait_for_timeout(200)
    more, g = _layout_problems(console, "1920×1080")
    print("1920×1080:", {k: (round(v["top"]), round(v["bottom"])) for k, v in g["parts"].items() if v})
    console.screenshot(path=str(SHOTS / "console-poll-open-1920.png"))
    assert not problems + more, "\n".join(problems + more)

    console.set_viewport_size({"width": 1366, "height": 768})
    close.click()
    expect(console.locator(".certificate .result")).to_be_in_viewport()  # the page brings the result into view
    console.screenshot(path=str(SHOTS / "console-poll-closed-1366.png"))
    assert errors == [], "script errors on a page"
    for ctx, _, _ in phones:
        ctx.close()
    desk.close()
