"""A fresh install in a real browser: the set-up link `council serve` printed creates the first
facilitator account, on a phone-sized screen and on a laptop."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.servers import Server

pytestmark = pytest.mark.browser
PASSWORD = "first-run-pass"


@pytest.fixture
def fresh_server(tmp_path):
    """`council serve` on an empty database, and the set-up link it printed."""
    env = {"COUNCIL_DATABASE_URL": f"sqlite:///{tmp_path / 'council.db'}", "COUNCIL_SECRET_KEY": "first-run"}
    srv = Server(env, tmp_path / "server.log").start()
    link = re.search(r"http://127\.0\.0\.1:\d+/setup/\S+", (tmp_path / "server.log").read_text())
    assert link, (tmp_path / "server.log").read_text()
    yield srv.url, link.group(0)
    srv.stop()


def test_the_set_up_link_creates_the_first_account(fresh_server, browser, shots):
    url, link = fresh_server
    errors: list = []
    for width, height in ((360, 740), (1366, 768)):
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        page = ctx.new_page()
        page.on("pageerror", lambda e: errors.append(e))
        page.goto(url + "/console")  # where a facilitator goes first: the login page says where the link is
        expect(page.locator("p.notice")).to_contain_text("council serve")
        page.goto(link)
        expect(page.locator("h2")).to_be_visible()
        expect(page.locator("#password-rule")).to_contain_text("8")
        expect(page.locator("button[type=submit]")).to_be_in_viewport()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.screenshot(path=str(shots / f"first-run-setup-{width}x{height}.png"))
        ctx.close()

    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = ctx.new_page()
    page.goto(link)
    page.fill("input[name=name]", "王主任")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password_again]", PASSWORD + "x")
    page.click("button[type=submit]")
    expect(page.locator("p.error")).to_be_visible()  # the two passwords differ: said on the page
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password_again]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name="新建议事会")).to_be_visible()  # the dashboard, logged in
    page.screenshot(path=str(shots / "first-run-dashboard-1366x768.png"))

    page.goto(link)  # used up: it leads to the console now
    expect(page.get_by_role("heading", name="新建议事会")).to_be_visible()
    ctx.close()
    stranger = browser.new_context(locale="zh-CN").new_page()
    stranger.goto(link)  # and a stranger to the login page, which no longer speaks of the link
    expect(stranger).to_have_url(re.compile(r"/login"))
    expect(stranger.locator("p.hint")).to_contain_text("council facilitator add")
    expect(stranger.locator("p.notice")).to_have_count(0)
    stranger.context.close()
    assert errors == []
