"""Roles by level (街道干部 › 社区书记 › 楼院主持人): a role is the level of the council it is held
on and reaches every council below; whoever reaches a council gives and takes back its role,
nobody upwards; a council's creator keeps theirs."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from council.db import get_db
from council.domain import DomainError
from council.domain.roles import Role, check_revoke, highest, role_at
from council.models import Council
from council.policy import reachable_councils
from council.services import Actor, accounts, grants

PASSWORD = "password-123"


# ------------------------------------------------------------------ the rules, without a database

def test_a_role_is_the_level_of_its_council():
    assert role_at("subdistrict") is Role.SUBDISTRICT_OFFICER
    assert role_at("community") is Role.COMMUNITY_SECRETARY
    assert role_at("courtyard") is Role.COURTYARD_FACILITATOR
    with pytest.raises(DomainError) as err:
        role_at("province")
    assert err.value.code == "invalid_level"


def test_a_title_is_the_highest_role_held():
    assert highest(["courtyard", "community", "courtyard"]) is Role.COMMUNITY_SECRETARY
    assert highest(["courtyard", "subdistrict"]) is Role.SUBDISTRICT_OFFICER
    assert highest([]) is None


def test_only_a_given_role_is_taken_back():
    check_revoke(True)
    with pytest.raises(DomainError) as err:
        check_revoke(False)
    assert err.value.code == "not_granted"


# ------------------------------------------------------------------ across the tree

@pytest.fixture
def tree(meeting, app):
    """The meeting's street › community › courtyard, a second courtyard, and three accounts."""
    with app.app_context():
        db = get_db()
        courtyard = db.get_one(Council, meeting.council_id)
        community = courtyard.parent_id
        street = db.get_one(Council, community).parent_id
        people = {name: accounts.add_facilitator(db, name, PASSWORD).id for name in ("孙书记", "周主持", "吴主持")}
        return {"street": street, "community": community, "courtyard": courtyard.id, **people}


def _refused(code: str, call, *args) -> None:
    with pytest.raises(DomainError) as err:
        call(*args)
    assert err.value.code == code, err.value.code


def test_roles_reach_down_and_are_given_and_taken_back_only_from_above(meeting, app, tree):
    owner = Actor.facilitator(meeting.facilitator_id)
    with app.app_context():
        db = get_db()
        given = grants.grant(db, owner, tree["community"], "孙书记")
        assert given.reply["role"] == "community_secretary"
        secretary = Actor.facilitator(tree["孙书记"])
        assert reachable_councils(db, secretary.id) == {tree["community"], tree["courtyard"]}  # not the street
        assert grants.grant(db, secretary, tree["courtyard"], "周主持").reply["role"] == "courtyard_facilitator"
        facilitator = Actor.facilitator(tree["周主持"])
        assert reachable_councils(db, facilitator.id) == {tree["courtyard"]}
        # a courtyard facilitator neither gives nor takes back a role above their own
        _refused("not_found", grants.grant, db, facilitator, tree["community"], "吴主持")
        _refused("not_found", grants.revoke, db, facilitator, tree["community"], "孙书记")
        # the creator keeps the role; a role not given cannot be taken back
        _refused("not_granted", grants.revoke, db, secretary, tree["courtyard"], meeting_owner_name(db, meeting))
        _refused("not_granted", grants.revoke, db, secretary, tree["courtyard"], "吴主持")
        _refused("no_such_facilitator", grants.revoke, db, secretary, tree["courtyard"], "谁也不是")
        council, holders = grants.holders(db, secretary, tree["courtyard"])
        assert [(h.name, h.role, h.grant_id is None, h.granted_by) for h in holders] == [
            (meeting_owner_name(db, meeting), Role.COURTYARD_FACILITATOR, True, None),
            ("周主持", Role.COURTYARD_FACILITATOR, False, "孙书记")]
        # taken back from above: the courtyard is out of the facilitator's reach at once
        assert grants.revoke(db, secretary, tree["courtyard"], "周主持").reply["role"] == "courtyard_facilitator"
        assert reachable_councils(db, facilitator.id) == set()
        title, held = grants.roles_of(db, secretary.id)
        assert title is Role.COMMUNITY_SECRETARY and [(c.id, r) for c, r in held] == [
            (tree["community"], Role.COMMUNITY_SECRETARY)]
        assert grants.roles_of(db, meeting.facilitator_id)[0] is Role.SUBDISTRICT_OFFICER


def meeting_owner_name(db, meeting) -> str:
    from council.models import Facilitator
    return db.scalar(select(Facilitator.name).where(Facilitator.id == meeting.facilitator_id))


def test_the_roles_page_names_roles_and_takes_one_back(meeting, app, tree):
    web = meeting.web
    r = web.post(f"/console/councils/{tree['community']}/facilitators", data={"name": "孙书记"})
    assert r.status_code == 302
    page = web.get(f"/console/councils/{tree['community']}/facilitators").get_data(as_text=True)
    assert "社区书记" in page and "孙书记" in page and "收回" in page
    r = web.post(f"/console/councils/{tree['community']}/facilitators/revoke", data={"name": "孙书记"},
                 follow_redirects=True)
    text = r.get_data(as_text=True)
    assert "孙书记不再是本议事会的社区书记" in text.replace(" ", "")
    with app.app_context():
        assert reachable_councils(get_db(), tree["孙书记"]) == set()


def test_council_grant_and_revoke_commands(meeting, app, tree):
    runner = app.test_cli_runner()
    given = runner.invoke(args=["grant", str(tree["street"]), "吴主持"])
    assert given.exit_code == 0 and "街道干部" in given.output, given.output
    taken = runner.invoke(args=["grant", str(tree["street"]), "吴主持", "--revoke"])
    assert taken.exit_code == 0 and "不再" in taken.output, taken.output
    again = runner.invoke(args=["grant", str(tree["street"]), "吴主持", "--revoke"])
    assert again.exit_code != 0
