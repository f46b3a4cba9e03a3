"""The issue inbox between meetings (民情接待): what may happen to an issue, and when a reply
is overdue. Plain Python: the services load and store, these rules say yes or no.

An issue is open when raised. The facilitator answers it (answered), carries it into the next
session as a topic (carried), escalates it to the parent council or a named unit with a reply
deadline (escalated; the reply later makes it answered) or merges it into another issue of the
same council (merged). An escalation is overdue from the day after its deadline, in the council's
time zone: due on the 10th, it is overdue on the 11th.

How an issue came in: on the council's page (from a browser), entered by a worker from the
reception desk (民情接待室: written or spoken) or a roaming council (流动议事厅), or raised on
the page by a building head (楼门长) for a household of their building.
"""
from __future__ import annotations

import datetime as dt
from enum import StrEnum
from statistics import median
from typing import Iterable

from council.domain.errors import DomainError

ISSUE_MAX = 200
ANSWER_MAX = 500
TAG_MAX = 20
UNIT_MAX = 100


class IssueState(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CARRIED = "carried"
    ESCALATED = "escalated"
    MERGED = "merged"


class IssueChannel(StrEnum):
    PAGE = "page"
    WRITTEN = "written"  # a letter or note handed in at the reception desk
    SPOKEN = "spoken"  # told to a worker at the reception desk
    ROAMING = "roaming"  # told at a roaming council in a courtyard or stairwell
    BUILDING_HEAD = "building_head"  # a building head raised it for a household


# what a worker enters in the console
ENTERED = (IssueChannel.WRITTEN, IssueChannel.SPOKEN, IssueChannel.ROAMING)
BUILDING_MAX = 20  # the building a building head looks after: "3号楼"


# what residents still see on the council's page and may support
VISIBLE = (IssueState.OPEN, IssueState.ESCALATED, IssueState.ANSWERED)
SUPPORTABLE = (IssueState.OPEN, IssueState.ESCALATED)


def _require(state: IssueState, *allowed: IssueState) -> None:
    if state not in allowed:
        raise DomainError("issue_not_open", state=state.value)


def check_answer(state: IssueState) -> IssueState:
    """An open issue answered directly, or an escalated one whose reply came back."""
    _require(state, IssueState.OPEN, IssueState.ESCALATED)
    return IssueState.ANSWERED


def check_carry(state: IssueState, session_found: bool) -> IssueState:
    """An open issue becomes a topic of the council's next session that is not closed."""
    _require(state, IssueState.OPEN)
    if not session_found:
        raise DomainError("no_open_session")
    return IssueState.CARRIED


def check_escalate(state: IssueState, *, to_parent: bool, has_parent: bool, unit: str,
                   due: dt.date | None, today: dt.date) -> IssueState:
    """Escalated to the parent council or to a named unit, always with a reply deadline that has
    not already passed."""
    _require(state, IssueState.OPEN)
    if due is None:
        raise DomainError("deadline_required")
    if due < today:
        raise DomainError("deadline_past")
    if to_parent and not has_parent:
        raise DomainError("no_parent_council")
    if not to_parent and not unit:
        raise DomainError("text_empty", field="unit")
    return IssueState.ESCALATED


def check_merge(source_id: int, target_id: int, source: IssueState, target: IssueState,
                same_council: bool) -> IssueState:
    """A duplicate goes into another open issue of the same council; its supporters come along."""
    if source_id == target_id:
        raise DomainError("merge_into_self")
    if not same_council:
        raise DomainError("not_found", what="issue")
    _require(source, IssueState.OPEN)
    _require(target, *SUPPORTABLE)
    return IssueState.MERGED


def entered_channel(value: object) -> IssueChannel:
    """How a worker says an issue came in: written, spoken, or at a roaming council."""
    for channel in ENTERED:
        if value == channel.value:
            return channel
    raise DomainError("invalid_issue_channel")


def check_for_household(building: str | None, door: str) -> None:
    """Only a building head raises an issue for another household, and names its door."""
    if not building:
        raise DomainError("not_building_head")
    if not door:
        raise DomainError("text_empty", field="door")


def check_support(state: IssueState) -> None:
    _require(state, *SUPPORTABLE)


def overdue(state: IssueState, due: dt.date | None, today: dt.date) -> bool:
    """An escalation without its reply, on a day after its deadline."""
    return state is IssueState.ESCALATED and due is not None and today > due


def days_to_answer(raised: dt.date, answered: dt.date) -> int:
    return (answered - raised).days


def median_days(days: Iterable[int]) -> float | None:
    """The median days from raising to an answer; None with no answer yet."""
    found = list(days)
    return float(median(found)) if found else None
