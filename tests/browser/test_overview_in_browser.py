"""The five-forces overview in the console at 1366×768: from the dashboard's council tree to the
overview of a subdistrict, a period chosen in the page, a number followed to its events; and the
dashboard's tree flagging an overdue escalation at its courtyard and every council above."""
from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import console_login
from tests.conftest import close_app, make_app
from tests.helpers import PASSWORD
from tests.servers import Server, council
from tests.test_overview import World

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    """A server over the overview tests' world: a subdistrict, a community, two courtyards."""
    tmp = tmp_path_factory.mktemp("overview")
    url = f"sqlite:///{tmp / 'council.db'}"
    env = {"COUNCIL_DATABASE_URL": url, "COUNCIL_SECRET_KEY": "overview-secret"}
    council(["db", "upgrade"], env, check=True)
    app = make_app(url)
    try:
        _with_issues(World(app))
    finally:
        close_app(app)
    srv = Server(env, tmp / "server.log").start()
    yield srv.url
    srv.stop()


def _with_issues(world: World) -> None:
    """Issues around the server's today: two open in 64号院, one of 66号院 escalated to the
    community ten days ago with a reply due two days ago (overdue today, flagged up the tree)."""
    from council import localtime
    from council.db import get_db
    from council.services import Actor
    from council.services import inbox
    me = Actor.facilitator(world.facilitator)
    with world.app.app_context():
        db = get_db()
        today = localtime.today()
        when = lambda days: dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)  # noqa: E731
        for n, text in enumerate(("楼道灯坏了", "垃圾桶满了")):
            inbox.raise_issue(db, world.a, f"browser-issue-token-{n:04d}", text, "3-101", now=when(3))
        noise = inbox.raise_issue(db, world.b, "browser-issue-token-noise", "夜里施工噪音", "1-1",
                                  now=when(10)).reply["issue_id"]
        inbox.escalate_issue(db, me, noise, True, "", (today - dt.timedelta(days=2)).isoformat(),
                             today=today - dt.timedelta(days=10), now=when(10))


def test_the_dashboard_flags_an_overdue_escalation_up_the_tree(district, browser, shots):
    page = console_login(browser, district, "王主任", PASSWORD)
    expect(page.locator(".tree")).to_be_visible()
    for name in ("前门街道", "草厂社区", "天坛东路66号院"):
        expect(page.locator(".tree li", has_text=name).first.locator(".overdue-flag")).to_have_text("⚑ 1 件上报逾期")
    expect(page.locator(".tree li", has_text="天坛东路64号院").locator(".overdue-flag")).to_have_count(0)
    expect(page.locator(".tree li", has_text="天坛东路64号院").locator(".open-issues")).to_have_text("2 件待处理")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.locator(".tree").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "dashboard-tree-1366.png"))
    page.screenshot(path=str(shots / "dashboard-1366-full.png"), full_page=True)
    page.locator(".tree li", has_text="天坛东路66号院").locator(".overdue-flag").click()
    expect(page.locator("main")).to_contain_text("夜里施工噪音")
    expect(page.locator("main")).to_contain_text("已逾期")
    page.context.close()


def test_the_overview_of_a_subdistrict(district, browser, shots):
    page = console_login(browser, district, "王主任", PASSWORD)
    ctx = page.context
    page.locator(".tree li", has_text="前门街道").get_by_role("link", name="概况").click()
    expect(page.locator(".topbar strong")).to_have_text("前门街道 · 概况")
    page.fill("input[name=from]", "2026-11-01")
    page.fill("input[name=to]", "2026-11-30")
    page.get_by_role("button", name="显示").click()
    expect(page.locator(".topbar")).to_contain_text("2026-11-01 — 2026-11-30")
    cards = page.locator(".force-card")
    expect(cards).to_have_count(5)
    for name in ("协商力", "培育力", "行动力", "创新力", "合作力"):
        expect(page.locator(".force-cards")).to_contain_text(name)
    # the five cards sit side by side on the first screen, nothing wider than the laptop's screen
    boxes = [cards.nth(i).bounding_box() for i in range(5)]
    assert len({round(b["y"]) for b in boxes}) == 1 and boxes[-1]["x"] + boxes[-1]["width"] <= 1366
    assert boxes[0]["y"] + boxes[0]["height"] <= 768, "the forces are on the first screen"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.screenshot(path=str(shots / "overview-1366.png"))
    page.screenshot(path=str(shots / "overview-1366-full.png"), full_page=True)

    row = page.locator("#table-attend tbody tr", has_text="天坛东路66号院")
    row.locator("td").nth(1).get_by_role("link").click()  # its people present
    expect(page.locator(".topbar strong")).to_have_text("前门街道 · 到会人数".replace("前门街道", "天坛东路66号院"))
    expect(page.locator("table.events tbody tr")).to_have_count(2)
    page.screenshot(path=str(shots / "overview-events-1366.png"))
    ctx.close()
