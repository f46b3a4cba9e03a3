"""The `council` command: serve, facilitator accounts, minutes, database upgrades.

The commands are registered on the app by its factory; the `council` script itself is built in
`council.entry`, so that this module never imports the factory (no app ↔ cli cycle).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from council.db import get_db
from council.domain import DomainError
from council.messages import describe


def register(app: Flask) -> None:
    app.cli.add_command(facilitator)
    app.cli.add_command(minutes)
    app.cli.add_command(grant)
    app.cli.add_command(db_group)
    app.cli.add_command(serve)


@click.group("facilitator", help="Facilitator accounts.")
def facilitator() -> None:
    pass


@facilitator.command("add")
@click.argument("name")
@click.option("--password", help="Password; read from standard input when left out.")
@with_appcontext
def facilitator_add(name: str, password: str | None) -> None:
    """Create a facilitator account."""
    from council.services import accounts
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=sys.stdin.isatty()) \
            if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    try:
        f = accounts.add_facilitator(get_db(), name, password)
    except DomainError as err:
        raise click.ClickException(describe(err)) from None
    click.echo(f"facilitator {f.name} created (id {f.id})")


@facilitator.command("password")
@click.argument("name")
@click.option("--password", help="New password; read from standard input when left out.")
@with_appcontext
def facilitator_password(name: str, password: str | None) -> None:
    """Change a facilitator's password: every login of the account ends."""
    from council.extensions import socketio
    from council.services import accounts
    if password is None:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=sys.stdin.isatty()) \
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
    if get_db().get(Session, session_id) is None:
        raise click.ClickException(f"no session {session_id}")
    out.write_bytes(documents.minutes_pdf(get_db(), session_id))
    click.echo(f"minutes of session {session_id} written to {out}")


@click.command("grant")
@click.argument("council_id", type=int)
@click.argument("name")
@with_appcontext
def grant(council_id: int, name: str) -> None:
    """Give a council, and every council below it, to another facilitator (co-facilitator)."""
    from council.services import grants
    try:
        grants.grant(get_db(), None, council_id, name)
    except DomainError as err:
        raise click.ClickException(describe(err)) from None
    click.echo(f"{name} now runs council {council_id} and every council below it")


@click.group("db", help="Database schema.")
def db_group() -> None:
    pass


@db_group.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Apply all migrations."""
    from council import migrate
    migrate.upgrade(current_app.config["DATABASE_URL"])
    click.echo("database is up to date")


@click.command("serve")
@click.option("--host", default=None, help="Address to listen on (default from config: 0.0.0.0).")
@click.option("--port", default=None, type=int, help="Port (default from config: 5000).")
@with_appcontext
def serve(host: str | None, port: int | None) -> None:
    """Upgrade the database and run the live server."""
    from council import migrate, netinfo
    from council.extensions import socketio
    conf = current_app.config["COUNCIL"]
    host, port = host or conf["host"], port or conf["port"]
    migrate.upgrade(current_app.config["DATABASE_URL"])
    if not conf["public_url"]:
        conf["public_url"] = netinfo.public_url(host, port)
    click.echo("小院议事厅 Courtyard Council is running.")
    click.echo(f"  facilitator, on this laptop: http://127.0.0.1:{port}/console")
    for ip in netinfo.lan_addresses() if host in ("0.0.0.0", "::") else [host]:
        click.echo(f"  residents, on the room's Wi-Fi: http://{ip}:{port}/")
    click.echo(f"  QR codes point to: {conf['public_url']}")
    sys.stdout.flush()
    os.environ.pop("FLASK_RUN_FROM_CLI", None)  # this command is the server: let threading mode run
    socketio.run(current_app._get_current_object(), host=host, port=port,  # type: ignore[attr-defined]
                 log_output=False, allow_unsafe_werkzeug=True)
