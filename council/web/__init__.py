"""Flask blueprints: pages for console, projector and phone, and a small JSON API."""
from __future__ import annotations

import functools
import json
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from council import formats
from council.domain import DomainError
from council.web.links import local_path
from council.messages import describe, error_payload
from council.web.strings import format_strings, page_strings

_utf8_json = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"), sort_keys=True)

THROTTLED = ("rate_limited", "login_locked")  # answered 429 Too Many Requests, with Retry-After


def register(app: Flask) -> None:
    from council.web import (actions, api, auth, console, convention, documents, grants, households, overview,
                            inbox, participation, phone, points, residents, setup)
    for module in (auth, console, phone, participation, api, households, actions, convention, documents, grants,
                   residents, points, setup, overview, inbox):
        app.register_blueprint(module.bp)
    from council.web import remote  # remote votes while a poll's voting window is open
    app.register_blueprint(remote.bp)
    from council.web import posting  # objections during the posting period (公示期)
    app.register_blueprint(posting.bp)

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
    app.add_template_global(page_strings)

    @app.template_filter("page_json")
    def page_json(value: object) -> Markup:
        """JSON for a <script> block: safe in HTML like `tojson`, but Chinese as UTF-8 rather than
        \\u escapes (half the bytes of a phone's strings)."""
        return htmlsafe_json_dumps(value, dumps=_utf8_json)

    @app.errorhandler(DomainError)
    def domain_error(err: DomainError):  # type: ignore[no-untyped-def]
        if err.code in THROTTLED:
            retry = err.params.get("retry_after")
            return jsonify(error_payload(err)), 429, {"Retry-After": str(retry)} if retry else {}
        status = 404 if err.code in ("not_found", "unknown_code") else 403 if err.code.startswith("not_") else 400
        return jsonify(error_payload(err)), status

    @app.errorhandler(404)
    def not_found(_err: Exception):  # type: ignore[no-untyped-def]
        # Out of reach and not there answer alike (the policy's rule); the API in its JSON shape.
        if request.path.startswith("/api/"):
            return jsonify(error_payload(DomainError("not_found"))), 404
        return render_template("not_found.html"), 404

    @app.errorhandler(413)
    def too_large(_err: Exception):  # type: ignore[no-untyped-def]
        # A body over the route's limit (MAX_CONTENT_LENGTH, or the photo's and the roll's own):
        # the documented JSON error for the API, a translated message for the pages' forms.
        limit = request.max_content_length
        err = DomainError("photo_too_large") if request.endpoint == "actions.report" \
            else DomainError("too_large", maximum=limit) if limit else DomainError("too_large")
        if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
            return jsonify(error_payload(err)), 413
        if request.endpoint == "auth.login":
            return render_template("login.html", error=describe(err)), 413
        if session.get("facilitator_id") is not None:  # a console form: back to its page, with the message
            flash(describe(err), "error")
            back = urlsplit(request.referrer or "")
            target = local_path(back.path if back.netloc == request.host else "", url_for("console.dashboard"))
            return redirect(target + (f"?{back.query}" if back.query and target == back.path else ""), 303)
        return render_template("phone/home.html", error=describe(err)), 413

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
        if request.endpoint == "static":
            # Scripts and styles are sent as files; read into memory (the largest is 50 KB)
            # so that Flask-Compress, which runs after this, can compress them too.
            resp.direct_passthrough = False
            resp.set_data(resp.get_data())
        if request.args.get("lang") in ("zh_CN", "en"):
            resp.set_cookie("lang", request.args["lang"], max_age=365 * 86400, samesite="Lax",
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
        return resp
