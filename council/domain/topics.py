"""The topic wall of the raise step: merging duplicates keeps their supporters."""
from __future__ import annotations

from typing import Iterable

from council.domain.errors import DomainError


def check_merge(source_id: int, target_id: int, *, source_merged: bool, target_merged: bool) -> None:
    """A topic merges into another live topic, never into itself."""
    if source_id == target_id:
        raise DomainError("merge_into_self")
    if source_merged or target_merged:
        raise DomainError("topic_already_merged")


def merged_supporters(target: Iterable[int], source: Iterable[int], source_author: int | None) -> set[int]:
    """Supporters of the merged topic: both sets, plus the author of the duplicate."""
    result = set(target) | set(source)
    if source_author is not None:
        result.add(source_author)
    return result

