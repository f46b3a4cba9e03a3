"""Settings: built-in defaults, then config.toml, then COUNCIL_* environment variables."""
from __future__ import annotations

import hashlib
import os
import secrets
import tomllib
from pathlib import Path
from typing import Any, Mapping

from limits import parse_many

from council.domain import forces

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, Any] = {
    "database_url": "",  # empty: SQLite file in the instance folder
    "secret_key": "",  # empty: generated once and kept in the instance folder
    "host": "0.0.0.0",
    "port": 5000,
    "public_url": "",  # empty: http://<LAN address>:<port>, what phones reach
    "message_queue": "",  # redis://… when several server processes share the sessions
    "message_queue_channel": "",  # empty: one named after the database, so deployments never mix
    "default_locale": "zh_CN",
    "phone_coalesce_ms": 300,
    "posting_days": 7,
    "login_days": 1,  # a facilitator's login cookie lasts this many days
    "timezone": "Asia/Shanghai",
    "pdf_font": "Noto Sans CJK SC",
    "async_mode": "gevent",  # gevent: one greenlet per phone, not one thread
    # Throttles, in the `limits` notation ("N per M unit", several joined by ";"; empty: none).
    # Why each number: config.toml; what a client sees: docs/protocol.md, "Limits".
    "login_limit_account": "5 per 15 minutes",
    "login_limit_address": "20 per 15 minutes",
    "code_limit_address": "60 per 10 minutes",
    "join_limit_address": "400 per minute; 60 per 5 seconds",
    "join_limit_session": "600 per minute; 100 per 5 seconds",
    "join_limit_device": "12 per minute",
    # Socket.IO event budgets (council.live.budget), per connection and per participant.
    "phone_event_limit": "30 per 10 seconds",
    "screen_event_limit": "300 per 10 seconds",
}

THROTTLES = ("login_limit_account", "login_limit_address", "code_limit_address", "join_limit_address",
             "join_limit_session", "join_limit_device", "phone_event_limit", "screen_event_limit")


class ConfigError(ValueError):
    pass


def _coerce(key: str, value: Any) -> Any:
    kind = type(DEFAULTS[key])
    if kind is int:
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{key} must be a whole number, not {value!r}") from None
    if not isinstance(value, str):
        raise ConfigError(f"{key} must be text, not {value!r}")
    return value


def load(path: Path | None = None, environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """Merge defaults, the TOML file and the environment, and check every value."""
    settings = dict(DEFAULTS)
    path = Path(environ.get("COUNCIL_CONFIG", path or PROJECT_ROOT / "config.toml"))
    weights: Any = {}
    if path.exists():
        with path.open("rb") as fh:
            document = tomllib.load(fh)
        data, weights = document.get("council", {}), document.get("five_forces", {})
        unknown = set(data) - set(DEFAULTS)
        if unknown:
            raise ConfigError(f"unknown setting(s) in {path}: {', '.join(sorted(unknown))}")
        settings.update(data)
    for key in DEFAULTS:
        env = environ.get("COUNCIL_" + key.upper())
        if env is not None:
            settings[key] = env
    settings = {k: _coerce(k, v) for k, v in settings.items()}
    if not 0 < settings["port"] < 65536:
        raise ConfigError("port must be between 1 and 65535")
    if not 1 <= settings["login_days"] <= 366:
        raise ConfigError("login_days must be between 1 and 366")
    if settings["async_mode"] not in ("gevent", "threading"):
        raise ConfigError("async_mode must be gevent or threading")
    if settings["default_locale"] not in ("zh_CN", "en"):
        raise ConfigError("default_locale must be zh_CN or en")
    for key in THROTTLES:
        try:
            parse_many(settings[key]) if settings[key].strip() else None
        except ValueError:
            raise ConfigError(f'{key} must read like "5 per 15 minutes", not {settings[key]!r}') from None
    settings["five_forces"] = five_forces(weights)
    return settings


def five_forces(table: Any) -> dict[str, Any]:
    """The `[five_forces]` section: `trend_periods` and one table of weights per force, laid over
    the defaults in council/domain/forces.py (a file without the section keeps them all)."""
    if not isinstance(table, dict):
        raise ConfigError("[five_forces] must be a table")
    table = dict(table)
    periods = table.pop("trend_periods", forces.DEFAULT_TREND)
    if isinstance(periods, bool) or not isinstance(periods, int) or not 0 <= periods <= 12:
        raise ConfigError(f"[five_forces] trend_periods must be a whole number from 0 to 12, not {periods!r}")
    try:
        weights = forces.check_weights(table)
    except ValueError as err:
        raise ConfigError(str(err)) from None
    return {"trend_periods": periods, "weights": weights}


def queue_channel(settings: Mapping[str, Any], database_url: str) -> str:
    """The message queue channel the server processes of one deployment share: the setting,
    else a name derived from the database, so that two deployments on one Redis never hear
    each other's changes."""
    if settings.get("message_queue_channel"):
        return settings["message_queue_channel"]
    return "council-" + hashlib.sha256(database_url.encode()).hexdigest()[:12]


def instance_secret(instance_path: Path) -> str:
    """A secret key kept beside the database, so logins survive a restart."""
    instance_path.mkdir(parents=True, exist_ok=True)
    keyfile = instance_path / "secret_key"
    if not keyfile.exists():
        keyfile.write_text(secrets.token_hex(32))
        keyfile.chmod(0o600)
    return keyfile.read_text().strip()
