"""Ballots and how they are counted: who a vote counts for, channels, manual counts."""
from __future__ import annotations

import datetime as dt

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, Iterable

from council.domain.errors import DomainError, parse_enum
from council.domain.rules import BY_AREA, ZERO, Tally, takes_counts
from council.domain.steps import Step, require_step


class PollStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Choice(StrEnum):
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


class Unit(StrEnum):
    PERSON = "person"  # one vote per person
    HOUSEHOLD = "household"  # 一户一票, by door number


class Channel(StrEnum):
    PHONE = "phone"
    ENTERED = "entered"  # a named vote entered by the facilitator for a resident
    HANDS = "hands"  # 举手表决: a count
    PAPER = "paper"  # 纸质票: a count
    REMOTE = "remote"  # a resident's own vote from afar, while a windowed poll is open


COUNTED_CHANNELS = (Channel.HANDS, Channel.PAPER)  # totals the facilitator enters
NAMED_CHANNELS = (Channel.PHONE, Channel.ENTERED, Channel.REMOTE)  # one ballot per voter
MAX_WINDOW_MINUTES = 60 * 24 * 30  # a voting window lasts at most thirty days
MAX_COUNT = 100_000


def parse_choice(value: object) -> Choice:
    return parse_enum(Choice, value, "invalid_choice")


def parse_unit(value: object) -> Unit:
    return parse_enum(Unit, value, "invalid_unit")


def parse_counted_channel(value: object) -> Channel:
    channel = parse_enum(Channel, value, "invalid_channel")
    if channel not in COUNTED_CHANNELS:
        raise DomainError("invalid_channel")
    return channel


def require_open(status: PollStatus, closes_at: dt.datetime | None = None, now: dt.datetime | None = None) -> None:
    """Ballots go only into an open poll, and into a windowed one only before its deadline:
    a vote at the deadline or after it is refused, closed by the clock or not yet."""
    if status != PollStatus.OPEN:  # a plain "open" from an unsaved row compares equal too
        raise DomainError("poll_closed")
    if closes_at is not None and now is not None and now >= closes_at:
        raise DomainError("poll_closed")


def is_due(status: PollStatus, closes_at: dt.datetime | None, now: dt.datetime) -> bool:
    """An open poll whose window has ended: it closes by itself."""
    return status == PollStatus.OPEN and closes_at is not None and now >= closes_at


def window_end(now: dt.datetime, closes_at: dt.datetime | None, minutes: object) -> dt.datetime | None:
    """When a poll opened now closes by itself: at `closes_at`, or `minutes` from now; None: when
    the facilitator closes it. The deadline is in the future and within thirty days."""
    if closes_at is not None and minutes is not None:
        raise DomainError("invalid_field", field="closes_in_minutes")
    if minutes is not None:
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_WINDOW_MINUTES:
            raise DomainError("invalid_field", field="closes_in_minutes")
        return now + dt.timedelta(minutes=minutes)
    if closes_at is None:
        return None
    if closes_at.tzinfo is None or closes_at <= now or closes_at > now + dt.timedelta(minutes=MAX_WINDOW_MINUTES):
        raise DomainError("invalid_field", field="closes_at")
    return closes_at


def voter_key(unit: Unit, participant_id: int, household_id: int | None) -> str:
    """What one vote stands for: a person, or the household a person belongs to."""
    if unit is Unit.PERSON:
        return f"p:{participant_id}"
    if household_id is None:
        raise DomainError("no_household")
    return f"h:{household_id}"


def check_opening(step: Step, deadline: dt.datetime | None, meeting_starts: dt.datetime | None = None,
                  starts_label: str = "") -> None:
    """A poll opens in decide; before it (raise, discuss: ahead of the meeting) only with a
    voting window, for the residents to vote from afar by the meeting notice's QR code until
    the meeting, where it is simply open in the room. A poll without a window could be voted in
    by nobody before decide; one whose window ends before the meeting starts would print "you
    may also vote at the meeting" on the notice and be closed by then. (`starts_label`: the
    meeting's start in the council's time zone, for the message.)"""
    require_step(step, Step.RAISE, Step.DISCUSS, Step.DECIDE)
    if step is Step.DECIDE:
        return
    if deadline is None:
        raise DomainError("window_required", step=step.value)
    if meeting_starts is not None and deadline < meeting_starts:
        raise DomainError("window_before_meeting", starts=starts_label)


def check_in_room(step: Step) -> None:
    """A show of hands, paper ballots and the votes a facilitator enters are the room's: a poll
    opened ahead of the meeting takes them once the meeting has reached decide."""
    if step in (Step.RAISE, Step.DISCUSS):
        raise DomainError("wrong_step", step=step.value, allowed=[Step.DECIDE.value])


def remote_voter_key(unit: Unit, participant_id: int, household_id: int | None, step: Step) -> str:
    """What a remote vote stands for. Before the meeting reaches decide, the remote page is
    reached from the printed meeting notice, which the households on the roll receive: a phone
    whose door is not on the roll may not vote then, in a person poll too (anyone could join
    from a link passed on). From decide on, a person poll takes every participant's vote, as in
    the room."""
    if step in (Step.RAISE, Step.DISCUSS) and household_id is None:
        raise DomainError("no_household")
    return voter_key(unit, participant_id, household_id)


def check_setup(rule: str, unit: Unit, roll: Iterable[tuple[bool, Decimal | None]]) -> None:
    """A rule by floor area needs households, and every owner on the roll with an area."""
    if rule not in BY_AREA:
        return
    if unit is not Unit.HOUSEHOLD:
        raise DomainError("area_rule_needs_households")
    owners = [area for owner, area in roll if owner]
    if not owners or any(area is None or area <= 0 for area in owners):
        raise DomainError("roll_incomplete")


def check_may_vote(rule: str, owner: bool) -> None:
    """Under article 278 only owners vote."""
    if rule in BY_AREA and not owner:
        raise DomainError("not_owner")


def check_counted_channel_allowed(rule: str) -> None:
    """A count of hands or papers carries no floor area: not for a rule by area."""
    if not takes_counts(rule):
        raise DomainError("named_votes_only")


def check_count(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise DomainError("invalid_count", field=field)
    return value


@dataclass(frozen=True)
class BallotLine:
    """One stored ballot as counting sees it."""

    choice: Choice
    channel: Channel
    area: Decimal | None = None


@dataclass(frozen=True)
class ManualCount:
    channel: Channel
    yes: int
    no: int
    abstain: int


@dataclass(frozen=True)
class BallotGroup:
    """Ballots of one channel and choice, counted by the database."""

    channel: Channel
    choice: Choice
    heads: int
    area: Decimal | None


def count(ballots: Iterable[BallotLine], manual: Iterable[ManualCount] = ()) -> tuple[Tally, dict[str, Tally]]:
    """The total tally and the tally of each channel."""
    return count_groups((BallotGroup(b.channel, b.choice, 1, b.area) for b in ballots), manual)


def count_groups(groups: Iterable[BallotGroup], manual: Iterable[ManualCount] = ()) -> tuple[Tally, dict[str, Tally]]:
    """The same as `count`, from ballots already grouped by channel and choice."""
    heads: dict[Channel, dict[Choice, int]] = defaultdict(lambda: defaultdict(int))
    area: dict[Channel, dict[Choice, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for g in groups:
        heads[g.channel][g.choice] += g.heads
        # SQLite sums NUMERIC as a float: back to hundredths of a square metre
        area[g.channel][g.choice] += Decimal(str(g.area or 0)).quantize(Decimal("0.01"))
    for m in manual:
        for choice, n in ((Choice.YES, m.yes), (Choice.NO, m.no), (Choice.ABSTAIN, m.abstain)):
            heads[m.channel][choice] += n
    per_channel = {}
    for channel in Channel:
        h, a = heads.get(channel, {}), area.get(channel, {})
        per_channel[channel.value] = Tally(h.get(Choice.YES, 0), h.get(Choice.NO, 0), h.get(Choice.ABSTAIN, 0),
                                           a.get(Choice.YES, ZERO), a.get(Choice.NO, ZERO),
                                           a.get(Choice.ABSTAIN, ZERO))
    total = sum(per_channel.values(), Tally())
    return total, per_channel


def conflict(previous: Channel, new: Channel) -> bool:
    """Two channels for one voter: the later replaces the earlier, and the facilitator is told."""
    return previous is not new


def shown_while_open(view: dict[str, Any], secret: bool) -> dict[str, Any]:
    """What an open poll's live view may show. An open ballot shows its counts as they move.
    A secret ballot shows only how many took part (and how many votes are needed): a count
    that moved as a resident's finger did would tell the room, or a console watching the
    patches, what that resident chose. Its counts appear at close, all at once."""
    if not secret:
        return view
    return {"tally": {"cast": view["tally"]["cast"]},
            "channels": {name: {"cast": t["cast"]} for name, t in view["channels"].items()},
            "needed": view["needed"], "standing": None}
