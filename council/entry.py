"""Entry point of the `council` script; imports nothing heavy until it knows the command."""
import sys


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "serve":
        from council.config import load
        if load()["async_mode"] == "gevent":
            # gevent must patch the standard library before anything opens sockets or threads.
            from gevent import monkey
            monkey.patch_all()
    run()


def run() -> None:
    """The command line, once gevent (for `serve`) has patched what it must."""
    from flask.cli import FlaskGroup

    from council.app import create_app
    cli = FlaskGroup(create_app=lambda: create_app(), add_default_commands=False,
                     add_version_option=False, help="Courtyard Council (小院议事厅)")
    cli.main(prog_name="council")
