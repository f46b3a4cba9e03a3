"""The courtyard convention (院落公约) as posted: one version's articles, each with the decision
that adopted it, and the households that sign it."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as Db

from council.documents.dates import cn_day, iso_text_date
from council.domain import DomainError
from council.domain.convention import article_label
from council.links import inbox_path
from council.models import Article, Convention, ConventionVersion, Council, Household
from council.services.convention import starting


def build(db: Db, council_id: int, number: int | None = None) -> dict[str, Any]:
    """Everything the convention prints (the latest version by default), and nothing else."""
    council = db.get_one(Council, council_id)
    conv = db.scalar(select(Convention).where(Convention.council_id == council_id))
    title, preamble = (conv.title, conv.preamble) if conv else starting(council)
    version = _version(db, conv, number)
    return {"title": title, "preamble": preamble, "version": version.number if version else None,
            "adopted": cn_day(version.adopted_at) if version else "",
            "articles": _articles(db, version), "doors": _doors(db, council_id),
            "council": council.name, "inbox": inbox_path(council_id)}


def _version(db: Db, conv: Convention | None, number: int | None) -> ConventionVersion | None:
    """The version asked for, else the latest; `not_found` for a version that never was."""
    query = select(ConventionVersion).where(ConventionVersion.convention_id == (conv.id if conv else None))
    query = query.where(ConventionVersion.number == number) if number else \
        query.order_by(ConventionVersion.number.desc()).limit(1)
    found = db.scalar(query) if conv else None
    if number and found is None:
        raise DomainError("not_found", what="version")
    return found


def _articles(db: Db, version: ConventionVersion | None) -> list[dict[str, Any]]:
    """The version's articles, each with the meeting, date and tally that adopted its text."""
    if version is None:
        return []
    rows = db.scalars(select(Article).where(Article.version_id == version.id).order_by(Article.number))
    return [{"label": article_label(a.number), "text": a.text, "source": _source(a.source or {})} for a in rows]


def _source(source: dict[str, Any]) -> dict[str, Any]:
    """The adopting decision as the article recorded it."""
    return {"session": source.get("session", ""), "date": iso_text_date(source.get("date", "")),
            "yes": source.get("yes", 0), "no": source.get("no", 0), "abstain": source.get("abstain", 0)}


def _doors(db: Db, council_id: int) -> list[str]:
    """The household roll's door numbers, for the signature table."""
    return list(db.scalars(select(Household.door_number).where(Household.council_id == council_id)
                           .order_by(Household.door_number)))
