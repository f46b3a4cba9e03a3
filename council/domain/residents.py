"""Residents across meetings: who a person is to the community, whichever session they join.

A resident belongs to a community (社区): the nearest community council at or above the council
of the session they join. A courtyard's meetings and the community's own meetings share it, so
scanning any session's code of that community returns as the same resident. Where no community
council is above (a subdistrict's own meeting, a courtyard set up on its own), the session's
council is the resident's home.

Two records of one person (a phone and the facilitator's entry for the same elder, or a new
phone) are merged: the merged record points at the one kept, and everything it took part in
counts for that one.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from council.domain.errors import DomainError

COMMUNITY = "community"


def home_of(chain: Sequence[tuple[int, str]]) -> int:
    """The home council of a session's residents. `chain` is the session's council and its
    parents upwards, as (council id, level)."""
    if not chain:
        raise DomainError("not_found", what="council")
    for council_id, level in chain:
        if level == COMMUNITY:
            return council_id
    return chain[0][0]


def kept(resident_id: int, merged_into: Mapping[int, int | None]) -> int:
    """The record a resident's merges end at (each merged record points at the one it went into)."""
    seen = {resident_id}
    while merged_into.get(resident_id) is not None:
        resident_id = merged_into[resident_id]  # type: ignore[assignment]
        if resident_id in seen:  # a loop can only be a bug: stop where it closes
            break
        seen.add(resident_id)
    return resident_id


def check_merge(source: int, target: int, *, same_home: bool, source_merged: bool, target_merged: bool) -> None:
    """One person's two records become one: never a record into itself, only within one
    community, and only records still in use."""
    if source == target:
        raise DomainError("merge_into_self")
    if not same_home:
        raise DomainError("not_same_community")
    if source_merged or target_merged:
        raise DomainError("resident_already_merged")
