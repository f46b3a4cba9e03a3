"""The printed QR codes of issue 15: the issue inbox's on the notice-board copy, the convention and
the meeting notice (会议通知); the remote vote's, with its deadline on the meeting room's clock, on
the meeting notice for each poll opened before the meeting, and on the notice-board copy while a
windowed poll is still open. Read back with pdftotext (the address under each QR code) and
pdffonts (the SC font embedded); one QR code is read off the rendered page, module by module, and
compared with what council/qr.py makes of the address printed under it (no QR decoder is
installed here)."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import segno
from PIL import Image

from tests.helpers import client_id, latest_state, ok
from tests.test_decision_rules import import_roll
from tests.test_notice_board import ARTIFACTS, _check_print
from tests.test_voting_windows import at, deadline_of

ROLL = "门牌号,面积,是否业主\n5-101,80,是\n5-102,80,是\n5-103,80,是\n"
BEIJING = ZoneInfo("Asia/Shanghai")
DPI = 300


def _deadline() -> tuple[str, dt.datetime]:
    """Two days from now at 20:00 on the meeting room's clock, as the console could send it."""
    day = (dt.datetime.now(BEIJING) + dt.timedelta(days=2)).date()
    moment = dt.datetime.combine(day, dt.time(20, 0), BEIJING)
    return moment.isoformat(), moment


def _save(meeting, url: str, path: Path) -> Path:
    r = meeting.web.get(url)
    assert r.status_code == 200 and r.mimetype == "application/pdf", r.status_code
    path.write_bytes(r.data)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"issue15-{path.name}").write_bytes(r.data)  # a sample to look at
    return path


def _before_the_meeting(meeting):
    """A session in raise: a roll, two proposals, one of them open for a vote from afar."""
    import_roll(meeting, ROLL)
    console = meeting.console()
    garden = ok(console, "proposal.create", {"title": "楼下空地改建为共享菜园", "text": "由物业平整土地，住户认领地块。"})["proposal_id"]
    ok(console, "proposal.create", {"title": "楼道加装感应灯"})
    sent, moment = _deadline()
    poll = ok(console, "poll.open", {"proposal_id": garden, "unit": "household", "closes_at": sent})["poll_id"]
    return console, poll, moment


def test_the_meeting_notice_prints_time_place_proposals_and_the_qr_codes(meeting, tmp_path):
    console, poll, moment = _before_the_meeting(meeting)
    pdf = _check_print(_save(meeting, f"/console/{meeting.session_id}/meeting-notice.pdf", tmp_path / "m.pdf"),
                       "meeting-notice")
    text = re.sub(r"\s+", " ", pdf["text"])
    assert pdf["pages"] == 1
    assert "会议通知" in text and "天坛东路64号院" in text and "院落环境议事会" in text and "活动室" in text
    # 19:00 UTC on 24 November is 03:00 the next day, a Wednesday, in Beijing
    assert "2026年11月25日（星期三）03:00" in text
    assert "楼下空地改建为共享菜园" in text and "楼道加装感应灯" in text and "会上表决" in text
    deadline = f"{moment:%Y}年{moment:%m}月{moment:%d}日 20:00"
    assert f"已开始投票，截止 {deadline}" in text and f"投票截止：{deadline}" in text
    assert "只有住户名册上的住户可以投票" in text
    lines = pdf["text"].splitlines()
    remote = _url(meeting, f"/join/{meeting.code}/remote#poll-{poll}")
    inbox = _url(meeting, f"/council/{meeting.council_id}/issues")
    assert remote in [line.strip() for line in lines] and inbox in [line.strip() for line in lines], \
        "each address alone on its line, under its QR code"
    assert "随时反映问题" in text
    read = _matrix_above(tmp_path / "m.pdf", remote)
    assert read == _expected(remote)
    other = remote[:-1] + str(int(remote[-1]) % 9 + 1)  # an address of the same length, another poll
    assert len(_expected(other)) == len(read) and read != _expected(other), "the reading tells codes apart"
    assert _matrix_above(tmp_path / "m.pdf", inbox) == _expected(inbox)
    # the meeting notice's fingerprint is on the meeting's public record
    page = meeting.app.test_client().get(f"/record/session/{meeting.session_id}").get_data(as_text=True)
    assert 'id="fp-meeting-notice"' in page


def test_the_notice_copy_carries_the_remote_vote_while_its_window_runs_and_the_inbox_always(meeting, tmp_path,
                                                                                              monkeypatch, app):
    console, poll, moment = _before_the_meeting(meeting)
    phone = meeting.phone("李师傅", "5-102")
    ok(console, "step.advance")
    ok(console, "step.advance")
    ok(phone, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})
    ok(console, "step.advance")  # do: the window still runs
    pdf = _check_print(_save(meeting, f"/console/{meeting.session_id}/notice.pdf", tmp_path / "n.pdf"), "notice-remote")
    text = re.sub(r"\s+", " ", pdf["text"])
    remote = _url(meeting, f"/join/{meeting.code}/remote#poll-{poll}")
    inbox = _url(meeting, f"/council/{meeting.council_id}/issues")
    stripped = [line.strip() for line in pdf["text"].splitlines()]
    assert "远程投票（仍在进行）" in text and f"投票截止：{moment:%Y}年{moment:%m}月{moment:%d}日 20:00" in text
    assert remote in stripped and inbox in stripped
    assert _matrix_above(tmp_path / "n.pdf", remote) == _expected(remote)
    # past the deadline the poll has closed (printing closes it first): its decision, no QR code
    at(monkeypatch, deadline_of(app, poll) + dt.timedelta(seconds=1))
    pdf = _check_print(_save(meeting, f"/console/{meeting.session_id}/notice.pdf", tmp_path / "n2.pdf"), "notice-closed")
    text = re.sub(r"\s+", " ", pdf["text"])
    assert "远程投票" not in text and remote not in text and inbox in text
    assert "楼下空地改建为共享菜园" in text and "通过" in text
    assert next(p for p in latest_state(console)["polls"] if p["id"] == poll)["status"] == "closed"


def test_the_convention_prints_the_inbox_qr_code(meeting, tmp_path):
    pdf = _check_print(_save(meeting, f"/console/councils/{meeting.council_id}/convention.pdf", tmp_path / "c.pdf"),
                       "convention-inbox")
    inbox = _url(meeting, f"/council/{meeting.council_id}/issues")
    assert inbox in [line.strip() for line in pdf["text"].splitlines()]
    assert "随时反映问题" in pdf["text"] and "天坛东路64号院议事厅" in re.sub(r"\s+", "", pdf["text"])
    assert _matrix_above(tmp_path / "c.pdf", inbox) == _expected(inbox)


def _url(meeting, path: str) -> str:
    """A path as the documents print it: under the address phones reach the laptop at."""
    from council.links import base_url
    with meeting.app.test_request_context():
        return base_url() + path


def _expected(url: str) -> list[list[bool]]:
    """The modules council/qr.py draws for `url`, without the quiet zone."""
    return [[bool(v) for v in row] for row in segno.make(url, error="m").matrix]


def _matrix_above(path: Path, url: str) -> list[list[bool]]:
    """The QR code printed right above `url`, read off the page rendered at 300 dpi: its left
    edge is the address's (they share the box's padding), its lowest dark module is the first
    dark row above the address; the module size is the bottom-left finder pattern's height / 7.
    Each module is sampled at its centre."""
    page, box = _find(path, url)
    out = subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), str(path),
                          str(path.with_suffix(""))], check=True)
    assert out.returncode == 0
    image = Image.open(next(path.parent.glob(f"{path.stem}-*{page}.png"))).convert("L")
    dark = lambda x, y: image.getpixel((int(x), int(y))) < 128  # noqa: E731
    px = DPI / 72
    left, top = box[0] * px, box[1] * px
    width = 28 / 25.4 * DPI  # the QR code's square, quiet zone included (templates/documents/_qr.css)
    # the lowest dark row above the address, inside the QR code's columns
    y = top - 1
    while not any(dark(x, y) for x in range(int(left), int(left + width))):
        y -= 1
        assert y > top - 10 * px * 72 / 25.4, "no QR code above the address"
    bottom = y
    x0 = min(x for x in range(int(left), int(left + width)) if dark(x, bottom))  # the finder's left edge
    run = 0
    while dark(x0 + 2, bottom - run):
        run += 1
    module = run / 7
    n = len(_expected(url))
    return [[dark(x0 + (j + .5) * module, bottom + 1 - (n - i - .5) * module) for j in range(n)] for i in range(n)]


def _find(path: Path, url: str) -> tuple[int, tuple[float, float]]:
    """The page and the top-left corner (points) of the printed `url`."""
    bbox = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for number, page in enumerate(bbox.split("<page ")[1:], start=1):
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>', page):
            if m.group(3).replace("&amp;", "&") == url:
                return number, (float(m.group(1)), float(m.group(2)))
    raise AssertionError(f"{url} not printed")
