"""The five forces (五力) of a council over a period, from the events behind its figures.

Plain Python: the service (council/services/overview.py) reads the events from the database;
everything here is arithmetic on them. docs/five-forces.md defines every figure, indicator and
force in words; the weights come from config.toml's `[five_forces]` section (defaults below).

- An `Event` is one thing that happened in a council on a day (a session held, a resident
  present, a topic decided, an action done…), filed under the figure it counts for. Events
  with the same key count once (a resident present at three sessions is one person).
- `tally` turns a council's events of one period into `Figures`; `roll_up` adds a council's
  figures to those of the councils below it (distinct people and owners stay distinct).
- `indicators` normalises the figures to 0–100; `forces` weighs them into the five forces.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import median

from council.domain.days import optional_day
from council.domain.errors import DomainError

# ------------------------------------------------------------------ periods

DEFAULT_DAYS = 90
MAX_DAYS = 3660  # ten years: a longer period is a typing error


@dataclass(frozen=True, order=True)
class Period:
    """Calendar days from `start` to `end`, both included, in the council's time zone."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def before(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end)

    def series(self, earlier: int) -> list[Period]:
        """This period after the `earlier` periods of equal length before it, oldest first."""
        out = [self]
        for _ in range(earlier):
            out.append(out[-1].before())
        return out[::-1]


def parse_period(start: object, end: object, today: dt.date, default_days: int = DEFAULT_DAYS) -> Period:
    """The period a request asks for (`from`, `to` as YYYY-MM-DD, each optional): by default the
    last `default_days` days up to today; `to` alone keeps that length, `from` alone runs to today."""
    last = _day(end) or today
    first = _day(start) or last - dt.timedelta(days=default_days - 1)
    if first > last or (last - first).days + 1 > MAX_DAYS:
        raise DomainError("invalid_date")
    return Period(first, last)


def _day(value: object) -> dt.date | None:
    return optional_day(value)


# ------------------------------------------------------------------ figures

OWNER_KINDS = ("resident", "building_head", "volunteers", "property", "partner")  # domain.actions.OwnerKind

# Every figure, in the order the overview shows them. Each counts the distinct keys of its events,
# except the two medians (`*_days`), which are the median of their events' values.
FIGURES: tuple[str, ...] = (
    "sessions", "people", "households", "roll", "new_faces",
    "topics", "discussed", "decided", "actions", "done", "on_time",
    "to_decision_days", "to_done_days",
    "satisfied", "basic", "dissatisfied",
    "articles_adopted", "articles_amended", "format_sessions", "ideas",
    *(f"owner_{kind}" for kind in OWNER_KINDS),
)
MEDIANS = ("to_decision_days", "to_done_days")
# Figures that are a state, not something that happened: their events have no day and count in
# every period (the household roll as it is today).
STANDING = ("roll",)
# Pages that list the events of several figures at once (what a derived number rests on).
GROUPS: dict[str, tuple[str, ...]] = {
    "ratings": ("satisfied", "basic", "dissatisfied"),
    "owners": tuple(f"owner_{kind}" for kind in OWNER_KINDS),
}


@dataclass(frozen=True)
class Event:
    """One thing that happened, counted for `figure` in council `council_id` on `day` (a local
    calendar day; None for a standing figure). `key` tells duplicates apart; `value` is what a
    median is taken of (days); `label`, `detail` and `when` are what the list of events shows."""

    figure: str
    council_id: int
    day: dt.date | None
    key: str
    value: float | None = None
    label: str = ""
    detail: str = ""
    when: str = ""


@dataclass(frozen=True)
class Figures:
    """A council's figures over one period: distinct keys per figure, values for the medians,
    and how many councils they cover (1, or the council with all below it)."""

    keys: Mapping[str, frozenset[str]] = field(default_factory=dict)
    values: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    councils: int = 1
    days: int = DEFAULT_DAYS

    def count(self, figure: str) -> int:
        return len(self.keys.get(figure, ()))

    def median(self, figure: str) -> float | None:
        values = self.values.get(figure, ())
        return float(median(values)) if values else None

    def number(self, figure: str) -> float | int | None:
        """What the overview prints for a figure: a count, or a median of days (None: none)."""
        return self.median(figure) if figure in MEDIANS else self.count(figure)


def tally(events: Iterable[Event], period: Period | None = None, councils: int = 1) -> Figures:
    """The figures of these events (those of `period`, when given, and the standing ones)."""
    keys: dict[str, set[str]] = {}
    values: dict[str, dict[str, float]] = {}
    for e in events:
        if period is not None and e.day is not None and e.day not in period:
            continue
        keys.setdefault(e.figure, set()).add(e.key)
        if e.figure in MEDIANS and e.value is not None:
            values.setdefault(e.figure, {})[e.key] = e.value  # one value per key
    return Figures({f: frozenset(k) for f, k in keys.items()},
                   {f: tuple(v.values()) for f, v in values.items()}, councils,
                   period.days if period else DEFAULT_DAYS)


def roll_up(parts: Sequence[Figures]) -> Figures:
    """Figures of a council with all below it: distinct keys united (keys are global, so a
    person present in two courtyards counts once), median values pooled, councils added."""
    if not parts:
        return Figures()
    keys: dict[str, frozenset[str]] = {}
    values: dict[str, tuple[float, ...]] = {}
    for part in parts:
        for f, k in part.keys.items():
            keys[f] = keys.get(f, frozenset()) | k
        for f, v in part.values.items():
            values[f] = values.get(f, ()) + v
    return Figures(keys, values, sum(p.councils for p in parts), parts[0].days)


# ------------------------------------------------------------------ indicators and forces

FORCES = ("deliberation", "cultivation", "action", "innovation", "cooperation")

# Each force is the weighted mean of its indicators (docs/five-forces.md); a district sets its own
# weights in config.toml's [five_forces.<force>] tables.
DEFAULT_WEIGHTS: dict[str, dict[str, float]] = {
    "deliberation": {"attendance": 0.3, "regularity": 0.2, "discussed_share": 0.2, "decided_share": 0.2,
                     "decision_speed": 0.1},
    "cultivation": {"newcomers": 0.5, "resident_owners": 0.5},
    "action": {"done_share": 0.3, "on_time_share": 0.3, "done_speed": 0.1, "satisfaction": 0.3},
    "innovation": {"convention": 0.4, "new_formats": 0.3, "ideas": 0.3},
    "cooperation": {"owner_kinds": 0.5, "partners": 0.5},
}
DEFAULT_TREND = 4  # earlier periods of the same length shown beside the current one

# Targets that score 100 (docs/five-forces.md, "Indicators").
SESSIONS_PER_MONTH = 1.0  # sessions held per council per 30 days
ARTICLES_PER_QUARTER = 1.0  # convention articles adopted or amended per council per 90 days
IDEAS_PER_FORMAT_SESSION = 5.0  # Open Space groups and café ideas per Open Space or café session
RESIDENT_OWNERS_PER_QUARTER = 3.0  # residents, building heads, volunteer teams owning actions, per council
PARTNERS_PER_QUARTER = 1.0  # property companies and co-building units owning actions, per council
DECISION_SLOW_DAYS = 60.0  # a topic decided on the day it is raised scores 100; after 60 days, 0
DONE_SLOW_DAYS = 90.0  # an action done on the day it is decided scores 100; after 90 days, 0


def share(part: int, whole: int) -> float | None:
    """100 × part / whole, at most 100; None when there is no whole."""
    return None if whole <= 0 else min(100.0, 100.0 * part / whole)


def rate(count: int, target: float, councils: int, days: int, per_days: int) -> float:
    """100 × count / the target for these councils over these days (`target` per `per_days`), at most 100."""
    expected = target * max(councils, 1) * days / per_days
    return min(100.0, 100.0 * count / expected) if expected > 0 else 0.0


def speed(days: float | None, slow: float) -> float | None:
    """100 for the same day, falling evenly to 0 at `slow` days; None without any."""
    return None if days is None else max(0.0, 100.0 * (1 - days / slow))


def indicators(f: Figures) -> dict[str, float | None]:
    """The normalised indicators (0–100, None where the period gives nothing to measure)."""
    n = f.count
    owners = sum(n(f"owner_{k}") for k in OWNER_KINDS)
    ratings = n("satisfied") + n("basic") + n("dissatisfied")
    return {
        "attendance": share(n("households"), n("roll")),
        "regularity": rate(n("sessions"), SESSIONS_PER_MONTH, f.councils, f.days, 30),
        "discussed_share": share(n("discussed"), n("topics")),
        "decided_share": share(n("decided"), n("discussed")),
        "decision_speed": speed(f.median("to_decision_days"), DECISION_SLOW_DAYS),
        "newcomers": share(n("new_faces"), n("people")),
        "resident_owners": None if not owners else rate(n("owner_resident") + n("owner_building_head") + n("owner_volunteers"),
                                RESIDENT_OWNERS_PER_QUARTER, f.councils, f.days, 90),
        "done_share": share(n("done"), n("actions")),
        "on_time_share": share(n("on_time"), n("done")),
        "done_speed": speed(f.median("to_done_days"), DONE_SLOW_DAYS),
        "satisfaction": share(n("satisfied") + n("basic"), ratings),
        "convention": rate(n("articles_adopted") + n("articles_amended"), ARTICLES_PER_QUARTER, f.councils,
                           f.days, 90),
        "new_formats": share(n("format_sessions"), n("sessions")),
        "ideas": None if not n("format_sessions") else
        min(100.0, 100.0 * n("ideas") / (IDEAS_PER_FORMAT_SESSION * n("format_sessions"))),
        "owner_kinds": None if not owners else 100.0 * sum(1 for k in OWNER_KINDS if n(f"owner_{k}")) / len(OWNER_KINDS),
        "partners": None if not owners else rate(n("owner_property") + n("owner_partner"), PARTNERS_PER_QUARTER, f.councils, f.days, 90),
    }


def weigh(values: Mapping[str, float | None], weights: Mapping[str, float]) -> float | None:
    """The weighted mean of the indicators that have a value; None when none has (or all weigh 0)."""
    pairs = [(weights[k], v) for k, v in values.items() if k in weights and v is not None and weights[k] > 0]
    total = sum(w for w, _v in pairs)
    if total <= 0:
        return None
    # a mean of values within 0–100 stays within it; the float sum can overshoot by an ulp
    return min(100.0, max(0.0, sum(w * v for w, v in pairs) / total))


def forces(f: Figures, weights: Mapping[str, Mapping[str, float]] | None = None) -> dict[str, float | None]:
    """The five forces, 0–100 (None where nothing in the period measures it)."""
    weights = weights or DEFAULT_WEIGHTS
    values = indicators(f)
    return {force: weigh(values, weights[force]) for force in FORCES}


def check_weights(given: Mapping[str, object]) -> dict[str, dict[str, float]]:
    """The defaults with a district's weights laid over them; a name that is no force or
    indicator, a weight that is not a number ≥ 0, or a force weighing nothing, is refused (ValueError)."""
    out = {force: dict(ws) for force, ws in DEFAULT_WEIGHTS.items()}
    for force, table in given.items():
        if force not in out:
            raise ValueError(f"[five_forces] has no force {force!r} (one of {', '.join(FORCES)})")
        if not isinstance(table, Mapping):
            raise ValueError(f"[five_forces.{force}] must be a table of weights")
        for name, weight in table.items():
            if name not in out[force]:
                raise ValueError(f"[five_forces.{force}] has no indicator {name!r} "
                                 f"(one of {', '.join(out[force])})")
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
                raise ValueError(f"[five_forces.{force}] {name} must be a number ≥ 0, not {weight!r}")
            out[force][name] = float(weight)
        if not sum(out[force].values()) > 0:
            raise ValueError(f"[five_forces.{force}] weighs nothing: give one indicator a weight above 0")
    return out


def trend(values: Sequence[float | None]) -> int | None:
    """The direction of the last step of a series: 1 up, -1 down, 0 level (within one point),
    None without two values."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return None
    step = known[-1] - known[-2]
    return 0 if abs(step) < 1 else (1 if step > 0 else -1)


def days_between(earlier: dt.datetime, later: dt.datetime) -> float:
    """Days from one moment to a later one, to a tenth (never below 0)."""
    return max(0.0, round((later - earlier).total_seconds() / 86400, 1))
