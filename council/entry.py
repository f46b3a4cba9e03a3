"""Entry point of the `council` script; imports nothing heavy until it knows the command."""
import sys


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "serve":
        from council.config import load
        if load()["async_mode"] == "gevent":
            # gevent must patch the standard library before anything opens sockets or threads.
            from gevent import monkey
            monkey.patch_all()
    from council.cli import run
    run()
