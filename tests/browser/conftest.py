"""A real server started as a user would, and Debian's chromium driven by Playwright."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.servers import ROOT, Server, council

SHOTS = ROOT / "tests" / "artifacts" / "browser"
CHROMIUM = os.environ.get("COUNCIL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
PASSWORD = "browser-pass"


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """`council serve` on SQLite, with a facilitator account."""
    tmp = tmp_path_factory.mktemp("server")
    env = {"COUNCIL_DATABASE_URL": f"sqlite:///{tmp / 'council.db'}", "COUNCIL_SECRET_KEY": "browser-secret"}
    council(["db", "upgrade"], env, check=True)
    council(["facilitator", "add", "王主任", "--password", PASSWORD], env, check=True)
    srv = Server(env, tmp / "server.log").start()
    yield srv.url
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"chromium not found at {CHROMIUM}; install Debian's chromium package")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def shots():
    if SHOTS.exists():
        shutil.rmtree(SHOTS)
    SHOTS.mkdir(parents=True)
    return SHOTS


WECHAT_UA = ("Mozilla/5.0 (Linux; Android 10; V1916A Build/QP1A.190711.020; wv) AppleWebKit/537.36 "
             "(KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5169 "
             "MMWEBSDK/20230805 MicroMessenger/8.0.42.2460(0x28002A35) WeChat/arm64 Weixin NetType/WIFI "
             "Language/zh_CN ABI/arm64")


def phone_context(browser):
    return browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
                               has_touch=True, user_agent=WECHAT_UA, locale="zh-CN")


def next_step(console):
    """The console's Next step: it says what the move will do and asks once; confirm, then wait
    until the console shows the new step (so that the next click is about that one)."""
    from playwright.sync_api import expect
    current = console.locator("#step-list li.current").inner_text()
    console.click("#step-next")
    console.click("#step-confirm")
    expect(console.locator("#step-list li.current")).not_to_have_text(current)


def console_login(browser, server, name, password=PASSWORD):
    """A facilitator logged in on a 1366×768 console, on the dashboard."""
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = ctx.new_page()
    page.goto(server + "/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.goto(server + "/console")
    return page
