"""A council's actions across its meetings: open, overdue and done, with progress reports."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, send_from_directory, url_for

from council import localtime
from council.db import get_db
from council.domain.actions import PHOTO_MAX
from council.models import Action
from council.services import actions
from council.web.auth import carry_out, council_or_404, login_required
from council.web.strings import client_strings, owner_kinds

bp = Blueprint("actions", __name__)
_PHOTO_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png)$")


def uploads() -> Path:
    return Path(current_app.instance_path) / "uploads"


@bp.get("/console/councils/<int:council_id>/actions")
@login_required
def council_actions(council_id: int) -> Any:
    council = council_or_404(council_id)
    filed = actions.council_actions(get_db(), council.id, localtime.today())
    return render_template("console/actions.html", council=council, filed=filed, kinds=owner_kinds(),
                           T=client_strings(), local=localtime.local)


@bp.post("/console/actions/<int:action_id>/progress")
@login_required
def report(action_id: int) -> Any:
    action = get_db().get(Action, action_id)
    if action is None:
        abort(404)
    council_or_404(action.council_id)
    upload = request.files.get("photo")
    photo = upload.read(PHOTO_MAX + 1) if upload and upload.filename else None
    carry_out(lambda me: actions.report_progress(get_db(), me, action.id, request.form.get("status", ""),
                                                 request.form.get("note", ""), photo, uploads()))
    return redirect(url_for("actions.council_actions", council_id=action.council_id))


@bp.get("/uploads/<name>")
def photo(name: str) -> Any:
    """Progress photos, shown with the public record of an action."""
    if not _PHOTO_NAME.match(name):
        abort(404)
    return send_from_directory(uploads(), name, max_age=86400)
