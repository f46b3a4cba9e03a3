"""From decisions to the notice board: the convention and its versions, the notice copy, the
fingerprint that ties a posted copy to the online record."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.helpers import client_id, latest_state, ok, refused

ARTIFACTS = Path(__file__).parent / "artifacts"


def _pdf(path: Path) -> dict:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    bbox = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    words = [tuple(map(float, m)) for m in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', bbox)]
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return {"text": text, "fonts": fonts, "info": info, "words": words, "pages": pages}


def _check_print(path: Path, name: str) -> dict:
    """A4, an embedded SC font, every word inside the page, one PNG a page."""
    pdf = _pdf(path)
    assert "595.276 x 841.89" in pdf["info"] or "595.28 x 841.89" in pdf["info"], pdf["info"]
    assert "SC" in pdf["fonts"] and " yes " in pdf["fonts"] and "JP" not in pdf["fonts"]
    assert all(0 <= x0 and x1 <= 595.3 and 0 <= y0 and y1 <= 841.9 for x0, y0, x1, y1 in pdf["words"]), "text off the page"
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(path), str(ARTIFACTS / name)], check=True)
    assert len(list(ARTIFACTS.glob(f"{name}-*.png"))) == pdf["pages"]
    return pdf


def _adopt(console, phones, title, text, kind, target=None, choice="yes"):
    p = ok(console, "proposal.create", {"title": title, "text": text})["proposal_id"]
    ok(console, "proposal.article", {"proposal_id": p, "kind": kind, **({"target": target} if target else {})})
    poll = ok(console, "poll.open", {"proposal_id": p})["poll_id"]
    for phone in phones:
        ok(phone, "ballot.cast", {"poll_id": poll, "choice": choice, "client_id": client_id()})
    return ok(console, "poll.close", {"poll_id": poll})


def _meeting_with_convention(meeting):
    meeting.web.post(f"/console/councils/{meeting.council_id}/households", data={"door": "3-101", "owner": "1"})
    meeting.web.post(f"/console/councils/{meeting.council_id}/households", data={"door": "3-102", "owner": "1"})
    console = meeting.console()
    phones = [meeting.phone("李阿姨", "3-101"), meeting.phone("张师傅", "3-102"), meeting.phone("赵大爷")]
    ok(console, "step.advance")
    ok(console, "step.advance")
    _adopt(console, phones, "文明养犬", "出户遛犬须束犬链，及时清理粪便。", "add")
    _adopt(console, phones, "垃圾分类", "按四类分类投放。", "add")
    _adopt(console, phones, "停车", "车辆在划定车位停放。", "add")
    _adopt(console, phones, "垃圾分类（修订）", "按四类分类，定时定点投放。", "amend", 2)
    _adopt(console, phones, "废止停车条款", "", "repeal", 3)
    _adopt(console, phones[:1] + phones[1:2], "噪音", "晚十点后不装修。", "add", choice="no")  # rejected: no change
    return console, phones


def test_convention_versions_follow_adopted_decisions(meeting):
    console, phones = _meeting_with_convention(meeting)
    c = latest_state(console)["convention"]
    assert c["title"] == "天坛东路64号院院落公约" and c["version"] == 5
    assert [(a["label"], a["text"]) for a in c["articles"]] == [("第一条", "出户遛犬须束犬链，及时清理粪便。"),
                                                                ("第二条", "按四类分类，定时定点投放。")]
    assert c["articles"][1]["source"]["yes"] == 3 and c["articles"][1]["source"]["session"] == "院落环境议事会"
    assert [v["change"] for v in c["versions"]] == ["新增条款", "新增条款", "新增条款", "第二条修改", "第三条废止"]
    p = ok(console, "proposal.create", {"title": "x"})["proposal_id"]
    assert refused(console, "proposal.article", {"proposal_id": p, "kind": "amend", "target": 7})["code"] == "no_such_article"
    page = meeting.web.get(f"/console/councils/{meeting.council_id}/convention?v=3").get_data(as_text=True)
    assert "第三条" in page and "车辆在划定车位停放" in page, "an old version stays readable"
    page = meeting.web.get(f"/console/councils/{meeting.council_id}/convention").get_data(as_text=True)
    assert "车辆在划定车位停放" not in page


def test_convention_pdf(meeting, tmp_path):
    _meeting_with_convention(meeting)
    r = meeting.web.get(f"/console/councils/{meeting.council_id}/convention.pdf")
    path = tmp_path / "convention.pdf"
    path.write_bytes(r.data)
    pdf = _check_print(path, "convention")
    text = pdf["text"].replace(" ", "")
    for expected in ("天坛东路64号院院落公约", "第5版", "表决通过", "第一条", "第二条", "按四类分类，定时定点投放。",
                     "赞成3，反对0，弃权0", "住户签名", "3-101", "3-102", "文件指纹"):
        assert expected in text, expected
    assert "第三条" not in text.split("住户签名")[0]
    fp = re.search(r"文件指纹([0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4})", text).group(1)
    record = meeting.app.test_client().get(f"/record/convention/{meeting.council_id}?v=5").get_data(as_text=True)
    assert fp in record, "the online record shows the printed fingerprint"
    old = meeting.app.test_client().get(f"/record/convention/{meeting.council_id}?v=4").get_data(as_text=True)
    assert fp not in old and "车辆在划定车位停放" in old


def test_notice_copy_large_type_one_or_two_pages_and_fingerprint(meeting, tmp_path):
    console, phones = _meeting_with_convention(meeting)
    ok(console, "step.advance")
    decision = [p for p in latest_state(console)["polls"] if p["decision"]["adopted"]][0]["decision"]["id"]
    ok(console, "action.create", {"decision_id": decision, "what": "张贴新版公约", "owner": "楼门长张师傅",
                                  "owner_kind": "building_head", "deadline": "2026-12-01"})
    path = tmp_path / "notice.pdf"
    path.write_bytes(meeting.web.get(f"/console/{meeting.session_id}/notice.pdf").data)
    pdf = _check_print(path, "notice")
    assert 1 <= pdf["pages"] <= 2
    text = pdf["text"].replace(" ", "")
    for expected in ("公示", "会议决定", "文明养犬", "通过", "未通过", "张贴新版公约", "楼门长张师傅", "2026年12月01日",
                     "公示期", "如有异议"):
        assert expected in text, expected
    heights = sorted(y1 - y0 for _, y0, _, y1 in pdf["words"])
    assert heights[len(heights) // 2] >= 14, "body type of at least 14 pt"
    fp = re.search(r"文件指纹([0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4})", text).group(1)
    record = meeting.app.test_client().get(f"/record/session/{meeting.session_id}").get_data(as_text=True)
    assert fp in record

    again = tmp_path / "again.pdf"
    again.write_bytes(meeting.web.get(f"/console/{meeting.session_id}/notice.pdf").data)
    assert _pdf(again)["text"] == pdf["text"], "the same data gives the same text"
    ok(console, "action.create", {"decision_id": decision, "what": "更新公示栏", "owner": "志愿者队伍",
                                  "owner_kind": "volunteers", "deadline": "2026-12-05"})
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(meeting.web.get(f"/console/{meeting.session_id}/notice.pdf").data)
    new_fp = re.search(r"文件指纹\s*([0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4})", _pdf(changed)["text"]).group(1)
    assert new_fp != fp, "the fingerprint changes when the content does"


def test_minutes_carry_a_fingerprint_too(meeting, tmp_path):
    _meeting_with_convention(meeting)
    path = tmp_path / "minutes.pdf"
    path.write_bytes(meeting.web.get(f"/console/{meeting.session_id}/minutes.pdf").data)
    pdf = _check_print(path, "minutes-full")
    fp = re.search(r"文件指纹\s*([0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4})", pdf["text"]).group(1)
    assert fp in meeting.app.test_client().get(f"/record/session/{meeting.session_id}").get_data(as_text=True)
