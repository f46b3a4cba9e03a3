"""Flask blueprints: pages for console, projector and phone, and a small JSON API."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError

from council import formats
from council.domain import DomainError
from council.messages import error_payload
from council.web.strings import format_strings


def register(app: Flask) -> None:
    from council.web import actions, api, auth, console, convention, documents, grants, households, phone
    for module in (auth, console, phone, api, households, actions, convention, documents, grants):
        app.register_blueprint(module.bp)

    @app.template_global()
    def format_scripts(session: object, page: str) -> list[str]:
        """The scripts of the client panel a session's format adds to a page, in order."""
        return list(formats.get(getattr(session, "format")).scripts.get(page, ()))

    @app.template_global()
    def format_client(session: object) -> dict[str, object]:
        """What the page's own scripts do differently in this session's format (boot data)."""
        return formats.client(formats.get(getattr(session, "format")))

    @app.template_global()
    def format_tag(name: str) -> str:
        """The format's name where lists of sessions show it, else empty."""
        fmt = formats.get(name)
        return fmt.label() if fmt.named else ""

    app.add_template_global(format_strings)

    @app.errorhandler(DomainError)
    def domain_error(err: DomainError):  # type: ignore[no-untyped-def]
        status = 404 if err.code in ("not_found", "unknown_code") else 403 if err.code.startswith("not_") else 400
        return jsonify(error_payload(err)), status

    @app.errorhandler(404)
    def not_found(_err: Exception):  # type: ignore[no-untyped-def]
        # Out of reach and not there answer alike (the policy's rule); the API in its JSON shape.
        if request.path.startswith("/api/"):
            return jsonify(error_payload(DomainError("not_found"))), 404
        return render_template("not_found.html"), 404

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
