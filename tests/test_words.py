"""Every page in both languages speaks in words: no enum value, no Python literal, no English left
in the Chinese page, no "1 supporters" in the English one.

A meeting with something on every page (a household roll with owners, a council tree, topics,
proposals, closed polls under `majority_present` and a secret one by household, actions, ratings,
the audit trail) is rendered page by page, with what its scripts will show (the `i18n` JSON)."""
from __future__ import annotations

import enum
import importlib
import json
import pkgutil
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import council.domain
import council.models
from council.domain.rules import RULES
from council.web.strings import audit_words
from tests.conftest import close_app, make_app
from tests.helpers import Meeting, client_id, latest_state, ok
from tests.test_policy import ROUTES

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "council/translations/zh_Hans_CN/LC_MESSAGES/messages.po"
LANGS = ("zh_CN", "en")

# Words a Chinese page keeps in Latin letters on purpose, beyond those its translations keep.
KEPT = {"PDF", "CSV", "QR", "URL", "UTF-8", "GB18030", "English", "WeChat"}
# An ASCII run: letters, joined by single spaces, hyphens, dots or apostrophes (“UTF-8”, “make run”).
RUN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[ .\-'’][A-Za-z0-9]+)*")
PLACEHOLDER = re.compile(r"\{\w+\}|%\(\w+\)[sd]|%[sd]")
LITERAL = re.compile(r"\b(True|False|None)\b")
# "1 supporters", "1 households": a count of one with a plural noun.
ONE_PLURAL = re.compile(r"(?<![\d.,])\b1 ([a-z]+s)\b")


def _catalog() -> list[tuple[str, str]]:
    with open(CATALOG, "rb") as fh:
        catalog = read_po(fh)
    pairs = []
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        pairs += [(i, s) for i in ids for s in strings]
    return pairs


def _enum_values() -> set[str]:
    """Every value of the domain's and the models' enums, the rule names, the audit kinds."""
    values = set(RULES)
    for package in (council.domain, council.models):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for obj in vars(module).values():
                if isinstance(obj, type) and issubclass(obj, enum.Enum) and obj.__module__.startswith("council"):
                    values |= {str(m.value) for m in obj if isinstance(m.value, str)}
    return values


class _Text(HTMLParser):
    """What a reader sees: text outside scripts and styles, and the words of placeholders,
    titles and labels; the `i18n` JSON the scripts will draw from, kept apart."""

    SAID = ("placeholder", "title", "aria-label", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.script: str | None = None
        self.i18n = ""
        self._skip = 0

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
            self.script = attrs.get("id")
        self.parts += [attrs[a] for a in self.SAID if attrs.get(a)]
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag in ("script", "style"):
            self._skip -= 1
            self.script = None
        self.parts.append(" ")

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._skip:
            if self.script == "i18n":
                self.i18n += data
        else:
            self.parts.append(data)


def _near(text: str, word: str) -> str:
    at = text.find(word)
    return f" in «{text[max(0, at - 30):at + len(word) + 30]}»"


def _strings(value: object) -> list[str]:
    """The texts of a JSON value (its keys are names, not words)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _read(html: str) -> tuple[str, dict]:
    parser = _Text()
    parser.feed(html)
    text = re.sub(r"\s+", " ", "".join(parser.parts))
    return re.sub(r"https?://\S+", " ", text), json.loads(parser.i18n) if parser.i18n.strip() else {}


# ------------------------------------------------------------------ a meeting with every page full


def _full_meeting(app) -> tuple[Meeting, dict[str, object], dict[str, str]]:
    """The meeting, the ids the routes need, and the first-run pages (before any account)."""
    fresh = app.test_client()
    from council.db import get_db
    from council.services import setup
    with app.app_context():
        token = setup.link_token(get_db())
    first = {}
    for lang in LANGS:
        first[f"setup {lang}"] = fresh.get(f"/setup/{token}?lang={lang}").get_data(as_text=True)
        first[f"login (fresh) {lang}"] = fresh.get(f"/login?lang={lang}").get_data(as_text=True)

    m = Meeting(app)
    for door, area, owner in (("3-101", "62.5", "1"), ("3-102", "48", ""), ("3-103", "", "")):
        r = m.web.post(f"/console/councils/{m.council_id}/households", data={"door": door, "area": area,
                                                                           **({"owner": owner} if owner else {})})
        assert r.status_code == 302
    console, li, zhang = m.console(), m.phone("李阿姨", "3-101"), m.phone("张大爷", "3-102")
    lamp = ok(li, "topic.raise", {"text": "楼道灯坏了"})["topic_id"]
    ok(zhang, "topic.raise", {"text": "自行车乱停"})
    ok(zhang, "topic.support", {"topic_id": lamp, "on": True})  # two supporters
    bikes = latest_state(console)["topics"]
    ok(li, "topic.support", {"topic_id": [t for t in bikes if t["id"] != lamp][0]["id"], "on": True})
    ok(console, "step.advance")
    first_p = ok(console, "proposal.create", {"title": "更换楼道灯", "topic_id": lamp})["proposal_id"]
    second_p = ok(console, "proposal.create", {"title": "车棚只停自行车"})["proposal_id"]
    ok(console, "proposal.article", {"proposal_id": second_p, "kind": "add"})
    ok(console, "step.advance")
    poll = ok(console, "poll.open", {"proposal_id": first_p, "rule": "majority_present"})["poll_id"]
    ok(console, "poll.attendance", {"poll_id": poll, "present": 3})
    ok(li, "ballot.cast", {"poll_id": poll, "choice": "no", "client_id": client_id()})
    ok(li, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})  # a change
    ok(console, "ballot.enter", {"poll_id": poll, "choice": "yes", "participant_id": zhang.participant_id})
    ok(console, "poll.count", {"poll_id": poll, "channel": "hands", "yes": 1, "no": 0, "abstain": 1})
    ok(console, "poll.close", {"poll_id": poll})
    secret = ok(console, "poll.open", {"proposal_id": second_p, "unit": "household", "secret": True,
                                       "quorum": 1})["poll_id"]
    ok(zhang, "ballot.cast", {"poll_id": secret, "choice": "yes", "client_id": client_id()})
    ok(console, "poll.close", {"poll_id": secret})
    ok(console, "step.advance")
    decision = latest_state(console)["polls"][0]["decision"]["id"]
    action = ok(console, "action.create", {"decision_id": decision, "what": "换灯", "owner": "物业",
                                           "owner_kind": "property", "deadline": "2026-12-31"})["action_id"]
    ok(console, "step.advance")
    ok(console, "rating.open", {"action_id": action, "open": True})
    ok(li, "rating.give", {"action_id": action, "value": "satisfied"})
    ok(zhang, "rating.give", {"action_id": action, "value": "basic"})
    r = m.web.post(f"/console/actions/{action}/progress", data={"status": "underway", "note": "已报修"})
    assert r.status_code == 302
    from sqlalchemy import select
    from council.models import Council, Household, Participant
    with app.app_context():
        db = get_db()
        community = db.get_one(Council, m.council_id).parent_id
        household = db.scalar(select(Household.id).where(Household.council_id == m.council_id))
        resident = db.scalar(select(Participant.resident_id).where(Participant.id == li.participant_id))
    ids = {"session": m.session_id, "council": m.council_id, "community": community, "action": action,
           "household": household, "code": m.code, "resident": resident, "token": li.token}
    return m, ids, first


def _pages(app) -> dict[str, str]:
    """Every HTML page a GET route answers, in both languages, by its reader."""
    m, ids, pages = _full_meeting(app)
    anonymous, phone = app.test_client(), app.test_client()
    phone.set_cookie(f"council_token_{m.code}", ids["token"])  # a phone's own pages: its record
    for endpoint, (_kind, method, url, _extra) in ROUTES.items():
        if method != "GET" or endpoint in ("static", "socketio_transport"):  # files, Socket.IO frames
            continue
        for lang in LANGS:
            client = anonymous if endpoint == "auth.login" else phone if endpoint.startswith("participation.") else m.web
            r = client.get(url.format(**ids), query_string={"lang": lang})
            if r.status_code == 200 and r.mimetype == "text/html":
                pages[f"{endpoint} {lang}"] = r.get_data(as_text=True)
    for lang in LANGS:
        pages[f"not found {lang}"] = m.web.get("/console/999999", query_string={"lang": lang}).get_data(as_text=True)
    m.disconnect_all()
    from council.live.broadcast import drain
    assert drain(timeout=10)
    return pages


@pytest.fixture(scope="module")
def pages(tmp_path_factory, sqlite_template):
    """Built once, on SQLite: the words do not depend on the database, and the tests only read."""
    path = tmp_path_factory.mktemp("words") / "council.db"
    shutil.copy(sqlite_template, path)
    app = make_app(f"sqlite:///{path}")
    try:
        yield _pages(app)
    finally:
        close_app(app)


def test_every_page_speaks_in_words(pages):
    enums = _enum_values()
    machine = {v for v in enums if "_" in v} | {k for k in audit_words() if "." in k}
    pairs = _catalog()
    english = {w.lower() for i, _s in pairs for w in re.findall(r"[A-Za-z]{2,}", PLACEHOLDER.sub(" ", i))}
    kept = KEPT | {r for _i, s in pairs for r in RUN.findall(PLACEHOLDER.sub(" ", s))}
    for page in ("households.roll", "console.audit_page", "console.dashboard", "console.session", "phone.session",
                 "documents.session_record", "actions.council_actions", "setup"):
        assert {f"{page} {lang}" for lang in LANGS} <= set(pages), page
    keep = re.compile("|".join(re.escape(k) for k in sorted(kept, key=len, reverse=True)))
    found: list[str] = []
    for name, html in sorted(pages.items()):
        lang = name.rsplit(" ", 1)[1]
        text, i18n = _read(html)
        said = [text] + _strings({k: v for k, v in i18n.items() if k != "order"})  # order: value lists
        for piece in said:
            piece = PLACEHOLDER.sub(" ", piece)  # {needed}: filled in by the script
            if lang == "zh_CN":
                piece = keep.sub(" ", piece)  # commands and names the translation keeps as they are
                tokens = set(re.findall(r"(?<![A-Za-z0-9_.])[a-z][a-z0-9_.]*[a-z0-9](?![A-Za-z0-9_])", piece))
                found += [f"{name}: enum value {t!r}{_near(piece, t)}" for t in tokens & enums]
                for run in RUN.findall(piece):
                    if run not in kept and any(w.lower() in english for w in re.findall(r"[A-Za-z]{2,}", run)):
                        found.append(f"{name}: untranslated {run!r}{_near(piece, run)}")
            else:
                found += [f"{name}: machine name {t!r}" for t in re.findall(r"[a-z0-9_.]+", piece) if t in machine]
                # "None." is a sentence of the catalog; a literal is a value printed as it is
                piece = re.sub("|".join(re.escape(i) for i, _s in pairs if LITERAL.search(i)), " ", piece)
                found += [f"{name}: plural {w!r} after 1" for w in ONE_PLURAL.findall(piece) if w != "yes"]
            found += [f"{name}: Python literal {lit!r}{_near(piece, lit)}" for lit in LITERAL.findall(piece)]
    assert found == [], "\n".join(sorted(set(found)))


def test_the_audit_trail_reads_in_words(pages):
    """The trail of the majority_present poll: its rule, unit, secrecy and quorum in words."""
    zh, _ = _read(pages["console.audit_page zh_CN"])
    en, _ = _read(pages["console.audit_page en"])
    assert "规则: 赞成票超过到会人数的一半" in zh and "计票单位: 一户一票" in zh and "无记名: 否" in zh
    assert "法定人数: —" in zh and "方式: 手机" in zh and "通过: 是" in zh
    assert "More than half of those present" in en and "One vote per household" in en
    for word in ("majority_present", "household", "True", "None"):
        assert re.search(rf"\b{word}\b", zh) is None, word


def test_the_household_roll_says_owner_and_yes_in_their_sense(pages):
    zh, _ = _read(pages["households.roll zh_CN"])
    assert "业主" in zh and "负责人" not in zh, "the owner of a flat, not of an action"
    assert "赞成" not in zh and "反对" not in zh, "whether a household owns is yes or no, not a vote"
    assert "是" in zh and "否" in zh
    en, _ = _read(pages["households.roll en"])
    assert "3 households" in en and "1 owner " in en
    dashboard, _ = _read(pages["console.dashboard zh_CN"])
    assert "名称" in dashboard and "姓名" not in dashboard, "a council has a name, not a person's name"


def _count(forms: dict[str, str], n: int) -> str:
    """What common.js's `count` makes of a plural form: English has one and other."""
    return forms["one" if n == 1 and "one" in forms else "other"].replace("{n}", str(n))


def test_counts_in_the_scripts_agree_with_their_number(pages):
    _, en = _read(pages["console.session en"])
    _, zh = _read(pages["console.session zh_CN"])
    # a count followed by a plural noun on its own is the "1 supporters" of a script
    scripts = {p: p.read_text() for p in (ROOT / "static/js").rglob("*.js") if "vendor" not in p.parts}
    plain = {k for k, v in en.items() if isinstance(v, str) and re.fullmatch(r"[a-z]+s", v)} - {"yes"}
    for path, source in scripts.items():
        for key in sorted(plain):
            assert not re.search(rf"\+\s*T\.{key}\b", source), f"{path.name}: a count + T.{key}"
        for key in set(re.findall(r"\bT\.(\w+)", source)) - {"f"}:
            assert key in en, f"{path.name} reads T.{key}, which the server does not send"
    assert "n" in en and set(en["n"]) == set(zh["n"]), "counts travel as plural forms"
    for key, forms in en["n"].items():
        assert ONE_PLURAL.search(_count(forms, 1)) is None, (key, forms)
        assert _count(forms, 1) != _count(forms, 2).replace("2", "1"), (key, forms)
    assert _count(en["n"]["supporters"], 1) == "1 supporter" and _count(zh["n"]["supporters"], 1) == "1 人支持"
