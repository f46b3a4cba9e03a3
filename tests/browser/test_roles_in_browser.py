"""Roles by level in the console: a subdistrict officer gives a community's role to its
secretary, who then sees the community and its courtyards (not the subdistrict), and takes it
back; the console at 1366×768."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, console_login
from tests.servers import Server, council

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("roles")
    env = {"COUNCIL_DATABASE_URL": f"sqlite:///{tmp / 'council.db'}", "COUNCIL_SECRET_KEY": "roles-secret"}
    council(["db", "upgrade"], env, check=True)
    for name in ("钱主任", "孙书记"):
        council(["facilitator", "add", name, "--password", PASSWORD], env, check=True)
    srv = Server(env, tmp / "server.log").start()
    yield srv.url
    srv.stop()


def _console(browser, server, name):
    return console_login(browser, server, name)


def _new_council(page, name, level, parent=None):
    form = "form[action$='councils']"
    page.fill(f"{form} input[name=name]", name)
    page.select_option(f"{form} select[name=level]", level)
    if parent:
        page.select_option(f"{form} select[name=parent_id]", label=parent)
    page.click(f"{form} button")


def test_a_role_is_given_reaches_down_and_is_taken_back(district, browser, shots):
    officer = _console(browser, district, "钱主任")
    _new_council(officer, "前门街道", "subdistrict")
    _new_council(officer, "草厂社区", "community", "前门街道 (街道)")
    _new_council(officer, "草厂三条12号院", "courtyard", "草厂社区 (社区)")
    expect(officer.locator(".my-role")).to_contain_text("您是街道干部")
    officer.locator(".tree li", has_text="草厂社区").get_by_role("link", name="角色").click()
    officer.fill("input[name=name]", "孙书记")
    officer.get_by_role("button", name="授予角色").click()
    expect(officer.get_by_role("alert")).to_contain_text("孙书记现为本议事会的社区书记")
    expect(officer.locator("table.holders tr", has_text="孙书记")).to_contain_text("由钱主任授予")
    officer.screenshot(path=str(shots / "roles-given-1366.png"), full_page=True)

    secretary = _console(browser, district, "孙书记")
    expect(secretary.locator(".my-role")).to_contain_text("您是社区书记")
    tree = secretary.locator(".tree li")
    expect(tree).to_have_count(2)
    expect(tree.first).to_contain_text("草厂社区")
    expect(tree.nth(1)).to_contain_text("草厂三条12号院")
    assert "前门街道" not in secretary.locator(".tree").inner_text()
    secretary.screenshot(path=str(shots / "roles-secretary-dashboard-1366.png"), full_page=True)
    # nothing above the community: the subdistrict's roles page is not found
    roles_page = officer.url
    officer.goto(district + "/console")
    street = officer.locator(".tree li", has_text="前门街道").get_by_role("link", name="角色").get_attribute("href")
    assert secretary.goto(district + street).status == 404
    officer.goto(roles_page)

    officer.locator("table.holders tr", has_text="孙书记").get_by_role("button", name="收回").click()
    expect(officer.get_by_role("alert")).to_contain_text("孙书记不再是本议事会的社区书记")
    expect(officer.locator("table.holders tr", has_text="孙书记")).to_have_count(0)
    secretary.goto(district + "/console")
    expect(secretary.locator(".tree li")).to_have_count(0)
    officer.context.close()
    secretary.context.close()
