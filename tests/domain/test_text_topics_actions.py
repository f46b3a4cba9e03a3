import datetime as dt

import pytest

from council.domain import DomainError
from council.domain.actions import ActionStatus, parse_deadline, parse_status, require_adopted
from council.domain.evaluation import Rating, parse_rating, require_rating_open, summarize
from council.domain.text import TOPIC_MAX, clean
from council.domain.timer import timer_seconds
from council.domain.topics import check_merge, merged_supporters


def test_clean_trims_and_keeps_text_as_typed():
    assert clean("  <script>楼道堆物</script>\n", field="text", maximum=TOPIC_MAX) == "<script>楼道堆物</script>"


@pytest.mark.parametrize("raw", ["", "   ", "\n\t", None])
def test_empty_text_is_refused(raw):
    with pytest.raises(DomainError) as err:
        clean(raw, field="text", maximum=200)
    assert err.value.code == "text_empty"


def test_limit_counts_characters_after_trimming():
    assert clean(" " + "院" * 200 + " ", field="text", maximum=200) == "院" * 200
    with pytest.raises(DomainError) as err:
        clean("院" * 201, field="text", maximum=200)
    assert err.value.code == "text_too_long" and err.value.params["maximum"] == 200


def test_control_characters_are_dropped_and_non_text_refused():
    assert clean("a\x00b\x1bc", field="name", maximum=40) == "abc"
    with pytest.raises(DomainError):
        clean(42, field="name", maximum=40)


def test_optional_text_may_be_empty():
    assert clean("  ", field="door_number", maximum=20, required=False) == ""


def test_merge_rules():
    with pytest.raises(DomainError) as err:
        check_merge(1, 1, source_merged=False, target_merged=False)
    assert err.value.code == "merge_into_self"
    for flags in ({"source_merged": True, "target_merged": False}, {"source_merged": False, "target_merged": True}):
        with pytest.raises(DomainError) as err:
            check_merge(1, 2, **flags)
        assert err.value.code == "topic_already_merged"
    check_merge(1, 2, source_merged=False, target_merged=False)


def test_merged_topic_keeps_every_supporter_and_the_duplicate_author():
    assert merged_supporters({1, 2}, {2, 3}, source_author=4) == {1, 2, 3, 4}
    assert merged_supporters(set(), {5}, source_author=None) == {5}


def test_action_status_and_deadline():
    assert parse_status("done") is ActionStatus.DONE
    assert parse_deadline("2026-12-01") == dt.date(2026, 12, 1)
    for bad in ("tomorrow", "2026-13-01", 5, None):
        with pytest.raises(DomainError):
            parse_deadline(bad)
    with pytest.raises(DomainError):
        parse_status("finished")


def test_only_adopted_decisions_get_actions():
    require_adopted(True)
    with pytest.raises(DomainError) as err:
        require_adopted(False)
    assert err.value.code == "decision_not_adopted"


def test_ratings_summary():
    s = summarize([Rating.SATISFIED, Rating.BASIC, Rating.DISSATISFIED, Rating.SATISFIED])
    assert (s.satisfied, s.basic, s.dissatisfied, s.total) == (2, 1, 1, 4)
    assert s.satisfaction == 0.75
    assert summarize([]).satisfaction is None
    assert parse_rating("basic") is Rating.BASIC
    with pytest.raises(DomainError):
        parse_rating("great")
    with pytest.raises(DomainError) as err:
        require_rating_open(False)
    assert err.value.code == "rating_closed"


@pytest.mark.parametrize("seconds", [0, 10, 300, 3 * 3600])
def test_timer_accepts(seconds):
    assert timer_seconds(seconds) == seconds


@pytest.mark.parametrize("seconds", [5, -1, 3 * 3600 + 1, "60", True, 1.5])
def test_timer_refuses(seconds):
    with pytest.raises(DomainError):
        timer_seconds(seconds)


def test_domain_imports_neither_flask_nor_sqlalchemy():
    import pathlib
    import re
    domain = pathlib.Path(__file__).resolve().parents[2] / "council" / "domain"
    for path in domain.glob("*.py"):
        assert not re.search(r"^\s*(from|import)\s+(flask|sqlalchemy)", path.read_text(), re.M), path
