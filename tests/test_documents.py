"""Minutes PDF: A4, Simplified Chinese with an embedded SC font, participant text as text."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers import client_id, ok

ARTIFACTS = Path(__file__).parent / "artifacts"


def _run_session(meeting):
    console = meeting.console()
    li, zhang = meeting.phone("李阿姨", "3-101"), meeting.phone("张师傅", "3-102")
    zhao = meeting.phone("赵大爷", "5-201")
    ok(li, "topic.raise", {"text": "<script>alert('x')</script>楼道堆物"})
    ok(zhang, "topic.raise", {"text": "垃圾分类桶不够用"})
    ok(console, "step.advance")
    p = ok(console, "proposal.create", {"title": "清理楼道堆物", "text": "周六集中清理"})["proposal_id"]
    ok(console, "step.advance")
    poll = ok(console, "poll.open", {"proposal_id": p})["poll_id"]
    ok(li, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})
    ok(zhang, "ballot.cast", {"poll_id": poll, "choice": "abstain", "client_id": client_id()})
    ok(zhao, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})
    ok(console, "poll.close", {"poll_id": poll})
    ok(console, "step.advance")
    decision = ok(console, "state.get")["state"]["polls"][0]["decision"]["id"]
    a = ok(console, "action.create", {"decision_id": decision, "what": "集中清理楼道", "owner": "楼门长张师傅",
                                      "deadline": "2026-11-29"})["action_id"]
    ok(console, "step.advance")
    ok(console, "rating.open", {"action_id": a, "open": True})
    ok(li, "rating.give", {"action_id": a, "value": "satisfied"})


def _pdf_tools(path: Path) -> tuple[str, str, str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return text, fonts, info


def test_minutes_pdf(meeting, tmp_path):
    _run_session(meeting)
    r = meeting.web.get(f"/console/{meeting.session_id}/minutes.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    path = tmp_path / "minutes.pdf"
    path.write_bytes(r.data)
    text, fonts, info = _pdf_tools(path)
    for expected in ("院落环境议事会", "会议纪要", "天坛东路64号院", "活动室", "王主任", "赵记录", "3人", "3户",
                     "<script>alert('x')</script>楼道堆物", "垃圾分类桶不够用", "清理楼道堆物", "通过",
                     "集中清理楼道", "楼门长张师傅", "2026-11-29", "满意", "公示期"):
        assert expected in text, expected
    total = [line for line in text.splitlines() if line.strip().startswith("总计")][0]
    assert total.split()[-4:] == ["2", "0", "1", "3"]  # yes, no, abstain, cast
    assert "赞成票超过投票总数的一半" in text and "手机投票" in text
    assert "李阿姨（赞成）" in text.replace(" ", "") and "张师傅（弃权）" in text.replace(" ", "")
    assert "A4" in info
    sc = [line for line in fonts.splitlines() if "CJK" in line or "SC" in line]
    assert sc and all("SC" in line and " yes " in line for line in sc), fonts
    assert "JP" not in fonts
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "minutes.pdf").write_bytes(r.data)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(ARTIFACTS / "minutes")], check=True)
    assert list(ARTIFACTS.glob("minutes*.png"))


def test_minutes_have_no_missing_glyphs(meeting, app):
    """Every character of the document comes out of the PDF again: nothing became a box."""
    _run_session(meeting)
    from council import documents
    from council.db import get_db
    with app.app_context():
        pdf = documents.minutes_pdf(get_db(), meeting.session_id)
        html = documents.minutes_html(get_db(), meeting.session_id)
    import re
    path = Path(app.instance_path).parent / "tests" / "artifacts" / "glyphs.pdf"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    han = set(re.findall(r"[\u4e00-\u9fff]", re.sub(r"<style>.*?</style>", "", html, flags=re.S)))
    assert han and han <= set(text)
    assert "\ufffd" not in text


def test_documents_refuse_to_fetch_anything(monkeypatch):
    """Rendering asks the refusing fetcher for every URL in the HTML, and loads none of them."""
    from council.documents import pdf as renderer
    refuse, asked = renderer.refuse_fetch, []

    def recording(url, *args, **kwargs):
        asked.append(url)
        return refuse(url, *args, **kwargs)
    monkeypatch.setattr(renderer, "refuse_fetch", recording)
    pdf = renderer.write_pdf('<p>x</p><img src="file:///etc/passwd"><img src="http://example.com/x.png">')
    assert pdf.startswith(b"%PDF")
    assert asked == ["file:///etc/passwd", "http://example.com/x.png"]
    for url in asked:
        with pytest.raises(ValueError):
            refuse(url)


def _pdf_text(meeting, tmp_path, name):
    r = meeting.web.get(f"/console/{meeting.session_id}/minutes.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(r.data)
    text, fonts, info = _pdf_tools(path)
    assert "A4" in info and "JP" not in fonts
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(r.data)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(ARTIFACTS / name)], check=True)
    return " ".join(text.split())


def test_open_space_minutes_show_the_wall_and_reports(open_space, tmp_path):
    m = open_space
    console, li, zhang = m.console(), m.phone("李阿姨"), m.phone("张师傅")
    parking = ok(li, "topic.raise", {"text": "电动车充电难"})["topic_id"]
    trees = ok(zhang, "topic.raise", {"text": "<b>院里的树</b>该修剪了"})["topic_id"]
    ok(console, "dots.open", {"open": True})
    ok(li, "dot.place", {"target_id": parking, "count": 2})
    ok(zhang, "dot.place", {"target_id": trees, "count": 1})
    ok(console, "dots.open", {"open": False})
    ok(console, "agenda.setup", {"spaces": ["东侧桌", "活动室"], "slots": ["14:00–14:40"]})
    ok(console, "agenda.place")
    ok(console, "step.advance")
    groups = {g["topic_id"]: g["id"] for g in ok(console, "state.get")["state"]["agenda"]["groups"]}
    ok(zhang, "group.join", {"group_id": groups[parking]})
    ok(li, "report.save", {"group_id": groups[parking], "points": ["充电桩不够"], "needs": ["在北墙加装4个充电桩"]})
    text = _pdf_text(m, tmp_path, "minutes-openspace")
    for expected in ("贴点排名", "议程墙", "东侧桌", "活动室", "14:00–14:40", "电动车充电难", "召集人：李阿姨 · 1 人",
                     "<b>院里的树</b>该修剪了", "小组报告", "讨论要点", "充电桩不够", "具体需求", "在北墙加装4个充电桩"):
        assert expected in text, expected


def test_cafe_minutes_show_questions_harvest_and_ranking(cafe, tmp_path):
    m = cafe
    console, li, zhang = m.console(), m.phone("李阿姨"), m.phone("张师傅")
    ok(console, "cafe.setup", {"tables": ["青松", "翠竹"], "rounds": [{"minutes": 20, "question": "院里最头疼的是什么？"}]})
    ok(console, "step.advance")
    ok(console, "cafe.round")
    charging = ok(li, "idea.add", {"text": "北墙装充电桩"})["idea_id"]
    ok(zhang, "idea.add", {"text": "<i>楼道</i>装感应灯"})
    hidden = ok(zhang, "idea.add", {"text": "广告加微信"})["idea_id"]
    ok(console, "idea.hide", {"idea_id": hidden, "hidden": True})
    ok(console, "dots.open", {"open": True})
    ok(li, "dot.place", {"target_id": charging, "count": 2})
    text = _pdf_text(m, tmp_path, "minutes-cafe")
    for expected in ("世界咖啡馆", "青松、翠竹", "第1轮", "院里最头疼的是什么？", "20 分钟", "收获的想法",
                     "北墙装充电桩", "<i>楼道</i>装感应灯", "贴点排名"):
        assert expected in text, expected
    assert "广告加微信" not in text, "a hidden idea stays out of the minutes"
