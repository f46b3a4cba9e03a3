"""The five forces as arithmetic (council/domain/forces.py): periods, tallies, roll-ups,
indicators and weights, without a database."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from council import config
from council.domain import DomainError, forces
from council.domain.forces import Event, Figures, Period

D = dt.date


def test_the_default_period_is_the_last_90_days_up_to_today():
    p = forces.parse_period(None, None, D(2026, 11, 28))
    assert p == Period(D(2026, 8, 31), D(2026, 11, 28)) and p.days == 90
    assert forces.parse_period("2026-01-01", "2026-01-31", D(2026, 11, 28)).days == 31
    assert forces.parse_period(None, "2026-03-31", D(2026, 11, 28)).start == D(2026, 1, 1)


@pytest.mark.parametrize("start, end", [("2026-02-30", None), ("2026-03-02", "2026-03-01"), ("x", None),
                                        ("2000-01-01", "2026-01-01")])
def test_a_bad_period_is_refused(start, end):
    with pytest.raises(DomainError) as err:
        forces.parse_period(start, end, D(2026, 11, 28))
    assert err.value.code == "invalid_date"


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 1, 1)), st.integers(1, 400), st.integers(0, 12))
def test_earlier_periods_tile_the_calendar_without_gap_or_overlap(end, days, earlier):
    p = Period(end - dt.timedelta(days=days - 1), end)
    series = p.series(earlier)
    assert len(series) == earlier + 1 and series[-1] == p
    for a, b in zip(series, series[1:]):
        assert a.days == b.days == days and a.end + dt.timedelta(days=1) == b.start


def _e(figure, council=1, day=D(2026, 11, 1), key=None, value=None):
    return Event(figure, council, day, key or f"{figure}:{day}", value)


def test_a_person_at_two_sessions_counts_once_and_the_roll_counts_in_every_period():
    period = Period(D(2026, 11, 1), D(2026, 11, 30))
    events = [_e("people", key="resident:1"), _e("people", day=D(2026, 11, 20), key="resident:1"),
              _e("people", key="resident:2"), _e("people", day=D(2026, 10, 1), key="resident:3"),
              Event("roll", 1, None, "household:1"), Event("roll", 1, None, "household:2")]
    f = forces.tally(events, period)
    assert f.count("people") == 2 and f.count("roll") == 2
    assert forces.tally(events, period.before()).count("roll") == 2


def test_medians_are_taken_of_the_values_once_per_key():
    events = [_e("to_done_days", key=f"action:{i}", value=v) for i, v in enumerate((1.0, 3.0, 10.0, 40.0))]
    f = forces.tally(events + [_e("to_done_days", key="action:0", value=1.0)])
    assert f.median("to_done_days") == 6.5 and f.number("to_decision_days") is None


def test_rolling_up_unites_people_and_adds_councils():
    a = forces.tally([_e("people", 2, key="resident:1"), _e("sessions", 2, key="session:1")])
    b = forces.tally([_e("people", 3, key="resident:1"), _e("people", 3, key="resident:9"),
                      _e("sessions", 3, key="session:2")])
    up = forces.roll_up([Figures(), a, b])
    assert up.count("people") == 2 and up.count("sessions") == 2 and up.councils == 3


def _figures(**counts: int) -> Figures:
    return Figures({k: frozenset(f"{k}:{i}" for i in range(n)) for k, n in counts.items()}, {}, 1, 90)


def test_indicators_are_shares_and_rates_capped_at_100():
    f = _figures(households=30, roll=40, sessions=6, topics=10, discussed=8, decided=4, actions=5, done=4,
                 on_time=3, satisfied=6, basic=2, dissatisfied=2, owner_resident=2, owner_property=1)
    i = forces.indicators(f)
    assert i["attendance"] == 75 and i["regularity"] == 100  # 6 sessions in 90 days: more than 1 a month
    assert i["discussed_share"] == 80 and i["decided_share"] == 50
    assert i["done_share"] == 80 and i["on_time_share"] == 75 and i["satisfaction"] == 80
    assert i["owner_kinds"] == 40 and i["partners"] == 100
    assert forces.indicators(_figures(households=50, roll=40))["attendance"] == 100


def test_a_force_weighs_only_what_the_period_measures():
    nothing = forces.forces(Figures())
    assert nothing["action"] is None and nothing["cooperation"] is None and nothing["cultivation"] is None
    assert nothing["deliberation"] == 0, "no session held is a real 0"
    only_done = forces.forces(_figures(actions=4, done=2))  # no on-time share, no ratings: done alone
    assert only_done["action"] == pytest.approx((0.3 * 50 + 0.3 * 0) / 0.6)  # no speed, no ratings: left out
    weights = forces.check_weights({"action": {"on_time_share": 0, "done_speed": 0, "satisfaction": 0}})
    assert forces.forces(_figures(actions=4, done=2), weights)["action"] == 50


@given(st.dictionaries(st.sampled_from(forces.FIGURES), st.integers(0, 60)),
       st.integers(1, 400), st.integers(1, 50))
def test_every_force_is_between_0_and_100(counts, days, councils):
    f = Figures({k: frozenset(range(n)) for k, n in counts.items()}, {}, councils, days)
    for value in list(forces.indicators(f).values()) + list(forces.forces(f).values()):
        assert value is None or 0 <= value <= 100


def test_a_force_of_indicators_at_100_is_100_not_a_hair_above():
    """Found by the property above on a CI run: 100.00000000000001 from summing weighted 100s."""
    f = Figures({k: frozenset(range(1)) for k in ("actions", "done", "on_time", "satisfied")}, {}, 1, 1)
    assert forces.forces(f)["action"] == 100


def test_trend_reads_the_last_step():
    assert forces.trend([None, 40, 50.4]) == 1 and forces.trend([60, 50]) == -1
    assert forces.trend([50, 50.5]) == 0 and forces.trend([None, 50]) is None


def test_a_config_without_the_section_keeps_the_defaults(tmp_path):
    f = tmp_path / "c.toml"
    f.write_text('[council]\nport = 6000\n')
    assert config.load(f, environ={})["five_forces"] == {"trend_periods": 4, "weights": forces.DEFAULT_WEIGHTS}


def test_a_district_sets_its_own_weights(tmp_path):
    f = tmp_path / "c.toml"
    f.write_text('[five_forces]\ntrend_periods = 2\n[five_forces.action]\nsatisfaction = 1\n')
    conf = config.load(f, environ={})["five_forces"]
    assert conf["trend_periods"] == 2 and conf["weights"]["action"]["satisfaction"] == 1.0
    assert conf["weights"]["action"]["done_share"] == 0.3  # the others keep their defaults


@pytest.mark.parametrize("text", [
    "[five_forces.agility]\nspeed = 1\n", "[five_forces.action]\nluck = 1\n",
    "[five_forces.action]\nsatisfaction = -1\n", '[five_forces.action]\nsatisfaction = "a lot"\n',
    "[five_forces.cooperation]\nowner_kinds = 0\npartners = 0\n", "[five_forces]\ntrend_periods = 99\n",
])
def test_bad_weights_are_refused(tmp_path, text):
    f = tmp_path / "c.toml"
    f.write_text(text)
    with pytest.raises(config.ConfigError):
        config.load(f, environ={})


def test_the_shipped_config_spells_out_the_defaults():
    from tests.test_project import ROOT
    assert config.load(ROOT / "config.toml", environ={})["five_forces"]["weights"] == forces.DEFAULT_WEIGHTS
