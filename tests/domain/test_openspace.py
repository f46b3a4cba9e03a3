import pytest

from council.domain import DomainError
from council.formats.dotting.rules import DotRules, place_dots, ranking, top
from council.formats.openspace.rules import Candidate, agenda, move, report_lines, wall_labels

RULES = DotRules()  # 3 dots, at most 2 on one topic


def test_dots_are_placed_moved_and_limited():
    mine = place_dots({}, 1, 2, RULES, True)
    mine = place_dots(mine, 2, 1, RULES, True)
    assert mine == {1: 2, 2: 1}
    with pytest.raises(DomainError) as err:
        place_dots(mine, 3, 1, RULES, True)
    assert err.value.code == "no_dots_left"
    moved = place_dots(place_dots(mine, 1, 1, RULES, True), 3, 1, RULES, True)  # move a dot from 1 to 3
    assert moved == {1: 1, 2: 1, 3: 1}
    with pytest.raises(DomainError) as err:
        place_dots({}, 1, 3, RULES, True)
    assert err.value.code == "too_many_dots_on_topic"
    assert place_dots(moved, 2, 0, RULES, True) == {1: 1, 3: 1}


def test_no_dots_once_closed_and_bad_counts():
    with pytest.raises(DomainError) as err:
        place_dots({}, 1, 1, RULES, False)
    assert err.value.code == "dotting_closed"
    for bad in (-1, True, "2"):
        with pytest.raises(DomainError):
            place_dots({}, 1, bad, RULES, True)
    with pytest.raises(DomainError):
        DotRules(dots=2, per_topic=3)


def test_ranking_keeps_proposal_order_on_ties():
    assert ranking({5: 3, 6: 7, 7: 3}, [5, 6, 7, 8]) == [(6, 7), (5, 3), (7, 3), (8, 0)]


def test_agenda_places_most_dotted_first_without_double_booking_conveners():
    topics = [Candidate(1, 9, convener=100), Candidate(2, 8, convener=100), Candidate(3, 7, convener=101),
              Candidate(4, 1, convener=102), Candidate(5, 0, convener=None)]
    wall = agenda(topics, ["东侧桌", "活动室"], ["14:00", "15:00"])
    assert wall == {("东侧桌", "14:00"): 1, ("活动室", "14:00"): 3, ("东侧桌", "15:00"): 2, ("活动室", "15:00"): 4}
    assert 5 not in wall.values(), "more topics than cells: the least dotted wait"


def test_moving_by_hand_swaps_and_keeps_conveners_single():
    wall = {("A", "1"): 1, ("B", "1"): 2, ("A", "2"): 3}
    conveners = {1: 10, 2: 11, 3: 10}
    assert move(wall, 3, ("B", "2"), conveners) == {("A", "1"): 1, ("B", "1"): 2, ("B", "2"): 3}
    assert move(wall, 1, ("B", "1"), conveners)[("A", "1")] == 2
    with pytest.raises(DomainError) as err:
        move(wall, 3, ("B", "1"), conveners)  # convener 10 would lead two groups at slot 1
    assert err.value.code == "convener_busy"


def test_agenda_needs_spaces_and_slots():
    with pytest.raises(DomainError):
        agenda([], [], ["1"])


def test_a_new_topic_never_pushes_another_off_the_wall():
    with pytest.raises(DomainError) as err:
        move({("A", "1"): 1}, 2, ("A", "1"), {1: None, 2: None})
    assert err.value.code == "cell_taken"
    assert move({("A", "1"): 1}, 2, ("A", "2"), {1: 5, 2: 5}) == {("A", "1"): 1, ("A", "2"): 2}


def test_top_ideas_keep_ties_at_the_cut_and_skip_undotted():
    assert top([(1, 5), (2, 3), (3, 3), (4, 1), (5, 0)], 2) == [1, 2, 3]
    assert top([(1, 5), (2, 3), (3, 1)], 2) == [1, 2]
    assert top([(1, 2), (2, 0)], 5) == [1], "an idea nobody dotted is no candidate"
    assert top([(1, 0)], 3) == [] and top([(1, 4)], 0) == []


def test_report_lines_are_trimmed_and_limited():
    assert report_lines(["  充电桩不够 ", "", "   ", "晚上太暗"], "points") == ["充电桩不够", "晚上太暗"]
    for bad, code in [("一行", "invalid_field"), ([3], "invalid_field"), (["x" * 201], "text_too_long"),
                      (["行"] * 21, "too_many_lines")]:
        with pytest.raises(DomainError) as err:
            report_lines(bad, "needs")
        assert err.value.code == code


def test_wall_labels_are_named_once():
    wall_labels(["东侧桌", "活动室"], ["14:00"])
    for spaces, slots in [([], ["1"]), (["A"], []), (["A", "A"], ["1"]), (["A"] * 13, ["1"])]:
        with pytest.raises(DomainError):
            wall_labels(spaces, slots)
