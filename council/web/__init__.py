"""Flask blueprints: pages for console, projector and phone, and a small JSON API."""
from __future__ import annotations

from flask import Flask, jsonify, request
from flask_wtf.csrf import CSRFError

from council.domain import DomainError
from council.messages import error_payload


def register(app: Flask) -> None:
    from council.web import actions, api, auth, console, convention, documents, households, phone
    for module in (auth, console, phone, api, households, actions, convention, documents):
        app.register_blueprint(module.bp)

    @app.errorhandler(DomainError)
    def domain_error(err: DomainError):  # type: ignore[no-untyped-def]
        status = 404 if err.code in ("not_found", "unknown_code") else 403 if err.code.startswith("not_") else 400
        return jsonify(error_payload(err)), status

    @app.errorhandler(CSRFError)
    def csrf_error(err: CSRFError):  # type: ignore[no-untyped-def]
        return jsonify(error_payload(DomainError("invalid_field", field="csrf_token"))), 400

    @app.after_request
    def security_headers(resp):  # type: ignore[no-untyped-def]
        # Participant text never runs as script, even if a template slipped.
        resp.headers.setdefault("Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                "script-src 'self'; connect-src 'self' ws: wss:; object-src 'none'; "
                                "base-uri 'none'; frame-ancestors 'self'")
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        if request.args.get("lang") in ("zh_CN", "en"):
            resp.set_cookie("lang", request.args["lang"], max_age=365 * 86400, samesite="Lax")
        return resp
