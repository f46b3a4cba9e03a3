"""Open Space (开放空间): the agenda wall and the groups' reports. Plain Python (the dots that
rank the topics follow `council.formats.dotting.rules`)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from council.domain.errors import DomainError
from council.domain.text import LINE_MAX, clean


@dataclass(frozen=True)
class Candidate:
    topic_id: int
    dots: int
    convener: int | None  # the participant who proposed it: they lead the group


Cell = tuple[int | str, int | str]  # (space, slot)


def agenda(candidates: Sequence[Candidate], spaces: Sequence[int | str], slots: Sequence[int | str]) -> dict[Cell, int]:
    """The agenda wall: most-dotted topics first into the first free cell, slot by slot; one
    topic a cell, and no convener in two places in the same slot."""
    if not spaces or not slots or len(set(spaces)) != len(spaces) or len(set(slots)) != len(slots):
        raise DomainError("invalid_agenda")
    wall: dict[Cell, int] = {}
    busy: dict[int | str, set[int]] = {slot: set() for slot in slots}
    for c in sorted(candidates, key=lambda c: -c.dots):  # sorted() is stable: ties keep their order
        for slot in slots:
            if c.convener is not None and c.convener in busy[slot]:
                continue
            space = next((s for s in spaces if (s, slot) not in wall), None)
            if space is None:
                continue
            wall[(space, slot)] = c.topic_id
            if c.convener is not None:
                busy[slot].add(c.convener)
            break
    return wall


def move(wall: Mapping[Cell, int], topic_id: int, to: Cell, conveners: Mapping[int, int | None]) -> dict[Cell, int]:
    """The facilitator moves a topic by hand; a topic already in that cell swaps places. A
    topic new to the wall needs a free cell: it never pushes another off."""
    origin = next((cell for cell, t in wall.items() if t == topic_id), None)
    if origin is None and to in wall:
        raise DomainError("cell_taken")
    after = dict(wall)
    if origin is not None:
        del after[origin]
    if to in after and origin is not None:
        after[origin] = after[to]
    after[to] = topic_id
    by_slot: dict[int | str, list[int]] = {}
    for (space, slot), t in after.items():
        convener = conveners.get(t)
        if convener is not None:
            by_slot.setdefault(slot, []).append(convener)
    if any(len(v) != len(set(v)) for v in by_slot.values()):
        raise DomainError("convener_busy")
    return after


REPORT_LINES = 20


def report_lines(lines: object, field: str) -> list[str]:
    """A report's key points or needs: one line each, blank lines dropped."""
    if not isinstance(lines, list):
        raise DomainError("invalid_field", field=field)
    out = [clean(line, field=field, maximum=LINE_MAX, required=False) for line in lines]
    out = [line for line in out if line]
    if len(out) > REPORT_LINES:
        raise DomainError("too_many_lines", field=field, maximum=REPORT_LINES)
    return out


MAX_SPACES, MAX_SLOTS = 12, 8


def wall_labels(spaces: Sequence[str], slots: Sequence[str]) -> None:
    """Spaces and time slots of the agenda wall: at least one of each, each named once."""
    if not spaces or not slots or len(spaces) > MAX_SPACES or len(slots) > MAX_SLOTS \
            or len(set(spaces)) != len(spaces) or len(set(slots)) != len(slots):
        raise DomainError("invalid_agenda")
