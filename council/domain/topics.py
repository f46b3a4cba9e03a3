"""The topic wall of the raise step: merging duplicates keeps their supporters, and a merge
can be undone."""
from __future__ import annotations

from typing import Iterable

from council.domain.errors import DomainError
from council.domain.moderation import Review


def check_merge(source_id: int, target_id: int, *, source_merged: bool, target_merged: bool,
                source_review: Review | str = Review.APPROVED, target_review: Review | str = Review.APPROVED) -> None:
    """A topic merges into another live topic, never into itself. A duplicate still waiting
    for approval may be merged (the facilitator has read it); a rejected one may not, and
    nothing merges into a topic the room has not seen."""
    if source_id == target_id:
        raise DomainError("merge_into_self")
    if source_merged or target_merged:
        raise DomainError("topic_already_merged")
    if Review(target_review) is not Review.APPROVED or Review(source_review) is Review.REJECTED:
        raise DomainError("not_approved")


def merged_supporters(target: Iterable[int], source: Iterable[int], source_author: int | None) -> set[int]:
    """Supporters of the merged topic: both sets, plus the author of the duplicate."""
    result = set(target) | set(source)
    if source_author is not None:
        result.add(source_author)
    return result


def check_unmerge(*, merged: bool, target_merged: bool) -> None:
    """Only a merged topic comes back; if its target has since been merged into a third
    topic, that merge is undone first (the supports it moved went on from there)."""
    if not merged:
        raise DomainError("not_merged")
    if target_merged:
        raise DomainError("merge_target_merged")
