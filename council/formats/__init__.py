"""Discussion formats behind one interface, found by name.

A format shapes the discuss step: plain round, Open Space (开放空间), World Café (世界咖啡馆).
Each is one package below this one: `rules.py` (plain Python), `models.py`, `services.py`,
`state.py`, and `definition.py`, which builds its `Format` and calls `register`. Nothing
outside this registry branches on a format's name. Adding a format is adding a package and
its name to `INSTALLED`.

The registration lives in `definition.py`, not in the package's `__init__.py`, so that
importing a format's tables (`council.models` does, for every table to be known) or its pure
rules does not pull in its services, which themselves import `council.models`.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from council.domain import DomainError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session as Db

    from council.formats.dotting import DotTarget
    from council.services.parts import Part

INSTALLED = ("plain", "openspace", "cafe")


@dataclass(frozen=True)
class Format:
    name: str
    # The translated name for menus (a callable: translations are looked up per request).
    label: Callable[[], str]
    # State parts this format adds to a session's state (name → Part).
    parts: Mapping[str, "Part"] = field(default_factory=dict)
    # Socket.IO events this format adds (name → council.live.events.Event).
    events: Mapping[str, Any] = field(default_factory=dict)
    # Called in the transaction that moves a session into decide: adds candidate proposals,
    # returns how many; the caller commits.
    candidates: Callable[["Db", Any], int] | None = None
    # The participant's own view that the format adds to `me`.
    mine: Callable[["Db", Any], dict[str, Any]] | None = None
    # The minutes section: plain data built from the database for the printed minutes, and
    # the template (below templates/) that prints it.
    minutes: Callable[["Db", Any], dict[str, Any]] | None = None
    minutes_template: str | None = None
    # The client panel: the scripts each page ("console", "projector", "phone") loads, in
    # order, under static/js/.
    scripts: Mapping[str, Sequence[str]] = field(default_factory=dict)
    # Words the format's client panel shows, translated on the server (the pages' `T.f`).
    strings: Callable[[], dict[str, Any]] | None = None
    # What the core pages do differently in this format, as flags they read from their boot
    # data (see `CLIENT_DEFAULTS`): pages never test a format's name.
    client: Mapping[str, Any] = field(default_factory=dict)
    # Whether lists of sessions name the format (a plain round goes without saying).
    named: bool = True
    # What dot voting ranks, for a format that ranks with dots (`council.formats.dotting`).
    dots: "DotTarget | None" = None
    # Called in the transaction that adds a participant (joining by phone, or entered by the
    # facilitator), before the commit: returns the parts of the state that changed with it.
    on_join: Callable[["Db", Any], frozenset[str]] | None = None
    # Called in the transaction that takes a topic off the wall (hidden, or merged into
    # another): gives back what the format hung on it, returns the participants whose own
    # view (`me`) changed.
    topic_gone: Callable[["Db", Any, int], frozenset[int]] | None = None
    # The format's parts that show topics: sent again when topics are raised, edited, hidden
    # or merged.
    topic_parts: frozenset[str] = frozenset()


# The flags every page gets, whatever the format; a format's `client` overrides them.
CLIENT_DEFAULTS: Mapping[str, Any] = MappingProxyType({
    "topics_on_phone": True,  # the phone lists the topics to support (else the panel shows them)
    "proposals_on_phone": True,  # the phone shows the proposals in discuss
    "hints": {},  # step → key of the format's words for the phone's hint ("" for none)
    "mark_left": False,  # the console marks residents who went home
})


_REGISTRY: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    if fmt.name in _REGISTRY and _REGISTRY[fmt.name] is not fmt:
        raise RuntimeError(f"format {fmt.name!r} registered twice")
    _REGISTRY[fmt.name] = fmt
    return fmt


def unregister(name: str) -> None:
    """Forget a format (tests register throwaway ones)."""
    if name in INSTALLED:
        raise RuntimeError(f"format {name!r} is installed")
    _REGISTRY.pop(name, None)


def _load() -> None:
    for name in INSTALLED:
        if name not in _REGISTRY:
            importlib.import_module(f"council.formats.{name}.definition")


def get(name: object) -> Format:
    """The format of that name, or the domain error `invalid_format`."""
    _load()
    if not isinstance(name, str) or name not in _REGISTRY:
        raise DomainError("invalid_format")
    return _REGISTRY[name]


def names() -> tuple[str, ...]:
    """The installed formats, in menu order, then any registered at run time."""
    _load()
    return INSTALLED + tuple(n for n in _REGISTRY if n not in INSTALLED)


def all_formats() -> list[Format]:
    return [_REGISTRY[n] for n in names()]


def client(fmt: Format) -> dict[str, Any]:
    """The flags and name a page's scripts get for a session of this format."""
    return {**CLIENT_DEFAULTS, **fmt.client, "name": fmt.name}
