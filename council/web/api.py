"""Read-only JSON for other clients: the same state the live pages get."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from council import throttle
from council.db import get_db
from council.services import state
from council.web.auth import login_required, own_session_or_404

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/sessions/<int:session_id>/state")
@login_required
def session_state(session_id: int) -> Any:
    s = own_session_or_404(session_id)
    return jsonify({"ok": True, "state": state.snapshot(get_db(), s.id, "console")})


@bp.get("/join/<code>")
def session_info(code: str) -> Any:
    s = throttle.session_by_code(get_db(), code)
    return jsonify({"ok": True, "session": state.part(get_db(), s.id, "session", "phone")})


@bp.get("/health")
def health() -> Any:
    return jsonify({"ok": True})
