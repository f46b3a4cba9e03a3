"""The five-forces overview in the console at 1366×768: from the dashboard's council tree to the
overview of a subdistrict, a period chosen in the page, a number followed to its events."""
from __future__ import annotations

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
        World(app)
    finally:
        close_app(app)
    srv = Server(env, tmp / "server.log").start()
    yield srv.url
    srv.stop()


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
