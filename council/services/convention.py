"""The courtyard convention: proposals marked as articles become numbered articles when adopted;
every change is a new version, and old versions stay readable."""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as Db

from council import localtime, policy
from council.domain import DomainError, convention
from council.domain.steps import Step, require_step
from council.domain.text import PROPOSAL_MAX, TITLE_MAX, clean
from council.models import Article, ArticleChange, Convention, ConventionVersion, Council, Decision, Proposal, Session
from council.services.common import Actor, Outcome, get, own_session

PREAMBLE = "为维护本院良好的居住环境和邻里关系，经本院住户协商表决，制定本公约，全体住户共同遵守。"


def for_council(db: Db, council_id: int) -> Convention:
    """The council's convention, begun (with no articles yet) the first time it is needed."""
    found = db.scalar(select(Convention).where(Convention.council_id == council_id))
    if found is None:
        title, preamble = starting(db.get_one(Council, council_id))
        found = Convention(council_id=council_id, title=title, preamble=preamble)
        db.add(found)
        db.flush()
    return found


def starting(council: Council) -> tuple[str, str]:
    """The title and preamble a council's convention begins with."""
    return f"{council.name}院落公约", PREAMBLE


def latest_version(db: Db, convention_id: int) -> ConventionVersion | None:
    return db.scalar(select(ConventionVersion).where(ConventionVersion.convention_id == convention_id)
                     .order_by(ConventionVersion.number.desc()).limit(1))


def articles_of(db: Db, version: ConventionVersion | None) -> list[convention.Article]:
    if version is None:
        return []
    rows = db.scalars(select(Article).where(Article.version_id == version.id).order_by(Article.number))
    return [convention.Article(a.number, a.text, a.source) for a in rows]


def mark_article(db: Db, actor: Actor, proposal_id: object, kind: object, target: object = None) -> Outcome:
    """Mark a proposal as a new article, an amendment or a repeal (or unmark it with "none")."""
    proposal = get(db, Proposal, proposal_id, "proposal")
    session = own_session(db, actor, proposal.session_id)
    require_step(Step(session.step), Step.DISCUSS, Step.DECIDE)
    if db.scalar(select(Decision.id).where(Decision.proposal_id == proposal.id)):
        raise DomainError("already_decided")
    mark(db, session, proposal, kind, target)
    db.commit()
    # marking may begin the council's convention: its title shows from now on
    return Outcome(session.id, frozenset({"proposals", "convention"}))


def mark(db: Db, session: Session, proposal: Proposal, kind: object, target: object = None) -> None:
    """Set a proposal's mark in the caller's transaction: a new article, an amendment or repeal
    of article `target`, or none. The caller commits."""
    db.execute(delete(ArticleChange).where(ArticleChange.proposal_id == proposal.id))
    if kind == "none":
        return
    change = convention.parse_change(kind)
    conv = for_council(db, session.council_id)
    convention.check_change(change, target if change is not convention.ChangeKind.ADD else None,
                            articles_of(db, latest_version(db, conv.id)))
    db.add(ArticleChange(proposal_id=proposal.id, kind=change.value,
                         target=None if change is convention.ChangeKind.ADD else target))


def adopt(db: Db, session: Session, decision: Decision) -> ConventionVersion | None:
    """In the closing poll's transaction: an adopted article change makes the next version."""
    change = db.scalar(select(ArticleChange).where(ArticleChange.proposal_id == decision.proposal_id))
    if change is None or not decision.adopted:
        return None
    proposal = db.get_one(Proposal, decision.proposal_id)
    conv = for_council(db, session.council_id)
    previous = latest_version(db, conv.id)
    source = {"session": session.title, "date": localtime.day(decision.decided_at).isoformat(), "yes": decision.yes,
              "no": decision.no, "abstain": decision.abstain, "decision_id": decision.id}
    text = proposal.text or proposal.title
    try:
        articles = convention.apply(articles_of(db, previous), convention.ChangeKind(change.kind), change.target,
                                    text, source)
    except DomainError:
        return None  # the article it named is gone (changed by an earlier poll): the decision stands alone
    version = ConventionVersion(convention_id=conv.id, number=(previous.number if previous else 0) + 1,
                                decision_id=decision.id, change=_change_words(change))
    db.add(version)
    db.flush()
    db.add_all(Article(version_id=version.id, number=a.number, text=a.text, source=a.source) for a in articles)
    return version


def _change_words(change: ArticleChange) -> str:
    if change.kind == "add":
        return "新增条款"
    return f"{convention.article_label(change.target or 0)}{'修改' if change.kind == 'amend' else '废止'}"


def edit(db: Db, actor: Actor, council_id: object, title: object, preamble: object) -> Outcome:
    """The convention's title and preamble, edited on the console."""
    council = policy.council(db, actor, council_id)
    conv = for_council(db, council.id)
    conv.title = clean(title, field="title", maximum=TITLE_MAX)
    conv.preamble = clean(preamble, field="text", maximum=PROPOSAL_MAX, required=False)
    db.commit()
    return Outcome.of_council(council.id, frozenset({"convention"}))


def opened(db: Db, council_id: int, number: int | None = None) -> dict[str, Any]:
    """The convention as `view` shows it; one not begun yet shows the title and preamble it will
    begin with (a page that only reads creates nothing)."""
    found = view(db, council_id, number)
    if found["version"] is None and not found["title"]:
        found["title"], found["preamble"] = starting(db.get_one(Council, council_id))
        found["council_id"] = council_id
    return found


def view(db: Db, council_id: int, number: int | None = None) -> dict[str, Any]:
    """A version of the convention (the latest by default) as plain data, with the list of versions."""
    conv = db.scalar(select(Convention).where(Convention.council_id == council_id))
    if conv is None:
        return {"title": "", "preamble": "", "version": None, "articles": [], "versions": []}
    versions = db.scalars(select(ConventionVersion).where(ConventionVersion.convention_id == conv.id)
                          .order_by(ConventionVersion.number)).all()
    chosen = next((v for v in versions if v.number == number), None) if number else (versions[-1] if versions else None)
    if number and chosen is None:
        raise DomainError("not_found", what="version")
    return {"title": conv.title, "preamble": conv.preamble, "council_id": council_id,
            "version": chosen.number if chosen else None,
            "adopted_at": localtime.day(chosen.adopted_at).isoformat() if chosen else None,
            "latest": versions[-1].number if versions else None,
            "articles": [{"number": a.number, "label": convention.article_label(a.number), "text": a.text,
                          "source": a.source} for a in articles_of(db, chosen)],
            "versions": [{"number": v.number, "adopted_at": localtime.day(v.adopted_at).isoformat(), "change": v.change}
                         for v in versions]}

