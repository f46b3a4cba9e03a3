"""The application factory."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Mapping

from babel import Locale
from flask import Flask, current_app, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import get_locale
from itsdangerous import URLSafeTimedSerializer

from council import config as settings
from council import db, scripts, throttle
from council.extensions import babel, compress, csrf, socketio
from council.live import budget

ROOT = settings.PROJECT_ROOT
LOCALES = ("zh_CN", "en")


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: settings, database, extensions, pages and live events."""
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"),
                instance_path=str(ROOT / "instance"))
    conf = settings.load()
    conf.update({k.lower(): v for k, v in (test_config or {}).items()})
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.update(
        SECRET_KEY=conf["secret_key"] or settings.instance_secret(instance),
        DATABASE_URL=conf["database_url"] or f"sqlite:///{instance / 'council.db'}",
        COUNCIL=conf,
        BABEL_DEFAULT_LOCALE=conf["default_locale"],
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        # The facilitator's login: it lasts `login_days`, and travels only over https when
        # the public address is https.
        PERMANENT_SESSION_LIFETIME=dt.timedelta(days=conf["login_days"]),
        SESSION_COOKIE_SECURE=conf["public_url"].lower().startswith("https://"),
        WTF_CSRF_TIME_LIMIT=None,
        SEND_FILE_MAX_AGE_DEFAULT=3600,
        MAX_CONTENT_LENGTH=256 * 1024,
        # Pages, scripts and JSON travel compressed: a phone on a meeting room's Wi-Fi gets
        # the page in a third of the bytes. Gzip first: every phone browser (WeChat too) has it.
        COMPRESS_MIMETYPES=["text/html", "text/css", "text/javascript", "application/javascript",
                            "application/json", "image/svg+xml"],
        COMPRESS_ALGORITHM=["gzip", "br"],
        COMPRESS_MIN_SIZE=500,
        # Throttles on (see council.throttle); a test that floods on purpose may pass False.
        # Set for every app: Flask-Limiter would otherwise keep the last app's choice.
        RATELIMIT_ENABLED=True,
    )
    app.config.update({k.upper(): v for k, v in (test_config or {}).items() if k.isupper()})
    # Flask-SocketIO pushes a whole request context for every Socket.IO event, a vote too:
    # these two keep that to what an event needs (0.24 ms an event down to 0.13 ms).
    app.session_interface = CookieSessions()
    app.add_url_rule("/socket.io/", "socketio_transport", _transport_only)
    app.context_processor(page_context)
    db.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    app.before_request(body_limit)  # before the CSRF check, which reads the form
    csrf.init_app(app)
    compress.init_app(app)
    scripts.init_app(app)  # the pages' scripts travel minified
    channel = settings.queue_channel(conf, app.config["DATABASE_URL"])
    socketio.init_app(app, async_mode=conf["async_mode"],
                      message_queue=conf["message_queue"] or None, channel=channel,
                      max_http_buffer_size=64 * 1024, ping_interval=10, ping_timeout=20,
                      # each connection's events in order, in its own reader: see live.handlers
                      async_handlers=False)
    # With a message queue, the processes of one deployment share coalesced batches and state
    # revisions in its Redis, under the deployment's channel.
    app.extensions["council.channel"] = channel
    app.extensions["council.redis"] = _redis(conf["message_queue"]) if conf["message_queue"] else None
    throttle.init_app(app, conf, prefix=channel)  # the deployment's counts, under its own keys
    budget.init_app(app, conf)  # each connection's event budget, after the throttles' storage
    from council.live import poll_clock
    # what `council serve` starts beside the server: voting windows close by the clock
    app.extensions["council.serve_tasks"] = [poll_clock.start]

    from council import cli, live, web
    web.register(app)
    live.register(socketio)
    cli.register(app)
    return app


REDIS_CONNECTIONS = 20  # per process, whatever the number of phones


def _redis(url: str) -> Any:
    """The deployment's Redis: one bounded pool per process for throttles, event budgets,
    coalesced batches and state revisions. Unbounded, a burst of two thousand phones opened a
    connection per waiting event (each one costing more than the event)."""
    import redis
    return redis.Redis(connection_pool=redis.BlockingConnectionPool.from_url(
        url, max_connections=REDIS_CONNECTIONS, timeout=10))


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signing serializer built once per key rather
    than for every request."""

    def __init__(self) -> None:
        self._signer: tuple[Any, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        key = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if self._signer is None or self._signer[0] != key:
            self._signer = (key, super().get_signing_serializer(app))
        return self._signer[1]


def _transport_only() -> tuple[str, int]:
    """The Socket.IO transport's path: its middleware answers it before Flask does. The rule
    is here so that the request context of every Socket.IO event finds its route at once
    (an unmatched path walks the whole URL map and builds a NotFound error each time)."""
    return "", 404


def body_limits() -> dict[str, int]:
    """Routes that take more than the 256 KB of MAX_CONTENT_LENGTH: what the protocol promises,
    plus room for the form around it, so that the route's own check answers up to there."""
    from council.domain.actions import PHOTO_MAX
    from council.domain.households import MAX_CSV_BYTES
    return {"actions.report": PHOTO_MAX + 512 * 1024,  # a progress photo ≤ 5 MB
            "inbox.raise_": PHOTO_MAX + 512 * 1024,  # an issue's photo ≤ 5 MB
            "inbox.enter": PHOTO_MAX + 512 * 1024,  # a worker's entry, the same
            "households.import_csv": MAX_CSV_BYTES + 64 * 1024}  # a household roll ≤ 512 KB


def body_limit() -> None:
    """Set this request's size limit by its route (Flask ≥ 3.1 reads it per request)."""
    limit = body_limits().get(request.endpoint or "")
    if limit is not None:
        request.max_content_length = limit


def select_locale() -> Locale:
    """Chinese first; English when the visitor chose it (cookie or ?lang=en)."""
    choice = (request.args.get("lang") or request.cookies.get("lang")) if has_request_context() else None
    if choice not in LOCALES:
        choice = current_app.config["BABEL_DEFAULT_LOCALE"]
    # Babel spells zh_CN with its script, zh_Hans_CN: that is the catalog's folder name.
    return Locale.parse(choice)


def page_context() -> dict[str, str]:
    chinese = get_locale().language == "zh"
    return {"locale": "zh_CN" if chinese else "en", "html_lang": "zh-CN" if chinese else "en"}
