"""The projector after a poll closes, as the back row sees it: the result word and its counts on
the screen at 1920×1080 and 1366×768, every text readable (4.5:1 contrast, measured on the
rendered colours), and a join URL that never breaks inside the join code."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SHOTS, next_step
from tests.browser.test_session_in_browser import _new_session

pytestmark = pytest.mark.browser

TITLE = ("在三号楼与五号楼之间的空地上加装一处带遮雨棚的电动自行车集中充电车棚，由物业公司统一管理，"
         "按月收取电费，夜间十点后断电，并拆除楼道里私拉的电线，")
TITLE = (TITLE * 4)[:200]  # the longest proposal title there can be
SESSION_TITLE = ("天坛东路六十四号院二〇二六年第三季度居民议事会：车棚、充电、楼道堆物与公共空间的使用" * 3)[:100]
MINIMUM = 4.5

# Every element that draws text of its own: its rendered colour (with its opacity and that of its
# ancestors) against the first ancestor background that is not transparent (translucent layers
# are blended down to an opaque one; the canvas is white). Controls that are disabled are exempt,
# as WCAG 1.4.3 exempts inactive components.
CONTRAST_JS = r"""
() => {
  function parse(c) {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  }
  function over(top, under) {
    const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat([1]);
  }
  function background(el) {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg && bg[3] > 0) { layers.push(bg); if (bg[3] >= 1) break; }
    }
    let colour = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) colour = over(layers[i], colour);
    return colour;
  }
  function luminance(c) {
    const [r, g, b] = c.slice(0, 3).map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  function hex(c) { return "#" + c.slice(0, 3).map(v => Math.round(v).toString(16).padStart(2, "0")).join(""); }
  function opacity(el) {
    let o = 1;
    for (let e = el; e; e = e.parentElement) o *= parseFloat(getComputedStyle(e).opacity);
    return o;
  }
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (["SCRIPT", "STYLE", "OPTION", "TEMPLATE", "svg"].includes(el.tagName)) continue;
    if (el.closest("svg")) continue;
    const field = ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
    const own = field ? (el.tagName === "SELECT" ? (el.selectedOptions[0] || {}).text || "" : el.value || "")
      : [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join("").trim();
    if (!own || (field && el.type === "hidden")) continue;
    if (el.closest(":disabled")) continue;
    const style = getComputedStyle(el);
    if (style.visibility !== "visible" || !el.checkVisibility({ opacityProperty: true })) continue;
    const box = el.getBoundingClientRect();
    if (box.width < 1 || box.height < 1) continue;
    const bg = background(el), fg = parse(style.color);
    fg[3] *= opacity(el);
    const shown = over(fg, bg), a = luminance(shown), b = luminance(bg);
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    out.push({ text: own.slice(0, 30), tag: el.tagName.toLowerCase(), cls: el.className && String(el.className),
               fg: hex(shown), bg: hex(bg), ratio: Math.round(ratio * 100) / 100 });
  }
  return out;
}
"""


def _contrast(page, where, problems):
    """Every text's contrast; a problem for each below 4.5:1. The measurements, for the report."""
    found = page.evaluate(CONTRAST_JS)
    assert found, f"{where}: no text found"
    problems += [f"{where}: {t['text']!r} <{t['tag']} class={t['cls']!r}> {t['fg']} on {t['bg']}: "
                 f"{t['ratio']}:1 is below {MINIMUM}:1" for t in found if t["ratio"] < MINIMUM]
    return found


def _inside_screen(page, selector, problems):
    """The element's box lies wholly on the screen and is not clipped by the stage."""
    box = page.evaluate("""sel => {
      const el = document.querySelector(sel), r = el.getBoundingClientRect();
      const stage = document.getElementById("stage").getBoundingClientRect();
      return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, text: el.textContent,
              stageBottom: stage.bottom, vw: innerWidth, vh: innerHeight};
    }""", selector)
    if box["top"] < 0 or box["left"] < 0:
        problems.append(f"{selector} starts off screen: {box}")
    if box["bottom"] > min(box["vh"], box["stageBottom"]) + 0.5:
        problems.append(f"{selector} ends below the screen or the stage: {box}")
    if box["right"] > box["vw"] + 0.5:
        problems.append(f"{selector} ends right of the screen: {box}")
    return box


def _join_url_lines(page):
    """Where the join URL's lines break (the character before each break), and whether the
    six digits of the code all sit on one line (one Range client rect top per character)."""
    return page.evaluate("""code => {
      const el = document.querySelector(".join .url");
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      const chars = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        for (let i = 0; i < n.textContent.length; i++) {
          const r = document.createRange();
          r.setStart(n, i); r.setEnd(n, i + 1);
          const rect = r.getClientRects()[0];
          chars.push({c: n.textContent[i], top: Math.round(rect.top), right: rect.right});
        }
      }
      const text = chars.map(c => c.c).join("");
      const at = text.lastIndexOf(code);
      const codeTops = chars.slice(at, at + code.length).map(c => c.top);
      const breaksAfter = [];
      for (let i = 1; i < chars.length; i++) if (chars[i].top > chars[i - 1].top) breaksAfter.push(chars[i - 1].c);
      const panel = el.parentElement.getBoundingClientRect();
      return {text, at, codeTops, breaksAfter, overflows: Math.max(...chars.map(c => c.right)) > panel.right + 0.5};
    }""", page.locator(".join .code b").inner_text())


def _check_join_url(page, size, problems):
    url = _join_url_lines(page)
    code = page.locator(".join .code b").inner_text()
    assert url["text"].endswith("/join/" + code), url
    if len(set(url["codeTops"])) != 1:
        problems.append(f"{size}: the join code breaks across lines in {url['text']!r}: {url}")
    if not all(c == "/" for c in url["breaksAfter"]):
        problems.append(f"{size}: the join URL breaks other than at a slash: {url}")
    if url["overflows"]:
        problems.append(f"{size}: the join URL runs out of its panel: {url}")
    return url


def _phone(browser, server, code, name, door):
    """A resident who joins by /api/join; a page of this server to vote from (see `_cast`)."""
    ctx = browser.new_context(locale="zh-CN")
    page = ctx.new_page()
    page.goto(server + "/")
    joined = ctx.request.post(f"{server}/api/join/{code}", data={"name": name, "door": door}).json()
    assert joined["ok"], joined
    page.add_script_tag(url=server + "/static/vendor/socket.io.min.js")
    return ctx, page, joined["device_token"]


def _cast(page, code, token, poll_id, choice):
    """Vote over Socket.IO as the phone page does."""
    reply = page.evaluate("""([code, token, poll, choice]) => new Promise((resolve, reject) => {
      const s = io({auth: {role: "phone", code, token}, transports: ["websocket"]});
      s.on("connect_error", e => reject(String(e)));
      s.on("connect", () => {
        const id = [...crypto.getRandomValues(new Uint8Array(16))].map(b => b.toString(16).padStart(2, "0")).join("");
        s.emit("ballot.cast", {poll_id: poll, choice, client_id: id}, r => { s.disconnect(); resolve(r); });
      });
    })""", [code, token, poll_id, choice])
    assert reply["ok"], reply


def test_projector_result_fits_and_reads(server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)  # never wipe what other tests saved there
    errors: list = []
    problems: list = []  # every failure is collected, so one run reports them all
    desk, console, code = _new_session(browser, server, "投影院", SESSION_TITLE,
                                       viewport={"width": 1366, "height": 768})
    console.on("pageerror", lambda e: errors.append(e))
    projector = desk.new_page()
    projector.on("pageerror", lambda e: errors.append(e))
    projector.set_viewport_size({"width": 1920, "height": 1080})
    projector.goto(console.url.replace("/console/", "/projector/"))
    expect(projector.locator("#step")).to_have_text("民事民提")

    for size in ((1920, 1080), (1366, 768)):
        projector.set_viewport_size({"width": size[0], "height": size[1]})
        _check_join_url(projector, size, problems)

    phones = [_phone(browser, server, code, n, d) for n, d in (("李阿姨", "3-101"), ("张师傅", "3-102"))]
    expect(projector.locator("#count")).to_have_text("2")

    next_step(console)
    expect(console.locator("#step-list li.current")).to_have_text("民事民议")
    console.fill("#proposal-form input[name=title]", TITLE)
    console.click("#proposal-form button")
    next_step(console)
    expect(console.locator("#step-list li.current")).to_have_text("民事民决")
    console.locator("[data-proposal] button", has_text="开始表决").click()
    expect(projector.locator("section.poll")).to_have_count(1)
    poll_id = int(projector.locator("section.poll").get_attribute("data-poll"))

    (_, li, li_token), (_, zhang, zhang_token) = phones
    _cast(li, code, li_token, poll_id, "yes")
    _cast(zhang, code, zhang_token, poll_id, "no")
    for channel, counts in (("hands", (3, 4, 1)), ("paper", (2, 1, 0))):
        form = console.locator(f"form[data-channel={channel}]")
        for field, n in zip(("yes", "no", "abstain"), counts):
            form.locator(f"input[name={field}]").fill(str(n))
        form.get_by_role("button").click()
    expect(console.locator("[data-proposal] .count")).to_contain_text("13 票")
    expect(projector.locator("[data-choice=yes]")).to_have_text("6")

    measured = {}
    projector.set_viewport_size({"width": 1920, "height": 1080})
    measured["projector open 1920"] = _contrast(projector, "projector, poll open, 1920×1080", problems)
    projector.screenshot(path=str(SHOTS / "projector-vote-open-1920.png"))
    measured["console open"] = _contrast(console, "console, poll open", problems)

    console.locator("[data-proposal] button", has_text="结束表决").click()
    expect(projector.locator(".result")).to_have_text("未通过")  # 6 of 13 votes is not more than half
    result = projector.locator(".result")
    counts = projector.locator(".certificate .counts, .verdict .counts").first
    expect(counts).to_contain_text("赞成 6")

    for width, height in ((1920, 1080), (1366, 768)):
        projector.set_viewport_size({"width": width, "height": height})
        projector.wait_for_timeout(200)
        for what in (result, counts):
            expect(what).to_be_visible()
        word = _inside_screen(projector, ".result", problems)
        tally = _inside_screen(projector, ".certificate .counts, .verdict .counts", problems)
        print(f"{width}×{height}: result y={word['top']:.0f}–{word['bottom']:.0f}, "
              f"counts y={tally['top']:.0f}–{tally['bottom']:.0f}, screen {height}")
        half_cut = projector.evaluate("""() => {
          const box = document.querySelector(".poll .details");
          if (!box) return ["no details"];
          const bottom = box.getBoundingClientRect().bottom + 0.5;
          return [...box.querySelectorAll("p, li")].filter(el => el.checkVisibility({visibilityProperty: true})
            && el.getBoundingClientRect().bottom > bottom).map(el => el.textContent);
        }""")
        if half_cut:
            problems.append(f"{width}×{height}: details cut in the middle of a line: {half_cut}")
        rules = projector.locator("section.poll").inner_text().count("赞成票超过投票总数的一半")
        if rules != 1:
            problems.append(f"{width}×{height}: the rule is shown {rules} times")
        measured[f"projector closed {width}"] = _contrast(projector, f"projector, poll closed, {width}×{height}", problems)
        _check_join_url(projector, (width, height), problems)
        projector.screenshot(path=str(SHOTS / f"projector-result-{width}.png"))
    measured["console closed"] = _contrast(console, "console, poll closed", problems)
    console.evaluate("window.scrollTo(0, 0)")
    console.screenshot(path=str(SHOTS / "console-result-1366.png"))

    for where, found in measured.items():
        worst = sorted(found, key=lambda t: t["ratio"])[:3]
        print(where, "lowest:", ", ".join(f"{t['text']!r} {t['ratio']}:1" for t in worst))
    assert errors == [], "script errors on a page"
    assert not problems, "\n".join(problems)
    for ctx, _, _ in phones:
        ctx.close()
    desk.close()


def test_a_secret_poll_shows_turnout_only_until_it_closes(server, browser):
    """A secret ballot: while it is open the projector and the console show how many took part
    and no count that moves as a resident taps; at close the result appears, all at once."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    errors: list = []
    desk, console, code = _new_session(browser, server, "不记名院", "不记名表决议事会",
                                       viewport={"width": 1366, "height": 768})
    console.on("pageerror", lambda e: errors.append(e))
    projector = desk.new_page()
    projector.on("pageerror", lambda e: errors.append(e))
    projector.set_viewport_size({"width": 1920, "height": 1080})
    projector.goto(console.url.replace("/console/", "/projector/"))
    phones = [_phone(browser, server, code, n, d) for n, d in (("李阿姨", "3-101"), ("张师傅", "3-102"))]
    next_step(console)
    console.fill("#proposal-form input[name=title]", "楼道里不再堆放杂物")
    console.click("#proposal-form button")
    next_step(console)
    console.locator("[data-proposal] input[name=secret]").check()
    console.locator("[data-proposal] button", has_text="开始表决").click()
    expect(projector.locator("section.poll")).to_have_count(1)
    poll_id = int(projector.locator("section.poll").get_attribute("data-poll"))
    (_, li, li_token), (_, zhang, zhang_token) = phones
    _cast(li, code, li_token, poll_id, "yes")
    _cast(zhang, code, zhang_token, poll_id, "no")
    expect(projector.locator("section.poll .total")).to_contain_text("2 票")
    expect(projector.locator(".secret-later")).to_have_text("不记名表决：票数在表决结束时公布。")
    expect(projector.locator("section.poll [data-choice]")).to_have_count(0)
    expect(console.locator("[data-proposal] .count")).to_contain_text("2 票")
    expect(console.locator("[data-proposal] .note")).to_have_text("不记名表决：票数在表决结束时公布。")
    expect(console.locator("[data-proposal] .bars")).to_have_count(0)
    projector.screenshot(path=str(SHOTS / "projector-secret-open-1920.png"))
    console.screenshot(path=str(SHOTS / "console-secret-open-1366.png"))
    console.locator("[data-proposal] button", has_text="结束表决").click()
    expect(projector.locator(".result")).to_have_text("未通过")
    expect(projector.locator("[data-choice=yes]")).to_have_text("1")
    projector.screenshot(path=str(SHOTS / "projector-secret-closed-1920.png"))
    assert errors == []
    for ctx, _, _ in phones:
        ctx.close()
    desk.close()
