"""Roles by level: what a facilitator is on a council, named by the council's level.

A role is held on one council and reaches every council below it (街道 › 社区 › 楼院):

- a subdistrict officer (街道干部) holds a subdistrict council: every community and courtyard in it;
- a community secretary (社区书记) holds a community council: the community and its courtyards;
- a courtyard facilitator (楼院主持人) holds a courtyard council: that courtyard.

The role is the level of the council it is held on, never a second column that could disagree
with it. Whoever reaches a council may give its role to another facilitator, and take back a
role given on it: nobody reaches a council above their own, so nobody grants or revokes upwards.
The council's creator holds its role for good: that one is not given, so it is not taken back.
"""
from __future__ import annotations

from enum import StrEnum

from council.domain.errors import DomainError


class Level(StrEnum):
    """The levels of the district's tree, from the top."""

    SUBDISTRICT = "subdistrict"
    COMMUNITY = "community"
    COURTYARD = "courtyard"


class Role(StrEnum):
    SUBDISTRICT_OFFICER = "subdistrict_officer"
    COMMUNITY_SECRETARY = "community_secretary"
    COURTYARD_FACILITATOR = "courtyard_facilitator"


ROLE_AT: dict[Level, Role] = {Level.SUBDISTRICT: Role.SUBDISTRICT_OFFICER, Level.COMMUNITY: Role.COMMUNITY_SECRETARY,
                              Level.COURTYARD: Role.COURTYARD_FACILITATOR}


def role_at(level: str) -> Role:
    """The role a facilitator holds on a council of this level."""
    try:
        return ROLE_AT[Level(level)]
    except ValueError:
        raise DomainError("invalid_level") from None


def highest(levels: list[str]) -> Role | None:
    """A person's title across the councils they hold: the role of the highest level among them."""
    held = [Level(level) for level in levels]
    return ROLE_AT[min(held, key=list(Level).index)] if held else None


def check_revoke(granted: bool) -> None:
    """Only a given role can be taken back; a council's creator keeps theirs."""
    if not granted:
        raise DomainError("not_granted")
