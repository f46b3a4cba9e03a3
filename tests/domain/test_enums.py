"""The domain's enums are the one list of each state's values: the database's CHECK
constraints, written once into the migrations, must list exactly the same values."""
import ast
import re
from enum import StrEnum
from pathlib import Path

import pytest

from council.domain.actions import ActionStatus, OwnerKind
from council.domain.convention import ChangeKind
from council.domain.dotting import Dotting
from council.domain.evaluation import Rating
from council.domain.moderation import Review
from council.domain.points import Deed
from council.domain.inbox import IssueState
from council.domain.steps import Step
from council.domain.voting import COUNTED_CHANNELS, NAMED_CHANNELS, Channel, Choice, PollStatus, Unit

VERSIONS = Path(__file__).resolve().parents[2] / "migrations" / "versions"
_IN = re.compile(r"^\s*(\w+)\s+IN\s*\((.*)\)\s*$")

# (table, column) → the values the domain allows there
ENUM_COLUMNS = {
    ("sessions", "step"): list(Step),
    ("sessions", "dotting"): list(Dotting),
    ("polls", "status"): list(PollStatus),
    ("polls", "unit"): list(Unit),
    ("ballots", "choice"): list(Choice),
    ("ballots", "channel"): list(NAMED_CHANNELS),
    ("poll_counts", "channel"): list(COUNTED_CHANNELS),
    ("actions", "status"): list(ActionStatus),
    ("actions", "owner_kind"): list(OwnerKind),
    ("ratings", "value"): list(Rating),
    ("article_changes", "kind"): list(ChangeKind),
    ("topics", "review"): list(Review),
    ("ideas", "review"): list(Review),
    ("point_rules", "deed"): list(Deed),
    ("issues", "state"): list(IssueState),
}
# CHECK lists of values that are not (yet) a domain enum of this package
NOT_DOMAIN_ENUMS = {("councils", "level"), ("sessions", "format"), ("report_lines", "kind")}
# The models have always declared these, but no migration ever created them: adding them needs a
# migration of its own (tracked in issue 10's report). When one adds them, drop them from here.
NOT_YET_MIGRATED = {("polls", "unit")}


def _strings(node: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _checks_in(block: ast.AST, table: str, found: dict[tuple[str, str], list[str]]) -> None:
    for call in ast.walk(block):
        if isinstance(call, ast.Call) and getattr(call.func, "attr", getattr(call.func, "id", "")) in (
                "CheckConstraint", "create_check_constraint"):
            for text in _strings(call):
                match = _IN.match(text)
                if match:
                    values = [v.strip().strip("'") for v in match.group(2).split(",")]
                    found[(table, match.group(1))] = values


def migrated_checks() -> dict[tuple[str, str], list[str]]:
    """Every `column IN (...)` CHECK the migrations' upgrades create, by table and column."""
    found: dict[tuple[str, str], list[str]] = {}
    for path in sorted(VERSIONS.glob("*.py")):
        upgrade = next(f for f in ast.parse(path.read_text()).body
                       if isinstance(f, ast.FunctionDef) and f.name == "upgrade")
        for node in ast.walk(upgrade):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "create_table":
                _checks_in(node, _strings(node.args[0])[0], found)
            elif isinstance(node, ast.With):
                call = node.items[0].context_expr
                if isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "batch_alter_table":
                    for stmt in node.body:
                        _checks_in(stmt, _strings(call.args[0])[0], found)
    return found


def test_the_migrations_are_parsed():
    checks = migrated_checks()
    assert checks[("sessions", "step")] == ["raise", "discuss", "decide", "do", "evaluate", "closed"]
    assert checks[("actions", "owner_kind")][0] == "resident"  # a batch_alter_table in 0003


@pytest.mark.parametrize("column", sorted(ENUM_COLUMNS), ids=".".join)
def test_each_check_constraint_lists_exactly_the_enum(column):
    checks = migrated_checks()
    if column in NOT_YET_MIGRATED:
        assert column not in checks, f"{column} is migrated now: remove it from NOT_YET_MIGRATED"
        return
    assert checks[column] == [m.value for m in ENUM_COLUMNS[column]]


def test_every_check_list_in_the_migrations_is_known():
    assert set(migrated_checks()) <= set(ENUM_COLUMNS) | NOT_DOMAIN_ENUMS


@pytest.mark.parametrize("kind", [Step, Dotting, PollStatus, Unit, Choice, Channel, ActionStatus, OwnerKind, Review,
                                  Rating, ChangeKind, Deed, IssueState])
def test_states_are_str_enums_whose_members_read_as_their_values(kind):
    assert issubclass(kind, StrEnum)
    for member in kind:
        assert str(member) == f"{member}" == member.value and member == member.value
