import pytest

from council.domain import DomainError
from council.formats.cafe.rules import check_setup, random_seating, repeated_pairs, reseat, seat, table_sizes

TABLES = ["青松", "翠竹", "红梅", "海棠", "玉兰", "丁香"]


def setup(n, t):
    people = list(range(1, n + 1))
    tables = TABLES[:t] if t <= len(TABLES) else [f"T{i}" for i in range(t)]
    hosts = {table: people[i] for i, table in enumerate(tables)}
    return people, tables, hosts


def sizes(round_, tables):
    return sorted(sum(1 for t in round_.values() if t == table) for table in tables)


def test_sizes_differ_by_at_most_one():
    assert table_sizes(24, 6) == [4] * 6 and table_sizes(25, 6) == [5, 4, 4, 4, 4, 4]


def test_24_people_6_tables_3_rounds_never_meet_twice():
    people, tables, hosts = setup(24, 6)
    plan = seat(people, tables, hosts, 3)
    assert len(plan) == 3 and all(set(r) == set(people) for r in plan)
    assert repeated_pairs(plan) == 0
    for r in plan:
        assert max(sizes(r, tables)) - min(sizes(r, tables)) <= 1
        assert all(r[host] == table for table, host in hosts.items()), "hosts stay"


@pytest.mark.parametrize("n, t, rounds", [(40, 8, 4), (60, 10, 4), (23, 6, 3), (7, 3, 2)])
def test_better_than_random_and_balanced(n, t, rounds):
    people, tables, hosts = setup(n, t)
    plan = seat(people, tables, hosts, rounds)
    randoms = sum(repeated_pairs(random_seating(people, tables, hosts, rounds, s)) for s in range(20)) / 20
    assert repeated_pairs(plan) <= randoms
    for r in plan:
        assert max(sizes(r, tables)) - min(sizes(r, tables)) <= 1


def test_same_seed_same_seating():
    people, tables, hosts = setup(24, 6)
    assert seat(people, tables, hosts, 3, seed=7) == seat(people, tables, hosts, 3, seed=7)


def test_late_arrivals_and_leavers_do_not_move_anyone_seated_now():
    people, tables, hosts = setup(24, 6)
    plan = seat(people, tables, hosts, 3)
    present = [p for p in people if p not in (20, 21)] + [25, 26, 27]
    new = reseat(plan, 1, present, tables, hosts)
    assert new[0] == plan[0], "a finished round stays as it was"
    for p, table in plan[1].items():
        if p in present:
            assert new[1][p] == table, "nobody seated in the current round moves"
    assert {25, 26, 27} <= set(new[1]) and 20 not in new[2] and set(new[2]) == set(present)
    for r in new[1:]:
        assert max(sizes(r, tables)) - min(sizes(r, tables)) <= 1


def test_bad_setups_are_refused():
    people, tables, hosts = setup(12, 3)
    for args in ((people, [], {}, 2), (people, ["a", "a"], {}, 2), (people, tables, {"x": 1}, 2),
                 (people, tables, hosts, 0), (people, tables, {tables[0]: 99}, 2)):
        with pytest.raises(DomainError):
            seat(*args)


def test_setup_names_tables_once_and_bounds_rounds():
    check_setup(["青松", "翠竹"], [20, 15])
    for tables, minutes, code in [([], [10], "invalid_tables"), (["青松", "青松"], [10], "invalid_tables"),
                                  (["青松"], [], "invalid_rounds"), (["青松"], [10] * 13, "invalid_rounds"),
                                  (["青松"], [0], "invalid_minutes"), (["青松"], [121], "invalid_minutes"),
                                  (["青松"], [True], "invalid_minutes")]:
        with pytest.raises(DomainError) as err:
            check_setup(tables, minutes)
        assert err.value.code == code
