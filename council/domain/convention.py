"""The courtyard convention (院落公约): numbered articles, changed only by adopted decisions,
each change a new version."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from council.domain.errors import DomainError, parse_enum

DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (articles run to 99)."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else DIGITS[tens] + "十")
    return head + (DIGITS[ones] if ones else "")


def article_label(n: int) -> str:
    return f"第{chinese_number(n)}条"


class ChangeKind(StrEnum):
    ADD = "add"
    AMEND = "amend"
    REPEAL = "repeal"


def parse_change(kind: object) -> ChangeKind:
    return parse_enum(ChangeKind, kind, "invalid_change")


@dataclass(frozen=True)
class Article:
    number: int
    text: str
    source: dict[str, Any] = field(default_factory=dict)  # the decision: meeting, date, tally


def check_change(kind: ChangeKind, target: int | None, articles: list[Article]) -> None:
    """An amendment or a repeal names an article the convention has."""
    if kind is ChangeKind.ADD:
        if target is not None:
            raise DomainError("invalid_field", field="target")
        if len(articles) >= 99:
            raise DomainError("too_many_articles")
        return
    if not isinstance(target, int) or isinstance(target, bool) or not any(a.number == target for a in articles):
        raise DomainError("no_such_article")


def apply(articles: list[Article], kind: ChangeKind, target: int | None, text: str,
          source: dict[str, Any]) -> list[Article]:
    """The articles of the next version: added at the end, amended in place, or repealed with
    the following articles renumbered."""
    check_change(kind, target, articles)
    if kind is ChangeKind.ADD:
        return [*articles, Article(len(articles) + 1, text, source)]
    if kind is ChangeKind.AMEND:
        return [replace(a, text=text, source=source) if a.number == target else a for a in articles]
    kept = [a for a in articles if a.number != target]
    return [replace(a, number=i) for i, a in enumerate(kept, start=1)]


STARTING_TEXTS = {
    "文明养犬": "养犬户应依法登记，出户遛犬须束犬链、及时清理犬只粪便，不得在楼道和公共区域留置犬只。",
    "垃圾分类": "各户按厨余垃圾、可回收物、有害垃圾、其他垃圾四类分类投放，在规定时间投放到指定桶站，不在院内乱扔乱倒。",
    "停车": "机动车、电动自行车在划定车位有序停放，不占用消防通道和院门出入口，电动自行车不进楼道充电。",
    "楼道堆物": "楼道、楼梯间和消防通道不堆放杂物，已有堆物由各户自行清理，逾期由楼门长组织集中清理。",
    "噪音": "晚十点至早六点不进行装修、器乐演奏等产生噪音的活动，院内活动注意音量，照顾老人和儿童休息。",
    "公共空间": "院内公共空间共建共享，不私搭乱建、不私自圈占，公共设施损坏及时报修，爱护花草树木。",
}
