"""World Café seating (世界咖啡馆): hosts stay at their table, travellers move each round so
that, as far as possible, no two people sit together twice; table sizes differ by at most one."""
from __future__ import annotations

import itertools
import random
from typing import Mapping, Sequence

from council.domain.errors import DomainError

Round = dict[int, str]  # person → table


def table_sizes(people: int, tables: int) -> list[int]:
    """Balanced sizes: they differ by at most one."""
    base, extra = divmod(people, tables)
    return [base + 1 if i < extra else base for i in range(tables)]


def pairs_of(round_: Round) -> set[frozenset[int]]:
    by_table: dict[str, list[int]] = {}
    for person, table in round_.items():
        by_table.setdefault(table, []).append(person)
    return {frozenset(p) for group in by_table.values() for p in itertools.combinations(sorted(group), 2)}


def repeated_pairs(plan: Sequence[Round]) -> int:
    """How many times two people sat together again after a first time."""
    seen: set[frozenset[int]] = set()
    repeats = 0
    for round_ in plan:
        for pair in pairs_of(round_):
            repeats += pair in seen
            seen.add(pair)
    return repeats


def _check(people: Sequence[int], tables: Sequence[str], hosts: Mapping[str, int], rounds: int) -> None:
    if not tables or len(set(tables)) != len(tables):
        raise DomainError("invalid_tables")
    if not 1 <= rounds <= 12:
        raise DomainError("invalid_rounds")
    if any(t not in tables for t in hosts) or any(h not in people for h in hosts.values()) \
            or len(set(hosts.values())) != len(hosts):
        raise DomainError("invalid_hosts")


def _one_round(travellers: list[int], tables: Sequence[str], fixed: Mapping[int, str], met: set[frozenset[int]],
               rng: random.Random, tries: int) -> Round:
    """Seat travellers around those already fixed (hosts, or people seated this round)."""
    n = len(travellers) + len(fixed)
    sizes = dict(zip(sorted(tables, key=lambda t: sum(1 for x in fixed.values() if x == t), reverse=True),
                     table_sizes(n, len(tables))))
    best: Round | None = None
    best_cost = None
    for _ in range(tries):
        seats: dict[str, list[int]] = {t: [p for p, x in fixed.items() if x == t] for t in tables}
        order = travellers[:]
        rng.shuffle(order)
        order.sort(key=lambda p: -sum(1 for pair in met if p in pair))
        for p in order:
            open_tables = [t for t in tables if len(seats[t]) < sizes[t]] or list(tables)
            rng.shuffle(open_tables)
            t = min(open_tables, key=lambda t: (sum(frozenset((p, q)) in met for q in seats[t]), len(seats[t])))
            seats[t].append(p)
        _improve(seats, set(travellers), met, rng)
        cost = sum(frozenset(pair) in met for group in seats.values() for pair in itertools.combinations(group, 2))
        if best_cost is None or cost < best_cost:
            best, best_cost = {p: t for t, group in seats.items() for p in group}, cost
        if cost == 0:
            break
    assert best is not None
    return best


def _improve(seats: dict[str, list[int]], movable: set[int], met: set[frozenset[int]], rng: random.Random) -> None:
    """Swap travellers between tables while that lowers the number of repeated pairs."""
    def clash(p: int, group: list[int]) -> int:
        return sum(frozenset((p, q)) in met for q in group if q != p)
    improved = True
    while improved:
        improved = False
        tables = list(seats)
        rng.shuffle(tables)
        for a, b in itertools.combinations(tables, 2):
            for p in [x for x in seats[a] if x in movable]:
                for q in [x for x in seats[b] if x in movable]:
                    before = clash(p, seats[a]) + clash(q, seats[b])
                    rest_a = [x for x in seats[a] if x != p]
                    rest_b = [x for x in seats[b] if x != q]
                    after = clash(q, rest_a) + clash(p, rest_b)
                    if after < before:
                        seats[a] = rest_a + [q]
                        seats[b] = rest_b + [p]
                        improved = True
                        break
                if improved:
                    break
            if improved:
                break


def seat(people: Sequence[int], tables: Sequence[str], hosts: Mapping[str, int], rounds: int,
         seed: int = 0, tries: int = 40) -> list[Round]:
    """A seating for every round."""
    _check(people, tables, hosts, rounds)
    return _continue([], people, tables, hosts, rounds, random.Random(seed), tries)


def reseat(plan: Sequence[Round], current: int, people: Sequence[int], tables: Sequence[str],
           hosts: Mapping[str, int], seed: int = 0, tries: int = 40) -> list[Round]:
    """After arrivals and departures: earlier rounds stay, nobody already seated for the current
    round moves (leavers go, newcomers join the smallest tables), later rounds are planned anew."""
    _check(people, tables, hosts, len(plan))
    if not 0 <= current < len(plan):
        raise DomainError("invalid_rounds")
    present = set(people)
    now = {p: t for p, t in plan[current].items() if p in present}
    rng = random.Random(seed)
    for p in [p for p in people if p not in now]:
        counts = {t: sum(1 for x in now.values() if x == t) for t in tables}
        now[p] = min(tables, key=lambda t: (counts[t], rng.random()))
    done = [dict(r) for r in plan[:current]] + [now]
    return _continue(done, people, tables, hosts, len(plan), rng, tries)


def _continue(done: list[Round], people: Sequence[int], tables: Sequence[str], hosts: Mapping[str, int],
              rounds: int, rng: random.Random, tries: int) -> list[Round]:
    plan = list(done)
    met: set[frozenset[int]] = set().union(*(pairs_of(r) for r in plan)) if plan else set()
    host_seat = {h: t for t, h in hosts.items() if h in people}
    travellers = [p for p in people if p not in host_seat]
    while len(plan) < rounds:
        round_ = _one_round(travellers, tables, host_seat, met, rng, tries)
        plan.append(round_)
        met |= pairs_of(round_)
    return plan


def random_seating(people: Sequence[int], tables: Sequence[str], hosts: Mapping[str, int], rounds: int,
                   seed: int) -> list[Round]:
    """The baseline: hosts stay, travellers shuffled into balanced tables at random."""
    rng = random.Random(seed)
    host_seat = {h: t for t, h in hosts.items()}
    travellers = [p for p in people if p not in host_seat]
    sizes = table_sizes(len(people), len(tables))
    plan = []
    for _ in range(rounds):
        order = travellers[:]
        rng.shuffle(order)
        seats = {t: [h for h, x in host_seat.items() if x == t] for t in tables}
        capacity = dict(zip(tables, sizes))
        for p in order:
            t = next(t for t in tables if len(seats[t]) < capacity[t])
            seats[t].append(p)
        plan.append({p: t for t, group in seats.items() for p in group})
    return plan


MAX_TABLES, MAX_ROUNDS, MAX_MINUTES = 20, 12, 120


def check_setup(tables: Sequence[str], minutes: Sequence[int]) -> None:
    """The café's tables (each named once) and its rounds (1 to 120 minutes each)."""
    if not tables or len(tables) > MAX_TABLES or len(set(tables)) != len(tables):
        raise DomainError("invalid_tables")
    if not 1 <= len(minutes) <= MAX_ROUNDS:
        raise DomainError("invalid_rounds")
    if any(isinstance(m, bool) or not isinstance(m, int) or not 1 <= m <= MAX_MINUTES for m in minutes):
        raise DomainError("invalid_minutes", maximum=MAX_MINUTES)

