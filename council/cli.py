"""The `council` command: serve, facilitator accounts, minutes, database upgrades.

The commands are registered on the app by its factory; the `council` script itself is built in
`council.entry`, so that this module never imports the factory (no app ↔ cli cycle).
"""
from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_babel import gettext
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from council import migrate
from council.db import get_db
from council.domain import DomainError
from council.messages import describe
from council.services.accounts import PASSWORD_MIN


def register(app: Flask) -> None:
    app.cli.add_command(facilitator)
    app.cli.add_command(minutes)
    app.cli.add_command(grant)
    app.cli.add_command(db_group)
    app.cli.add_command(serve)


def database_ready(*, apply: tuple[str, ...] = ()) -> None:
    """Stop with one line saying what to do when the database cannot serve this command: no
    tables yet, or tables older than this version (both: `council db upgrade`), or newer ones.
    `apply` names the states (`migrate.FRESH`, `migrate.BEHIND`) this command migrates instead,
    as a user of it would want: `serve` and `db upgrade` always, `facilitator add` (the first
    command of an installation) an empty database."""
    url = current_app.config["DATABASE_URL"]
    shown = make_url(url).render_as_string(hide_password=True)
    try:
        state = migrate.state(url)
    except SQLAlchemyError as err:
        reason = getattr(err, "orig", None) or err
        raise click.ClickException(gettext("Cannot open the database %(url)s: %(reason)s",
                                           url=shown, reason=str(reason).strip().splitlines()[0])) from None
    if state == migrate.CURRENT:
        return
    if state == migrate.AHEAD:
        raise click.ClickException(gettext("The database was set up by a newer version of Courtyard Council. "
                                           "Install that version to use it."))
    if state not in apply:
        raise click.ClickException(
            gettext("The database has no tables yet. Run: council db upgrade") if state == migrate.FRESH
            else gettext("The database is older than this version of Courtyard Council. Run: council db upgrade"))
    migrate.upgrade(url)
    if state == migrate.FRESH:
        click.echo(gettext("The database was empty: its tables have been created (%(url)s).", url=shown), err=True)


@click.group("facilitator", help="Facilitator accounts.")
def facilitator() -> None:
    pass


@facilitator.command("add")
@click.argument("name")
@click.option("--password", help=f"Password, at least {PASSWORD_MIN} characters; read from standard input when left out.")
@with_appcontext
def facilitator_add(name: str, password: str | None) -> None:
    """Create a facilitator account (and the database's tables, if it has none yet)."""
    from council.services import accounts
    database_ready(apply=(migrate.FRESH,))
    if password is None:
        password = click.prompt(gettext("Password (at least %(minimum)s characters)", minimum=PASSWORD_MIN),
                                hide_input=True, confirmation_prompt=sys.stdin.isatty()) \
            if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    try:
        f = accounts.add_facilitator(get_db(), name, password)
    except DomainError as err:
        raise click.ClickException(describe(err)) from None
    click.echo(f"facilitator {f.name} created (id {f.id})")


@facilitator.command("password")
@click.argument("name")
@click.option("--password",
              help=f"New password, at least {PASSWORD_MIN} characters; read from standard input when left out.")
@with_appcontext
def facilitator_password(name: str, password: str | None) -> None:
    """Change a facilitator's password: every login of the account ends."""
    from council.extensions import socketio
    from council.services import accounts
    database_ready()
    if password is None:
        password = click.prompt(gettext("New password (at least %(minimum)s characters)", minimum=PASSWORD_MIN),
                                hide_input=True, confirmation_prompt=sys.stdin.isatty()) \
            if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    try:
        f = accounts.change_password(get_db(), name, password)
    except DomainError as err:
        raise click.ClickException(describe(err)) from None
    # With a message queue, the server processes disconnect the account's open consoles and
    # projectors now; without one, they are refused at their next event.
    socketio.close_room(accounts.screens_room(f.id))
    click.echo(f"password of {f.name} changed; every login of the account has ended")


@click.command("minutes")
@click.argument("session_id", type=int)
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def minutes(session_id: int, out: Path) -> None:
    """Write a session's minutes PDF."""
    from council import documents
    from council.models import Session
    database_ready()
    if get_db().get(Session, session_id) is None:
        raise click.ClickException(f"no session {session_id}")
    out.write_bytes(documents.minutes_pdf(get_db(), session_id))
    click.echo(f"minutes of session {session_id} written to {out}")


@click.command("grant")
@click.argument("council_id", type=int)
@click.argument("name")
@click.option("--revoke", is_flag=True, help="Take the role back instead.")
@with_appcontext
def grant(council_id: int, name: str, revoke: bool) -> None:
    """Give a council's role (街道干部, 社区书记 or 楼院主持人, by its level), and with it every
    council below, to another facilitator; or take it back."""
    from council.services import grants
    from council.words import role_names
    database_ready()
    try:
        outcome = (grants.revoke if revoke else grants.grant)(get_db(), None, council_id, name)
    except DomainError as err:
        raise click.ClickException(describe(err)) from None
    role = role_names()[outcome.reply["role"]]
    click.echo(describe(DomainError("revoked" if revoke else "granted", name=name, role=role)))


@click.group("db", help="Database schema.")
def db_group() -> None:
    pass


@db_group.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Apply all migrations."""
    database_ready(apply=(migrate.FRESH, migrate.BEHIND))
    click.echo("database is up to date")


def tune_collector() -> None:
    """Python's cycle collector, set for a server holding a room of connections. With its
    defaults a full collection walks every live object (a thousand phones' sockets, greenlets
    and sessions) every few hundred thousand allocations: a third of the CPU of a burst of votes
    (`benchmarks/live_vote.py`: 2.1 ms a vote, 1.3 ms with these). Young objects are still
    collected; the long-lived ones (what the start-up made is frozen out of it) seldom walked."""
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)


@click.command("serve")
@click.option("--host", default=None, help="Address to listen on (default from config: 0.0.0.0).")
@click.option("--port", default=None, type=int, help="Port (default from config: 5000).")
@with_appcontext
def serve(host: str | None, port: int | None) -> None:
    """Upgrade the database and run the live server."""
    from council import netinfo
    from council.extensions import socketio
    from council.services import setup
    conf = current_app.config["COUNCIL"]
    host, port = host or conf["host"], port or conf["port"]
    database_ready(apply=(migrate.FRESH, migrate.BEHIND))
    if not conf["public_url"]:
        conf["public_url"] = netinfo.public_url(host, port)
    token = setup.link_token(get_db())
    get_db().close()  # this context lasts as long as the server: hold no transaction (SQLite: no lock)
    click.echo("小院议事厅 Courtyard Council is running.")
    local = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    if token:  # no facilitator account yet: the first one is made in the browser, not in a shell
        click.echo("  " + gettext("First run: open this link to create the facilitator account: %(url)s",
                                  url=f"http://{local}:{port}/setup/{token}"))
    click.echo(f"  facilitator, on this laptop: http://127.0.0.1:{port}/console")
    for ip in netinfo.lan_addresses() if host in ("0.0.0.0", "::") else [host]:
        click.echo(f"  residents, on the room's Wi-Fi: http://{ip}:{port}/")
    click.echo(f"  QR codes point to: {conf['public_url']}")
    sys.stdout.flush()
    os.environ.pop("FLASK_RUN_FROM_CLI", None)  # this command is the server: let threading mode run
    tune_collector()
    for start in current_app.extensions.get("council.serve_tasks", ()):  # the voting windows' clock
        start(current_app._get_current_object())  # type: ignore[attr-defined]
    socketio.run(current_app._get_current_object(), host=host, port=port,  # type: ignore[attr-defined]
                 log_output=False, allow_unsafe_werkzeug=True)
