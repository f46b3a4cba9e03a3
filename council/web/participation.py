"""A resident's own record on the phone (我的参与): read it, download it, ask for it to be erased.

The phone proves who it is with the device token it keeps in the session's cookie
(`council_token_<code>`, set by static/js/phone.js at its join), as it does to reload its page.
"""
from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for

from council.db import get_db
from council.domain import DomainError
from council.localtime import local
from council import documents
from council.services import participation
from council.services.points import Period
from council.web.strings import client_strings
from council.words import deed_names

bp = Blueprint("participation", __name__)


def _resident(code: str) -> Any:
    return participation.resident_of_device(get_db(), code, request.cookies.get(f"council_token_{code}"))


@bp.get("/join/<code>/me")
def mine(code: str) -> Any:
    try:
        resident = _resident(code)
    except DomainError:
        return render_template("phone/participation.html", code=code, data=None,
                               erased=request.args.get("erased") == "1"), 404
    data = participation.record(get_db(), resident)
    return render_template("phone/participation.html", code=code, data=data, local=local, T=client_strings(),
                           deeds=deed_names(),
                           asking=request.args.get("erase") == "1", parse=_moment)


@bp.get("/join/<code>/me.json")
def download(code: str) -> Any:
    try:
        resident = _resident(code)
    except DomainError:
        return render_template("phone/participation.html", code=code, data=None), 404
    body = json.dumps(participation.record(get_db(), resident), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="my-participation.json"'})


@bp.get("/join/<code>/me/certificate.pdf")
def certificate(code: str) -> Any:
    try:
        resident = _resident(code)
        period = Period.parse(request.args.get("from", ""), request.args.get("to", ""))
    except DomainError:
        return render_template("phone/participation.html", code=code, data=None), 404
    return Response(documents.certificate_pdf(get_db(), resident.id, period), mimetype="application/pdf",
                    headers={"Content-Disposition": 'inline; filename="certificate.pdf"'})


@bp.post("/join/<code>/me/erase")
def erase(code: str) -> Any:
    try:
        resident = _resident(code)
    except DomainError:
        return render_template("phone/participation.html", code=code, data=None), 404
    participation.erase(get_db(), resident)
    response = redirect(url_for("participation.mine", code=code, erased="1"))
    response.delete_cookie(f"council_token_{code}", path="/")
    return response


def _moment(text: str) -> Any:
    import datetime as dt
    return local(dt.datetime.fromisoformat(text))
